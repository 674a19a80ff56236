"""Run a masked-LM head only where it is needed.

The head's vocabulary projection (hidden × 30 522) costs more than the whole 6-layer encoder
for a short sentence, and fill-mask or PLL scoring needs it at a handful of positions.  So
BERT-style models (``cls`` or ``lm_head``) run the encoder, pick the rows, then the head.
No torch import here: the module only calls what it is given.
"""
from __future__ import annotations


def mlm_head(net):
    """The module that maps hidden states to vocabulary logits, or None if the model has none."""
    return getattr(net, "cls", None) or getattr(net, "lm_head", None)


def logits_at(net, inputs: dict, rows, positions):
    """Vocabulary logits at (``rows[i]``, ``positions[i]``) of the batch: [n, vocab]."""
    head = mlm_head(net)
    if head is None:  # an unusual architecture: run it whole
        return net(**inputs).logits[rows, positions]
    hidden = getattr(net, net.base_model_prefix)(**inputs).last_hidden_state  # [batch, seq, hidden]
    return head(hidden[rows, positions])                                      # [n, vocab]
