#!/usr/bin/env python3
"""Writes a realistic training log for bench/ingest.sh: ~512 MiB, ~8M lines (counting the '\r'
segments of progress bars as lines), ANSI colours on the log lines, tqdm '\r' rewrites, a JSON
config dump at the top, and ~150k `val_loss: X` lines (one evaluation every 53 lines).
    bench/make_training_log.py OUT [MIB]"""
import random
import sys

out_path = sys.argv[1]
target = int(float(sys.argv[2]) if len(sys.argv) > 2 else 512) * 1024 * 1024
rng = random.Random(9)
GREEN, BOLD, DIM, RESET = "\x1b[32m", "\x1b[1m", "\x1b[2m", "\x1b[0m"

with open(out_path, "w", encoding="utf-8", newline="") as f:
    # A printed config (a long line that mentions the metric without a value).
    f.write('{"model": "llama-1b", "metric": "val_loss", "schedule": ' + '[0.1, 0.2, 0.3], ' * 200 + '"seed": 42}\n')
    written = 0
    step = 0
    loss = 4.0
    block = []
    while written < target:
        block.clear()
        for _ in range(20):  # 20 coloured log lines per evaluation
            step += 1
            loss = max(1.5, loss - 0.00002 + rng.uniform(-0.003, 0.003))
            block.append(f"{DIM}2026-11-23 10:{step // 60 % 60:02d}:{step % 60:02d}{RESET} {GREEN}INFO{RESET} "
                         f"step {step} | loss {loss:.4f} | tok/s {rng.randint(90000, 99999)}\n")
        bar_total = 32  # 32 progress rewrites ('\r' segments), then a newline
        for i in range(bar_total):
            done = (i + 1) * 10 // bar_total
            block.append(f"\rEval: {100 * (i + 1) // bar_total:3d}%|{'█' * done}{' ' * (10 - done)}| "
                         f"{i + 1}/{bar_total} [00:0{i % 10}<00:05, {rng.uniform(5, 9):.2f}it/s]")
        block.append("\n")
        block.append(f"{BOLD}[eval]{RESET} step {step} | val_loss: {loss + 0.05:.4f} | val_ppl: {2.718 ** loss:.2f}\n")
        text = "".join(block)
        f.write(text)
        written += len(text.encode("utf-8"))
