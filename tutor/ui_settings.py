"""Small preferences the TUI remembers between launches (today: the theme), as JSON.

The file lives in the user config dir (``$BERT_TUTOR_SETTINGS`` overrides the path). A
missing, unreadable or corrupt file means the defaults, with a one-line notice; saving
writes a temporary file and renames it, so a crash never leaves half a file behind.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.i18n import _

ENV_SETTINGS = "BERT_TUTOR_SETTINGS"


def default_settings_path() -> Path:
    override = os.environ.get(ENV_SETTINGS)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("bert-tutor")) / "settings.json"


@dataclass
class UiSettings:
    """The remembered values; ``path`` None keeps them in memory only (tests)."""

    path: Path | None
    values: dict[str, Any] = field(default_factory=dict)
    notice: str | None = None  # why the file could not be read or written, for the learner

    @classmethod
    def load(cls, path: Path | None) -> UiSettings:
        if path is None:
            return cls(None)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as exc:
            return cls(path, notice=_("cannot read settings {path}: {error}").format(
                path=path, error=getattr(exc, "strerror", None) or exc))
        try:
            values = json.loads(text)
        except ValueError:
            values = None
        if not isinstance(values, dict):
            return cls(path, notice=_("settings file {path} is not valid JSON; using the defaults").format(path=path))
        return cls(path, values)

    def get_str(self, key: str) -> str | None:
        value = self.values.get(key)
        return value if isinstance(value, str) else None

    def set(self, key: str, value: Any) -> bool:
        """Remember ``value`` and save the file; False (and ``notice`` set) if saving failed."""
        self.values[key] = value
        if self.path is None:
            return True
        temporary = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.path.parent,
                                             prefix=".settings-", suffix=".tmp", delete=False) as handle:
                temporary = Path(handle.name)
                json.dump(self.values, handle, indent=2)
            os.replace(temporary, self.path)
        except (OSError, TypeError, ValueError) as exc:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            self.notice = _("cannot save settings to {path}: {error}").format(
                path=self.path, error=getattr(exc, "strerror", None) or exc)
            return False
        return True
