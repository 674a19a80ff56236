"""Turn one fenced block's YAML body into a typed block, reporting every problem with its line.

One builder per kind.  A block whose body has errors becomes an :class:`InvalidBlock` that
keeps its place and source, so a lesson with a typo still opens (and shows the typo).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tutor.course.blanks import count_blanks
from tutor.course.blocks import (CLOZE_BLANK, MAX_BLANK_DIGITS, AttentionBlock, BlankSpec, Block, ClozeBlock,
                                 EmbeddingsBlock, FillMaskBlock, FinetuneBlock, InvalidBlock,
                                 MaskingBlock, PretrainBlock, QuizBlock, QuizChoice, SlideBlock,
                                 TokensBlock, Word2VecBlock, LIVE_SLIDE_VIEWS, NO_WORD, lesson_models)
from tutor.course.fields import Fields, YamlError, short, compose, describe
from tutor.course.problems import Sink
from tutor.i18n import N_, _, ngettext
from tutor.word_groups import count_uses

MAX_LAYER = 1000       # no masked LM has more layers or heads; bigger is a typo
MAX_SEED = 2**32 - 1   # what every random generator accepts
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


ID_OWNERS = {"lesson": N_("lesson"), "block": N_("block")}


def bad_id(what: str, value: str) -> str:
    """The message for an id that is not a slug, with a suggestion when one exists."""
    suggestion = slugify(value)
    what = _(ID_OWNERS.get(what, what))
    if suggestion:
        return _("bad {what} id '{value}': use lowercase letters, digits and hyphens, e.g. '{suggestion}'").format(
            what=what, value=value, suggestion=suggestion)
    return _("bad {what} id '{value}': use lowercase letters, digits and hyphens").format(what=what, value=value)


def build_block(kind: str, body: str, body_line: int, fence_line: int, sink: Sink,
                auto_id: str) -> Block:
    """Build a ``kind`` block from ``body`` (whose first line is file line ``body_line``)."""
    errors_before = sink.error_count
    start = len(sink.problems)
    label = _("{kind} block").format(kind=kind)
    block: Block | None = None
    block_id = ""
    try:
        node = compose(body, sink, body_line)
    except YamlError as exc:
        sink.error(body_line + exc.line, _("{label}: YAML error: {error}").format(label=label, error=exc.message))
        node = None
    else:
        if node is None:
            sink.error(fence_line, _("{label} is empty (write its fields as 'key: value' lines)").format(label=label))
        elif not isinstance(node, MappingNode):
            sink.error(body_line + node.start_mark.line,
                       _("{label} must be a YAML mapping of 'key: value' lines, not {found}").format(
                           label=label, found=describe(node)))
    if isinstance(node, MappingNode):
        fields = Fields(node, body_line, sink, label)
        block_id = fields.text("id")
        if block_id and not SLUG.match(block_id):
            fields.bad("id", bad_id("block", block_id))
            block_id = ""
        elif block_id:
            fields.label = f"{kind} '{block_id}'"
        elif not fields.has("id") and BUILDERS[kind].graded:  # type: ignore[attr-defined]
            sink.error(fence_line, _("{label} needs an 'id': graded blocks are tracked by id").format(label=label))
        build = BUILDERS[kind]
        block = build(fields, block_id or auto_id)
        fields.finish(("id",) + build.fields)  # type: ignore[attr-defined]
    if block is not None:
        block = replace(block, line=fence_line, auto_id=not block_id)
    if block is None or sink.error_count > errors_before:
        messages = tuple(p.message for p in sink.problems[start:] if p.is_error)
        return InvalidBlock(id=block_id or auto_id, line=fence_line, auto_id=not block_id,
                            written_kind=kind, source=body, messages=messages)
    return block


def _builder(kind: str, fields: tuple[str, ...], graded: bool = False):
    def register(func: Callable[[Fields, str], Block | None]):
        func.fields, func.graded = fields, graded  # type: ignore[attr-defined]
        BUILDERS[kind] = func
        return func
    return register


BUILDERS: dict[str, Callable[[Fields, str], Block | None]] = {}


def _common(f: Fields, block_id: str) -> dict:
    return {"id": block_id, "line": f.line}  # build_block sets the fence line and auto_id


EXPECT_KEYS = {"fill-mask": ("top", "not_top"), "cloze": ("bert_right", "bert_wrong")}


def _texts_of(node: Node) -> tuple[str, ...] | None:
    """One text or a non-empty list of texts (an ``expect`` key, a ``groups`` entry), stripped;
    None when the value is anything else, so the caller reports it in its own words."""
    if isinstance(node, ScalarNode) and str(node.value).strip():
        return (str(node.value).strip(),)
    if isinstance(node, SequenceNode) and node.value and all(
            isinstance(i, ScalarNode) and str(i.value).strip() for i in node.value):
        return tuple(str(i.value).strip() for i in node.value)
    return None


def _expect(f: Fields, kind: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``expect:`` — the author's claims about the shipped model, as {key: [text, ...]}."""
    allowed = EXPECT_KEYS[kind]
    out = []
    for key, line, node in f.pairs("expect"):
        if key not in allowed:
            f.sink.error(line, _("{label}: expect '{key}' is not one of {allowed}").format(
                label=f.label, key=key, allowed=", ".join(allowed)))
            continue
        values = _texts_of(node)  # shared with embeddings' groups; each reports a bad value in its own words
        if values is None:
            f.sink.error(line, _("{label}: expect '{key}' must be a list of text, not {found}").format(
                label=f.label, key=key, found=describe(node)))
            continue
        out.append((key, values))
    return tuple(out)


