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


# -- the hub check uses huggingface_hub's own endpoint, session (proxies) and offline mode --
class _Session:
    def __init__(self, fail=False):
        self.urls, self.fail = [], fail

    def head(self, url, timeout):
        self.urls.append(url)
        if self.fail:
            raise OSError("connection refused")


def test_hub_reachable_asks_the_configured_endpoint(monkeypatch):
    import huggingface_hub
    import huggingface_hub.constants as hf_constants

    from tutor.engine import loading

    session = _Session()
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub, "is_offline_mode", lambda: False)
    monkeypatch.setattr(huggingface_hub, "get_session", lambda: session)
    monkeypatch.setattr(hf_constants, "ENDPOINT", "https://hf-mirror.example")
    assert loading.hub_reachable() is True
    assert session.urls == ["https://hf-mirror.example"]
    session.fail = True
    assert loading.hub_reachable() is False


def test_hub_reachable_is_false_offline_without_asking(monkeypatch):
    import huggingface_hub

    from tutor.engine import loading

    session = _Session()
    monkeypatch.setattr(huggingface_hub, "get_session", lambda: session)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert loading.hub_reachable() is False and session.urls == []


def test_an_uncached_hub_model_offline_is_one_line(monkeypatch):
    from tutor.engine.loading import model_folder

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(TutorError, match="cannot load model nope/xyz") as info:
        model_folder("nope/xyz", "nope/xyz")
    assert "\n" not in str(info.value)


# -- the conversion cache key follows the files' content --------------------------------
def test_content_key_follows_the_weights(tmp_path, monkeypatch):
    from tutor.engine.model_cache import content_key

    monkeypatch.setenv("BERT_TUTOR_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"weights v1")
    first = content_key(folder)
    assert content_key(folder) == first
    (folder / "notes.txt").write_text("not part of the model")
    assert content_key(folder) == first
    (folder / "model.safetensors").write_bytes(b"weights v2")
    assert content_key(folder) != first


# -- rank_options refuses an over-long option before running anything (issue 15, item 7) --
class _NoNetwork:
    def run(self, *args, **kwargs):
        raise AssertionError("the network must not run")


def test_an_over_long_option_is_refused_before_the_model_runs():
    from tutor.engine.fast_tokenizer import FastTokenizer, SpecialTokens
    from tutor.engine.pll import score_options
    from tutor.paths import BUNDLED_MODEL_DIR

    pieces = FastTokenizer.from_file(BUNDLED_MODEL_DIR / "tokenizer.json", SpecialTokens("[MASK]", 103, 0))
    with pytest.raises(TutorError, match=r"5006 tokens long; the model takes at most 512"):
        score_options(_NoNetwork(), pieces, "I like ___ tea.", ["green", "word " * 5000], max_tokens=512)
