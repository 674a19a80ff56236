"""Links in lesson prose: only http(s) links stay links, each shown with its target.

The TUI renders prose with Textual's Markdown widget, whose clicks go to ``app.open_url``, so
``[x](../../etc/shadow)`` or ``![i](/etc/passwd)`` in a lesson must not arrive as links.  The
prose is parsed the way Textual parses it (markdown-it-py's "gfm-like", linkify included);
wrapped inline rules record where each link is in the source, and the source is rewritten:
a non-http(s) link becomes its text, a non-http(s) autolink or bare address (``mailto:``,
``ftp:``) becomes code, an http(s) link gets its target written after it.  The result is parsed
again; if any other link survived, the whole passage is shown as code (never as a link).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# the module is shadowed by its own function in the package namespace
SCHEME_RE = importlib.import_module("markdown_it.rules_inline.linkify").SCHEME_RE

from tutor.course.fields import short
from tutor.i18n import _

SAFE_SCHEMES = ("http://", "https://")
_RECORDED = ("link", "image", "autolink", "linkify", "backticks", "html_inline")


def is_safe(href: str) -> bool:
    return href.strip().lower().startswith(SAFE_SCHEMES)


@dataclass
class _Span:
    start: int
    end: int
    rule: str
    href: str = ""
    label: tuple[int, int] | None = None  # the link text's range, for links and images


@dataclass
class _Record:
    spans: list[_Span] = field(default_factory=list)


def _wrap(name: str, rule):
    def recording(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if name == "linkify":  # the rule starts at '://' and takes 'ftp' back from the text
            scheme = SCHEME_RE.search(state.pending)
            start -= len(scheme.group(1)) if scheme else 0
        label = None
        if name in ("link", "image") and not silent:
            at = start + (1 if name == "image" else 0)
            end = state.md.helpers.parseLinkLabel(state, at, name == "link")
            label = (at + 1, end) if end >= 0 else None
        if not rule(state, silent):
            return False
        record = state.env.get("_links")
        if not silent and record is not None:
            opened = next((t for t in state.tokens[count:] if t.type in ("link_open", "image")), None)
            href = ""
            if opened is not None:
                href = str(opened.attrs.get("href", opened.attrs.get("src", "")))
            record.spans.append(_Span(start, state.pos, name, href, label))
        return True
    return recording


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("gfm-like")   # what textual.widgets.Markdown uses
    if md.linkify is None:        # linkify-it-py missing: then Textual cannot linkify either
        md.disable("linkify")
    for rule in md.inline.ruler.__rules__:
        if rule.name in _RECORDED:
            rule.fn = _wrap(rule.name, rule.fn)
    md.inline.ruler.__compile__()
    return md


def _hrefs(text: str) -> list[str]:
    found = []
    for token in _parser().parse(text):
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                found.append(str(child.attrs.get("href", child.attrs.get("src", ""))))
    return found


def safe_links(text: str, first_line: int, sink) -> str:
    """``text`` (prose starting at file line ``first_line``) with only http(s) links left."""
    if not any(c in text for c in "[<:@.") or not text:
        return text
    lines = text.split("\n")
    md, env = _parser(), {}
    for token in md.parse(text, env):   # env gets the [ref]: definitions
        if token.type != "inline" or token.map is None or not token.content:
            continue
        record = _Record()
        md.inline.parse(token.content, md, {**env, "_links": record}, [])
        new = _rewrite(token.content, record.spans, first_line + token.map[0], sink, env)
        if new != token.content:
            _put_back(lines, token.map[0], token.content, new)
    result = "\n".join(lines)
    left = [h for h in _hrefs(result) if not is_safe(h)]
    if left:  # something the rewrite could not place: show the passage, not the link
        sink.warning(first_line, _("link to '{link}' could not be made plain text; the passage is shown as "
                                   "code").format(link=short(left[0])))
        fence = "`" * max(3, _longest_backticks(text) + 1)
        return f"{fence}text\n{text}\n{fence}"
    return result


def _rewrite(content: str, spans: list[_Span], line: int, sink, env: dict) -> str:
    """``content`` with unsafe links made plain; nested spans handled inside their parent."""
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    links = [s for s in spans if s.rule in ("link", "image", "autolink", "linkify")]

    def at_line(pos: int) -> int:
        return line + content.count("\n", 0, pos)

    def render(lo: int, hi: int) -> str:
        out, pos = [], lo
        for span in links:
            if span.start < pos or span.end > hi or span.start < lo:
                continue
            out.append(content[pos:span.start])
            out.append(_replace(span))
            pos = span.end
        out.append(content[pos:hi])
        return "".join(out)

    def _replace(span: _Span) -> str:
        source = content[span.start:span.end]
        if is_safe(span.href):
            if span.label is None:
                return source
            lo, hi = span.label
            shown = render(lo, hi)
            kept = content[span.start:lo] + shown + content[hi:span.end]
            return kept if shown.strip() == span.href else f"{kept} ({span.href})"
        sink.warning(at_line(span.start), _("link to '{link}' is shown as plain text: only http(s) links are "
                                            "allowed").format(link=short(span.href or source)))
        if span.label is not None:
            text = render(span.label[0], span.label[1])
        else:
            text = _code(source.strip("<>"))
        return text + "\n" * (source.count("\n") - text.count("\n"))

    new = render(0, len(content))
    # bare addresses linkify finds outside links and code: e-mail (mailto:), ftp://
    matches = _parser().linkify.match(new) if "@" in new or ":" in new else None
    if matches:
        # positions in ``new`` differ from ``content``: parse again to know what is code or a link
        record = _Record()
        _parser().inline.parse(new, _parser(), {**env, "_links": record}, [])
        busy = [(s.start, s.end) for s in record.spans]
        out, pos = [], 0
        for match in matches:
            url = _parser().normalizeLink(match.url)
            if is_safe(url) or any(a <= match.index < b for a, b in busy):
                continue
            sink.warning(at_line(match.index), _("link to '{link}' is shown as plain text: only http(s) links are "
                                                 "allowed").format(link=short(url)))
            out += [new[pos:match.index], _code(new[match.index:match.last_index])]
            pos = match.last_index
        new = "".join(out) + new[pos:]
    return new


def _code(text: str) -> str:
    ticks = "`" * (_longest_backticks(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _longest_backticks(text: str) -> int:
    best = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        best = max(best, run)
    return best


def _put_back(lines: list[str], first: int, old: str, new: str) -> None:
    """Replace the inline content ``old`` (lines from ``first``) by ``new`` in the raw lines.

    Each content line is a piece of its raw line (markers and indentation removed); ``new``
    has as many lines as ``old``, so each piece is swapped in place."""
    olds, news = old.split("\n"), new.split("\n")
    if len(olds) != len(news):
        news = [new.replace("\n", " ")] + [""] * (len(olds) - 1) if len(olds) > 1 else [new.replace("\n", " ")]
    for i, (piece, replacement) in enumerate(zip(olds, news)):
        index = first + i
        if index >= len(lines) or piece == replacement:
            continue
        at = lines[index].rfind(piece) if piece else -1
        if at < 0:
            continue  # the final check catches what could not be placed
        lines[index] = lines[index][:at] + replacement + lines[index][at + len(piece):]
