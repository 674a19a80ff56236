"""The zh catalog covers the interface: nothing a learner or instructor reads falls back to English.

(a) Every string pybabel extracts from ``tutor/`` (the keywords of ``scripts/i18n.sh``) has a
    non-empty, non-fuzzy zh translation with the same ``{placeholders}``, and the compiled
    ``.mo`` says what the ``.po`` says.
(b) An AST scan finds English text handed to a user-facing sink without ``_()``/``N_()``.
Both are parametrized per source file, so one area can be checked alone (``-k commands``).
"""
from __future__ import annotations

import ast
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tutor.i18n import LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "tutor").rglob("*.py"))
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}  # as scripts/i18n.sh: -k _ -k N_ -k ngettext:1,2
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def _catalog(lang: str):
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    return read_po(io.BytesIO((folder / "bert-tutor.po").read_bytes())), folder


def _fields(text: str) -> set[tuple]:
    """The replacement fields of a str.format template: name, conversion, format spec."""
    return {(name, conversion, spec) for _literal, name, spec, conversion in string.Formatter().parse(text)
            if name is not None}


def _extracted(path: Path):
    for lineno, message, _comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS):
        yield lineno, message


# -- (a) the catalog ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("path", SOURCES, ids=_ids(SOURCES))
def test_every_marked_string_is_translated(path, lang):
    catalog, _folder = _catalog(lang)
    where = path.relative_to(ROOT)
    bad = []
    for lineno, message in _extracted(path):
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        texts = entry and (list(entry.string) if isinstance(entry.string, (tuple, list)) else [entry.string])
        if entry is None or not texts or not all(texts):
            bad.append(f"{where}:{lineno}: untranslated: {key!r}")
        elif entry.fuzzy:
            bad.append(f"{where}:{lineno}: fuzzy: {key!r}")
        else:
            forms = list(message) if isinstance(message, tuple) else [message]
            for i, text in enumerate(texts):
                # form 0 answers the singular only where the language has more than one form
                wanted = _fields(forms[0] if i == 0 and len(texts) > 1 or len(forms) == 1 else forms[-1])
                if _fields(text) != wanted:
                    bad.append(f"{where}:{lineno}: placeholders {sorted(_fields(text))} != {sorted(wanted)} "
                               f"in {text!r}")
    assert not bad, "run scripts/i18n.sh and translate in the .po:\n" + "\n".join(bad)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalog_matches_its_po(lang):
    """The .mo the app reads says what the .po translators edit says (run scripts/i18n.sh)."""
    catalog, folder = _catalog(lang)
    mo = read_mo(io.BytesIO((folder / "bert-tutor.mo").read_bytes()))
    def key(value):  # a plural entry's id and strings are sequences
        return tuple(value) if isinstance(value, (list, tuple)) else value

    wanted = {key(m.id): key(m.string) for m in catalog if m.id and m.string and not m.fuzzy}
    compiled = {key(m.id): key(m.string) for m in mo if m.id}
    assert compiled == wanted


# -- (b) no English text reaches a sink unwrapped ------------------------------------------

# Text that stays as written in every language: Rich markup tags, BERT's special tokens, and
# str.format / Rich progress fields ("{task.completed}").
UNTRANSLATED = re.compile(r"\[/?(?:[a-z #0-9._-]*)\]|\[(?:MASK|CLS|SEP|UNK|PAD)\]|\{[^{}]*\}")
# call name -> positions of the arguments a user reads (keywords listed separately)
CALL_ARGS = {
    "notify": (0,), "TutorError": (0,), "UsageError": (0,), "BadParameter": (0,), "ClickException": (0,),
    "echo": (0,), "secho": (0,), "fail": (0,), "confirm": (0,), "prompt": (0,), "print": (0,),
    "Button": (0,), "Label": (0,), "Static": (0,), "Binding": (2,), "SystemCommand": (0, 1),
    "Problem": (2,), "add_column": (0,), "bad": (1,), "warn": (1,), "Text": (0,), "TextColumn": (0,),
}
CALL_KEYWORDS = {"title", "help", "description", "label", "message", "placeholder", "tooltip", "sub_title"}
SINK_RECEIVERS = {"error", "warning"}  # sink.error(line, message) / sink.warning(line, message)
ATTRIBUTES = {"title", "sub_title", "border_title", "border_subtitle", "tooltip"}
# Files whose literals never reach a user (justify each); none today: every TutorError of the
# engine's training code reaches the CLI or a lab's notification.
EXCLUDED: dict[str, str] = {}