# -- cloze ---------------------------------------------------------------------------------
@_builder("cloze", ("passage", "blanks", "title", "instructions", "expect"), graded=True)
def _cloze(f: Fields, block_id: str) -> Block | None:
    passage = f.text("passage", required=True)
    title, instructions = f.text("title"), f.text("instructions")
    in_passage: list[int] = []
    for match in CLOZE_BLANK.finditer(passage):
        n = blank_number(match.group(1))
        if n is None:
            f.bad("passage", _("blank {blank} has too many digits; number the blanks 1, 2, 3 ... "
                               "(at most {digits} digits)").format(blank="{" + short(match.group(1)) + "}",
                                                                   digits=MAX_BLANK_DIGITS))
            continue
        if n in in_passage:
            f.bad("passage", _("blank {blank} appears twice in the passage").format(blank=f"{{{n}}}"))
        else:
            in_passage.append(n)
    if passage and not in_passage:
        f.bad("passage", _("the passage has no blanks; mark them {example}").format(example="{1}, {2}, ..."))
    if not isinstance(f.value_node("blanks"), MappingNode):
        if not f.has("blanks"):
            f.bad("blanks", _("missing required field '{field}'").format(field="blanks"))
        else:
            f.bad("blanks", _("'blanks' must be a mapping of blank numbers, not {found}").format(
                found=describe(f.value_node("blanks"))))
        return None
    specs: dict[int, BlankSpec] = {}
    for key, line, node in f.pairs("blanks"):
        n = blank_number(key)
        if n is None:
            f.sink.error(line, _("{label}: blank key '{key}' must be a number like 1").format(
                label=f.label, key=short(key)))
            continue
        if passage and n not in in_passage:
            f.sink.error(line, _("{label}: blank {n} is under 'blanks' but {blank} is not in the passage").format(
                label=f.label, n=n, blank=f"{{{n}}}"))
        spec = _blank(f, n, line, node)
        if spec is not None:
            specs[n] = spec
    missing = [n for n in in_passage if n not in specs and not _listed(f, n)]
    if missing:
        listed = ", ".join(f"{{{n}}}" for n in missing)
        f.bad("blanks", ngettext("blank {listed} in the passage has no entry under 'blanks'",
                                 "blanks {listed} in the passage have no entry under 'blanks'",
                                 len(missing)).format(listed=listed))
    if not passage:
        return None
    ordered = tuple(specs[n] for n in in_passage if n in specs)
    expect = _expect(f, "cloze")
    for key, values in expect:
        for value in values:
            if blank_number(value) not in specs:
                f.bad("expect", _("expect '{key}': '{value}' is not a blank of this cloze").format(key=key, value=value))
    return ClozeBlock(**_common(f, block_id), passage=passage, blanks=ordered,
                      title=title, instructions=instructions, expect=expect)


