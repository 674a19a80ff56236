"""The live BERT: fill blanks, rank cloze options, read attention, get contextual vectors.

Two copies of the network share one tokenizer:
* ``model``: fp32 with eager attention — attention maps and embeddings come from here;
* ``fast``: on CPU, the same weights with int8 dynamic quantisation of the Linear layers —
  fill-mask and option ranking run here because the encoder dominates CPU time.  The
  benchmark reports how often its top-1 and option rankings agree with fp32.
Pass ``precise=True`` to a call to use the fp32 copy.
"""
from __future__ import annotations

import copy
import re
import threading

import numpy as np
import torch

from tutor.course.blanks import count_blanks, normalize_blanks
from tutor.engine.heads import logits_at
from tutor.engine.loading import load_model_and_tokenizer
from tutor.engine.pll import OptionScore, score_options
from tutor.engine_types import AttentionResult, Embedding
from tutor.rank_choices import DEFAULT_NORMALIZE, DEFAULT_SCOPE
from tutor.errors import TutorError

MAX_TOKENS = 512


class Engine:
    """One loaded model; thread-safe (calls are serialised, the UI runs them in workers)."""

    def __init__(self, name: str, model_path: str, device: str | None = None, quantize: bool = True):
        self.name = name
        self.model_path = model_path
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model, self.tokenizer = load_model_and_tokenizer(model_path, name, self.device)
        self.max_tokens = min(MAX_TOKENS, int(getattr(self.model.config, "max_position_embeddings", MAX_TOKENS)))
        self.fast = self._quantized() if quantize and self.device == "cpu" else self.model
        self._lock = threading.Lock()
        self.config = self.model.config

    def _quantized(self):
        import warnings

        from torch.ao.quantization import quantize_dynamic

        with warnings.catch_warnings():  # deprecated in favour of torchao, still the fastest here
            warnings.simplefilter("ignore")
            return quantize_dynamic(copy.deepcopy(self.model), {torch.nn.Linear}, dtype=torch.qint8).eval()

    # -- helpers --------------------------------------------------------------------------
    def encode(self, text: str, *, need_blank: bool = False) -> dict:
        """Tokenise ``text`` (blanks normalised to the mask token), enforcing the length limit."""
        if not text or not text.strip():
            raise TutorError("the text is empty")
        text = normalize_blanks(text, self.tokenizer.mask_token)
        enc = self.tokenizer(text, return_tensors="pt", truncation=False)
        n = enc["input_ids"].shape[1]
        if n > self.max_tokens:
            raise TutorError(f"the text is {n} tokens long; {self.name} takes at most {self.max_tokens} — shorten it")
        if need_blank and not (enc["input_ids"][0] == self.tokenizer.mask_token_id).any():
            raise TutorError("no blank in the text: write [MASK] or ___ where a word is missing")
        return {k: v.to(self.device) for k, v in enc.items()}

    def tokens(self, text: str) -> list[tuple[str, int]]:
        """WordPiece tokens with ids, [CLS] and [SEP] included."""
        ids = self.encode(text)["input_ids"][0].tolist()
        return list(zip(self.tokenizer.convert_ids_to_tokens(ids), ids))

    @property
    def vocab_size(self) -> int:
        return len(self.tokenizer)

    def id_to_token(self, ids: list[int]) -> list[str]:
        return self.tokenizer.convert_ids_to_tokens(list(ids))

    def _backbone(self, net):
        return getattr(net, net.base_model_prefix)

    # -- the engine API -------------------------------------------------------------------
    @torch.inference_mode()
    def fill_mask(self, text: str, top_k: int = 5, *, precise: bool = False) -> list[list[tuple[str, float]]]:
        """One list per blank of (token, probability), best first."""
        return self.fill_mask_using(self.model if precise else self.fast, text, top_k)

    @torch.inference_mode()
    def fill_mask_using(self, net, text: str, top_k: int = 5) -> list[list[tuple[str, float]]]:
        """``fill_mask`` with another copy of the network (the pretrain lab's training copy)."""
        top_k = max(1, min(int(top_k), 50))
        enc = self.encode(text, need_blank=True)
        with self._lock:
            positions = (enc["input_ids"][0] == self.tokenizer.mask_token_id).nonzero().flatten()
            logits = logits_at(net, enc, torch.zeros_like(positions), positions)  # [blanks, vocab]
        probs = logits.float().softmax(-1)
        best = probs.topk(top_k, dim=-1)
        results = []
        for values, indices in zip(best.values.tolist(), best.indices.tolist()):
            tokens = self.tokenizer.convert_ids_to_tokens(indices)
            results.append([(t, round(float(p), 6)) for t, p in zip(tokens, values)])
        return results

    def rank_options(self, text: str, options: list[str], *, normalize: str = DEFAULT_NORMALIZE,
                     scope: str = DEFAULT_SCOPE, precise: bool = False) -> list[OptionScore]:
        """Score each option filled into the single blank by the sentence's PLL (see pll.py)."""
        if count_blanks(text) != 1:
            raise TutorError(f"ranking needs exactly one blank ([MASK] or ___); this text has {count_blanks(text)}")
        cleaned = [o.strip() for o in options]
        if len(cleaned) < 1 or any(not o for o in cleaned):
            raise TutorError("give at least one non-empty option")
        net = self.model if precise else self.fast
        with self._lock:
            return score_options(net, self.tokenizer, text, cleaned, normalize=normalize, scope=scope,
                                 max_tokens=self.max_tokens, device=self.device)

    @torch.inference_mode()
    def attention(self, text: str) -> AttentionResult:
        enc = self.encode(text)
        with self._lock:
            out = self._backbone(self.model)(**enc, output_attentions=True)
        weights = torch.stack([a[0] for a in out.attentions]).float().cpu().numpy()  # [L, H, S, S]
        tokens = self.tokenizer.convert_ids_to_tokens(enc["input_ids"][0].tolist())
        return AttentionResult(tokens, weights)

    @torch.inference_mode()
    def hidden_states(self, text: str) -> tuple[list[str], np.ndarray]:
        """Every layer's vectors from one forward pass: (tokens, [layers + 1, seq, hidden]).

        Index 0 is the input embeddings (word + position + segment, normalised); a view that
        steps through layers caches this once instead of running the model per layer."""
        enc = self.encode(text)
        with self._lock:
            out = self._backbone(self.model)(**enc, output_hidden_states=True)
        states = torch.stack([h[0] for h in out.hidden_states]).float().cpu().numpy()  # [L+1, S, H]
        return self.tokenizer.convert_ids_to_tokens(enc["input_ids"][0].tolist()), states

    def layer_index(self, layer: int) -> int:
        """``layer`` as an index into ``hidden_states`` (-1 = the last); out of range is a TutorError."""
        n_layers = self.model.config.num_hidden_layers
        if not -n_layers - 1 <= layer <= n_layers:
            raise TutorError(f"layer {layer} is out of range: 0..{n_layers} (or -1 for the last)")
        return layer if layer >= 0 else n_layers + 1 + layer

    def embed(self, text: str, layer: int = -1) -> Embedding:
        """Contextual vectors at ``layer`` (0 = input embeddings, -1 = last layer)."""
        index = self.layer_index(layer)
        tokens, states = self.hidden_states(text)
        return Embedding(tokens, states[index], index)

    def word_vectors(self, sentence: str, word: str) -> np.ndarray:
        """``word``'s vector at every layer, [layers + 1, hidden]: the mean of its pieces
        (first whole-word occurrence in ``sentence``)."""
        span = find_word_pieces(self.tokenizer, sentence, word)
        if span is None:
            raise TutorError(f"'{word}' does not occur in: {sentence}")
        _, states = self.hidden_states(sentence)
        return states[:, span[0]:span[1]].mean(axis=1)

    def word_vector(self, sentence: str, word: str, layer: int = -1) -> np.ndarray:
        """``word``'s vector at one ``layer`` (see ``word_vectors``)."""
        return self.word_vectors(sentence, word)[self.layer_index(layer)]

    @torch.inference_mode()
    def embedding_rows(self, ids: list[int]) -> tuple[np.ndarray, tuple[int, int]]:
        """Rows ``ids`` of the word-embedding matrix E, and E's shape [vocab, hidden]: what a
        one-hot vector times E selects."""
        weight = self.model.get_input_embeddings().weight
        if any(not 0 <= i < weight.shape[0] for i in ids):
            raise TutorError(f"token ids must be in 0..{weight.shape[0] - 1}")
        return weight[list(ids)].float().cpu().numpy(), tuple(weight.shape)

    def info(self) -> dict:
        cfg = self.model.config
        return {"name": self.name, "path": self.model_path, "device": self.device,
                "layers": cfg.num_hidden_layers, "heads": cfg.num_attention_heads,
                "hidden": cfg.hidden_size, "vocab": cfg.vocab_size, "max_tokens": self.max_tokens,
                "parameters": sum(p.numel() for p in self.model.parameters())}


def find_word_pieces(tokenizer, sentence: str, word: str) -> tuple[int, int] | None:
    """Token span [start, end) of the first whole-word occurrence of ``word`` in ``sentence``."""
    match = re.search(rf"(?<!\w){re.escape(word.strip())}(?!\w)", sentence, flags=re.IGNORECASE)
    if not match:
        return None
    enc = tokenizer(sentence, return_offsets_mapping=True)
    inside = [i for i, (s, e) in enumerate(enc["offset_mapping"]) if e > s and s >= match.start() and e <= match.end()]
    return (inside[0], inside[-1] + 1) if inside else None
