"""Line breaks inside Chinese text.

Textual and Rich wrap only at whitespace: a Chinese sentence has none, so the whole run moves to
the next line and is then cut at the edge, leaving ragged lines ("BERT" alone, then the sentence,
then "。" by itself).  Chinese may break between any two characters, except that closing
punctuation must not start a line and opening punctuation must not end one (GB/T 15834's
line-breaking rules, the common subset).

Both libraries find "words" with one module-level regular expression; ``install()`` swaps in one
that also makes each CJK character (with the punctuation that sticks to it) a word.  For text with
no CJK character the new expressions match exactly what the old ones did, so English wraps as
before.  Private attributes of textual/rich: if a future version renames them, ``install()``
changes nothing and says so by returning False.
"""
from __future__ import annotations

import importlib
import io
import re

# Ideographs, kana, hangul, CJK symbols and full-width forms: two cells wide, breakable anywhere.
_CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff" \
       "\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff"
_OPEN = "“‘（《「『【〈〔［｛"
_CLOSE = "”’，。、；：！？）》」』】〉〕］｝…—·％"
_STICKY = re.escape(_OPEN + _CLOSE)

# A CJK word: optional opening marks, one character, the closing marks after it.
_CJK_WORD = f"[{re.escape(_OPEN)}]*[{_CJK}][{re.escape(_CLOSE)}]*"
# Anything else up to the next whitespace or CJK character (English words, numbers, `[MASK]`).
_OTHER_WORD = f"(?:[^\\s{_CJK}{_STICKY}]|[{_STICKY}](?![{_CJK}]))+[{re.escape(_CLOSE)}]*"

TEXTUAL_CHUNK = re.compile(f"(?:{_CJK_WORD}|{_OTHER_WORD})\\s*|[{_STICKY}]+\\s*|\\s+")
RICH_WORD = re.compile(f"\\s*(?:{_CJK_WORD}|{_OTHER_WORD}|[{_STICKY}]+)\\s*")


def _patch(module_name: str, name: str, pattern: re.Pattern) -> bool:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    if not isinstance(getattr(module, name, None), re.Pattern):
        return False
    setattr(module, name, pattern)
    return True


def install() -> bool:
    """Make Textual's and Rich's wrapping break between CJK characters; True when both took it."""
    return all([_patch("textual._wrap", "re_chunk", TEXTUAL_CHUNK), _patch("rich._wrap", "re_word", RICH_WORD)])


def wrap_lines(text: str, width: int) -> list[str]:
    """One paragraph as lines of at most ``width`` cells, by the rules above (Rich's wrapping;
    the CLI uses it for Chinese ``--help`` without importing textual)."""
    from rich.console import Console
    from rich.text import Text

    _patch("rich._wrap", "re_word", RICH_WORD)
    console = Console(width=width, file=io.StringIO(), color_system=None)
    return [line.plain.rstrip() for line in Text(" ".join(text.split())).wrap(console, width)]
