"""How many parameters a BERT has, from its config alone (no torch): the slide's "340M".

One formula for every BERT, so the bundled model's count sits next to BERT-base and
BERT-large computed the same way.  Like the BERT paper's 110 M / 340 M, the headline count
is the encoder as Hugging Face's ``BertModel`` builds it: embeddings (word, position, segment,
LayerNorm), every Transformer layer, and the pooler.  ``mlm_head=True, pooler=False`` gives
``BertForMaskedLM`` instead (what bert-tutor ships): no pooler, plus the MLM head's transform
and output bias; its decoder matrix is tied to the word embeddings, so it adds nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# The published configs (google-research/bert, bert_config.json of the uncased models).
BERT_BASE = {"vocab_size": 30522, "hidden_size": 768, "num_hidden_layers": 12,
             "num_attention_heads": 12, "intermediate_size": 3072,
             "max_position_embeddings": 512, "type_vocab_size": 2}
BERT_LARGE = {"vocab_size": 30522, "hidden_size": 1024, "num_hidden_layers": 24,
              "num_attention_heads": 16, "intermediate_size": 4096,
              "max_position_embeddings": 512, "type_vocab_size": 2}
# What the paper (Devlin et al., 2019) and the slide call them.
PUBLISHED = {"BERT-base": 110_000_000, "BERT-large": 340_000_000}


@dataclass(frozen=True)
class ParameterCount:
    """A BERT's parameters by part; ``total`` is what the paper's numbers count."""

    embeddings: int
    layers: int        # all Transformer layers together
    per_layer: int
    pooler: int
    mlm_head: int

    @property
    def total(self) -> int:
        return self.embeddings + self.layers + self.pooler + self.mlm_head


def count_parameters(config: dict, *, pooler: bool = True, mlm_head: bool = False) -> ParameterCount:
    """The parameters of a BERT with this config (keys as in Hugging Face's ``config.json``)."""
    v, h = int(config["vocab_size"]), int(config["hidden_size"])
    n, i = int(config["num_hidden_layers"]), int(config["intermediate_size"])
    p, t = int(config["max_position_embeddings"]), int(config.get("type_vocab_size", 2))
    layer_norm = 2 * h  # scale and shift
    embeddings = (v + p + t) * h + layer_norm
    attention = 4 * (h * h + h) + layer_norm      # query, key, value, output projection
    feed_forward = (h * i + i) + (i * h + h) + layer_norm
    per_layer = attention + feed_forward
    return ParameterCount(
        embeddings=embeddings, layers=n * per_layer, per_layer=per_layer,
        pooler=(h * h + h) if pooler else 0,
        # transform (dense + LayerNorm) and one output bias per token; the decoder is tied
        mlm_head=(h * h + h + layer_norm + v) if mlm_head else 0)


def read_config(path: str | Path) -> dict:
    """A model folder's ``config.json`` (or the file itself) as a dict."""
    path = Path(path)
    if path.is_dir():
        path = path / "config.json"
    return json.loads(path.read_text(encoding="utf-8"))


def millions(n: int) -> str:
    """22_713_216 -> '22.7 M'."""
    return f"{n / 1e6:.1f} M"
