"""Shared fixtures. Engine tests load the real bundled model once per session."""
from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# The learner's own settings and locale never leak into a test (a saved theme, LANG=zh_CN).
os.environ["BERT_TUTOR_SETTINGS"] = os.path.join(tempfile.mkdtemp(prefix="bert-tutor-test-"), "settings.json")
os.environ["LC_ALL"] = "C.UTF-8"


@pytest.fixture(autouse=True)
def own_settings_file(tmp_path_factory, monkeypatch):
    """A settings file per test: a test that switches the theme or language and saves it must
    not repaint a later test in the same worker (a light snapshot where dark was stored).  The
    interface language is process-wide too, so every test ends with it back in English."""
    monkeypatch.setenv("BERT_TUTOR_SETTINGS", str(tmp_path_factory.mktemp("settings") / "settings.json"))
    yield
    from tutor.i18n import current_language, set_language

    if current_language() != "en":  # the language is process-wide: the next test starts in English
        set_language("en")


@pytest.fixture(scope="session")
def engine():
    from tutor.engine import load_engine

    return load_engine()
