#!/usr/bin/python3
"""A tiny character-level language model, trained with hand-written Adam in numpy.

The model reads the previous --context characters, embeds each one, concatenates
the embeddings, applies one ReLU hidden layer and predicts the next character
with a softmax. It trains on data/corpus.txt (first 90%) and reports the mean
cross-entropy in nats on the held-out last 10%.

    /usr/bin/python3 train_llm.py --train_tokens 1000000 --seed 42 --output_dir ck/seed42

Output: about 15 lines "Step N | val_loss: X | train_loss: Y | lr: Z", the last
of which carries the final val_loss measured on the whole validation split.
The same steps also go to <output_dir>/metrics.jsonl (step, val_loss, train_loss, lr, grad_norm)
and to TensorBoard scalars in <output_dir>/tb/ (val/loss, train/grad_norm): run_files.py.
Exit codes: 0 success, 1 runtime error, 2 bad arguments, 3 --fail_at_step.
"""
import os

# One BLAS thread: the matrices are tiny, and a fixed thread count keeps the
# floating-point summation order, hence the losses, identical run to run.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from run_files import RunFiles  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "data", "corpus.txt")
EXIT_RUNTIME, EXIT_FAIL_ON_PURPOSE = 1, 3  # argparse itself exits 2 on bad arguments
LOG_LINES = 15          # regular log lines per run (plus the final one)
VAL_SUBSET = 4096       # validation positions used by the intermediate lines


def parse_args(argv):
    """Parse argv (empty strings dropped, so an empty "{flags}" is harmless)."""
    p = argparse.ArgumentParser(description="Train a tiny character-level language model.")
    p.add_argument("--train_tokens", type=int, required=True,
                   help="characters processed in training (batch_size per step)")
    p.add_argument("--seed", type=int, required=True, help="seed for init and batch order")
    p.add_argument("--output_dir", required=True, help="where model.npz and checkpoint.json go")
    p.add_argument("--use_warmup", action="store_true",
                   help="linear learning-rate warmup over the first --warmup_frac of steps")
    p.add_argument("--warmup_frac", type=float, default=0.1, help="warmup share of steps (0.1)")
    p.add_argument("--lr", type=float, default=0.05, help="peak Adam learning rate (0.05)")
    p.add_argument("--batch_size", type=int, default=256, help="characters per step (256)")
    p.add_argument("--context", type=int, default=6, help="characters of context (6)")
    p.add_argument("--embed", type=int, default=12, help="embedding width (12)")
    p.add_argument("--hidden", type=int, default=96, help="hidden layer width (96)")
    p.add_argument("--data", default=DEFAULT_DATA, help="training text (data/corpus.txt)")
    p.add_argument("--fail_at_step", type=int, default=0,
                   help="for tests: exit 3 at this step (or the last step if sooner)")
    p.add_argument("--sleep", type=float, default=0.0,
                   help="for tests: sleep this many seconds after each log line")
    args = p.parse_args([a for a in argv if a != ""])
    checks = [
        (args.train_tokens >= 1, "--train_tokens must be >= 1"),
        (args.seed >= 0, "--seed must be >= 0"),
        (args.output_dir.strip() != "", "--output_dir must not be empty"),
        (math.isfinite(args.lr) and args.lr > 0, "--lr must be a positive number"),
        (0 <= args.warmup_frac < 1, "--warmup_frac must be in [0, 1)"),
        (args.batch_size >= 1, "--batch_size must be >= 1"),
        (args.context >= 1 and args.embed >= 1 and args.hidden >= 1,
         "--context, --embed and --hidden must be >= 1"),
        (args.fail_at_step >= 0, "--fail_at_step must be >= 0"),
        (math.isfinite(args.sleep) and args.sleep >= 0, "--sleep must be >= 0"),
        (os.path.isfile(args.data), f"--data {args.data}: no such file"),
    ]
    for ok, message in checks:
        if not ok:
            p.error(message)
    return args


