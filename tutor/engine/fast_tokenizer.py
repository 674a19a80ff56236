"""The model's own tokenizer without transformers: the ``tokenizers`` library reading the
``tokenizer.json`` that Hugging Face's fast tokenizer is built on, so ids, offsets and word
ids are the ones ``AutoTokenizer`` gives.  The special tokens come from the model's
tokenizer config, written down once when the model is converted (see convert.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tokenizers import Encoding, Tokenizer


@dataclass(frozen=True)
class SpecialTokens:
    mask_token: str
    mask_token_id: int
    pad_token_id: int
    tokens: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, hf_tokenizer) -> "SpecialTokens":
        """Read them from a Hugging Face tokenizer (at conversion time)."""
        pad = hf_tokenizer.pad_token_id
        return cls(hf_tokenizer.mask_token, int(hf_tokenizer.mask_token_id),
                   int(pad if pad is not None else hf_tokenizer.mask_token_id),
                   list(hf_tokenizer.all_special_tokens), [int(i) for i in hf_tokenizer.all_special_ids])


class FastTokenizer:
    """Encode text exactly as the model's fast tokenizer does, with no truncation."""

    def __init__(self, tokenizer: Tokenizer, specials: SpecialTokens):
        tokenizer.no_truncation()  # a tokenizer.json may carry its own truncation or padding
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self.specials = specials
        self.mask_token = specials.mask_token
        self.mask_token_id = specials.mask_token_id
        self.pad_token_id = specials.pad_token_id
        self.all_special_tokens = list(specials.tokens)
        self.all_special_ids = list(specials.ids)

    @classmethod
    def from_file(cls, path: str | Path, specials: SpecialTokens) -> "FastTokenizer":
        return cls(Tokenizer.from_file(str(path)), specials)

    def encode(self, text: str) -> Encoding:
        return self._tokenizer.encode(text)

    def save(self, path: str | Path) -> None:
        self._tokenizer.save(str(path))

    def convert_ids_to_tokens(self, ids) -> list[str]:
        return [self._tokenizer.id_to_token(int(i)) or "[UNK]" for i in ids]

    def __len__(self) -> int:
        return self._tokenizer.get_vocab_size(with_added_tokens=True)
