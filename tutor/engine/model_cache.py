"""Where converted models live: the user cache dir, one folder per model content hash.

The key is a SHA-256 over the model folder's weights, config and tokenizer files (and the
export format below), so a retrained model converts again and two folders with the same
files share one conversion.  Hashing 45 MB takes a fraction of a second; the hash is
remembered per (path, size, mtime) so a launch reads no weights it does not need.
A model that could not be converted leaves ``failed.txt``, so later launches go straight to
torch instead of trying again.  The export format is part of the key, so a new format converts
again; the first conversion in a new format removes the conversions of older ones.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

EXPORT_FORMAT = "2"  # bump when convert.py changes what it writes (2: last layer at the targets only)
_HASHED = ("config.json", "*.safetensors", "tokenizer*.json", "special_tokens_map.json", "vocab.*",
           "merges.txt", "*.model")


def cache_root() -> Path:
    """``$BERT_TUTOR_CACHE`` or the platform's user cache dir (``~/.cache/bert-tutor`` on Linux)."""
    configured = os.environ.get("BERT_TUTOR_CACHE")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("bert-tutor", appauthor=False))


def model_files(folder: Path) -> list[Path]:
    files = {p for pattern in _HASHED for p in folder.glob(pattern) if p.is_file()}
    return sorted(files, key=lambda p: p.name)


def _file_digest(path: Path, memo: dict) -> str:
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    if key not in memo:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        memo[key] = digest.hexdigest()
    return memo[key]


def content_key(folder: str | Path) -> str:
    """The hash that names ``folder``'s conversion."""
    folder = Path(folder)
    memo_path = cache_root() / "onnx" / "file-hashes.json"
    try:
        memo = json.loads(memo_path.read_text())
    except (OSError, ValueError):
        memo = {}
    before = len(memo)
    total = hashlib.sha256(f"bert-tutor onnx export {EXPORT_FORMAT}\n".encode())
    for path in model_files(folder):
        total.update(f"{path.name} {_file_digest(path, memo)}\n".encode())
    if len(memo) != before:
        _write_json_quietly(memo_path, memo)
    return total.hexdigest()[:24]


def converted_dir(folder: str | Path) -> Path:
    return cache_root() / "onnx" / content_key(folder)


def read_meta(converted: Path) -> dict | None:
    """The conversion's metadata, or None when it is absent or incomplete."""
    try:
        meta = json.loads((converted / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    if meta.get("format") != EXPORT_FORMAT or not all((converted / f).is_file() for f in meta.get("files", [])):
        return None
    return meta


def remove_outdated(root: Path | None = None) -> list[Path]:
    """Delete conversions in an older export format (never read again: their key is not ours).
    Newer formats are left for the newer version that wrote them."""
    root = root or cache_root() / "onnx"
    removed = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        try:
            written = int(json.loads((folder / "meta.json").read_text()).get("format", ""))
        except (OSError, ValueError, TypeError, AttributeError):
            continue  # not a finished conversion (or a temporary one being written)
        if written < int(EXPORT_FORMAT):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _write_json_quietly(path: Path, data: dict) -> None:
    """Best effort: an unwritable cache only costs a re-hash next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, path)
    except OSError:
        pass
