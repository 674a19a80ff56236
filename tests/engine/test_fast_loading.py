"""How models reach the fast path: bundled, a folder, a hub id from the Hugging Face cache
(one conversion per content, shared), and the torch fall-back with its one-line notice."""
from __future__ import annotations

import shutil

import pytest

from tutor.engine.model_cache import content_key
from tutor.paths import BUNDLED_MODEL, BUNDLED_MODEL_DIR

TEXT = "The capital of France is [MASK]."


def _copy_model(folder):
    folder.mkdir(parents=True)
    for path in BUNDLED_MODEL_DIR.iterdir():
        shutil.copy(path, folder / path.name)
    return folder


def test_a_folder_and_a_hub_id_share_the_bundled_conversion(engine, tmp_path, monkeypatch):
    import huggingface_hub.constants as hf_constants

    from tutor.engine.engine import Engine
    from tutor.engine.loading import resolve_model

    folder = _copy_model(tmp_path / "my-model")
    notices = []
    local = Engine(*resolve_model(str(folder)), notice=notices.append)
    assert local.backend == "onnxruntime" and notices == []  # same files: no second conversion
    assert local.fill_mask(TEXT) == engine.fill_mask(TEXT)

    snapshot = _copy_model(tmp_path / "hub" / "models--someone--tiny-bert" / "snapshots" / "abc123")
    (snapshot.parent.parent / "refs").mkdir()
    (snapshot.parent.parent / "refs" / "main").write_text("abc123")
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    hub = Engine(*resolve_model("someone/tiny-bert"), notice=notices.append)
    assert hub.backend == "onnxruntime" and notices == [] and hub.folder == snapshot
    assert content_key(snapshot) == content_key(BUNDLED_MODEL_DIR)
    assert hub.rank_options("I ___ tea.", ["like", "likes"]) == engine.rank_options("I ___ tea.", ["like", "likes"])


def test_a_model_that_cannot_be_converted_runs_on_torch_with_one_notice(tmp_path, monkeypatch):
    import tutor.engine.convert as convert
    from tutor.engine.engine import Engine

    monkeypatch.setenv("BERT_TUTOR_CACHE", str(tmp_path))
    tries = []

    def refuse(*args, **kwargs):
        tries.append(1)
        raise convert.ConversionError("onnxruntime differs from torch (as this test says)")

    monkeypatch.setattr(convert, "convert", refuse)
    notices = []
    fallback = Engine(BUNDLED_MODEL, str(BUNDLED_MODEL_DIR), notice=notices.append)
    assert fallback.backend == "torch" and fallback.fill_mask(TEXT, top_k=1)[0][0][0] == "paris"
    said = "bert-tutor-mini: using torch fp32 (slower start): onnxruntime differs from torch (as this test says)"
    assert notices[-1] == said and fallback.notice == said
    again = []
    Engine(BUNDLED_MODEL, str(BUNDLED_MODEL_DIR), notice=again.append)
    assert tries == [1] and again == [said]  # not converted again: straight to torch


def test_an_unconvertible_cache_folder_is_tried_again_next_time(tmp_path, monkeypatch):
    import tutor.engine.convert as convert
    from tutor.engine.networks import _convert

    def unwritable(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(convert, "convert", unwritable)
    reason, for_good = _convert(BUNDLED_MODEL, BUNDLED_MODEL_DIR, tmp_path / "x", lambda message: None)
    assert "cannot write the conversion cache" in reason and not for_good


def test_one_device_policy_for_inference(engine):
    import torch

    from tutor.engine.engine import Engine
    from tutor.engine.torch_network import pick_device
    from tutor.errors import TutorError

    assert engine.device == "cpu" or torch.cuda.is_available()  # onnxruntime's CPU build here
    cpu = Engine(BUNDLED_MODEL, str(BUNDLED_MODEL_DIR), device="cpu", notice=lambda m: None)
    assert (cpu.backend, cpu.device) == ("onnxruntime", "cpu")
    assert pick_device(None) == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(TutorError, match="no CUDA GPU"):
            Engine(BUNDLED_MODEL, str(BUNDLED_MODEL_DIR), device="cuda", notice=lambda m: None)


def test_a_new_export_format_removes_older_conversions_only(tmp_path):
    import json

    from tutor.engine.model_cache import EXPORT_FORMAT, remove_outdated

    def conversion(name, written):
        folder = tmp_path / name
        folder.mkdir()
        if written is not None:
            (folder / "meta.json").write_text(json.dumps({"format": written}))
        return folder

    older = conversion("old", str(int(EXPORT_FORMAT) - 1))
    kept = [conversion("current", EXPORT_FORMAT), conversion("newer", str(int(EXPORT_FORMAT) + 1)),
            conversion("half-written.tmp-123", None)]
    (tmp_path / "file-hashes.json").write_text("{}")
    assert remove_outdated(tmp_path) == [older]
    assert not older.exists() and all(folder.is_dir() for folder in kept)
    assert (tmp_path / "file-hashes.json").is_file()
