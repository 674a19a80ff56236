"""Read one lesson file: front matter, ``## `` steps, fenced blocks — never raising.

markdown-it-py finds the structure (see :mod:`tutor.course.scan`); this module turns it into
a :class:`Lesson`, with a ``file:line`` for every problem.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from yaml.nodes import MappingNode

from tutor.course.blocks import Lesson, MarkdownBlock
from tutor.course.build import SLUG, bad_id, slugify
from tutor.course.controls import CONTROL, report_controls, show_controls
from tutor.course.fields import Fields, YamlError, compose, describe
from tutor.course.links import safe_links
from tutor.course.lost import check_lost
from tutor.course.problems import Sink
from tutor.course.reading import MAX_BYTES, read_lesson_text
from tutor.course.scan import Scanner, block_kind_of, block_parser
from tutor.i18n import _

__all__ = ["load_lesson", "parse_lesson", "read_lesson_text", "block_kind_of", "MAX_BYTES",
           "FRONT_MATTER_FIELDS"]

FRONT_MATTER_FIELDS = ("id", "title", "requires", "minutes", "summary")


def load_lesson(path: str | Path) -> Lesson:
    """Parse the lesson at ``path``. Never raises: problems end up in ``lesson.problems``."""
    path = Path(path)
    sink = Sink(path)
    if CONTROL.search(path.name):
        sink.warning(1, _("the file name has control characters; it is shown as '{name}' (rename the file)").format(
            name=show_controls(path.name)))
    text = read_lesson_text(path, sink)
    if text is None:
        return Lesson(id=slugify(path.stem) or "lesson", title=show_controls(path.stem), path=path,
                      problems=sink.problems)
    return parse_lesson(text, path, sink)


def parse_lesson(text: str, path: str | Path = "<lesson>", sink: Sink | None = None) -> Lesson:
    """Parse lesson ``text`` (for files use :func:`load_lesson`). Never raises."""
    path = Path(path)
    sink = sink or Sink(path)
    lesson = Lesson(id=slugify(path.stem) or "lesson", title=show_controls(path.stem), path=path)
    try:
        text = report_controls(text.replace("\r\n", "\n").replace("\r", "\n"), sink)
        _parse_into(lesson, text, sink)
    except Exception as exc:  # a bug of ours must not take the TUI down with it
        sink.error(1, _("internal error while reading the lesson ({error}: {message})").format(
            error=type(exc).__name__, message=exc))
    lesson.problems = sorted(sink.problems, key=lambda p: p.line)  # stable: same-line order kept
    return lesson


def _parse_into(lesson: Lesson, text: str, sink: Sink) -> None:
    lines = text.split("\n")
    has_front_matter = lines[0].rstrip() == "---"
    tokens = block_parser(has_front_matter).parse(text)
    front = tokens[0] if tokens and tokens[0].type == "front_matter" else None
    body_start = _front_matter(lesson, front, has_front_matter, sink)
    if body_start is None:
        return
    scanner = Scanner(lesson, sink, lines)
    lesson.steps = scanner.scan(tokens, body_start)
    if not lesson.steps:
        line = min(body_start + 1, len(lines))
        sink.error(line, _("the lesson has no steps: add text or '## Step title' sections "
                           "after the front matter"))
    _check_block_ids(lesson, sink)
    check_lost(lesson, lines, scanner.code_fences, sink)
    for step in lesson.steps:  # after check_lost: it reads the prose's lines as written
        step.blocks = [replace(b, text=safe_links(b.text, b.line, sink))
                       if isinstance(b, MarkdownBlock) else b for b in step.blocks]


def _front_matter(lesson: Lesson, token, expected: bool, sink: Sink) -> int | None:
    """Fill the lesson's metadata from the front-matter token; return the 0-based index of
    the first body line (None: the front matter never ends, so there is no body)."""
    if not expected:
        sink.error(1, _("missing front matter: the file must start with a '---' line, then "
                        "'id:' and 'title:' lines, then '---'"))
        return 0
    if token is None:
        sink.error(1, _("front matter is not closed: no '---' line after line 1"))
        return None
    end = token.map[1]
    try:
        node = compose(token.content, sink, 2)
    except YamlError as exc:
        sink.error(2 + exc.line, _("front matter: YAML error: {error}").format(error=exc.message))
        return end
    if node is None:
        sink.error(1, _("front matter is empty: it needs 'id:' and 'title:'"))
        return end
    if not isinstance(node, MappingNode):
        sink.error(2 + node.start_mark.line, _("front matter must be 'key: value' lines, not {found}").format(
            found=describe(node)))
        return end
    f = Fields(node, 2, sink, _("front matter"))
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
            sink.error(line, _("front matter: 'requires': {problem}").format(problem=bad_id("lesson", req)))
        elif req in lesson.requires:
            sink.warning(line, _("front matter: '{lesson}' is listed twice in 'requires'").format(lesson=req))
        else:
            lesson.requires.append(req)
            lesson.meta_lines[f"requires:{req}"] = line
    lesson.minutes = f.integer("minutes", None, lo=1, hi=600)
    lesson.summary = f.text("summary")
    f.finish(FRONT_MATTER_FIELDS)
    return end


def _check_block_ids(lesson: Lesson, sink: Sink) -> None:
    """Block ids are unique within a lesson (across lessons: see ``validate``)."""
    seen: dict[str, int] = {}
    for block in lesson.blocks():
        if block.id in seen:
            message = (_("duplicate block automatic id '{id}' (first used on line {line})") if block.auto_id
                       else _("duplicate block id '{id}' (first used on line {line})"))
            sink.error(block.line, message.format(id=block.id, line=seen[block.id]))
        else:
            seen[block.id] = block.line
