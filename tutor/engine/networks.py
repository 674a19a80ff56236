"""Open a model for inference: onnxruntime from the conversion cache, converting on first use,
or torch fp32 when the model cannot be converted (one notice says so).

Both run the same fp32 network; convert.py keeps a conversion only if it answers as torch
does.  torch and transformers are imported only to convert or to fall back.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tutor.engine.fast_tokenizer import FastTokenizer, SpecialTokens
from tutor.engine.loading import model_folder
from tutor.engine.model_cache import converted_dir, read_meta, remove_outdated
from tutor.i18n import _

Notice = Callable[[str], None]
MAX_TOKENS = 512


@dataclass
class OpenedModel:
    network: object         # OnnxNetwork or TorchNetwork: run(ids, flat, inside=...), map(fn, items), workers
    pieces: FastTokenizer
    meta: dict
    folder: Path
    hf_tokenizer: object | None = None  # loaded already when torch was needed
    notice: str = ""


def open_network(name: str, source: str, device: str | None, notice: Notice) -> OpenedModel:
    folder = model_folder(name, source)
    if device not in (None, "cpu", "cuda"):
        return _torch_opened(name, folder, device, notice, f"device {device} is torch-only")
    try:
        from tutor.engine.onnx_network import OnnxNetwork, has_cuda
    except ImportError as exc:  # onnxruntime missing or broken on this platform
        return _torch_opened(name, folder, device, notice, f"onnxruntime is unavailable ({exc})")
    if device == "cuda" and not has_cuda():
        return _torch_opened(name, folder, device, notice, "this onnxruntime has no CUDA")
    cached = converted_dir(folder)
    failed = cached.with_name(cached.name + ".failed")
    if failed.is_file():
        return _torch_opened(name, folder, device, notice, _first_line(failed.read_text()))
    meta = read_meta(cached)
    if meta is None:
        reason, for_good = _convert(name, folder, cached, notice)
        if reason:
            if for_good:
                _write_quietly(failed, reason)
            return _torch_opened(name, folder, device, notice, reason)
        meta = read_meta(cached)
    pieces = FastTokenizer.from_file(cached / "tokenizer.json", SpecialTokens(**meta["specials"]))
    return OpenedModel(OnnxNetwork(cached, meta, device), pieces, meta, folder)


def _convert(name: str, folder: Path, cached: Path, notice: Notice) -> tuple[str, bool]:
    """Convert into ``cached``: ("", True) when it worked, else (reason, whether the model
    itself is the reason — then later launches go straight to torch)."""
    notice(_("preparing {name} for fast answers (once per model, about half a minute)…").format(name=name))
    from tutor.engine.convert import ConversionError, convert, describe
    from tutor.engine.torch_network import load_torch_network

    network, hf_tokenizer = load_torch_network(str(folder), name, "cpu")
    meta = describe(network.model, hf_tokenizer, _max_tokens(network.model.config))
    try:
        convert(network, hf_tokenizer, meta, cached)
    except ConversionError as exc:
        return str(exc), True
    except ImportError as exc:  # the onnx package is missing: installing it fixes this
        return _("cannot convert without the onnx package ({error})").format(error=exc), False
    except OSError as exc:  # an unwritable or full cache: try again next time
        return _("cannot write the conversion cache: {error}").format(error=_first_line(str(exc))), False
    except Exception as exc:  # the exporter fails in many ways on unusual architectures
        return f"{type(exc).__name__}: {_first_line(str(exc))}", True
    if not read_meta(cached):
        return _("the conversion left no usable files"), False
    remove_outdated(cached.parent)
    return "", True


def _torch_opened(name: str, folder: Path, device: str | None, notice: Notice, reason: str) -> OpenedModel:
    message = _("{name}: using torch fp32 (slower start): {reason}").format(name=name, reason=reason)
    notice(message)
    opened = open_torch(name, folder, device)
    opened.notice = message
    return opened


def open_torch(name: str, folder: str | Path, device: str | None = None) -> OpenedModel:
    """The model on torch fp32: the fallback, and the reference the tests compare with."""
    from tutor.engine.convert import ConversionError, describe, fast_tokenizer_of
    from tutor.engine.torch_network import load_torch_network

    folder = Path(folder)
    network, hf_tokenizer = load_torch_network(str(folder), name, device)
    try:
        pieces = fast_tokenizer_of(hf_tokenizer)
    except ConversionError as exc:
        from tutor.errors import TutorError

        raise TutorError(_("cannot use model {name}: {error}").format(name=name, error=exc)) from exc
    meta = describe(network.model, hf_tokenizer, _max_tokens(network.model.config))
    return OpenedModel(network, pieces, meta, folder, hf_tokenizer)


def _max_tokens(config) -> int:
    return min(MAX_TOKENS, int(getattr(config, "max_position_embeddings", MAX_TOKENS)))


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["unknown reason"])[0][:200]


def _write_quietly(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    except OSError:
        pass
