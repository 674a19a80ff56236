"""Where the bundled lessons and assets are, for an editable checkout and for a wheel.

A wheel carries them as ``tutor/_data/{lessons,assets}``; a checkout has them at the repo root.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


ASSETS_DIR = _data_dir("assets")
LESSONS_DIR = _data_dir("lessons")
MODELS_DIR = ASSETS_DIR / "models"
BUNDLED_MODEL = "bert-tutor-mini"
BUNDLED_MODEL_DIR = MODELS_DIR / BUNDLED_MODEL
EVAL_DIR = ASSETS_DIR / "eval"
DATA_DIR = ASSETS_DIR / "data"


def course_dir(language: str = "en") -> Path:
    """The bundled course in ``language``: ``lessons/zh`` for Chinese, ``lessons`` for English
    (and for a language the course has no translation for)."""
    translated = LESSONS_DIR / language
    return translated if language != "en" and translated.is_dir() else LESSONS_DIR
