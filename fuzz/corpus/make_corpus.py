#!/usr/bin/python3
"""Writes the seed corpora fuzz/corpus/<target>/ from the project's own fixtures
(tests/fixtures, examples/) and small hand-written samples of each format. Deterministic.
Usage: /usr/bin/python3 fuzz/corpus/make_corpus.py
"""
import pathlib
import shutil
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIX = ROOT / "tests" / "fixtures"

# The expander of fuzz/fuzz_support.hpp: b"\x00\xfeR" + 3-byte count + 1-byte length + segment.
def rep(segment: bytes, count: int) -> bytes:
    return b"\x00\xfeR" + count.to_bytes(3, "little") + bytes([len(segment)]) + segment


def put(target, name, data):
    d = HERE / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def config():
    put("config", "toy_llm.yaml", (ROOT / "examples/toy-llm/seedrun.yaml").read_bytes())
    put("config", "slurm.yaml", """name: exp
command: [python3, train.py, --seed, "{seed}", --out, "{output_dir}", "{flags}"]
train_tokens: 500000
seeds: {baseline: [1, 2, 3, 4, 5], experiment: [1, 2, 3], extension: [4, 5]}
metric: {name: acc, pattern: 'acc=([0-9.]+)', goal: maximize}
executor: slurm
parallel: 2
paths: {checkpoints: ck, reports: docs/research, state: .seedrun}
cleanup_checkpoints: false
slurm:
  partition: gpu
  time: "01:00:00"
  extra_args: [--gres=gpu:1]
  max_parallel: 2
  requeue: true
  max_retries: 3
  retry_timeouts: true
  sacct_timeout: 30
  job_name_pattern: "seedrun-{campaign}-{arm}"
""")
    put("config", "big_seed.yaml", "command: [t, '{seed}']\nseeds: {baseline: [2147483648, 4294967301]}\n")
    put("config", "huge_timeout.yaml", "command: [t]\nexecutor: slurm\nslurm: {sacct_timeout: 4294967296, max_parallel: 1e300}\n")
    put("config", "bad_pattern.yaml", "command: [t]\nmetric: {name: 'loss(', pattern: '(?:(a+)+$)|val_loss: ([0-9.]+)'}\n")
    put("config", "long_key.yaml", b"command: [t]\n" + rep(b"k", 100000) + b": 1\n")


def experiment_spec():
    src = (ROOT / "tests/unit/summarize/test_experiment_spec.cpp").read_text()
    start = src.index('R"(') + 3
    put("experiment_spec", "design.yaml", src[start:src.index(')"', start)])
    put("experiment_spec", "minimal.yaml", "runs:\n  - {name: a, type: control}\n")
    put("experiment_spec", "output_variants.yaml",
        "output_dir_base: out\nexperiment: {}\nruns: [{name: r, type: fine-tuned, model: m, parameters: {x: {y: [1]}}}]\n"
        "evaluation: {matrix: [{run: r, tasks: [t1, inspect_evals/mmlu_0_shot], epochs: [0, 1, 2]}]}\n")
    put("experiment_spec", "deep.yaml", b"runs: " + rep(b"[", 5000) + b"\n")


def slurm_output():
    for f in sorted((FIX / "slurm").iterdir()):
        if f.suffix in (".psv", ".txt", ".err"):
            put("slurm_output", f.name, f.read_bytes())
    put("slurm_output", "sbatch_ok.txt", "4242;cluster\n")
    put("slurm_output", "sacct_far_year.psv",
        "12_3|15|seedrun-x-baseline|COMPLETED|0:0|00:01:00|9999-01-01T00:00:00|1000-01-01T00:00:00|n1\n")
    put("slurm_output", "sacct_big_array.psv", "7_[0-999999999%1]|7|j|PENDING|0:0|00:00:00|Unknown|Unknown|None assigned\n")


