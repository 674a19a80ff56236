"""Read one lesson file: front matter, ``## `` steps, fenced blocks — never raising.

The scan is line-based (not a full Markdown parser) because all we need is fences and
level-2 headings, and a line scan keeps exact 1-based line numbers for every problem.
A ``## `` inside a code fence is code, not a step.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode

from tutor.course.blocks import KNOWN_KINDS, Block, InvalidBlock, Lesson, MarkdownBlock, Step
from tutor.course.build import SLUG, bad_id, build_block, slugify
from tutor.course.fields import Fields, YamlError, compose, describe
from tutor.course.problems import Sink, did_you_mean, edit_distance

MAX_BYTES = 2_000_000  # a lesson is prose; anything bigger is a mistake (or not a lesson)
FRONT_MATTER_FIELDS = ("id", "title", "requires", "minutes", "summary")

_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^ {0,3}##(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_WORD = re.compile(r"^[a-z][a-z0-9_-]*$")
# Hyphenated names that really are code languages, so a fence tagged with them stays code.
_HYPHENATED_LANGUAGES = {
    "objective-c", "objective-cpp", "shell-session", "bash-session", "emacs-lisp", "common-lisp",
    "console-log", "c-objdump", "cpp-objdump", "d-objdump", "vim-script", "html-django",
    "js-jinja", "yaml-jinja", "html-jinja", "docker-compose", "git-commit", "git-rebase",
    "ssh-config", "apache-conf", "nginx-conf", "c-sharp", "f-sharp", "visual-basic", "plain-text",
    "python-repl", "ipython-console", "pwsh-session", "ps1-session"}


def load_lesson(path: str | Path) -> Lesson:
    """Parse the lesson at ``path``. Never raises: problems end up in ``lesson.problems``."""
    path = Path(path)
    sink = Sink(path)
    text = read_lesson_text(path, sink)
    if text is None:
        return Lesson(id=slugify(path.stem) or "lesson", title=path.stem, path=path,
                      problems=sink.problems)
    return parse_lesson(text, path, sink)


def read_lesson_text(path: Path, sink: Sink) -> str | None:
    """The file as text with ``\\n`` line ends, or None after reporting why it is unusable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        sink.error(1, "no such file")
        return None
    except IsADirectoryError:
        sink.error(1, "is a folder, not a lesson file")
        return None
    except OSError as exc:
        sink.error(1, f"cannot read the file: {exc.strerror or exc}")
        return None
    if len(data) > MAX_BYTES:
        sink.error(1, f"file too large for a lesson ({len(data):,} bytes)")
        return None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        sink.error(line, "binary file (contains NUL bytes), not a Markdown lesson")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        sink.error(line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        return None
    if not text.strip():
        sink.error(1, "empty file")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_lesson(text: str, path: str | Path = "<lesson>", sink: Sink | None = None) -> Lesson:
    """Parse lesson ``text`` (for files use :func:`load_lesson`). Never raises."""
    path = Path(path)
    sink = sink or Sink(path)
    lesson = Lesson(id=slugify(path.stem) or "lesson", title=path.stem, path=path)
    try:
        _parse_into(lesson, text.replace("\r\n", "\n").replace("\r", "\n"), sink)
    except Exception as exc:  # a bug of ours must not take the TUI down with it
        sink.error(1, f"internal error while reading the lesson ({type(exc).__name__}: {exc})")
    lesson.problems = sorted(sink.problems, key=lambda p: p.line)  # stable: same-line order kept
    return lesson


def _parse_into(lesson: Lesson, text: str, sink: Sink) -> None:
    lines = text.split("\n")
    body_start = _front_matter(lesson, lines, sink)
    if body_start is None:
        return
    lesson.steps = _Scanner(lesson, sink).scan(lines, body_start)
    if not lesson.steps:
        line = min(body_start + 1, len(lines))
        sink.error(line, "the lesson has no steps: add text or '## Step title' sections "
                         "after the front matter")
    _check_block_ids(lesson, sink)


def _front_matter(lesson: Lesson, lines: list[str], sink: Sink) -> int | None:
    """Fill the lesson's metadata; return the 0-based index of the first body line."""
    if not lines or lines[0].strip() != "---":
        sink.error(1, "missing front matter: the file must start with a '---' line, then "
                      "'id:' and 'title:' lines, then '---'")
        return 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        sink.error(1, "front matter is not closed: no '---' line after line 1")
        return None
    try:
        node = compose("\n".join(lines[1:end]))
    except YamlError as exc:
        sink.error(2 + exc.line, f"front matter: YAML error: {exc.message}")
        return end + 1
    if node is None:
        sink.error(1, "front matter is empty: it needs 'id:' and 'title:'")
        return end + 1
    if not isinstance(node, MappingNode):
        sink.error(2 + node.start_mark.line, "front matter must be 'key: value' lines, "
                                            f"not {describe(node)}")
        return end + 1
    f = Fields(node, 2, sink, "front matter")
    lesson.meta_lines = {key: f.line_of(key) for key in f.keys()}
    lesson_id = f.text("id", required=True)
    if lesson_id and not SLUG.match(lesson_id):
        f.bad("id", bad_id("lesson", lesson_id))
    if lesson_id and SLUG.match(lesson_id):
        lesson.id = lesson_id
    else:  # the fallback id (from the file name) must not take part in duplicate checks
        lesson.meta_lines.pop("id", None)
    lesson.title = f.text("title", required=True) or lesson.id
    for req, line in f.text_items("requires"):
        if not SLUG.match(req):
            sink.error(line, f"front matter: 'requires': {bad_id('lesson', req)}")
        elif req in lesson.requires:
            sink.warning(line, f"front matter: '{req}' is listed twice in 'requires'")
        else:
            lesson.requires.append(req)
            lesson.meta_lines[f"requires:{req}"] = line
    lesson.minutes = f.integer("minutes", None, lo=1, hi=600)
    lesson.summary = f.text("summary")
    f.finish(FRONT_MATTER_FIELDS)
    return end + 1


def block_kind_of(info: str) -> tuple[str | None, str | None]:
    """(kind, None) for our blocks, (None, error) for a near miss, (None, None) for code."""
    word = info.split()[0] if info.split() else ""
    if word in KNOWN_KINDS:
        return word, None
    lower = word.lower()
    squashed = lower.replace("_", "-")
    near = any(edit_distance(lower, k) <= 2 or edit_distance(squashed.replace("-", ""),
                                                               k.replace("-", "")) <= 1
               for k in KNOWN_KINDS)
    hyphenated = bool(_WORD.match(word)) and "-" in word and word not in _HYPHENATED_LANGUAGES
    if word and (near or hyphenated) and lower not in _CODE_WORDS:
        hint = did_you_mean(squashed, KNOWN_KINDS) or did_you_mean(lower, KNOWN_KINDS)
        return None, f"unknown block kind '{word}'{hint}"
    return None, None


# Real languages close to a block kind; they stay code fences.
_CODE_WORDS = {"toml", "text", "txt", "json", "qml", "lua", "coq", "masm", "tcl", "fish"}


@dataclass
class _Fence:
    line: int            # 1-based line of the opening fence
    marker: str          # the fence characters, e.g. ``` or ~~~~
    indent: int
    kind: str | None     # a known block kind, or None for plain code
    body: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)


