"""Shared fixtures. Engine tests load the real bundled model once per session."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def engine():
    from tutor.engine import load_engine

    return load_engine()