def _english(node: ast.AST) -> bool:
    """A literal (or f-string, concatenation, conditional, "...".format()) that shows letters."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in UNTRANSLATED.sub("", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_english(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _english(node.left) or _english(node.right)
    if isinstance(node, ast.IfExp):
        return _english(node.body) or _english(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _english(node.func.value)
    return False


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _receiver(func: ast.AST) -> str:
    """``out`` of ``out.print``; ``console`` of ``console().print``."""
    if not isinstance(func, ast.Attribute):
        return ""
    owner = func.value.func if isinstance(func.value, ast.Call) else func.value
    return _name(owner).lower()


def unwrapped(tree: ast.AST):
    """(line, what) for each English literal given to a user-facing sink."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            positions = CALL_ARGS.get(name, ())
            if name in SINK_RECEIVERS and "sink" in _receiver(node.func):
                positions = (1,)
            if name == "print" and isinstance(node.func, ast.Attribute) and "console" not in _receiver(node.func) \
                    and _receiver(node.func) not in ("out", "bar", "self"):
                positions = ()
            for i in positions:
                if i < len(node.args) and _english(node.args[i]):
                    yield node.args[i].lineno, f"{name}(…) argument {i + 1}"
            for kw in node.keywords:
                if kw.arg in CALL_KEYWORDS and _english(kw.value):
                    yield kw.value.lineno, f"{name}({kw.arg}=…)"
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in ATTRIBUTES and value is not None \
                        and _english(value):
                    yield value.lineno, f"{_name(target.value)}.{target.attr} = …"
                if isinstance(target, ast.Name) and target.id == "BINDINGS" and isinstance(value, (ast.List, ast.Tuple)):
                    for item in value.elts:  # ("key", "action", "Description") tuples
                        if isinstance(item, ast.Tuple) and len(item.elts) >= 3 and _english(item.elts[2]):
                            yield item.elts[2].lineno, "BINDINGS description"


SCANNED = [p for p in SOURCES if str(p.relative_to(ROOT)) not in EXCLUDED]


@pytest.mark.parametrize("path", SCANNED, ids=_ids(SCANNED))
def test_no_english_literal_reaches_a_user_unwrapped(path):
    where = path.relative_to(ROOT)
    found = sorted(set(unwrapped(ast.parse(path.read_text(encoding="utf-8"), str(path)))))
    assert not found, ("wrap these in _() (or N_() where fixed at import time):\n"
                       + "\n".join(f"{where}:{line}: {what}" for line, what in found))


@pytest.mark.parametrize("source, hits", [
    ('raise TutorError(f"model {name} is missing")', 1),
    ('raise TutorError(_("model {name} is missing").format(name=name))', 0),
    ('self.notify("Saved", title=_("Progress"))', 1),
    ('self.notify(_("Saved"), title="Progress")', 1),
    ('click.echo("bert-tutor: " + detail)', 1),
    ('click.echo(json.dumps(data))', 0),
    ('out.print("[dim]· ✓[/]")', 0),                    # markup and marks: nothing to translate
    ('Text("[MASK]")', 0),
    ('sink.error(3, "{kind} block is empty".format(kind=k))', 1),
    ('log.error("cache miss")', 0),                      # logs are not the interface
    ('BINDINGS = [("q", "quit", "Quit"), ("f1", "help", N_("Help"))]', 1),
    ('self.sub_title = f"{n} lessons"', 1),
    ('@click.option("--x", help="Print JSON only.")\ndef f(): pass', 1),
])
def test_the_scan_finds_what_it_should(source, hits):
    assert len(list(unwrapped(ast.parse(source)))) == hits
