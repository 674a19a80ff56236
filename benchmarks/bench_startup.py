"""Cold start and memory: fresh processes, each figure beside its baseline from the same run
(not a test; prints figures).

* ``bert-tutor fill "…"`` (conversion already cached) vs a fresh process running the
  Hugging Face fp32 ``fill-mask`` pipeline on the same model and sentence (goal: <= 0.3x);
* peak memory (max RSS) of each (goal: <= 400 MB for inference);
* the TUI: seconds from process start until the app says the model is ready (goal: <= 2 s);
* the one-time conversion, timed in a fresh cache folder (``--convert``).

Run: python benchmarks/bench_startup.py [--model M] [--repeat N] [--convert]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "The capital of France is [MASK]."

PIPELINE = """
import sys
from transformers import pipeline
from tutor.engine.loading import model_folder, resolve_model
name, source = resolve_model(sys.argv[1] or None)
folder = str(model_folder(name, source))
print(pipeline("fill-mask", model=folder, tokenizer=folder, device=-1, dtype="float32")(sys.argv[2])[0]["token_str"])
"""

TUI = """
import asyncio, sys, time
start = float(sys.argv[1])
from tutor.app import make_app
from tutor.progress import open_store

async def main():
    app = make_app(model=sys.argv[2] or None, store=open_store(":memory:"))
    async with app.run_test() as pilot:
        for _ in range(600):  # bounded: 60 s at most
            if app.engine_status != "loading":
                break
            await pilot.pause(0.1)
        print(f"{app.engine_status} {time.time() - start:.2f}")

asyncio.run(main())
"""


def timed(command: list[str], env: dict) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of one fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    out = process.stdout.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{command[:3]} failed: {process.stderr.read()[-800:]}")
    return wall, usage.ru_maxrss / 1024, out.strip()


def median_of(command, env, repeat):
    runs = [timed(command, env) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[0][2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--convert", action="store_true", help="also time the one-time conversion")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE=os.environ.get("HF_HUB_OFFLINE", "1"))
    python = sys.executable
    model_args = ["--model", args.model] if args.model else []
    fill = [python, "-m", "tutor", *model_args, "fill", SENTENCE, "--json"]

    if args.convert:
        with tempfile.TemporaryDirectory() as cache:
            wall, rss, _ = timed(fill, dict(env, BERT_TUTOR_CACHE=cache))
            print(f"first use, converting to ONNX (fresh cache): {wall:.1f} s, peak {rss:.0f} MB")
    timed(fill, env)  # make sure the conversion is cached and files are in the page cache
    base_wall, base_rss, base_top = median_of([python, "-c", PIPELINE, args.model, SENTENCE], env, args.repeat)
    ours_wall, ours_rss, _ = median_of(fill, env, args.repeat)
    print(f"cold process, fill-mask '{SENTENCE}', median of {args.repeat}:")
    print(f"  HF fill-mask pipeline, fp32 (torch)   {base_wall:5.2f} s   1.00x   peak {base_rss:4.0f} MB   (baseline)")
    print(f"  bert-tutor fill                       {ours_wall:5.2f} s   {ours_wall / base_wall:.2f}x   "
          f"peak {ours_rss:4.0f} MB   (goals <= 0.30x, <= 400 MB)")
    tui = [timed([python, "-c", TUI, repr(time.time()), args.model], env)[2] for _ in range(args.repeat)]
    ready = sorted(float(line.split()[-1]) for line in tui)
    print(f"TUI: model {tui[0].split()[0]} {statistics.median(ready):.2f} s after the process started "
          f"(median of {args.repeat}; goal <= 2 s)")


if __name__ == "__main__":
    main()
