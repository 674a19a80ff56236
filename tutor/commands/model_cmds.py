"""Commands that ask the live model: fill, rank, attention, tokens, embed, models.

Tokens (``[CLS]``, ``[MASK]``), model names, paths and the user's text are printed as
``rich.text.Text``, never as markup, so brackets show as written and ``[/`` cannot crash.
"""
from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from tutor.analysis.attention import special_tokens
from tutor.commands.common import (bar, console, model_option, print_json, rank_scoring_options, resolve_model,
                                   run_safely)
from tutor.commands.translated import command
from tutor.course.blanks import NO_BLANK, count_blanks
from tutor.errors import TutorError
from tutor.i18n import N_, _


def _engine(ctx: click.Context, model: str | None):
    from tutor.engine import load_engine

    return load_engine(resolve_model(ctx, model))


@command(help=N_("Fill every blank ([MASK] or ___) in TEXT with the model's top-k guesses."))
@click.argument("text")
@click.option("--top-k", "top_k", default=5, show_default=True, type=click.IntRange(1, 50),
              help=N_("How many guesses per blank."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
@model_option
@click.pass_context
def fill(ctx, text, top_k, as_json, model):
    def action():
        if text.strip() and not count_blanks(text):  # before the model loads: bad input answers at once
            raise TutorError(_(NO_BLANK))
        eng = _engine(ctx, model)
        results = eng.fill_mask(text, top_k=top_k)
        if as_json:
            print_json({"model": eng.name, "text": text, "blanks": [
                [{"token": t, "probability": p} for t, p in blank] for blank in results]})
            return
        out = console()
        for number, blank in enumerate(results, 1):
            title = _("Blank {number} · {model}").format(number=number, model=eng.name)
            table = Table(title=Text(title if len(results) > 1 else eng.name), title_justify="left")
            table.add_column("#", justify="right")
            table.add_column(_("token"))
            table.add_column(_("probability"), justify="right")
            table.add_column("")
            for rank, (token, p) in enumerate(blank, 1):
                table.add_row(str(rank), Text(token), f"{p:.3f}", Text(bar(p), style="cyan"))
            out.print(table)
    run_safely(action)


@command(help=N_("Rank --option candidates for the single blank in TEXT (sentence pseudo-log-likelihood)."))
@click.argument("text")
@click.option("--option", "-o", "options", multiple=True, required=True,
              help=N_("A candidate for the blank (repeat)."))
@rank_scoring_options
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
@model_option
@click.pass_context
def rank(ctx, text, options, normalize, scope, as_json, model):
    def action():
        if len(options) < 2:
            raise TutorError(_("give at least two --option values to rank"))
        eng = _engine(ctx, model)
        scores = eng.rank_options(text, list(options), normalize=normalize, scope=scope)
        if as_json:
            print_json({"model": eng.name, "text": text, "normalize": normalize, "scope": scope, "options": [
                {"option": s.option, "score": s.score, "probability": s.probability,
                 "pll": s.pll, "scored_tokens": s.scored_tokens} for s in scores]})
            return
        best = max(scores, key=lambda s: s.score)
        table = Table(title=Text(_("{model} · best: {option}").format(model=eng.name, option=best.option)),
                      title_justify="left")
        for name, justify in ((_("option"), "left"), (_("score"), "right"), (_("probability"), "right"),
                              ("", "left")):
            table.add_column(name, justify=justify)
        for s in sorted(scores, key=lambda s: -s.score):
            table.add_row(Text(s.option, style="bold green" if s is best else ""), f"{s.score:.2f}",
                          f"{s.probability:.3f}", Text(bar(s.probability), style="cyan"))
        console().print(table)
    run_safely(action)


@command(help=N_("Show attention weights of TEXT for a layer and head (rows: from-token, columns: to-token)."))
@click.argument("text")
@click.option("--layer", type=int, default=None,
              help=N_("Layer, 1-based (default: all layers, averaged over heads)."))
@click.option("--head", type=int, default=None, help=N_("Head, 1-based (default: average over heads)."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
@model_option
@click.pass_context
def attention(ctx, text, layer, head, as_json, model):
    def action():
        from tutor.analysis.attention import select_map

        eng = _engine(ctx, model)
        result = eng.attention(text)
        matrix, label = select_map(result.weights, layer, head)
        if as_json:
            print_json({"model": eng.name, "tokens": result.tokens, "layers": result.layers,
                        "heads": result.heads, "layer": layer, "head": head, "label": label,
                        "weights": [[round(float(x), 5) for x in row] for row in matrix]})
            return
        _print_heatmap(result.tokens, matrix, f"{eng.name} · {label}")
    run_safely(action)


def _print_heatmap(tokens, matrix, title) -> None:
    shades = " ░▒▓█"
    table = Table(title=Text(title), title_justify="left", show_header=True, box=None, padding=(0, 0))
    table.add_column("", no_wrap=True)
    for token in tokens:
        table.add_column(Text(token[:3]), justify="center", no_wrap=True)
    for token, row in zip(tokens, matrix):
        peak = max(row) or 1.0
        cells = [shades[min(4, int(round(4 * x / peak)))] * 2 + " " for x in row]
        table.add_row(Text(token[:10]), *cells)
    console().print(table)
    console().print(Text(_("darker = more attention (scaled per row); use --json for the numbers"), style="dim"))


@command(help=N_("Show how TEXT is split into WordPiece tokens, with their ids."))
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
@model_option
@click.pass_context
def tokens(ctx, text, as_json, model):
    def action():
        eng = _engine(ctx, model)
        pairs = eng.tokens(text)
        if as_json:
            print_json({"model": eng.name, "vocab_size": eng.config.vocab_size,
                        "tokens": [{"token": t, "id": i} for t, i in pairs]})
            return
        table = Table(title=_("{n} tokens · vocabulary {size}").format(n=len(pairs), size=f"{eng.config.vocab_size:,}"),
                      title_justify="left")
        table.add_column("#", justify="right")
        table.add_column(_("token"))
        table.add_column(_("id"), justify="right")
        table.add_column(_("note"))
        special, continues = _("special"), _("continues a word")
        specials = special_tokens(eng)  # as the views list them: from the model's tokenizer
        for n, (t, i) in enumerate(pairs):
            note = special if t in specials else (continues if t.startswith("##") else "")
            table.add_row(str(n), Text(t), str(i), note)
        console().print(table)
    run_safely(action)


@command(help=N_("Compare WORD's contextual vectors across sentences (cosine similarity)."))
@click.argument("word")
@click.option("--in", "sentences", multiple=True, required=True, help=N_("A sentence containing WORD (repeat)."))
@click.option("--layer", type=int, default=-1, show_default=True, help=N_("0 = input embeddings, -1 = last layer."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
@model_option
@click.pass_context
def embed(ctx, word, sentences, layer, as_json, model):
    def action():
        from tutor.analysis.embeddings import cosine_matrix

        if len(sentences) < 2:
            raise TutorError(_("give at least two --in sentences to compare"))
        eng = _engine(ctx, model)
        index = eng.layer_index(layer)
        every = [eng.word_vectors(s, word) for s in sentences]  # one pass per sentence, all layers
        vectors, inputs = [v[index] for v in every], [v[0] for v in every]
        sims, input_sims = cosine_matrix(vectors), cosine_matrix(inputs)
        if as_json:
            print_json({"model": eng.name, "word": word, "layer": layer, "sentences": list(sentences),
                        "cosine": sims.round(4).tolist(), "input_cosine": input_sims.round(4).tolist()})
            return
        table = Table(title=Text(_("'{word}' · cosine similarity at layer {layer}").format(word=word, layer=layer)),
                      title_justify="left")
        table.add_column(_("sentence"))
        for n in range(len(sentences)):
            table.add_column(_("S{n}").format(n=n + 1), justify="right")
        for n, s in enumerate(sentences):
            table.add_row(Text(_("S{n}").format(n=n + 1) + " " + s), *[f"{x:.2f}" for x in sims[n]])
        console().print(table)
        console().print(Text(_("input embeddings (layer 0) of '{word}': cosine {low}–{high} — the context "
                               "changes the vector").format(word=word, low=f"{input_sims.min():.2f}",
                                                            high=f"{input_sims.max():.2f}"), style="dim"))
    run_safely(action)


@command(help=N_("List bundled models, models in the Hugging Face cache, and the current choice."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON only."))
@click.pass_context
def models(ctx, as_json):
    def action():
        from tutor.model_catalog import model_catalog

        rows = model_catalog(current=resolve_model(ctx, None))
        if as_json:
            print_json(rows)
            return
        table = Table(title=_("models"), title_justify="left")
        for col in ("", _("name"), _("kind"), _("where")):
            table.add_column(col)
        for row in rows:
            table.add_row("●" if row["current"] else "", Text(row["name"]), Text(_(row["kind"])),
                          Text(str(row["path"])))
        console().print(table)
    run_safely(action)


def register(group: click.Group) -> None:
    for cmd in (fill, rank, attention, tokens, embed, models):
        group.add_command(cmd)
