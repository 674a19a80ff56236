"""The course's one Chinese glossary: which word a zh lesson uses for each idea.

The data lives in ``glossary.yaml`` beside this module so lessons, the interface and
``lessons check`` read the same list.  Imports neither torch nor textual.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from tutor.i18n import _

GLOSSARY_PATH = Path(__file__).with_name("glossary.yaml")


@dataclass(frozen=True)
class Term:
    en: str
    zh: str
    avoid: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class TermMisuse:
    """A zh text used ``found`` where the glossary says ``term.zh`` (1-based ``line``)."""

    line: int
    found: str
    term: Term

    def __str__(self) -> str:
        return _("uses '{found}' for '{term}': the course's word is '{word}'").format(
            found=self.found, term=self.term.en, word=self.term.zh)


def load_glossary(path: Path = GLOSSARY_PATH) -> tuple[Term, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(Term(en=str(t["en"]), zh=str(t["zh"]), avoid=tuple(str(a) for a in t.get("avoid") or ()),
                      note=str(t.get("note") or "")) for t in data.get("terms", ()))


@lru_cache(maxsize=1)
def glossary() -> tuple[Term, ...]:
    return load_glossary()


def zh_term(en: str) -> str:
    """The course's Chinese word for the English term ``en`` (case-insensitive)."""
    wanted = en.casefold()
    for term in glossary():
        if term.en.casefold() == wanted:
            return term.zh
    raise KeyError(f"'{en}' is not in the glossary")


def misuses(text: str, terms: tuple[Term, ...] | None = None) -> list[TermMisuse]:
    """Every place ``text`` uses an avoided rendering, longest match first so that
    "掩码语言模型" is reported once (as the model term), not again as "掩码"."""
    out: list[TermMisuse] = []
    variants = sorted(((a, t) for t in (terms or glossary()) for a in t.avoid), key=lambda p: -len(p[0]))
    for number, line in enumerate(text.splitlines(), 1):
        taken = [False] * len(line)
        for variant, term in variants:
            start = line.find(variant)
            while start != -1:
                end = start + len(variant)
                if not any(taken[start:end]):
                    taken[start:end] = [True] * len(variant)
                    out.append(TermMisuse(number, variant, term))
                start = line.find(variant, end)
    out.sort(key=lambda m: m.line)
    return out
