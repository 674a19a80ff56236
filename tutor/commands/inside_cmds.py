"""Commands that open up BERT's training recipe: ``mask-demo`` (the 15 % / 80-10-10 masking).

The draw itself is numpy (``tutor.analysis.masking``), seeded, and identical to what the TUI's
masking view shows for the same text and seed; the model is only asked to fill the picks.
"""
from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from tutor.commands.common import bar, console, model_option, print_json, resolve_model, run_safely
from tutor.commands.translated import command
from tutor.i18n import N_, _

ACTION_LABEL = {"mask": "[MASK]", "random": N_("random token"), "keep": N_("unchanged")}


def random_vocab(engine) -> list[str]:
    """Replacement candidates: the vocabulary without [CLS]/[unused…]-style entries."""
    size = int(getattr(engine, "vocab_size", 0))
    return [t for t in engine.id_to_token(range(size)) if not (t.startswith("[") and t.endswith("]"))]


@command("mask-demo", help=N_("Apply BERT's masking recipe to TEXT and let the model fill the picked tokens."))
@click.argument("text")
@click.option("--seed", default=0, show_default=True, type=int, help=N_("Seed of the draw (same seed, same draw)."))
@click.option("--rate", default=0.15, show_default=True, type=click.FloatRange(0.0, 1.0, min_open=True),
              help=N_("Share of the ordinary tokens picked for prediction."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
@model_option
@click.pass_context
def mask_demo(ctx, text, seed, rate, as_json, model):
    def action():
        from tutor.analysis.masking import mask_draw
        from tutor.engine import load_engine

        engine = load_engine(resolve_model(ctx, model))
        tokens = [t for t, _ in engine.tokens(text)]
        draw = mask_draw(tokens, rate=rate, seed=seed, vocab=random_vocab(engine))
        fills = engine.fill_mask(draw.bert_input(), top_k=3)
        fill_at = {p: f for p, f in zip(draw.mask_positions(), fills) if p in draw.picked}
        if as_json:
            print_json({"model": engine.name, "text": text, "seed": seed, "rate": rate, "tokens": draw.tokens,
                        "picked": draw.picked, "corrupted": draw.corrupted, "labels": draw.labels,
                        "actions": draw.actions, "bert_input": draw.bert_input(),
                        "fills": [{"position": pos, "label": draw.labels[pos],
                                   "top": [{"token": t, "probability": p} for t, p in fill_at.get(pos, [])]}
                                  for pos in draw.picked]})
            return
        out = console()
        title = _("{model} · seed {seed} · {picked} of {total} tokens picked").format(
            model=engine.name, seed=seed, picked=len(draw.picked), total=len(tokens))
        table = Table(title=Text(title), title_justify="left")
        for name, justify in (("#", "right"), (_("token"), "left"), (_("BERT sees"), "left"), (_("label"), "left"),
                              (_("what happened"), "left"), (_("BERT's fill"), "left")):
            table.add_column(name, justify=justify)
        for i, token in enumerate(draw.tokens):
            action = draw.actions[i]
            fill = Text("")
            if i in fill_at:  # tokens are Text: [CLS]/[MASK] print as written
                best, p = fill_at[i][0]
                mark = ("✓", "green") if best == token else ("✗", "red")
                fill = Text.assemble(f"{best} ", mark, " ", (bar(p, 8), "cyan"), f" {p:.2f}")
            style = "bold" if action else "dim"
            table.add_row(str(i), Text(token, style=style), Text(draw.corrupted[i], style=style),
                          Text(draw.labels[i] or ""), Text(_(ACTION_LABEL[action]) if action else ""), fill)
        out.print(table)
        right = sum(1 for pos in draw.picked if fill_at.get(pos) and fill_at[pos][0][0] == draw.labels[pos])
        out.print(Text(_("BERT read: {text}").format(text=draw.bert_input())))
        out.print(Text(_("labels come from the text itself · BERT got {right}/{picked} · try another --seed for "
                         "another draw").format(right=right, picked=len(draw.picked)), style="dim"))
    run_safely(action)


def register(group: click.Group) -> None:
    group.add_command(mask_demo)
