"""Fine-tuning vs training from scratch with the lab's default recipe: times, accuracies, ratio.

Usage: python benchmarks/bench_finetune.py [--steps N] [--batch-size B] [--seed S] [--threads T]
       [--scratch-lr LR ...] [--pooling mean|cls] [--json]

Several --scratch-lr values run the scratch network once per rate (how the default was chosen:
the rate that gives scratch its lowest final loss, so the comparison is fair to it).
Not a test: it takes about a minute and prints numbers for the issue notes.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from tutor.engine.finetune import FinetuneConfig, load_topic_data, run_finetune  # noqa: E402


def tail(result, n: int = 10) -> float:
    values = [v for _, v in result.curve[-n:]]
    return sum(values) / len(values)


def main() -> None:
    defaults = FinetuneConfig()
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=defaults.steps)
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    parser.add_argument("--lr", type=float, default=defaults.lr)
    parser.add_argument("--scratch-lr", type=float, nargs="+", default=[defaults.scratch_lr])
    parser.add_argument("--pooling", choices=["mean", "cls"], default=defaults.pooling)
    parser.add_argument("--skip-finetune", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    config = FinetuneConfig(steps=args.steps, batch_size=args.batch_size, seed=args.seed, lr=args.lr,
                            threads=args.threads, pooling=args.pooling)
    data = load_topic_data()
    runs = []
    plan = ([] if args.skip_finetune else [("finetune", config)])
    plan += [("scratch", replace(config, scratch_lr=lr)) for lr in args.scratch_lr]
    for kind, cfg in plan:
        started = time.perf_counter()
        result = run_finetune(kind, cfg, data)
        total = time.perf_counter() - started
        record = {"kind": kind, "lr": cfg.learning_rate(kind), "accuracy": result.accuracy,
                  "first_loss": result.curve[0][1], "final_loss": result.final_loss,
                  "last10_loss": tail(result), "train_eval_s": result.seconds, "with_loading_s": total}
        runs.append(record)
        if not args.json:
            print(f"{kind:<8} lr {record['lr']:.0e}  accuracy {result.accuracy:6.1%}  loss "
                  f"{record['first_loss']:.3f} → {record['last10_loss']:.3f} (mean of last 10)  "
                  f"{result.seconds:5.1f} s train+eval, {total:5.1f} s with loading", flush=True)
    summary = {"config": {"steps": config.steps, "batch_size": config.batch_size, "seed": config.seed,
                          "pooling": config.pooling, "threads": torch.get_num_threads()
                          if args.threads is None else args.threads},
               "runs": runs}
    finetuned = next((r for r in runs if r["kind"] == "finetune"), None)
    scratch = [r for r in runs if r["kind"] == "scratch"]
    if finetuned and scratch:
        best = min(scratch, key=lambda r: r["last10_loss"])
        summary["both_runs_s"] = round(finetuned["with_loading_s"] + best["with_loading_s"], 1)
        summary["loss_ratio_scratch_over_finetune"] = round(best["last10_loss"] / finetuned["last10_loss"], 2)
        summary["accuracy_gap"] = round(finetuned["accuracy"] - best["accuracy"], 3)
        summary["time_ratio_scratch_over_finetune"] = round(best["train_eval_s"] / finetuned["train_eval_s"], 2)
    if args.json:
        print(json.dumps(summary, indent=2))
    elif "both_runs_s" in summary:
        print(f"both runs (with loading): {summary['both_runs_s']} s; threads {summary['config']['threads']}; "
              f"final-loss ratio scratch/finetune {summary['loss_ratio_scratch_over_finetune']}x; "
              f"accuracy gap {summary['accuracy_gap']:+.1%}; time ratio {summary['time_ratio_scratch_over_finetune']}")


if __name__ == "__main__":
    main()
