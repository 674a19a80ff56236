"""`bert-tutor finetune`: fine-tune the pretrained model vs train the same network from scratch."""
from __future__ import annotations

import signal
import sys
import threading

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tutor.commands.common import console, model_option, print_json, resolve_model, run_safely

EXIT_INTERRUPTED = 130


@click.command()
@click.option("--steps", default=None, type=click.IntRange(1, 100_000),
              help="Training steps per run (default: 100).")
@click.option("--batch-size", default=None, type=click.IntRange(1, 1024),
              help="Examples per step (default: 16).")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--compare-scratch/--no-compare-scratch", default=True, show_default=True,
              help="Also train the same network from random weights.")
@click.option("--threads", default=None, type=click.IntRange(1, 256),
              help="CPU threads for torch (default: torch's own; 1 helps on a busy machine).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@model_option
@click.pass_context
def finetune(ctx, steps, batch_size, seed, compare_scratch, threads, as_json, model):
    """Fine-tune BERT + a new Linear layer on topic classification, and (by default) train the
    same network from scratch on the same data, to compare their loss curves.

    Data: WordNet definitions labelled with 6 topics (assets/data/wordnet_topics).
    Ctrl-C stops after the current step.
    """
    def action():
        from tutor.engine.finetune import FinetuneConfig, compare, load_topic_data
        from tutor.engine.loading import resolve_model as locate_model

        source = resolve_model(ctx, model)
        locate_model(source)  # a bad --model fails here, before any progress bar is drawn
        defaults = FinetuneConfig()
        config = FinetuneConfig(steps=steps or defaults.steps, batch_size=batch_size or defaults.batch_size,
                                seed=seed, threads=threads)
        data = load_topic_data()
        stop = threading.Event()
        out = console()
        kinds = ["finetune", "scratch"] if compare_scratch else ["finetune"]
        previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
        try:
            with Progress(TextColumn("{task.description:<9}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                          TextColumn("loss {task.fields[loss]}"), TimeElapsedColumn(),
                          console=out, disable=as_json, transient=False) as bars:
                tasks = {k: bars.add_task(k, total=config.steps, loss="  -  ", start=False) for k in kinds}

                def on_step(kind: str, step: int, loss: float) -> None:
                    if step == 1:
                        bars.start_task(tasks[kind])
                    bars.update(tasks[kind], completed=step, loss=f"{loss:.3f}")

                results = compare(config, on_step=on_step, should_stop=stop.is_set,
                                  compare_scratch=compare_scratch,
                                  model_source=source, data=data)
        finally:
            signal.signal(signal.SIGINT, previous)
        if stop.is_set() or any(r is not None and r.cancelled for r in results.values()):
            click.echo("bert-tutor: fine-tuning cancelled; nothing was measured", err=True)
            sys.exit(EXIT_INTERRUPTED)
        if as_json:
            print_json({kind: _json_record(r) if r is not None else None for kind, r in results.items()
                        if kind in kinds})
            return
        out.print(_table(results, config))
        if results["scratch"] is not None:
            out.print("Same network, data, steps, batch size and seed; only the starting weights "
                      "(and learning rate) differ.")
        for p in results["finetune"].predictions:
            mark = "[green]✓[/]" if p["predicted"] == p["label"] else "[red]✗[/]"
            out.print(f"{mark} {p['text']}  → [bold]{p['predicted']}[/] (topic: {p['label']})")
    run_safely(action)


def _tail(result, n: int = 10) -> float:
    values = [v for _, v in result.curve[-n:]]
    return sum(values) / len(values)


def _json_record(result) -> dict:
    record = result.to_dict()
    return {"curve": record["curve"], "accuracy": record["accuracy"], "seconds": record["seconds"],
            "final_loss": record["final_loss"], "predictions": record["predictions"]}


def _table(results: dict, config) -> Table:
    table = Table(title=f"{config.steps} steps x batch {config.batch_size}, seed {config.seed}")
    table.add_column("run")
    table.add_column("starts from")
    table.add_column("first loss", justify="right")
    table.add_column("final loss\n(mean, last 10)", justify="right")
    table.add_column("test accuracy", justify="right")
    table.add_column("time", justify="right")
    starts = {"finetune": "pretrained BERT", "scratch": "random weights"}
    for kind, result in results.items():
        if result is None:
            continue
        table.add_row(kind, starts[kind], f"{result.curve[0][1]:.3f}", f"{_tail(result):.3f}",
                      f"{result.accuracy:.1%}", f"{result.seconds:.1f} s")
    return table
