"""The interface's language: gettext catalogs built with Babel, one switch for the whole app.

Strings are marked with ``_()`` (and ``ngettext``) and extracted with ``pybabel`` (see
``scripts/i18n.sh``); ``locale/<lang>/LC_MESSAGES/bert-tutor.po`` is what translators edit and
the compiled ``.mo`` beside it is what runs.  Which language: ``--lang``, then the saved
preference, then LC_ALL / LC_MESSAGES / LANG, then English.  Imports neither torch nor textual.
"""
from __future__ import annotations

import gettext as _gettext
from pathlib import Path
from typing import Mapping

DOMAIN = "bert-tutor"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES: tuple[str, ...] = ("en", "zh")  # English is the source language: no catalog

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def normalise(value: str | None) -> str | None:
    """'zh_CN.UTF-8', 'zh-Hans', 'ZH' → 'zh'; 'en_GB' → 'en'; anything else → None."""
    if not value:
        return None
    base = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].casefold()
    return base if base in LANGUAGES else None


def resolve_language(requested: str | None = None, saved: str | None = None,
                     environ: Mapping[str, str] | None = None) -> str:
    """The language to use: the flag, the saved preference, the locale variables, English.

    A variable that names a language we have no catalog for ends the search (a user who set
    LANG=fr gets English, not a later variable's choice), as gettext itself does."""
    for choice in (requested, saved):
        lang = normalise(choice)
        if lang:
            return lang
    import os

    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value and value not in ("C", "POSIX"):
            return normalise(value) or "en"
    return "en"


def set_language(lang: str) -> str:
    """Switch every later ``_()`` to ``lang`` (unknown → English); returns the language set."""
    global _translation, _language
    lang = normalise(lang) or "en"
    _translation = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    _language = lang
    return lang


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet: for text fixed at import time
    (class-level BINDINGS, module constants), translated with ``_()`` where it is shown, so a
    language switch inside the app reaches it."""
    return message
