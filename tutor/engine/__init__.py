"""The only package that imports torch and transformers.

``load_engine()`` returns the bundled bert-tutor-mini; ``load_engine("bert-base-uncased")`` or
``load_engine("/path/to/folder")`` another masked LM.  One engine per model per process.
"""
from __future__ import annotations

import threading

from tutor.engine.engine import AttentionResult, Embedding, Engine
from tutor.engine.loading import resolve_model
from tutor.engine.pll import OptionScore

_cache: dict[str, Engine] = {}
_cache_lock = threading.Lock()

__all__ = ["Engine", "AttentionResult", "Embedding", "OptionScore", "load_engine", "loaded_engines"]


def load_engine(model: str | None = None, *, device: str | None = None) -> Engine:
    """Load (or reuse) the engine for ``model``; raises ``TutorError`` with a one-line reason."""
    name, source = resolve_model(model)
    with _cache_lock:
        if source not in _cache:
            _cache[source] = Engine(name, source, device=device)
        return _cache[source]


def loaded_engines() -> list[Engine]:
    return list(_cache.values())
