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


def install() -> bool:
    """Make Textual's and Rich's wrapping break between CJK characters; True when both took it."""
    import importlib

    done = 0
    for module_name, name, pattern in (("textual._wrap", "re_chunk", TEXTUAL_CHUNK),
                                       ("rich._wrap", "re_word", RICH_WORD)):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if isinstance(getattr(module, name, None), re.Pattern):
            setattr(module, name, pattern)
            done += 1
    return done == 2