def training_log():
    epoch = "".join(f"\r1|{s}|Loss: {2.0 - s / 100:.4f}:  {s}%|\u2588\u2588\u258f | {s}/50 [00:01<00:10, 1.05it/s]"
                    for s in range(1, 20))
    put("training_log", "torchtune.out", "INFO:torchtune.utils._logging:Running FullFinetuneRecipe\n" + epoch +
        "\nwandb: Run summary:\nwandb:   global_step 19\nwandb:          loss 1.81\n")
    put("training_log", "cancelled.out",
        "1|1|Loss: 2.5\nslurmstepd: error: *** JOB 123 ON node01 CANCELLED AT 2026-01-05T10:00:00 DUE TO TIME LIMIT ***\n")
    put("training_log", "oom.out", "1|3|Loss: 2.1\nslurmstepd: error: Detected 1 oom_kill event in StepId=12.batch\n")
    put("training_log", "traceback.out",
        "[rank0]: Traceback (most recent call last):\n[rank0]:   File \"x.py\", line 1\n"
        "[rank0]: RuntimeError: CUDA out of memory.\n")
    put("training_log", "eval.out", "match/accuracy: 0.75\nmatch/stderr: 0.1\n")
    put("training_log", "long_line.out", b"1|1|Loss: " + rep(b"9", 50000) + b"\n")


def scanner(target):
    # First byte: the pattern (fuzz/scanner_common.hpp): 0 the config default, 1 the default for
    # a name, 4 torchtune with a step group, 5 '.*val_loss', 6 the catastrophic alternation,
    # 7 the input's first line is the pattern.
    put(target, "plain.log", b"\x00Step 1 | val_loss: 2.41\nstep=2 val_loss: 2.3\r\nval_loss: nan\nval_loss: -inf\n"
        b"val_loss: 1e999\nval_loss: 2.1")
    put(target, "tqdm_ansi.log", b"\x00\x1b[32mval_loss: 2.5\x1b[0m\r\x1b]0;title\x07val_loss:\t1.25\rval_loss: .5\n"
        b"\xff\xfe val_loss: 3\n")
    put(target, "torchtune.log", b"\x04" + "".join(f"\r1|{s}|Loss: {2 - s / 10:.3f}" for s in range(1, 9)).encode())
    put(target, "named.log", b"\x01val_loss: 3\nval_loss:4\n")
    put(target, "own_pattern.log", b"\x07acc=(?P<step>[0-9]+) ([0-9.]+)\nacc=1 0.5\nacc=2 0.75\nacc=x 1\n")
    put(target, "long_line.log", b"\x05" + rep(b"{\"lr\": 0.001, ", 3000) + b"val_loss: 2.5\nval_loss: 1\n")
    put(target, "digits.log", b"\x00val_loss: " + rep(b"9", 50000) + b"\nval_loss: 1.5\n")
    put(target, "catastrophic.log", b"\x06aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\nval_loss: 2\n")


def zip_listing(path):
    """A .eval as the text listing fuzz_eval_zip reads: '==> NAME' then the member's text."""
    out = b""
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            out += b"==> " + info.filename.encode() + b"\n" + z.read(info) + b"\n"
    return out


def evals():
    for f in sorted((FIX / "summarize").iterdir()):
        if f.suffix in (".eval", ".json"):
            put("eval_raw", f.name, f.read_bytes())
            if zipfile.is_zipfile(f):
                put("eval_zip", f.stem + ".txt", zip_listing(f))
    put("eval_raw", "deep.json", b'{"status": "success", "eval": ' + rep(b"[", 300000) + b"}")
    put("eval_raw", "latin1.json", b'{"status": "success", "eval": {"task": "caf\xe9", "model": "m\xc3"}}')
    put("eval_zip", "deep_header.txt", b"==> header.json\n" + rep(b"[", 300000) + b"\n")
    put("eval_zip", "journal.txt", b'==> _journal/start.json\n{"version": 2, "eval": {"task": "t", "model": "m"}}\n'
        b'==> _journal/summaries/1.json\n[{"id": 1, "epoch": 1, "target": "1", "scores": {"m": {"value": 1}}}]\n'
        b'==> _journal/summaries/123456789012345678901234.json\n[]\n')
    put("eval_zip", "latin1.txt", b'==> header.json\n{"status": "error", "error": {"message": "caf\xe9"},'
        b' "eval": {"task": "inspect_evals/mmlu_0_shot", "model": "\xff"}}\n')


def main():
    for target in ("config", "experiment_spec", "slurm_output", "training_log", "eval_raw", "eval_zip",
                   "log_scanner", "log_follower"):
        shutil.rmtree(HERE / target, ignore_errors=True)
    config()
    experiment_spec()
    slurm_output()
    training_log()
    evals()
    scanner("log_scanner")
    scanner("log_follower")


if __name__ == "__main__":
    main()
