"""The live BERT: fill blanks, rank cloze options, read attention, get contextual vectors.

Every answer is the model's own fp32 answer.  The network runs on onnxruntime from a
conversion made once per model and checked against torch (see networks.py and convert.py),
or on torch fp32 when a model cannot be converted.  This module imports neither torch nor
transformers: ``model`` and ``tokenizer`` (the Hugging Face objects the training labs need)
load them the first time they are asked for.
"""
from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass

import numpy as np

from tutor.course.blanks import NO_BLANK, count_blanks, normalize_blanks
from tutor.engine.networks import Notice, OpenedModel, open_network
from tutor.engine.pll import OptionScore, score_blanks
from tutor.engine.probabilities import softmax, top_k
from tutor.engine_types import AttentionResult, Embedding
from tutor.errors import TutorError
from tutor.i18n import _
from tutor.rank_choices import DEFAULT_NORMALIZE, DEFAULT_SCOPE


@dataclass(frozen=True)
class ModelShape:
    """The config fields callers read (named as in a Hugging Face config)."""
    model_type: str
    num_hidden_layers: int
    num_attention_heads: int
    hidden_size: int
    vocab_size: int
    max_position_embeddings: int


def _print_notice(message: str) -> None:
    print(_("bert-tutor: {message}").format(message=message), file=sys.stderr, flush=True)


