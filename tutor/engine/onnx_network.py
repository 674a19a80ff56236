"""The masked LM on onnxruntime, in fp32: the engine's network unless a model cannot be converted.

Same interface as ``TorchNetwork.run`` (numpy in, numpy out).  onnxruntime imports in a
quarter of a second and maps the weights file, which is what makes a cold ``bert-tutor
fill`` take about a second instead of eight (torch plus transformers take over six).
Fill-mask and ranking use ``mlm.onnx``; the attention, embedding and token views use
``inside.onnx``, opened the first time one of them asks.

``mlm.onnx`` runs each call on one thread and ranking sends one batch per core at once
(``map``): on 2 cores that does the same work in a fifth less CPU time than one call split
across a thread pool, whose threads wait for each other after every operator.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import onnxruntime as ort


def has_cuda() -> bool:
    return "CUDAExecutionProvider" in ort.get_available_providers()


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # the cores this process may use
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


class OnnxNetwork:
    backend = "onnxruntime"

    def __init__(self, folder: str | Path, meta: dict, device: str | None = None):
        self.folder = Path(folder)
        self.meta = meta
        self._providers = ["CPUExecutionProvider"]
        if device in (None, "cuda") and has_cuda():
            self._providers.insert(0, "CUDAExecutionProvider")
        on_cpu = self._providers == ["CPUExecutionProvider"]
        self.workers = _cores() if on_cpu else 1  # calls that ``map`` runs at once
        self._mlm = self._session("mlm.onnx", threads=1 if on_cpu else 0)
        self._inside = None
        self._lazy_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self.device = "cuda" if self._mlm.get_providers()[0] == "CUDAExecutionProvider" else "cpu"

    def _session(self, file: str, *, prepack: bool = True, threads: int = 0) -> ort.InferenceSession:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 0: one per core
        if not prepack:  # the views run one short sentence: a packed copy of every weight costs ~90 MB
            options.add_session_config_entry("session.disable_prepacking", "1")
        options.log_severity_level = 3  # warnings about unused initializers would reach the terminal
        # idle worker threads sleep instead of spinning: on 2 cores a spinning pool starves the UI thread
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return ort.InferenceSession(str(self.folder / file), options, providers=self._providers)

    def run(self, input_ids: np.ndarray, flat: np.ndarray, *, inside: bool = False):
        feeds = {"input_ids": np.ascontiguousarray(input_ids, dtype=np.int64),
                 "flat": np.ascontiguousarray(flat, dtype=np.int64)}
        if not inside:
            return tuple(self._mlm.run(None, feeds))
        with self._lazy_lock:
            if self._inside is None:
                self._inside = self._session("inside.onnx", prepack=False)
        return tuple(self._inside.run(None, feeds))

    def map(self, fn, items: list) -> list:
        """``[fn(item) for item in items]``, ``workers`` at a time (onnxruntime releases the GIL)."""
        if self.workers == 1 or len(items) < 2:
            return [fn(item) for item in items]
        with self._lazy_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="onnx-batch")
        return list(self._pool.map(fn, items))

    def embedding_matrix(self) -> np.ndarray:
        """The word-embedding matrix [vocab, hidden], mapped from the weights file (no copy)."""
        where = self.meta["embeddings"]
        return np.memmap(self.folder / "model.weights", dtype=np.float32, mode="r", offset=where["offset"],
                         shape=tuple(where["shape"]))