def blank_number(text: str) -> int | None:
    """The blank number written as ``text`` (ASCII digits, at most 3), else None."""
    text = text.strip()
    if not (0 < len(text) <= MAX_BLANK_DIGITS and text.isascii() and text.isdigit()):
        return None
    return int(text)


def _listed(f: Fields, n: int) -> bool:
    """Was blank ``n`` listed under 'blanks' (even if its entry had errors)?"""
    node = f.value_node("blanks")
    return isinstance(node, MappingNode) and any(
        isinstance(k, ScalarNode) and blank_number(str(k.value)) == n for k, _ in node.value)


def _blank(f: Fields, n: int, line: int, node: Node) -> BlankSpec | None:
    label = _("{label} blank {n}").format(label=f.label, n=n)
    if isinstance(node, ScalarNode) and str(node.value).strip():
        # Shorthand ``3: an``: a typed blank with one accepted answer.
        return BlankSpec(number=n, answers=(str(node.value).strip(),), line=line)
    if not isinstance(node, MappingNode):
        f.sink.error(line, _("{label} must be a mapping like {example}, not {found}").format(
            label=label, example="{options: [a, b], answer: a}", found=describe(node)))
        return None
    b = Fields(node, f.base, f.sink, label)
    options = b.texts("options", single_ok=False)
    answers = b.texts("answer", required=True)
    explain, hint = b.text("explain"), b.text("hint")
    why: list[tuple[str, str]] = []
    for option, why_line, why_node in b.pairs("why"):
        if not (isinstance(why_node, ScalarNode) and str(why_node.value).strip()):
            f.sink.error(why_line, _("{label}: why '{option}' must be text, not {found}").format(
                label=label, option=option, found=describe(why_node)))
        elif options and option not in options:
            f.sink.error(why_line, _("{label}: why '{option}' is not among the options ({options})").format(
                label=label, option=option, options=", ".join(options)))
        else:
            why.append((option, str(why_node.value).strip()))
    b.finish(("options", "answer", "explain", "hint", "why"))
    if isinstance(b.value_node("options"), SequenceNode):
        if len(options) < 2:
            b.bad("options", _("needs at least 2 options, has {n}").format(n=len(options)))
        seen: set[str] = set()
        for option in options:
            if option in seen:
                b.bad("options", _("option '{option}' appears twice").format(option=option))
            seen.add(option)
        for answer in answers:
            if answer not in options:
                shown = ", ".join(options)
                b.bad("answer", _("answer '{answer}' is not among the options ({options})").format(
                    answer=answer, options=shown))
    if NO_WORD in answers and not options:
        b.bad("answer", _("'{word}' is only an option of a multiple-choice blank").format(word=NO_WORD))
    return BlankSpec(number=n, answers=answers, options=options, explain=explain, hint=hint,
                     why=tuple(why), line=line)


# -- fill-mask, quiz -----------------------------------------------------------------------
@_builder("fill-mask", ("text", "guess", "answer", "top_k", "explain", "expect"))
def _fill_mask(f: Fields, block_id: str) -> Block | None:
    text = f.text("text", required=True)
    blanks = count_blanks(text)
    if text and blanks == 0:
        f.bad("text", _("'text' has no blank; write [MASK] or ___ where BERT should fill in"))
    answers = f.texts("answer")
    if answers and blanks > 1:
        f.warn("answer", _("'answer' is checked against the first blank only"))
    block = FillMaskBlock(**_common(f, block_id), text=text, guess=f.boolean("guess", False),
                          answers=answers, top_k=f.integer("top_k", 5, lo=1, hi=20),
                          explain=f.text("explain"), expect=_expect(f, "fill-mask"))
    return block if text else None