class Engine:
    """One loaded model; thread-safe (calls are serialised, the UI runs them in workers).

    ``precise=`` on the calls below is accepted for old callers and changes nothing: there is
    only the fp32 network."""

    def __init__(self, name: str, model_path: str, device: str | None = None, *, notice: Notice | None = None,
                 opened: OpenedModel | None = None):
        self.name = name
        self.model_path = model_path
        opened = opened or open_network(name, model_path, device, notice or _print_notice)
        self.network = opened.network
        self.pieces = opened.pieces
        self.folder = opened.folder
        self.notice = opened.notice
        self._hf_tokenizer = opened.hf_tokenizer
        self._torch_model = getattr(self.network, "model", None)  # set when torch is the network
        self.backend = self.network.backend
        self.device = self.network.device
        meta = opened.meta
        self.config = ModelShape(meta["model_type"], meta["layers"], meta["heads"], meta["hidden"], meta["vocab"],
                                 meta["max_position_embeddings"])
        self.max_tokens = int(meta["max_tokens"])
        self.parameters = int(meta["parameters"])
        self._lock = threading.Lock()

    # -- the Hugging Face objects, for training (imports torch and transformers) -----------
    @property
    def model(self):
        """The fp32 torch model (loaded on first use; the labs copy and train it)."""
        if self._torch_model is None:
            from tutor.engine.torch_network import load_torch_network

            with self._lock:
                if self._torch_model is None:
                    torch_network, self._hf_tokenizer = load_torch_network(str(self.folder), self.name, "cpu")
                    self._torch_model = torch_network.model
        return self._torch_model

    @property
    def tokenizer(self):
        """The Hugging Face tokenizer (loaded on first use; training batches are built with it)."""
        if self._hf_tokenizer is None:
            from transformers import AutoTokenizer

            self._hf_tokenizer = AutoTokenizer.from_pretrained(str(self.folder), local_files_only=True)
        return self._hf_tokenizer

    # -- helpers --------------------------------------------------------------------------
    def encode(self, text: str, *, need_blank: bool = False) -> list[int]:
        """Token ids of ``text`` (blanks normalised to the mask token), enforcing the length limit."""
        if not text or not text.strip():
            raise TutorError(_("the text is empty"))
        ids = self.pieces.encode(normalize_blanks(text, self.pieces.mask_token)).ids
        if len(ids) > self.max_tokens:
            raise TutorError(_("the text is {n} tokens long; {model} takes at most {limit} — shorten it").format(
                n=len(ids), model=self.name, limit=self.max_tokens))
        if need_blank and self.pieces.mask_token_id not in ids:
            raise TutorError(_(NO_BLANK))
        return ids

    def tokens(self, text: str) -> list[tuple[str, int]]:
        """WordPiece tokens with ids, [CLS] and [SEP] included."""
        ids = self.encode(text)
        return list(zip(self.pieces.convert_ids_to_tokens(ids), ids))

    @property
    def vocab_size(self) -> int:
        return len(self.pieces)

    @property
    def special_tokens(self) -> list[str]:
        return list(self.pieces.all_special_tokens)

    def id_to_token(self, ids: list[int]) -> list[str]:
        return self.pieces.convert_ids_to_tokens(list(ids))

    def _inside(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(hidden states [layers + 1, seq, hidden], attentions [layers, heads, seq, seq])."""
        with self._lock:
            _unused, hidden, attentions = self.network.run(np.array([ids]), np.array([0]), inside=True)
        return hidden[:, 0], attentions[:, 0]

    # -- the engine API -------------------------------------------------------------------
    def fill_mask(self, text: str, top_k: int = 5, *, precise: bool = True) -> list[list[tuple[str, float]]]:
        """One list per blank of (token, probability), best first."""
        top_k = max(1, min(int(top_k), 50))
        ids = self.encode(text, need_blank=True)
        positions = np.array([i for i, t in enumerate(ids) if t == self.pieces.mask_token_id])
        with self._lock:
            logits = self.network.run(np.array([ids]), positions)[0]  # [blanks, vocab]
        return [self._best(row, top_k) for row in softmax(logits)]

    def _best(self, probs: np.ndarray, k: int) -> list[tuple[str, float]]:
        best = top_k(probs, k)
        return [(t, round(float(probs[i]), 6)) for t, i in zip(self.pieces.convert_ids_to_tokens(best), best)]

    def fill_mask_using(self, net, text: str, top_k: int = 5) -> list[list[tuple[str, float]]]:
        """``fill_mask`` with a torch copy of the network (the pretrain lab's training copy),
        on whatever device that copy is."""
        import torch

        from tutor.engine.heads import logits_at

        top_k = max(1, min(int(top_k), 50))
        ids = self.encode(text, need_blank=True)
        device = next(net.parameters()).device
        with torch.inference_mode():
            input_ids = torch.tensor([ids], device=device)
            positions = (input_ids[0] == self.pieces.mask_token_id).nonzero().flatten()
            logits = logits_at(net, {"input_ids": input_ids}, torch.zeros_like(positions), positions)
        return [self._best(row, top_k) for row in softmax(logits.float().cpu().numpy())]

    def rank_options(self, text: str, options: list[str], *, normalize: str = DEFAULT_NORMALIZE,
                     scope: str = DEFAULT_SCOPE, precise: bool = True) -> list[OptionScore]:
        """Score each option filled into the single blank by the sentence's PLL (see pll.py).
        An empty option ("", a lesson's "(no word)") is the sentence with nothing there."""
        return self.rank_blanks([(text, options)], normalize=normalize, scope=scope)[0]

    def rank_blanks(self, blanks: list[tuple[str, list[str]]], *, normalize: str = DEFAULT_NORMALIZE,
                    scope: str = DEFAULT_SCOPE) -> list[list[OptionScore]]:
        """``rank_options`` for each (text, options) of a passage, in one go: the same scores,
        with the blanks' rows sharing batches so every core is busy until the last blank."""
        for text, options in blanks:
            if count_blanks(text) != 1:
                raise TutorError(_("ranking needs exactly one blank ([MASK] or ___); this text has {n}").format(
                    n=count_blanks(text)))
            if not options:
                raise TutorError(_("give at least one option"))
        cleaned = [(text, [o.strip() for o in options]) for text, options in blanks]
        with self._lock:
            return score_blanks(self.network, self.pieces, cleaned, normalize=normalize, scope=scope,
                                max_tokens=self.max_tokens)

    def attention(self, text: str) -> AttentionResult:
        ids = self.encode(text)
        _unused, attentions = self._inside(ids)
        return AttentionResult(self.pieces.convert_ids_to_tokens(ids), attentions)

    def hidden_states(self, text: str) -> tuple[list[str], np.ndarray]:
        """Every layer's vectors from one forward pass: (tokens, [layers + 1, seq, hidden]).

        Index 0 is the input embeddings (word + position + segment, normalised); a view that
        steps through layers caches this once instead of running the model per layer."""
        ids = self.encode(text)
        hidden, _unused = self._inside(ids)
        return self.pieces.convert_ids_to_tokens(ids), hidden

    def sentence_vectors(self, texts: list[str]) -> np.ndarray:
        """One vector per text, [n, hidden]: the mean of the last layer's token vectors,
        special tokens ([CLS], [SEP]) left out.  One pass per text, so no padding enters."""
        special = set(self.pieces.all_special_ids)
        vectors = []
        for text in texts:
            ids = self.encode(text)
            keep = [i for i, t in enumerate(ids) if t not in special] or list(range(len(ids)))
            hidden, _unused = self._inside(ids)
            vectors.append(hidden[-1, keep].mean(axis=0))
        return np.stack(vectors) if vectors else np.zeros((0, self.config.hidden_size), dtype=np.float32)

    def layer_index(self, layer: int) -> int:
        """``layer`` as an index into ``hidden_states`` (-1 = the last); out of range is a TutorError."""
        n_layers = self.config.num_hidden_layers
        if not -n_layers - 1 <= layer <= n_layers:
            raise TutorError(_("layer {layer} is out of range: 0..{last} (or -1 for the last)").format(
                layer=layer, last=n_layers))
        return layer if layer >= 0 else n_layers + 1 + layer

    def embed(self, text: str, layer: int = -1) -> Embedding:
        """Contextual vectors at ``layer`` (0 = input embeddings, -1 = last layer)."""
        index = self.layer_index(layer)
        tokens, states = self.hidden_states(text)
        return Embedding(tokens, states[index], index)

    def word_vectors(self, sentence: str, word: str) -> np.ndarray:
        """``word``'s vector at every layer, [layers + 1, hidden]: the mean of its pieces
        (first whole-word occurrence in ``sentence``)."""
        span = find_word_pieces(self.pieces, sentence, word)
        if span is None:
            raise TutorError(_("'{word}' does not occur in: {sentence}").format(word=word, sentence=sentence))
        _unused, states = self.hidden_states(sentence)
        return states[:, span[0]:span[1]].mean(axis=1)

    def word_vector(self, sentence: str, word: str, layer: int = -1) -> np.ndarray:
        """``word``'s vector at one ``layer`` (see ``word_vectors``)."""
        return self.word_vectors(sentence, word)[self.layer_index(layer)]

    def embedding_rows(self, ids: list[int]) -> tuple[np.ndarray, tuple[int, int]]:
        """Rows ``ids`` of the word-embedding matrix E, and E's shape [vocab, hidden]: what a
        one-hot vector times E selects."""
        matrix = self.network.embedding_matrix()
        if any(not 0 <= i < matrix.shape[0] for i in ids):
            raise TutorError(_("token ids must be in 0..{last}").format(last=matrix.shape[0] - 1))
        return np.array(matrix[list(ids)], dtype=np.float32), tuple(matrix.shape)

    def info(self) -> dict:
        cfg = self.config
        return {"name": self.name, "path": self.model_path, "device": self.device, "backend": self.backend,
                "layers": cfg.num_hidden_layers, "heads": cfg.num_attention_heads, "hidden": cfg.hidden_size,
                "vocab": cfg.vocab_size, "max_tokens": self.max_tokens, "parameters": self.parameters}


def find_word_pieces(pieces, sentence: str, word: str) -> tuple[int, int] | None:
    """Token span [start, end) of the first whole-word occurrence of ``word`` in ``sentence``."""
    match = re.search(rf"(?<!\w){re.escape(word.strip())}(?!\w)", sentence, flags=re.IGNORECASE)
    if not match:
        return None
    offsets = pieces.encode(sentence).offsets
    inside = [i for i, (s, e) in enumerate(offsets) if e > s and s >= match.start() and e <= match.end()]
    return (inside[0], inside[-1] + 1) if inside else None
