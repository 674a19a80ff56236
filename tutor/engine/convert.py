"""Convert a masked LM to ONNX once, check it against torch fp32, and cache it.

What is written to ``<cache>/onnx/<content key>/``:
* ``inside.onnx``: ``MaskedLMOutputs`` in fp32 (logits at chosen positions, every hidden
  state, every attention map); ``mlm.onnx``: the same graph cut down to the logits, whose
  last layer runs at the chosen positions only (``last_layer_at`` in torch_network.py);
* ``model.weights``: both graphs' weights as ONNX external data, which onnxruntime maps
  instead of holding a second copy while parsing;
* ``tokenizer.json``: the model's fast tokenizer, as the ``tokenizers`` library reads it;
* ``meta.json``: shapes, special tokens, and where the word-embedding matrix sits inside
  ``model.weights`` (the tokens view reads rows of it without running anything).

The conversion is kept only if onnxruntime answers as torch does on sentences of several
lengths and batch sizes: the same top-5 at every blank and probabilities within 1e-4.
This module imports torch; it runs once per model (about half a minute for bert-tutor-mini
on 2 cores, most of it importing torch and exporting).
"""
from __future__ import annotations

import json
import os
import shutil
import warnings
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from tutor.engine.fast_tokenizer import FastTokenizer, SpecialTokens
from tutor.engine.model_cache import EXPORT_FORMAT
from tutor.engine.probabilities import softmax, top_k
from tutor.engine.torch_network import MaskedLMOutputs, TorchNetwork

PROBABILITY_TOLERANCE = 1e-4
FILES = ["mlm.onnx", "inside.onnx", "model.weights", "tokenizer.json"]
_CHECK_TEXTS = ("The capital of France is {m}.", "She drank a glass of cold {m} after the long race in the sun.",
                "{m}")


class ConversionError(Exception):
    """The model cannot run on onnxruntime exactly as in torch; the engine falls back to torch."""


def describe(model, hf_tokenizer, max_tokens: int) -> dict:
    """What the engine needs to know about a model besides its graph."""
    config = model.config
    return {
        "format": EXPORT_FORMAT, "files": FILES, "model_type": getattr(config, "model_type", ""),
        "layers": int(config.num_hidden_layers), "heads": int(config.num_attention_heads),
        "hidden": int(config.hidden_size), "vocab": int(config.vocab_size),
        "max_position_embeddings": int(getattr(config, "max_position_embeddings", max_tokens)),
        "max_tokens": max_tokens, "parameters": int(sum(p.numel() for p in model.parameters())),
        "specials": asdict(SpecialTokens.of(hf_tokenizer)),
    }


def fast_tokenizer_of(hf_tokenizer) -> FastTokenizer:
    if not getattr(hf_tokenizer, "is_fast", False):
        raise ConversionError("the model has no fast (Rust) tokenizer")
    from tokenizers import Tokenizer

    copy = Tokenizer.from_str(hf_tokenizer.backend_tokenizer.to_str())
    return FastTokenizer(copy, SpecialTokens.of(hf_tokenizer))


def convert(network: TorchNetwork, hf_tokenizer, meta: dict, target: Path) -> None:
    """Export ``network`` into ``target`` (written under a temporary name, then renamed)."""
    pieces = fast_tokenizer_of(hf_tokenizer)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        _export(network.model, tmp)
        pieces.save(tmp / "tokenizer.json")
        meta = dict(meta, embeddings=_embedding_location(network.model, tmp))
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1))
        from tutor.engine.onnx_network import OnnxNetwork

        check(OnnxNetwork(tmp, meta), network, pieces)
        try:
            os.replace(tmp, target)
        except OSError:
            if not target.is_dir():  # else another process finished first: keep its copy
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _export(model, folder: Path) -> None:
    """``inside.onnx`` (all outputs) and ``mlm.onnx`` (logits only, the nodes they need), both
    reading one ``model.weights``.  Two graphs because onnxruntime computes every output of a
    graph whatever is asked for: a PLL batch through the first would hold every layer's
    attention maps (1.9 GB for 40 rows of 200 tokens)."""
    import onnx
    from onnx.utils import Extractor

    wrapper = MaskedLMOutputs(model.cpu().eval(), inside=True, targets_only=True).eval()
    ids = torch.tensor([[5, 6, 7, 8, 9, 10]])
    flat = torch.tensor([3])
    graph = folder / "graph.onnx"
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer and deprecation chatter; check() is the real test
        # The TorchScript exporter: a third of the time of the dynamo one, and the graph is checked anyway.
        torch.onnx.export(wrapper, (ids, flat), str(graph), input_names=["input_ids", "flat"],
                          output_names=["logits", "hidden_states", "attentions"], opset_version=17,
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "flat": {0: "positions"}},
                          dynamo=False)
    inside = onnx.load(str(graph))
    graph.unlink()
    mlm = Extractor(inside).extract_model(["input_ids", "flat"], ["logits"])
    onnx.save_model(inside, str(folder / "inside.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.weights", size_threshold=1024)
    stored = {init.name: init for init in onnx.load(str(folder / "inside.onnx"), load_external_data=False).graph.initializer}
    for init in mlm.graph.initializer:
        if init.name in stored and stored[init.name].external_data:
            init.ClearField("raw_data")
            init.data_location = onnx.TensorProto.EXTERNAL
            init.external_data.extend(stored[init.name].external_data)
    onnx.save_model(mlm, str(folder / "mlm.onnx"))


def _embedding_location(model, folder: Path) -> dict:
    """Offset and shape of the word-embedding matrix inside ``model.weights``."""
    import onnx
    from onnx.external_data_helper import ExternalDataInfo, uses_external_data

    weight = model.get_input_embeddings().weight.detach().float().cpu().numpy()
    proto = onnx.load(str(folder / "inside.onnx"), load_external_data=False)
    for init in proto.graph.initializer:
        if tuple(init.dims) != weight.shape or not uses_external_data(init):
            continue
        info = ExternalDataInfo(init)
        rows = np.memmap(folder / info.location, dtype=np.float32, mode="r", offset=info.offset, shape=weight.shape)
        if np.array_equal(rows, weight):
            return {"offset": int(info.offset), "shape": list(weight.shape)}
    raise ConversionError("the word-embedding matrix is not among the exported weights")


def check(fast, reference: TorchNetwork, pieces: FastTokenizer) -> None:
    """Raise ConversionError unless ``fast`` answers as ``reference`` does."""
    texts = [t.format(m=pieces.mask_token) for t in _CHECK_TEXTS]
    rows = [pieces.encode(t).ids for t in texts]
    batch = np.array([rows[1], rows[1][::-1]], dtype=np.int64)  # a batch of two, as PLL sends
    cases = [(np.array([r], dtype=np.int64), [r.index(pieces.mask_token_id)]) for r in rows]
    cases.append((batch, [3, 5, batch.shape[1] + 4]))  # two targets in one row, one in the other
    for ids, flat in cases:
        flat = np.array(flat, dtype=np.int64)
        got, want = fast.run(ids, flat, inside=True), reference.run(ids, flat, inside=True)
        p_got, p_want = softmax(got[0]), softmax(want[0])
        worst = float(np.abs(p_got - p_want).max())
        same_top = all(list(top_k(a, 5)) == list(top_k(b, 5)) for a, b in zip(p_got, p_want))
        inside = max(float(np.abs(a - b).max()) for a, b in zip(got[1:], want[1:]))
        if worst > PROBABILITY_TOLERANCE or not same_top or inside > 1e-3:
            raise ConversionError(f"onnxruntime differs from torch (probability {worst:.1e}, hidden {inside:.1e})")