def load_data(path, context):
    """Return (train_ids, val_ids, alphabet) with the last 10% held out."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    alphabet = sorted(set(text))
    lookup = {ch: i for i, ch in enumerate(alphabet)}
    ids = np.array([lookup[ch] for ch in text], dtype=np.int64)
    split = int(len(ids) * 0.9)
    if split <= context + 1 or len(ids) - split <= context + 1:
        raise ValueError(f"{path}: too little text for a context of {context}")
    return ids[:split], ids[split:], alphabet


def windows(ids, positions, context):
    """Inputs (len(positions), context) and targets for the given target positions."""
    offsets = np.arange(-context, 0)
    return ids[positions[:, None] + offsets], ids[positions]


def init_params(rng, vocab, args):
    """Gaussian init scaled by fan-in; float32 throughout."""
    fan_in = args.context * args.embed
    shapes = {
        "emb": ((vocab, args.embed), 1.0),
        "w1": ((fan_in, args.hidden), 1.0 / math.sqrt(fan_in)),
        "b1": ((args.hidden,), 0.0),
        "w2": ((args.hidden, vocab), 1.0 / math.sqrt(args.hidden)),
        "b2": ((vocab,), 0.0),
    }
    return {name: (rng.standard_normal(shape) * scale).astype(np.float32)
            for name, (shape, scale) in shapes.items()}


def forward(params, x):
    """Return (log-probabilities, cache for backward) for inputs x (B, context)."""
    flat = params["emb"][x].reshape(x.shape[0], -1)
    pre = np.einsum("bi,ih->bh", flat, params["w1"]) + params["b1"]
    hidden = np.maximum(pre, 0.0)
    logits = np.einsum("bh,hv->bv", hidden, params["w2"]) + params["b2"]
    logits -= logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return logp, (x, flat, hidden)


def loss_and_grads(params, x, y):
    """Mean cross-entropy (nats) of batch (x, y) and the gradient of every parameter."""
    logp, (x, flat, hidden) = forward(params, x)
    batch = x.shape[0]
    loss = -float(logp[np.arange(batch), y].mean())
    dlogits = np.exp(logp)
    dlogits[np.arange(batch), y] -= 1.0
    dlogits /= batch
    grads = {"w2": np.einsum("bh,bv->hv", hidden, dlogits), "b2": dlogits.sum(axis=0)}
    dhidden = np.einsum("bv,hv->bh", dlogits, params["w2"]) * (hidden > 0)
    grads["w1"] = np.einsum("bi,bh->ih", flat, dhidden)
    grads["b1"] = dhidden.sum(axis=0)
    dflat = np.einsum("bh,ih->bi", dhidden, params["w1"]).reshape(-1, params["emb"].shape[1])
    vocab, width = params["emb"].shape
    slots = (x.reshape(-1, 1) * width + np.arange(width)).ravel()
    grads["emb"] = np.bincount(slots, weights=dflat.ravel(), minlength=vocab * width) \
        .reshape(vocab, width).astype(np.float32)
    return loss, grads


def evaluate(params, ids, positions, context, chunk=8192):
    """Mean cross-entropy (nats) over the given target positions."""
    total = 0.0
    for start in range(0, len(positions), chunk):
        x, y = windows(ids, positions[start:start + chunk], context)
        logp, _ = forward(params, x)
        total -= float(logp[np.arange(len(y)), y].astype(np.float64).sum())
    return total / len(positions)


class Adam:
    """Adam (beta1 0.9, beta2 0.999, eps 1e-8) with bias correction."""

    def __init__(self, params):
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params, grads, lr):
        self.t += 1
        c1, c2 = 1.0 - 0.9 ** self.t, 1.0 - 0.999 ** self.t
        for k, g in grads.items():
            self.m[k] = 0.9 * self.m[k] + 0.1 * g
            self.v[k] = 0.999 * self.v[k] + 0.001 * g * g
            params[k] -= (lr / c1) * self.m[k] / (np.sqrt(self.v[k] / c2) + 1e-8)


def learning_rate(step, total, args):
    """Optional linear warmup, then cosine decay from --lr to --lr/10 (step is 1-based)."""
    warmup = int(total * args.warmup_frac) if args.use_warmup else 0
    if step <= warmup:
        return args.lr * step / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return args.lr * (0.1 + 0.9 * 0.5 * (1.0 + math.cos(math.pi * progress)))


def write_atomic(path, write):
    """Call write(binary_handle) on a temporary file beside path, then rename it to path."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def save_checkpoint(out_dir, params, meta):
    """Write model.npz (the weights) and checkpoint.json (config and final metric) into out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    text = json.dumps(meta, indent=2, sort_keys=True) + "\n"
    write_atomic(os.path.join(out_dir, "model.npz"), lambda handle: np.savez(handle, **params))
    write_atomic(os.path.join(out_dir, "checkpoint.json"), lambda handle: handle.write(text.encode()))


def log_line(step, val_loss, train_loss, lr):
    """Print one progress line in the format seedrun's metric pattern reads."""
    print(f"Step {step} | val_loss: {val_loss:.4f} | train_loss: {train_loss:.4f} | lr: {lr:.4f}",
          flush=True)


