"""The masked LM in torch fp32: the reference every faster path is checked against, the
graph that is exported to ONNX, and the fallback when a model cannot be converted.

``MaskedLMOutputs`` wraps a Hugging Face masked LM so that one call gives everything the
engine reads: vocabulary logits at chosen (flattened) positions only, every layer's hidden
states and every layer's attention weights.  The head's vocabulary projection (hidden × 30 522)
costs more than the whole 6-layer encoder for a short sentence, so it runs only where a blank
or a PLL target is.  Imported only to convert a model, to train, or as the fallback.
"""
from __future__ import annotations

import numpy as np
import torch

from tutor.engine.heads import mlm_head
from tutor.i18n import _


class MaskedLMOutputs(torch.nn.Module):
    """forward(input_ids [B, S], flat [n]) -> (logits [n, V], hidden_states [L+1, B, S, H],
    attentions [L, B, heads, S, S]); ``flat`` indexes the B*S positions row by row.

    ``targets_only`` (the exported graph): the logits come from a last layer run at the ``flat``
    positions only (see ``last_layer_at``), the same numbers for a sixth less work per row."""

    def __init__(self, model: torch.nn.Module, inside: bool = True, targets_only: bool = False):
        super().__init__()
        self.model = model
        self.inside = inside
        self.targets_only = targets_only and prunable_last_layer(model) is not None

    def forward(self, input_ids: torch.Tensor, flat: torch.Tensor):
        head = mlm_head(self.model)
        if head is None:  # an unusual architecture: the whole model, logits everywhere
            out = self.model(input_ids=input_ids, output_hidden_states=self.inside,
                             output_attentions=self.inside)
            logits = out.logits.reshape(-1, out.logits.shape[-1]).index_select(0, flat)
        else:
            backbone = getattr(self.model, self.model.base_model_prefix)
            out = backbone(input_ids=input_ids, output_hidden_states=self.inside or self.targets_only,
                           output_attentions=self.inside)
            if self.targets_only:
                states = last_layer_at(prunable_last_layer(self.model), out.hidden_states[-2], flat)
            else:
                last = out.last_hidden_state
                states = last.reshape(-1, last.shape[-1]).index_select(0, flat)
            logits = head(states)
        if not self.inside:
            return (logits,)
        return logits, torch.stack(out.hidden_states), torch.stack(out.attentions)


def prunable_last_layer(model: torch.nn.Module):
    """The encoder's last layer when it is a plain BERT-style post-LayerNorm layer (self-attention
    with absolute positions, then the feed-forward block), else None."""
    config = model.config
    if (getattr(config, "model_type", "") not in ("bert", "roberta", "xlm-roberta", "camembert")
            or config.is_decoder or getattr(config, "add_cross_attention", False)
            or getattr(config, "position_embedding_type", "absolute") != "absolute"):
        return None
    backbone = getattr(model, model.base_model_prefix, None)
    layers = getattr(getattr(backbone, "encoder", None), "layer", None)
    layer = layers[-1] if layers else None
    needed = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output",
              "intermediate", "output")
    if layer is None or not all(_has_path(layer, name) for name in needed):
        return None
    return layer


def _has_path(module, dotted: str) -> bool:
    for name in dotted.split("."):
        module = getattr(module, name, None)
    return module is not None


def last_layer_at(layer, hidden: torch.Tensor, flat: torch.Tensor) -> torch.Tensor:
    """``layer``'s output at the ``flat`` positions only, [n, H]: keys and values need every
    token of the row, but the query, the attention output and the feed-forward block only the
    position the head reads."""
    batch, seq, width = hidden.shape
    attention = layer.attention.self
    heads, size = attention.num_attention_heads, attention.attention_head_size
    rows = hidden.reshape(-1, width).index_select(0, flat)                      # [n, H]
    which = torch.div(flat, seq, rounding_mode="floor")                         # each target's row
    keys = attention.key(hidden).view(batch, seq, heads, size).transpose(1, 2).index_select(0, which)
    values = attention.value(hidden).view(batch, seq, heads, size).transpose(1, 2).index_select(0, which)
    query = attention.query(rows).view(-1, heads, 1, size)                     # [n, heads, 1, size]
    weights = torch.softmax(torch.matmul(query, keys.transpose(2, 3)) * attention.scaling, dim=-1)
    context = torch.matmul(weights, values).reshape(-1, heads * size)          # [n, H]
    attended = layer.attention.output(context, rows)
    return layer.output(layer.intermediate(attended), attended)


class TorchNetwork:
    """The engine's network interface (numpy in, numpy out) on a torch fp32 model."""

    backend = "torch"
    workers = 1  # torch splits each call across its own threads

    def __init__(self, model: torch.nn.Module, device: str):
        self.model = model
        self.device = device
        self._logits_only = MaskedLMOutputs(model, inside=False).eval()
        self._everything = MaskedLMOutputs(model, inside=True).eval()

    @torch.inference_mode()
    def run(self, input_ids: np.ndarray, flat: np.ndarray, *, inside: bool = False):
        ids = torch.from_numpy(np.ascontiguousarray(input_ids, dtype=np.int64)).to(self.device)
        where = torch.from_numpy(np.ascontiguousarray(flat, dtype=np.int64)).to(self.device)
        net = self._everything if inside else self._logits_only
        return tuple(t.float().cpu().numpy() for t in net(ids, where))

    def map(self, fn, items: list) -> list:
        return [fn(item) for item in items]

    def embedding_matrix(self) -> np.ndarray:
        return self.model.get_input_embeddings().weight.detach().float().cpu().numpy()


def pick_device(requested: str | None) -> str:
    """The inference device for torch: what was asked for, else CUDA when there is one."""
    if requested and requested.startswith("cuda") and not torch.cuda.is_available():
        from tutor.errors import TutorError

        raise TutorError(_("device {device} was asked for, but torch sees no CUDA GPU here").format(device=requested))
    return requested or ("cuda" if torch.cuda.is_available() else "cpu")


def load_torch_network(source: str, name: str, device: str | None = None):
    """(TorchNetwork, Hugging Face tokenizer) for a folder or cached hub snapshot."""
    from tutor.engine.loading import load_model_and_tokenizer

    device = pick_device(device)
    model, tokenizer = load_model_and_tokenizer(source, name, device)
    return TorchNetwork(model, device), tokenizer