class _Scanner:
    """Walks the body lines once, building steps of prose and blocks."""

    def __init__(self, lesson: Lesson, sink: Sink):
        self.lesson, self.sink = lesson, sink
        self.steps: list[Step] = []
        self.step = Step(title=lesson.title, line=0)  # the intro, kept only if non-blank
        self.prose: list[tuple[int, str]] = []
        self.in_intro = True

    def scan(self, lines: list[str], start: int) -> list[Step]:
        fence: _Fence | None = None
        for index in range(start, len(lines)):
            line_no, line = index + 1, lines[index]
            if fence is not None:
                if self._closes(fence, line):
                    self._end_fence(fence, line)
                    fence = None
                else:
                    # CommonMark: drop up to the opening fence's indentation from body lines
                    drop = min(fence.indent, len(line) - len(line.lstrip(" ")))
                    fence.body.append(line[drop:])
                    fence.raw.append(line)
                continue
            fence = self._open_fence(line_no, line)
            if fence is not None:
                continue
            heading = _HEADING.match(line)
            if heading:
                self._new_step(line_no, heading.group(1) or "")
            else:
                self.prose.append((line_no, line))
        if fence is not None:
            self._unclosed(fence)
        self._close_step()
        return self.steps

    # -- fences --------------------------------------------------------------------------
    def _open_fence(self, line_no: int, line: str) -> _Fence | None:
        match = _FENCE_OPEN.match(line)
        if not match:
            return None
        indent, marker, info = len(match.group(1)), match.group(2), match.group(3).strip()
        if marker[0] == "`" and "`" in info:
            return None  # inline code such as ```a``` is not a fence
        kind, error = block_kind_of(info)
        if error:
            self.sink.error(line_no, error)
        if kind and info.split()[1:]:
            self.sink.warning(line_no, f"text after the block kind is ignored: '{' '.join(info.split()[1:])}'")
        fence = _Fence(line=line_no, marker=marker, indent=indent, kind=kind)
        fence.raw.append(line)
        if kind:
            self._flush_prose()
        return fence

    @staticmethod
    def _closes(fence: _Fence, line: str) -> bool:
        stripped = line.strip()
        return (len(line) - len(line.lstrip(" ")) <= 3 and stripped.startswith(fence.marker)
                and set(stripped) == {fence.marker[0]})

    def _end_fence(self, fence: _Fence, line: str) -> None:
        if fence.kind is None:  # plain code: part of the prose
            first = fence.line
            self.prose.extend((first + i, raw) for i, raw in enumerate(fence.raw))
            self.prose.append((first + len(fence.raw), line))
            return
        self._add_block(build_block(fence.kind, "\n".join(fence.body), fence.line + 1,
                                    fence.line, self.sink, self._auto_id(fence.kind)))

    def _unclosed(self, fence: _Fence) -> None:
        if fence.kind is None:
            self.sink.warning(fence.line, f"code fence {fence.marker} is never closed; the rest "
                                          "of the file shows as code")
            self.prose.extend((fence.line + i, raw) for i, raw in enumerate(fence.raw))
            return
        message = f"{fence.kind} block is never closed (add a {fence.marker} line after it)"
        self.sink.error(fence.line, message)
        self._add_block(InvalidBlock(id=self._auto_id(fence.kind), line=fence.line, auto_id=True,
                                     written_kind=fence.kind, source="\n".join(fence.body),
                                     messages=(message,)))

    def _auto_id(self, kind: str) -> str:
        step_no = len(self.steps) + 1
        n = 1 + sum(1 for b in self.step.blocks if isinstance(b, Block)
                    and kind in (b.kind, getattr(b, "written_kind", "")))
        return f"{kind}-{step_no}-{n}"

    def _add_block(self, block: Block) -> None:
        if not self.step.line:
            self.step.line = block.line
        self.step.blocks.append(block)

    # -- steps and prose -----------------------------------------------------------------
    def _flush_prose(self) -> None:
        numbered = self.prose
        self.prose = []
        while numbered and not numbered[0][1].strip():
            numbered.pop(0)
        while numbered and not numbered[-1][1].strip():
            numbered.pop()
        if numbered:
            if not self.step.line:
                self.step.line = numbered[0][0]
            self.step.blocks.append(MarkdownBlock("\n".join(text for _, text in numbered),
                                                  numbered[0][0]))

    def _new_step(self, line_no: int, title: str) -> None:
        self._close_step()
        title = _CLOSING_HASHES.sub("", title).strip()
        if not title:
            self.sink.warning(line_no, "step heading '##' has no title")
            title = f"Step {len(self.steps) + 1}"
        self.step = Step(title=title, line=line_no)
        self.in_intro = False

    def _close_step(self) -> None:
        self._flush_prose()
        if self.step.blocks:
            self.steps.append(self.step)
        elif not self.in_intro:  # a blank intro is simply no intro
            self.sink.warning(self.step.line, f"step '{self.step.title}' is empty")
            self.steps.append(self.step)


def _check_block_ids(lesson: Lesson, sink: Sink) -> None:
    """Block ids are unique within a lesson (across lessons: see ``validate``)."""
    seen: dict[str, int] = {}
    for block in lesson.blocks():
        if block.id in seen:
            what = "automatic id" if block.auto_id else "id"
            sink.error(block.line, f"duplicate block {what} '{block.id}' (first used on line "
                                   f"{seen[block.id]})")
        else:
            seen[block.id] = block.line