@_builder("quiz", ("question", "choices", "multiple", "hint"), graded=True)
def _quiz(f: Fields, block_id: str) -> Block | None:
    question = f.text("question", required=True)
    items = f.sequence("choices")
    if items is None:
        if not f.has("choices"):
            f.bad("choices", _("missing required field '{field}'").format(field="choices"))
        return None
    choices: list[QuizChoice] = []
    for i, node in enumerate(items, 1):
        line = f.line_of_node(node)
        if not isinstance(node, MappingNode):
            f.sink.error(line, _("{label} choice {i} must be a mapping like {example}, not {found}").format(
                label=f.label, i=i, example="{text: ..., correct: true}", found=describe(node)))
            continue
        c = Fields(node, f.base, f.sink, _("{label} choice {i}").format(label=f.label, i=i))
        choice = QuizChoice(text=c.text("text", required=True), correct=c.boolean("correct", False),
                            explain=c.text("explain"), line=line)
        c.finish(("text", "correct", "explain"))
        if choice.text in {ch.text for ch in choices}:
            f.sink.error(line, _("{label}: choice '{choice}' appears twice").format(label=f.label, choice=choice.text))
        choices.append(choice)
    if len(items) < 2:
        f.bad("choices", _("needs at least 2 choices, has {n}").format(n=len(items)))
    n_correct = sum(c.correct for c in choices)
    if choices and n_correct == 0:
        f.bad("choices", _("no choice is marked 'correct: true'"))
    multiple = f.boolean("multiple", n_correct > 1)
    if f.has("multiple") and not multiple and n_correct > 1:
        f.bad("multiple", _("'multiple: false' but {n} choices are correct").format(n=n_correct))
    if not question:
        return None
    return QuizBlock(**_common(f, block_id), question=question, choices=tuple(choices),
                     multiple=multiple, hint=f.text("hint"))


# -- model views ---------------------------------------------------------------------------
def _model(f: Fields) -> str:
    """``model:`` — which network the view looks inside ("": the app's current model)."""
    return f.choice("model", lesson_models(), "model")


@_builder("attention", ("text", "layer", "head", "focus", "note", "model"))
def _attention(f: Fields, block_id: str) -> Block | None:
    text = f.text("text", required=True)
    focus = f.text("focus")
    if text and focus and focus.casefold() not in text.casefold():
        f.warn("focus", _("focus '{word}' does not appear in the text").format(word=focus))
    block = AttentionBlock(**_common(f, block_id), text=text, layer=f.integer("layer", None, lo=1, hi=MAX_LAYER),
                           head=f.integer("head", None, lo=1, hi=MAX_LAYER), focus=focus, note=f.text("note"),
                           model=_model(f))
    return block if text else None


@_builder("tokens", ("text", "onehot", "model"))
def _tokens(f: Fields, block_id: str) -> Block | None:
    text, onehot = f.text("text", required=True), f.text("onehot")
    if text and onehot and onehot.casefold() not in text.casefold():
        f.warn("onehot", _("onehot '{word}' does not appear in the text").format(word=onehot))
    block = TokensBlock(**_common(f, block_id), text=text, onehot=onehot, model=_model(f))
    return block if text else None


@_builder("masking", ("text", "seed", "rate"))
def _masking(f: Fields, block_id: str) -> Block | None:
    return MaskingBlock(**_common(f, block_id), text=f.text("text"),
                        seed=f.integer("seed", 0, lo=0, hi=MAX_SEED), rate=f.number("rate", 0.15, above=0, upto=0.5))