def train(args):
    """Run training; return the process exit code."""
    started = time.monotonic()
    train_ids, val_ids, alphabet = load_data(args.data, args.context)
    rng = np.random.default_rng(args.seed)
    params = init_params(rng, len(alphabet), args)
    optimizer = Adam(params)
    total = max(1, math.ceil(args.train_tokens / args.batch_size))
    log_every = max(1, total // LOG_LINES)
    val_all = np.arange(args.context, len(val_ids))
    val_subset = val_all[np.linspace(0, len(val_all) - 1, min(VAL_SUBSET, len(val_all))).astype(int)]
    fail_at = min(args.fail_at_step, total) if args.fail_at_step > 0 else 0
    print(f"# toy-llm: {len(train_ids)} train / {len(val_ids)} val chars, vocab {len(alphabet)}, "
          f"{total} steps of {args.batch_size}, seed {args.seed}, lr {args.lr}, "
          f"warmup {'on' if args.use_warmup else 'off'}", flush=True)
    recent, val_loss = [], float("nan")
    files = RunFiles(args.output_dir)  # metrics.jsonl and TensorBoard scalars, besides stdout
    for step in range(1, total + 1):
        batch = min(args.batch_size, args.train_tokens - (step - 1) * args.batch_size)
        x, y = windows(train_ids, rng.integers(args.context, len(train_ids), size=batch), args.context)
        loss, grads = loss_and_grads(params, x, y)
        lr = learning_rate(step, total, args)
        optimizer.step(params, grads, lr)
        recent.append(loss)
        if step % log_every == 0 or step == total:
            positions = val_all if step == total else val_subset
            val_loss = evaluate(params, val_ids, positions, args.context)
            log_line(step, val_loss, sum(recent) / len(recent), lr)
            grad_norm = math.sqrt(sum(float(np.square(g, dtype=np.float64).sum()) for g in grads.values()))
            files.log(step, {"val_loss": val_loss, "train_loss": sum(recent) / len(recent), "lr": lr,
                                   "grad_norm": grad_norm},
                      {"val/loss": val_loss, "train/grad_norm": grad_norm})
            recent = []
            if args.sleep > 0:
                time.sleep(args.sleep)
        if step == fail_at:
            print(f"error: failing on purpose at step {step} (--fail_at_step)", file=sys.stderr, flush=True)
            return EXIT_FAIL_ON_PURPOSE
    files.close()
    if not math.isfinite(val_loss):
        print("warning: training diverged (val_loss is not finite)", file=sys.stderr, flush=True)
    meta = {"val_loss": val_loss if math.isfinite(val_loss) else None, "steps": total, "train_tokens": args.train_tokens,
            "seed": args.seed, "use_warmup": args.use_warmup, "lr": args.lr,
            "batch_size": args.batch_size, "context": args.context, "embed": args.embed,
            "hidden": args.hidden, "alphabet": "".join(alphabet),
            "wall_time_s": round(time.monotonic() - started, 3)}
    save_checkpoint(args.output_dir, params, meta)
    return 0


def main(argv):
    args = parse_args(argv)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            return train(args)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr, flush=True)
        return EXIT_RUNTIME


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
