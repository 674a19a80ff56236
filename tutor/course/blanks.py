"""Blanks in learner and lesson text: ``[MASK]`` or a run of 3+ underscores (no torch here)."""
from __future__ import annotations

import re

from tutor.i18n import N_

BLANK_PATTERN = re.compile(r"\[MASK\]|_{3,}", re.IGNORECASE)


NO_BLANK = N_("no blank in the text: write [MASK] or ___ where a word is missing")


def count_blanks(text: str) -> int:
    return len(BLANK_PATTERN.findall(text or ""))


def normalize_blanks(text: str, mask_token: str = "[MASK]") -> str:
    return BLANK_PATTERN.sub(mask_token, text)
