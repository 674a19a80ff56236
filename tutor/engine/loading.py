"""Find and load a masked-LM: the bundled model, a local folder, or a hub id.

Rules the rest of the app relies on: weights come from safetensors only (a pickle ``.bin``
can run code when loaded), attention is the "eager" implementation (the only one that
returns attention weights), and every failure becomes a one-line ``TutorError``.
"""
from __future__ import annotations

import os
from pathlib import Path

from tutor.errors import TutorError
from tutor.i18n import _
from tutor.model_catalog import bundled_models
from tutor.paths import BUNDLED_MODEL, BUNDLED_MODEL_DIR


def resolve_model(model: str | os.PathLike | None) -> tuple[str, str]:
    """Return (display name, what to pass to from_pretrained) for ``model``."""
    if model is None or str(model) == BUNDLED_MODEL:
        if not (BUNDLED_MODEL_DIR / "config.json").exists():
            raise TutorError(_("the bundled model is missing from {folder}; reinstall bert-tutor").format(
                folder=BUNDLED_MODEL_DIR))
        return BUNDLED_MODEL, str(BUNDLED_MODEL_DIR)
    text = str(model).strip()
    if not text:
        raise TutorError(_("empty model name"))
    for bundled in bundled_models():
        if bundled.name == text:
            return text, str(bundled)
    path = Path(text).expanduser()
    if path.exists():
        if not path.is_dir():
            raise TutorError(_("model path {path} is a file; give the folder that holds config.json").format(path=path))
        if not (path / "config.json").exists():
            raise TutorError(_("model folder {path} has no config.json").format(path=path))
        if not any(path.glob("*.safetensors")):
            if any(path.glob("*.bin")) or any(path.glob("*.pt")):
                raise TutorError(_("model folder {path} has only pickle weights (.bin); "
                                   "bert-tutor loads safetensors only — convert it first").format(path=path))
            raise TutorError(_("model folder {path} has no .safetensors weights").format(path=path))
        return path.name, str(path)
    if text.startswith((".", "/", "~")) or text.count("/") > 1:
        raise TutorError(_("model folder {path} does not exist").format(path=text))
    return text, text  # a hub id such as bert-base-uncased


HUB_FILES = ["config.json", "*.safetensors", "tokenizer*.json", "special_tokens_map.json", "vocab.*",
             "merges.txt", "*.model"]  # never a pickle: .bin and .pt are not fetched


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def hub_reachable(timeout: float = 2.0) -> bool:
    """Whether the hub answers within ``timeout``, so an unreachable one fails in seconds.

    Asks huggingface_hub's own HTTP session at its configured endpoint, so ``HF_ENDPOINT``
    mirrors, proxies from the environment and ``HF_HUB_OFFLINE`` all count."""
    from huggingface_hub import constants, get_session, is_offline_mode

    if offline() or is_offline_mode():
        return False
    try:
        get_session().head(constants.ENDPOINT, timeout=timeout)
        return True
    except Exception:  # httpx/requests errors of many kinds: all mean "not now"
        return False


def model_folder(name: str, source: str) -> Path:
    """A local folder holding ``source``'s files: the folder itself, or the hub snapshot in
    the Hugging Face cache (downloaded when the hub is reachable)."""
    if Path(source).is_dir():
        return Path(source)
    from huggingface_hub import snapshot_download

    local_only = offline() or not hub_reachable()
    try:
        folder = Path(snapshot_download(source, allow_patterns=HUB_FILES, local_files_only=local_only))
    except Exception as exc:  # offline and not cached, no such repo, HTTP errors
        raise TutorError(_explain_load_failure(name, exc)) from exc
    if not (folder / "config.json").is_file():
        raise TutorError(_("cannot load model {name}: it has no config.json").format(name=name))
    if not any(folder.glob("*.safetensors")):
        raise TutorError(_("model {name} has no safetensors weights (bert-tutor refuses pickle .bin files)").format(
            name=name))
    return folder


def load_model_and_tokenizer(source: str, name: str, device: str):
    """Load tokenizer + BertForMaskedLM-like model (fp32, eval mode, on ``device``); errors become TutorError."""
    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()  # a tqdm bar would scribble over the TUI
    # a hub id not yet in a local folder: use the local cache only when the hub is unreachable
    local_only = Path(source).is_dir() or offline() or not hub_reachable()
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
        model = AutoModelForMaskedLM.from_pretrained(
            source, attn_implementation="eager", use_safetensors=True, dtype=torch.float32,
            local_files_only=local_only,
        )
    except TutorError:
        raise
    except Exception as exc:  # transformers raises many types: OSError, ValueError, HTTP errors
        raise TutorError(_explain_load_failure(name, exc)) from exc
    if tokenizer.mask_token is None:
        raise TutorError(_("model {name} has no [MASK] token: bert-tutor needs a masked language model").format(name=name))
    model.to(device).eval()
    return model, tokenizer


def _explain_load_failure(name: str, exc: Exception) -> str:
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    if "safetensors" in str(exc).lower() or "use_safetensors" in str(exc):
        return _("model {name} has no safetensors weights (bert-tutor refuses pickle .bin files)").format(name=name)
    if offline() or "offline" in str(exc).lower() or "connect" in str(exc).lower() or "local_files_only" in str(exc):
        return _("cannot load model {name}: not a bundled model or local folder, and the Hugging Face "
                 "hub is unreachable (offline) and it is not in the local cache").format(name=name)
    return _("cannot load model {name}: {error}").format(name=name, error=first_line)
