"""Read YAML as *nodes*, against a schema, with a file line for every field.

Why nodes and not ``yaml.safe_load``'s Python objects: composing with ``SafeLoader`` builds no
Python objects at all (it is the safe half of ``safe_load``), keeps the line of every key and
value, sees duplicate keys (which ``safe_load`` silently drops), and keeps the author's text:
``answer: no`` stays the word "no" instead of becoming ``False``, ``answer: 3.10`` stays
"3.10".  Typed scalars (int, float, bool) are constructed one by one with ``SafeConstructor``.
"""
from __future__ import annotations

from typing import Any, Iterator

import yaml
import yaml.reader
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tutor.course.controls import CONTROL, report_controls, show_controls
from tutor.course.problems import Sink, did_you_mean
from tutor.i18n import _

_TAG = "tag:yaml.org,2002:"
INT, FLOAT, BOOL = _TAG + "int", _TAG + "float", _TAG + "bool"
_EXTRA_BREAKS = {0x85: " ", 0x2028: " ", 0x2029: " "}
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # None when PyYAML was built without libyaml


class YamlError(Exception):
    """A YAML syntax error, already turned into a (relative line, message) pair."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def compose(text: str, sink: Sink | None = None, base: int = 1) -> Node | None:
    """Parse ``text`` into a node tree (no Python objects); raise :class:`YamlError`.

    The line in the error is 0-based relative to ``text``.  YAML also breaks lines at U+0085,
    U+2028 and U+2029; they become spaces first so YAML's line numbers stay the file's.
    Control characters that YAML escapes (``"\\e"``, ``"\\x07"``) put into a value are
    made visible and, with a ``sink``, reported at file line ``base`` + the value's line.
    """
    text = text.translate(_EXTRA_BREAKS)
    if _FAST_LOADER is not None:
        try:  # libyaml: the same nodes and lines, several times faster
            return _visible_scalars(yaml.compose(text, Loader=_FAST_LOADER), sink, base)
        except (yaml.YAMLError, RecursionError):
            pass  # the Python loader below words the error as the tests and docs expect
    try:
        return _visible_scalars(yaml.compose(text, Loader=yaml.SafeLoader), sink, base)
    except yaml.reader.ReaderError as exc:  # a control character, a lone surrogate...
        line = text.count("\n", 0, max(0, exc.position))
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "\0")
        raise YamlError(line, _("character {code} is not allowed in YAML").format(code=f"U+{code:04X}")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line if mark is not None else 0
        what = exc.problem or "invalid YAML"
        if exc.context:
            what += f" ({exc.context})"
        raise YamlError(line, what) from None
    except yaml.YAMLError as exc:  # unmarked (reader errors on odd characters)
        raise YamlError(0, " ".join(str(exc).split())) from None
    except RecursionError:
        raise YamlError(0, "YAML nested too deeply") from None


def _visible_scalars(root: Node | None, sink: Sink | None, base: int) -> Node | None:
    """Replace control characters in every scalar of ``root`` (iteratively: aliases may share
    or even loop back to nodes, so each node is visited once)."""
    stack, seen = [root] if root is not None else [], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if isinstance(node.value, str) and CONTROL.search(node.value):
                if sink is not None:
                    report_controls(node.value, _OneLine(sink, base + node.start_mark.line))
                node.value = show_controls(node.value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(item for pair in node.value for item in pair)
    return root


class _OneLine:
    """A sink that files every warning on one line (a YAML value's escapes)."""

    def __init__(self, sink: Sink, line: int):
        self.sink, self.line = sink, line

    def warning(self, _line: int, message: str) -> None:
        self.sink.warning(self.line, message)


def describe(node: Node | None) -> str:
    """What the author wrote, in words: 'a list', 'a mapping', 'the number 5'."""
    if isinstance(node, MappingNode):
        return _("a mapping")
    if isinstance(node, SequenceNode):
        return _("a list")
    if node is None or (isinstance(node, ScalarNode) and not str(node.value).strip()):
        return _("empty")
    if node.tag in (INT, FLOAT):
        return _("the number {value}").format(value=node.value)
    if node.tag == BOOL:
        return _("'{value}' (yes/no)").format(value=node.value)
    return f"'{short(node.value)}'"


def short(text: str, width: int = 30) -> str:
    """``text`` on one line, cut to ``width`` characters (messages quote what was written)."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _construct(node: ScalarNode):
    return SafeConstructor().construct_object(node, deep=True)


class Fields:
    """A YAML mapping node read field by field; problems go to ``sink`` with file lines.

    ``base`` is the file line (1-based) of the node text's first line.  ``label`` prefixes
    messages ("cloze 'li-hua'", "cloze 'li-hua' blank 2") so each message names its place.
    """

    def __init__(self, node: MappingNode, base: int, sink: Sink, label: str):
        self.node, self.base, self.sink, self.label = node, base, sink, label
        self.line = base + node.start_mark.line
        self._fields: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = self.key_text(key_node)
            if key in self._fields:
                first = self.line_of_node(self._fields[key][0])
                sink.error(self.line_of_node(key_node),
                           _("{label}: duplicate field '{key}' (first on line {first})").format(
                               label=label, key=key, first=first))
                continue
            self._fields[key] = (key_node, value_node)
        self.used: set[str] = set()

    # -- plumbing -----------------------------------------------------------------------
    @staticmethod
    def key_text(node: Node) -> str:
        return str(node.value).strip() if isinstance(node, ScalarNode) else describe(node)

    def line_of_node(self, node: Node) -> int:
        return self.base + node.start_mark.line

    def line_of(self, key: str) -> int:
        """The line of ``key`` (the mapping's first line when the key is absent)."""
        pair = self._fields.get(key)
        return self.line_of_node(pair[0]) if pair else self.line

    def value_node(self, key: str) -> Node | None:
        """The raw value node, or None when absent or written empty (``answer:``).

        ``answer: null`` is the word "null": text fields keep what the author wrote.
        """
        pair = self._fields.get(key)
        self.used.add(key)
        if pair is None:
            return None
        value = pair[1]
        if isinstance(value, ScalarNode) and not str(value.value).strip():
            return None
        return value

    def has(self, key: str) -> bool:
        return self.value_node(key) is not None

    def keys(self) -> list[str]:
        return list(self._fields)

    def bad(self, key: str, message: str) -> None:
        self.sink.error(self.line_of(key), f"{self.label}: {message}")

    def warn(self, key: str, message: str) -> None:
        self.sink.warning(self.line_of(key), f"{self.label}: {message}")

    def _missing(self, key: str, required: bool) -> None:
        if required:
            self.sink.error(self.line, _("{label}: missing required field '{key}'").format(label=self.label, key=key))

    # -- typed readers -------------------------------------------------------------------
    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        """A text field; numbers and yes/no are kept as written. Stripped."""
        node = self.value_node(key)
        if node is None:
            self._missing(key, required)
            return default
        if not isinstance(node, ScalarNode):
            self.bad(key, _("'{key}' must be text, not {found}").format(key=key, found=describe(node)))
            return default
        value = str(node.value).strip()
        if not value:
            self._missing(key, required)
            return default
        return value

    def choice(self, key: str, allowed: tuple[str, ...], what: str) -> str:
        """A text field that must be one of ``allowed`` ("" when absent); ``what`` names the
        kind of thing in the message: "model 'x' is not one of a, b (did you mean 'a'?)"."""
        value = self.text(key)
        if value and value not in allowed:
            self.bad(key, _("{what} '{value}' is not one of {allowed}").format(
                what=what, value=short(value), allowed=", ".join(allowed)) + did_you_mean(value, allowed))
            return ""
        return value

    def texts(self, key: str, *, required: bool = False, single_ok: bool = True) -> tuple[str, ...]:
        """A list of text; a single scalar counts as a list of one when ``single_ok``."""
        return tuple(text for text, _ in self.text_items(key, required=required, single_ok=single_ok))

    def text_items(self, key: str, *, required: bool = False,
                   single_ok: bool = True) -> list[tuple[str, int]]:
        """Like :meth:`texts`, with each item's file line."""
        node = self.value_node(key)
        if node is None:
            self._missing(key, required)
            return []
        if isinstance(node, ScalarNode) and single_ok:
            value = str(node.value).strip()
            if not value:
                self._missing(key, required)
            return [(value, self.line_of_node(node))] if value else []
        if not isinstance(node, SequenceNode):
            self.bad(key, _("'{key}' must be a list of text, not {found}").format(key=key, found=describe(node)))
            return []
        out = []
        for item in node.value:
            if not isinstance(item, ScalarNode) or not str(item.value).strip():
                self.sink.error(self.line_of_node(item),
                                _("{label}: each item of '{key}' must be text, not {found}").format(
                                    label=self.label, key=key, found=describe(item)))
                continue
            out.append((str(item.value).strip(), self.line_of_node(item)))
        if required and not node.value:
            self.bad(key, _("'{key}' is an empty list").format(key=key))
        return out

    def _node_of(self, key: str, kind: type[Node], wrong: str, tag: str | None = None) -> Any:
        """The key's node when it is a ``kind`` (of YAML type ``tag``); None when absent, or
        after reporting ``wrong`` (a template with {key} and {found})."""
        node = self.value_node(key)
        if node is None:
            return None
        if not (isinstance(node, kind) and (tag is None or node.tag == tag)):
            self.bad(key, wrong.format(key=key, found=describe(node)))
            return None
        return node

    def integer(self, key: str, default: int | None, *, lo: int | None = None,
                hi: int | None = None) -> int | None:
        node = self._node_of(key, ScalarNode, _("'{key}' must be a whole number, not {found}"), INT)
        if node is None:
            return default
        try:
            value = _construct(node)
        except ValueError:  # more digits than Python will convert
            self.bad(key, _("'{key}' is too large").format(key=key))
            return default
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.bad(key, _("'{key}' must be {range}, not {value}").format(
                key=key, range=_range(lo, hi), value=short(str(value))))
            return default
        return value

    def number(self, key: str, default: float, *, above: float, upto: float) -> float:
        """A float in the half-open range (above, upto]."""
        node = self.value_node(key)
        if node is None:
            return default
        if not (isinstance(node, ScalarNode) and node.tag in (INT, FLOAT)):
            self.bad(key, _("'{key}' must be a number, not {found}").format(key=key, found=describe(node)))
            return default
        try:
            value = float(_construct(node))
        except (ValueError, OverflowError):  # more digits than Python will convert
            self.bad(key, _("'{key}' is too large").format(key=key))
            return default
        if not (above < value <= upto):  # also rejects nan
            self.bad(key, _("'{key}' must be above {above} and at most {upto}, not {value}").format(
                key=key, above=f"{above:g}", upto=f"{upto:g}", value=short(node.value)))
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        node = self._node_of(key, ScalarNode, _("'{key}' must be true or false, not {found}"), BOOL)
        return default if node is None else bool(_construct(node))

    def mapping(self, key: str, label: str | None = None) -> "Fields | None":
        node = self._node_of(key, MappingNode, _("'{key}' must be a mapping, not {found}"))
        return None if node is None else Fields(node, self.base, self.sink, label or self.label)

    def sequence(self, key: str) -> list[Node] | None:
        node = self._node_of(key, SequenceNode, _("'{key}' must be a list, not {found}"))
        return None if node is None else list(node.value)

    def pairs(self, key: str) -> Iterator[tuple[str, int, Node]]:
        """(key text, key line, value node) for a free-form mapping such as ``blanks``."""
        node = self.value_node(key)
        if node is None:
            return
        if not isinstance(node, MappingNode):
            self.bad(key, _("'{key}' must be a mapping, not {found}").format(key=key, found=describe(node)))
            return
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            name, line = self.key_text(key_node), self.line_of_node(key_node)
            if name in seen:
                self.sink.error(line, _("{label}: duplicate key '{name}' in '{key}' (first on line {first})").format(
                    label=self.label, name=name, key=key, first=seen[name]))
                continue
            seen[name] = line
            yield name, line, value_node

    def finish(self, allowed) -> None:
        """Warn about fields nobody read: typos like ``answers:`` would otherwise vanish."""
        allowed = tuple(allowed)
        for key in self._fields:
            if key not in allowed and key not in self.used:
                self.warn(key, _("unknown field '{key}'").format(key=key) + did_you_mean(key, allowed))


def _range(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return _("between {lo} and {hi}").format(lo=lo, hi=hi)
    return _("at least {lo}").format(lo=lo) if lo is not None else _("at most {hi}").format(hi=hi)