@_builder("embeddings", ("word", "sentences", "layer", "groups", "model"))
def _embeddings(f: Fields, block_id: str) -> Block | None:
    word, sentences = f.text("word"), f.texts("sentences", single_ok=False)
    layer = f.integer("layer", None, lo=0, hi=MAX_LAYER)
    if word or f.has("sentences"):
        if not word:
            f.bad("sentences", _("'sentences' needs a 'word' to follow across them"))
        uses = sum(count_uses(s, word) for s in sentences) if word else 0
        if len(sentences) < 2 and uses < 2:  # one sentence that uses the word twice is enough
            f.bad("sentences" if f.has("sentences") else "word",
                  _("needs at least 2 'sentences' containing '{word}' (or one that uses it twice), has {n}").format(
                      word=word, n=len(sentences)))
        for sentence in sentences:
            if word and word.casefold() not in sentence.casefold():
                f.bad("sentences", _("sentence '{sentence}' does not contain the word '{word}'").format(
                    sentence=sentence, word=word))
    groups = []
    for label, line, node in f.pairs("groups"):
        items = _texts_of(node)
        if items is None:
            f.sink.error(line, _("{label}: group '{group}' must be a list of sentences, not {found}").format(
                label=f.label, group=label, found=describe(node)))
            continue
        groups.append((label, items))
    if f.has("groups") and len(groups) < 2:
        f.bad("groups", _("needs at least 2 groups to compare, has {n}").format(n=len(groups)))
    if not word and not f.has("sentences") and not f.has("groups"):
        f.bad("word", _("needs 'word' with 'sentences', or 'groups' of sentences"))
    return EmbeddingsBlock(**_common(f, block_id), word=word, sentences=sentences, layer=layer,
                           groups=tuple(groups), model=_model(f))


@_builder("word2vec", ("word", "sentences", "top", "model"))
def _word2vec(f: Fields, block_id: str) -> Block | None:
    word, sentences = f.text("word", required=True), f.texts("sentences", single_ok=False)
    if " " in word:
        f.bad("word", _("'word' must be one word, not '{word}'").format(word=short(word)))
    for sentence in sentences:
        if word and word.casefold() not in sentence.casefold():
            f.bad("sentences", _("sentence '{sentence}' does not contain the word '{word}'").format(
                sentence=short(sentence), word=word))
    if f.has("sentences") and len(sentences) < 2:
        f.bad("sentences", _("needs at least 2 'sentences' to compare, has {n}").format(n=len(sentences)))
    block = Word2VecBlock(**_common(f, block_id), word=word, sentences=sentences,
                          top=f.integer("top", 10, lo=1, hi=50), model=_model(f))
    return block if word else None


# -- labs ------------------------------------------------------------------------------------
@_builder("finetune", ("steps", "compare_scratch"))
def _finetune(f: Fields, block_id: str) -> Block | None:
    return FinetuneBlock(**_common(f, block_id), steps=f.integer("steps", 60, lo=1, hi=1000),
                         compare_scratch=f.boolean("compare_scratch", True))


@_builder("pretrain", ("text", "steps", "probe"))
def _pretrain(f: Fields, block_id: str) -> Block | None:
    probe = f.text("probe")
    if probe and count_blanks(probe) == 0:
        f.bad("probe", _("'probe' has no blank; write [MASK] or ___"))
    return PretrainBlock(**_common(f, block_id), text=f.text("text"),
                         steps=f.integer("steps", 30, lo=1, hi=200), probe=probe)


# -- the lecture's slides ----------------------------------------------------------------------
@_builder("slide", ("title", "zh", "en", "source", "live"))
def _slide(f: Fields, block_id: str) -> Block | None:
    zh, en = f.text("zh", required=True), f.text("en", required=True)
    live = f.text("live")
    if live and live not in LIVE_SLIDE_VIEWS:
        f.bad("live", _("live '{view}' is not one of {views}").format(view=live, views=", ".join(LIVE_SLIDE_VIEWS)))
        live = ""
    if not (zh and en):
        return None
    return SlideBlock(**_common(f, block_id), zh=zh, en=en, title=f.text("title"),
                      source=f.text("source"), live=live)
