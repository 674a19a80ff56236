"""`bert-tutor finetune`: fine-tune the pretrained model vs train the same network from scratch,
on one of the lab's four tasks or on all of them (the lecture's Fig. 2 has four panels)."""
from __future__ import annotations

import signal
import sys
import threading

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from tutor.commands.common import console, model_option, print_json, resolve_model, run_safely
from tutor.commands.train_cmds import device_option
from tutor.commands.translated import command
from tutor.i18n import N_, _
from tutor.lab_results import summary, verdict

TASK_NAMES = ("topics", "next-sentence", "word-order", "feeling")

EXIT_INTERRUPTED = 130


@command(help=N_("Fine-tune BERT + a new Linear layer on a classification task, and (by default) train the "
                 "same network from scratch on the same data, to compare their loss curves.\n\n"
                 "Data (assets/data): WordNet definitions by topic; story sentence pairs (does B follow A?); "
                 "story sentences vs their words shuffled; what happened vs how a character felt. "
                 "Ctrl-C stops after the current step."))
@click.option("--steps", default=None, type=click.IntRange(1, 100_000),
              help=N_("Training steps per run (default: 100)."))
@click.option("--batch-size", default=None, type=click.IntRange(1, 1024),
              help=N_("Examples per step (default: 16)."))
@click.option("--seed", default=0, show_default=True, type=int, help=N_("Seed of the new layer and the data order."))
@click.option("--compare-scratch/--no-compare-scratch", default=True, show_default=True,
              help=N_("Also train the same network from random weights."))
@click.option("--threads", default=None, type=click.IntRange(1, 256),
              help=N_("CPU threads for torch (default: torch's own; 1 helps on a busy machine)."))
@click.option("--task", "task_name", type=click.Choice((*TASK_NAMES, "all")), default="topics", show_default=True,
              help=N_("Which data set: WordNet topics, next sentence, word order, feeling — or all four."))
@click.option("--test-limit", default=None, type=click.IntRange(1),
              help=N_("Measure test accuracy on the first N test examples only (default: all)."))
@device_option
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
@model_option
@click.pass_context
def finetune(ctx, steps, batch_size, seed, compare_scratch, threads, task_name, test_limit, device, as_json, model):
    def action():
        from tutor.engine.finetune import TASKS, FinetuneConfig, compare, load_task_data
        from tutor.engine.loading import resolve_model as locate_model

        source = resolve_model(ctx, model)
        locate_model(source)  # a bad --model fails here, before any progress bar is drawn
        defaults = FinetuneConfig()
        config = FinetuneConfig(steps=steps or defaults.steps, batch_size=batch_size or defaults.batch_size,
                                seed=seed, threads=threads, device=device, test_limit=test_limit)
        config.check()
        names = list(TASKS) if task_name == "all" else [task_name]
        data = {name: load_task_data(name) for name in names}
        stop = threading.Event()
        out = console()
        kinds = ["finetune", "scratch"] if compare_scratch else ["finetune"]
        every: dict[str, dict] = {}
        previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
        try:
            with Progress(TextColumn("{task.description:<24}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                          TextColumn(_("loss {loss}").format(loss="{task.fields[loss]}")), TimeElapsedColumn(),
                          console=out, disable=as_json, transient=False) as bars:
                for name in names:
                    rows = {k: bars.add_task(f"{name} {k}", total=config.steps, loss="  -  ", start=False)
                            for k in kinds}

                    def on_step(kind: str, step: int, loss: float, rows=rows) -> None:
                        if step == 1:
                            bars.start_task(rows[kind])
                        bars.update(rows[kind], completed=step, loss=f"{loss:.3f}")

                    every[name] = compare(config, on_step=on_step, should_stop=stop.is_set,
                                          compare_scratch=compare_scratch, model_source=source,
                                          data=data[name], task=name)
                    if stop.is_set():
                        break
        finally:
            signal.signal(signal.SIGINT, previous)
        if stop.is_set() or any(r is not None and r.cancelled for results in every.values() for r in results.values()):
            click.echo(_("bert-tutor: fine-tuning cancelled; nothing was measured"), err=True)
            sys.exit(EXIT_INTERRUPTED)
        if as_json:
            print_json({"steps": config.steps, "batch_size": config.batch_size, "seed": config.seed,
                        "tasks": {name: _json_task(results, kinds, config.scratch_lr / config.lr)
                                  for name, results in every.items()}})
            return
        for name, results in every.items():
            out.print(_table(name, TASKS[name].question, results, config))
            if results["scratch"] is not None:
                out.print(escape(summary(results["finetune"], results["scratch"], config.scratch_lr / config.lr)))
            for p in results["finetune"].predictions:
                mark = "[green]✓[/]" if p["predicted"] == p["label"] else "[red]✗[/]"
                shown = p["text"] + (f" / {p['text_b']}" if "text_b" in p else "")
                out.print(f"{mark} {escape(shown)}  → [bold]{escape(p['predicted'])}[/] " +
                          escape(_("(answer: {label})").format(label=p["label"])))
        if compare_scratch:
            out.print(_("Same network, data, steps, batch size and seed; only the starting weights "
                        "(and learning rate) differ."))
    run_safely(action)


def _tail(result, n: int = 10) -> float:
    values = [v for _, v in result.curve[-n:]]
    return sum(values) / len(values)


def _json_record(result) -> dict:
    record = result.to_dict()
    return {"curve": record["curve"], "accuracy": record["accuracy"], "seconds": record["seconds"],
            "final_loss": record["final_loss"], "predictions": record["predictions"]}


def _json_task(results: dict, kinds: list[str], lr_ratio: float) -> dict:
    record = {kind: _json_record(results[kind]) for kind in kinds}
    if results.get("scratch") is not None:
        record["verdict"] = verdict(results["finetune"], results["scratch"]).to_dict()
        record["summary"] = summary(results["finetune"], results["scratch"], lr_ratio)
    return record


def _table(name: str, question: str, results: dict, config) -> Table:
    table = Table(title=Text(_("{task}: {question}\n{steps} steps x batch {batch}, seed {seed}").format(
        task=name, question=_(question), steps=config.steps, batch=config.batch_size, seed=config.seed)))
    table.add_column(_("run"))
    table.add_column(_("starts from"))
    table.add_column(_("first loss"), justify="right")
    table.add_column(_("final loss\n(mean, last 10)"), justify="right")
    table.add_column(_("test accuracy"), justify="right")
    table.add_column(_("time"), justify="right")
    starts = {"finetune": _("pretrained BERT"), "scratch": _("random weights")}
    for kind, result in results.items():
        if result is None:
            continue
        table.add_row(kind, starts[kind], f"{result.curve[0][1]:.3f}", f"{_tail(result):.3f}",
                      f"{result.accuracy:.1%}", f"{result.seconds:.1f} s")
    return table
