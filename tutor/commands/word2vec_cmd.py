"""``bert-tutor word2vec WORD``: the bundled Word2Vec's nearest neighbours of a word.

numpy only (``tutor.word2vec``): no model load, instant.
"""
from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from tutor.commands.common import bar, console, print_json, run_safely
from tutor.commands.translated import command
from tutor.i18n import N_, _


@command("word2vec", help=N_("WORD's nearest neighbours in Word2Vec (one vector per word, whatever the sentence)."))
@click.argument("word")
@click.option("-k", "--top", "top", default=10, show_default=True, type=click.IntRange(1, 100),
              help=N_("How many neighbours."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
def word2vec(word, top, as_json):
    def action():
        from tutor.word2vec import load_word2vec

        model = load_word2vec()
        neighbours = model.neighbours(word, top)
        key = word.strip().lower()
        if as_json:
            print_json({"word": key, "count": model.count(key), "dim": model.dim,
                        "neighbours": [{"word": w, "cosine": c} for w, c in neighbours]})
            return
        table = Table(title=Text(_("Word2Vec · '{word}' (seen {count}×) · {dim} dimensions").format(
            word=key, count=model.count(key), dim=model.dim)), title_justify="left")
        for name, justify in (("#", "right"), (_("neighbour"), "left"), (_("cosine"), "right"), ("", "left")):
            table.add_column(name, justify=justify)
        for rank, (other, cosine) in enumerate(neighbours, 1):
            table.add_row(str(rank), other, f"{cosine:.3f}", f"[cyan]{bar(max(cosine, 0.0), 20)}[/]")
        out = console()
        out.print(table)
        out.print(Text(_("one vector per word: every sense of it shares these neighbours "
                         "(BERT gives a vector per sentence)"), style="dim"))
    run_safely(action)


def register(group: click.Group) -> None:
    group.add_command(word2vec)
