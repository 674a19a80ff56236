"""Split a lesson's Markdown body into steps of prose and blocks, with markdown-it-py.

markdown-it-py (the CommonMark parser Textual renders with) finds the front matter (its
front-matter plugin), the level-2 ``## `` headings that start steps and the fenced blocks;
its token ``map`` gives every one its 0-based line range, so each problem keeps its
``file:line``.  Only top-level tokens matter: a ``## `` inside code or a quote is not a step.
Prose is kept as the author's raw lines (the TUI renders it as Markdown).  Block-level
parsing only — no inline pass — keeps the whole scan linear in the file size.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from tutor.course.blocks import KNOWN_KINDS, Block, InvalidBlock, Lesson, MarkdownBlock, Step
from tutor.course.build import build_block
from tutor.course.problems import Sink, did_you_mean
from tutor.i18n import _

_WORD = re.compile(r"^[a-z][a-z0-9_-]*$")
# Hyphenated names that really are code languages, so a fence tagged with them stays code.
_HYPHENATED_LANGUAGES = {
    "objective-c", "objective-cpp", "shell-session", "bash-session", "emacs-lisp", "common-lisp",
    "console-log", "c-objdump", "cpp-objdump", "d-objdump", "vim-script", "html-django",
    "js-jinja", "yaml-jinja", "html-jinja", "docker-compose", "git-commit", "git-rebase",
    "ssh-config", "apache-conf", "nginx-conf", "c-sharp", "f-sharp", "visual-basic", "plain-text",
    "python-repl", "ipython-console", "pwsh-session", "ps1-session"}
# Real languages close to a block kind; they stay code fences.
_CODE_WORDS = {"toml", "text", "txt", "json", "qml", "lua", "coq", "masm", "tcl", "fish"}


@lru_cache(maxsize=2)
def block_parser(front_matter: bool = True) -> MarkdownIt:
    """CommonMark block parser: no inline pass, no setext headings (``text`` + ``---`` is
    prose and a rule, as lesson authors expect; only ``## `` starts a step)."""
    md = MarkdownIt("commonmark")
    if front_matter:
        md.use(front_matter_plugin)
    md.disable(["inline", "lheading"])
    return md


def block_kind_of(info: str) -> tuple[str | None, str | None]:
    """(kind, None) for our blocks, (None, error) for a near miss, (None, None) for code."""
    word = info.split()[0] if info.split() else ""
    if word in KNOWN_KINDS:
        return word, None
    lower = word.lower()
    squashed = lower.replace("_", "-")
    # a strict cutoff: 'clojure' or 'slim' are languages, not typos of 'cloze' or 'slide'
    hint = (did_you_mean(squashed, KNOWN_KINDS, cutoff=0.8)
            or did_you_mean(squashed.replace("-", ""), KNOWN_KINDS, cutoff=0.8))
    hyphenated = bool(_WORD.match(word)) and "-" in word and word not in _HYPHENATED_LANGUAGES
    if word and (hint or hyphenated) and lower not in _CODE_WORDS:
        return None, _("unknown block kind '{kind}'{hint}").format(kind=word, hint=hint)
    return None, None


def closing_fence(line: str, marker: str) -> bool:
    """Is ``line`` a closing fence for an opening ``marker`` (e.g. ```` ``` ````)?"""
    stripped = line.strip()
    return (len(line) - len(line.lstrip(" ")) <= 3 and stripped.startswith(marker)
            and set(stripped) == {marker[0]})


class Scanner:
    """Walks the top-level tokens once, building steps of prose and blocks."""

    def __init__(self, lesson: Lesson, sink: Sink, lines: list[str]):
        self.lesson, self.sink, self.lines = lesson, sink, lines
        self.steps: list[Step] = []
        self.step = Step(title=lesson.title, line=0)  # the intro, kept only if non-blank
        self.in_intro = True
        self.kinds_in_step: Counter[str] = Counter()  # for automatic ids, in O(1)
        self.prose_from = 0                           # first 0-based line not yet placed
        self.code_fences: list[tuple[int, int, Token]] = []  # plain code: (start, end, token)

    def scan(self, tokens: list[Token], start: int) -> list[Step]:
        self.prose_from = start
        for index, token in enumerate(tokens):
            if token.map is None or token.nesting == -1 or token.map[0] < start:
                continue
            first, end = token.map
            if token.level == 0 and token.type == "heading_open" and token.markup == "##":
                title = tokens[index + 1].content if index + 1 < len(tokens) else ""
                self._prose_until(first)
                self._new_step(first + 1, title)
                self.prose_from = end
            elif token.type == "fence":
                self._fence(token, first, end)
        self._prose_until(len(self.lines))
        self._close_step()
        return self.steps

    # -- fences --------------------------------------------------------------------------
    def _fence(self, token: Token, first: int, end: int) -> None:
        line_no, info = first + 1, token.info.strip()
        marker = token.markup
        if marker[0] == "`" and "`" in info:
            return  # not a fence for CommonMark either; kept for safety
        kind, error = block_kind_of(info)
        if error:
            self.sink.error(line_no, error)
        closed = end - 1 > first and closing_fence(self.lines[end - 1], marker)
        if kind and token.level > 0:
            self.sink.warning(line_no, _("a {kind} block inside a list or quote is shown as code: "
                                         "start its {fence} line at the beginning of a line").format(
                kind=kind, fence=marker))
            kind = None
        if kind is None:
            if token.level == 0:
                self.code_fences.append((first, end, token))
                if not closed:
                    self.sink.warning(line_no, _("code fence {fence} is never closed; the rest "
                                                 "of the file shows as code").format(fence=marker))
            return
        if info.split()[1:]:
            self.sink.warning(line_no, _("text after the block kind is ignored: '{text}'").format(
                text=" ".join(info.split()[1:])))
        self._prose_until(first)
        self.prose_from = end
        body = token.content[:-1] if token.content.endswith("\n") else token.content
        if not closed:
            message = _("{kind} block is never closed (add a {fence} line after it)").format(kind=kind, fence=marker)
            self.sink.error(line_no, message)
            self._add_block(InvalidBlock(id=self._auto_id(kind), line=line_no, auto_id=True,
                                         written_kind=kind, source=body, messages=(message,)))
            return
        self._add_block(build_block(kind, body, line_no + 1, line_no, self.sink, self._auto_id(kind)))

    def _auto_id(self, kind: str) -> str:
        self.kinds_in_step[kind] += 1
        return f"{kind}-{len(self.steps) + 1}-{self.kinds_in_step[kind]}"

    def _add_block(self, block: Block) -> None:
        if not self.step.line:
            self.step.line = block.line
        self.step.blocks.append(block)

    # -- steps and prose -----------------------------------------------------------------
    def _prose_until(self, stop: int) -> None:
        """Lines ``prose_from``..``stop`` (0-based, exclusive) become one prose block."""
        first, last = self.prose_from, min(stop, len(self.lines))
        self.prose_from = max(self.prose_from, last)
        while first < last and not self.lines[first].strip():
            first += 1
        while last > first and not self.lines[last - 1].strip():
            last -= 1
        if first < last:
            if not self.step.line:
                self.step.line = first + 1
            self.step.blocks.append(MarkdownBlock("\n".join(self.lines[first:last]), first + 1))

    def _new_step(self, line_no: int, title: str) -> None:
        self._close_step()
        title = title.strip()
        if not title:
            self.sink.warning(line_no, _("step heading '##' has no title"))
            title = _("Step {n}").format(n=len(self.steps) + 1)
        self.step = Step(title=title, line=line_no)
        self.in_intro = False
        self.kinds_in_step = Counter()

    def _close_step(self) -> None:
        if self.step.blocks:
            self.steps.append(self.step)
        elif not self.in_intro:  # a blank intro is simply no intro
            self.sink.warning(self.step.line, _("step '{title}' is empty").format(title=self.step.title))
            self.steps.append(self.step)
