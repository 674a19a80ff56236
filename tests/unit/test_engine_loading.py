"""Model resolution errors need no model: they fail before torch loads anything."""
from __future__ import annotations

import pytest

from tutor.engine.loading import resolve_model
from tutor.errors import TutorError


def test_bundled_is_default():
    name, source = resolve_model(None)
    assert name == "bert-tutor-mini" and source.endswith("bert-tutor-mini")


def test_folder_without_safetensors_is_refused(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"pickle")
    with pytest.raises(TutorError, match="pickle"):
        resolve_model(str(tmp_path))


def test_folder_without_config(tmp_path):
    with pytest.raises(TutorError, match="config.json"):
        resolve_model(str(tmp_path))


def test_missing_folder():
    with pytest.raises(TutorError, match="does not exist"):
        resolve_model("./no/such/folder")


def test_hub_id_passes_through():
    assert resolve_model("bert-base-uncased") == ("bert-base-uncased", "bert-base-uncased")
