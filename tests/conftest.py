"""Shared fixtures. Engine tests load the real bundled model once per session."""
from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# The learner's own settings and locale never leak into a test (a saved theme, LANG=zh_CN).
os.environ["BERT_TUTOR_SETTINGS"] = os.path.join(tempfile.mkdtemp(prefix="bert-tutor-test-"), "settings.json")
os.environ["LC_ALL"] = "C.UTF-8"


@pytest.fixture(scope="session")
def engine():
    from tutor.engine import load_engine

    return load_engine()
