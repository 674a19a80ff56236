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
from tutor.word_groups import count_uses

MAX_LAYER = 1000       # no masked LM has more layers or heads; bigger is a typo
MAX_SEED = 2**32 - 1   # what every random generator accepts
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def bad_id(what: str, value: str) -> str:
    """The message for an id that is not a slug, with a suggestion when one exists."""
    suggestion = slugify(value)
    return (f"bad {what} id '{value}': use lowercase letters, digits and hyphens"
            + (f", e.g. '{suggestion}'" if suggestion else ""))


def build_block(kind: str, body: str, body_line: int, fence_line: int, sink: Sink,
                auto_id: str) -> Block:
    """Build a ``kind`` block from ``body`` (whose first line is file line ``body_line``)."""
    errors_before = sink.error_count
    start = len(sink.problems)
    label = f"{kind} block"
    block: Block | None = None
    block_id = ""
    try:
        node = compose(body, sink, body_line)
    except YamlError as exc:
        sink.error(body_line + exc.line, f"{label}: YAML error: {exc.message}")
        node = None
    else:
        if node is None:
            sink.error(fence_line, f"{label} is empty (write its fields as 'key: value' lines)")
        elif not isinstance(node, MappingNode):
            sink.error(body_line + node.start_mark.line,
                       f"{label} must be a YAML mapping of 'key: value' lines, not {describe(node)}")
    if isinstance(node, MappingNode):
        fields = Fields(node, body_line, sink, label)
        block_id = fields.text("id")
        if block_id and not SLUG.match(block_id):
            fields.bad("id", bad_id("block", block_id))
            block_id = ""
        elif block_id:
            fields.label = f"{kind} '{block_id}'"
        elif not fields.has("id") and BUILDERS[kind].graded:  # type: ignore[attr-defined]
            sink.error(fence_line, f"{label} needs an 'id': graded blocks are tracked by id")
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


