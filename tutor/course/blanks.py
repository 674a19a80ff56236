"""Blanks in learner and lesson text: ``[MASK]`` or a run of 3+ underscores (no torch here)."""
from __future__ import annotations

import re

BLANK_PATTERN = re.compile(r"\[MASK\]|_{3,}", re.IGNORECASE)


def count_blanks(text: str) -> int:
    return len(BLANK_PATTERN.findall(text or ""))


def normalize_blanks(text: str, mask_token: str = "[MASK]") -> str:
    return BLANK_PATTERN.sub(mask_token, text)