def _expect(f: Fields, kind: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``expect:`` — the author's claims about the shipped model, as {key: [text, ...]}."""
    allowed = EXPECT_KEYS[kind]
    out = []
    for key, line, node in f.pairs("expect"):
        if key not in allowed:
            f.sink.error(line, f"{f.label}: expect '{key}' is not one of {', '.join(allowed)}")
            continue
        if isinstance(node, ScalarNode) and str(node.value).strip():
            values = (str(node.value).strip(),)
        elif isinstance(node, SequenceNode) and node.value and all(
                isinstance(i, ScalarNode) and str(i.value).strip() for i in node.value):
            values = tuple(str(i.value).strip() for i in node.value)
        else:
            f.sink.error(line, f"{f.label}: expect '{key}' must be a list of text, not {describe(node)}")
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
            f.bad("passage", f"blank {{{short(match.group(1))}}} has too many digits; number "
                             f"the blanks 1, 2, 3 ... (at most {MAX_BLANK_DIGITS} digits)")
            continue
        if n in in_passage:
            f.bad("passage", f"blank {{{n}}} appears twice in the passage")
        else:
            in_passage.append(n)
    if passage and not in_passage:
        f.bad("passage", "the passage has no blanks; mark them {1}, {2}, ...")
    if not isinstance(f.value_node("blanks"), MappingNode):
        if not f.has("blanks"):
            f.bad("blanks", "missing required field 'blanks'")
        else:
            f.bad("blanks", f"'blanks' must be a mapping of blank numbers, "
                            f"not {describe(f.value_node('blanks'))}")
        return None
    specs: dict[int, BlankSpec] = {}
    for key, line, node in f.pairs("blanks"):
        n = blank_number(key)
        if n is None:
            f.sink.error(line, f"{f.label}: blank key '{short(key)}' must be a number like 1")
            continue
        if passage and n not in in_passage:
            f.sink.error(line, f"{f.label}: blank {n} is under 'blanks' but {{{n}}} is not in the passage")
        spec = _blank(f, n, line, node)
        if spec is not None:
            specs[n] = spec
    missing = [n for n in in_passage if n not in specs and not _listed(f, n)]
    if missing:
        listed = ", ".join(f"{{{n}}}" for n in missing)
        f.bad("blanks", f"blank{'s' if len(missing) > 1 else ''} {listed} in the passage "
                        f"{'have' if len(missing) > 1 else 'has'} no entry under 'blanks'")
    if not passage:
        return None
    ordered = tuple(specs[n] for n in in_passage if n in specs)
    expect = _expect(f, "cloze")
    for key, values in expect:
        for value in values:
            if blank_number(value) not in specs:
                f.bad("expect", f"expect '{key}': '{value}' is not a blank of this cloze")
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
    label = f"{f.label} blank {n}"
    if isinstance(node, ScalarNode) and str(node.value).strip():
        # Shorthand ``3: an``: a typed blank with one accepted answer.
        return BlankSpec(number=n, answers=(str(node.value).strip(),), line=line)
    if not isinstance(node, MappingNode):
        f.sink.error(line, f"{label} must be a mapping like {{options: [a, b], answer: a}}, "
                           f"not {describe(node)}")
        return None
    b = Fields(node, f.base, f.sink, label)
    options = b.texts("options", single_ok=False)
    answers = b.texts("answer", required=True)
    explain, hint = b.text("explain"), b.text("hint")
    why: list[tuple[str, str]] = []
    for option, why_line, why_node in b.pairs("why"):
        if not (isinstance(why_node, ScalarNode) and str(why_node.value).strip()):
            f.sink.error(why_line, f"{label}: why '{option}' must be text, not {describe(why_node)}")
        elif options and option not in options:
            f.sink.error(why_line, f"{label}: why '{option}' is not among the options ({', '.join(options)})")
        else:
            why.append((option, str(why_node.value).strip()))
    b.finish(("options", "answer", "explain", "hint", "why"))
    if isinstance(b.value_node("options"), SequenceNode):
        if len(options) < 2:
            b.bad("options", f"needs at least 2 options, has {len(options)}")
        seen: set[str] = set()
        for option in options:
            if option in seen:
                b.bad("options", f"option '{option}' appears twice")
            seen.add(option)
        for answer in answers:
            if answer not in options:
                shown = ", ".join(options)
                b.bad("answer", f"answer '{answer}' is not among the options ({shown})")
    if NO_WORD in answers and not options:
        b.bad("answer", f"'{NO_WORD}' is only an option of a multiple-choice blank")
    return BlankSpec(number=n, answers=answers, options=options, explain=explain, hint=hint,
                     why=tuple(why), line=line)


# -- fill-mask, quiz -----------------------------------------------------------------------
@_builder("fill-mask", ("text", "guess", "answer", "top_k", "explain", "expect"))
def _fill_mask(f: Fields, block_id: str) -> Block | None:
    text = f.text("text", required=True)
    blanks = count_blanks(text)
    if text and blanks == 0:
        f.bad("text", "'text' has no blank; write [MASK] or ___ where BERT should fill in")
    answers = f.texts("answer")
    if answers and blanks > 1:
        f.warn("answer", "'answer' is checked against the first blank only")
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
            f.bad("choices", "missing required field 'choices'")
        return None
    choices: list[QuizChoice] = []
    for i, node in enumerate(items, 1):
        line = f.line_of_node(node)
        if not isinstance(node, MappingNode):
            f.sink.error(line, f"{f.label} choice {i} must be a mapping like "
                               f"{{text: ..., correct: true}}, not {describe(node)}")
            continue
        c = Fields(node, f.base, f.sink, f"{f.label} choice {i}")
        choice = QuizChoice(text=c.text("text", required=True), correct=c.boolean("correct", False),
                            explain=c.text("explain"), line=line)
        c.finish(("text", "correct", "explain"))
        if choice.text in {ch.text for ch in choices}:
            f.sink.error(line, f"{f.label}: choice '{choice.text}' appears twice")
        choices.append(choice)
    if len(items) < 2:
        f.bad("choices", f"needs at least 2 choices, has {len(items)}")
    n_correct = sum(c.correct for c in choices)
    if choices and n_correct == 0:
        f.bad("choices", "no choice is marked 'correct: true'")
    multiple = f.boolean("multiple", n_correct > 1)
    if f.has("multiple") and not multiple and n_correct > 1:
        f.bad("multiple", f"'multiple: false' but {n_correct} choices are correct")
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
        f.warn("focus", f"focus '{focus}' does not appear in the text")
    block = AttentionBlock(**_common(f, block_id), text=text, layer=f.integer("layer", None, lo=1, hi=MAX_LAYER),
                           head=f.integer("head", None, lo=1, hi=MAX_LAYER), focus=focus, note=f.text("note"),
                           model=_model(f))
    return block if text else None


@_builder("tokens", ("text", "onehot", "model"))
def _tokens(f: Fields, block_id: str) -> Block | None:
    text, onehot = f.text("text", required=True), f.text("onehot")
    if text and onehot and onehot.casefold() not in text.casefold():
        f.warn("onehot", f"onehot '{onehot}' does not appear in the text")
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
            f.bad("sentences", "'sentences' needs a 'word' to follow across them")
        uses = sum(count_uses(s, word) for s in sentences) if word else 0
        if len(sentences) < 2 and uses < 2:  # one sentence that uses the word twice is enough
            f.bad("sentences" if f.has("sentences") else "word",
                  f"needs at least 2 'sentences' containing '{word}' (or one that uses it twice), "
                  f"has {len(sentences)}")
        for sentence in sentences:
            if word and word.casefold() not in sentence.casefold():
                f.bad("sentences", f"sentence '{sentence}' does not contain the word '{word}'")
    groups = []
    for label, line, node in f.pairs("groups"):
        if isinstance(node, ScalarNode) and str(node.value).strip():
            items = (str(node.value).strip(),)
        elif isinstance(node, SequenceNode) and node.value and all(
                isinstance(i, ScalarNode) and str(i.value).strip() for i in node.value):
            items = tuple(str(i.value).strip() for i in node.value)
        else:
            f.sink.error(line, f"{f.label}: group '{label}' must be a list of sentences, "
                               f"not {describe(node)}")
            continue
        groups.append((label, items))
    if f.has("groups") and len(groups) < 2:
        f.bad("groups", f"needs at least 2 groups to compare, has {len(groups)}")
    if not word and not f.has("sentences") and not f.has("groups"):
        f.bad("word", "needs 'word' with 'sentences', or 'groups' of sentences")
    return EmbeddingsBlock(**_common(f, block_id), word=word, sentences=sentences, layer=layer,
                           groups=tuple(groups), model=_model(f))


@_builder("word2vec", ("word", "sentences", "top", "model"))
def _word2vec(f: Fields, block_id: str) -> Block | None:
    word, sentences = f.text("word", required=True), f.texts("sentences", single_ok=False)
    if " " in word:
        f.bad("word", f"'word' must be one word, not '{short(word)}'")
    for sentence in sentences:
        if word and word.casefold() not in sentence.casefold():
            f.bad("sentences", f"sentence '{short(sentence)}' does not contain the word '{word}'")
    if f.has("sentences") and len(sentences) < 2:
        f.bad("sentences", f"needs at least 2 'sentences' to compare, has {len(sentences)}")
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
        f.bad("probe", "'probe' has no blank; write [MASK] or ___")
    return PretrainBlock(**_common(f, block_id), text=f.text("text"),
                         steps=f.integer("steps", 30, lo=1, hi=200), probe=probe)


# -- the lecture's slides ----------------------------------------------------------------------
@_builder("slide", ("title", "zh", "en", "source", "live"))
def _slide(f: Fields, block_id: str) -> Block | None:
    zh, en = f.text("zh", required=True), f.text("en", required=True)
    live = f.text("live")
    if live and live not in LIVE_SLIDE_VIEWS:
        f.bad("live", f"live '{live}' is not one of {', '.join(LIVE_SLIDE_VIEWS)}")
        live = ""
    if not (zh and en):
        return None
    return SlideBlock(**_common(f, block_id), zh=zh, en=en, title=f.text("title"),
                      source=f.text("source"), live=live)
