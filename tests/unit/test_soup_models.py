"""scripts/soup_models.py: the weighted average of two same-shaped model folders."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("soup_models", ROOT / "scripts" / "soup_models.py")
soup_models = importlib.util.module_from_spec(spec)
spec.loader.exec_module(soup_models)


def model_folder(path: Path, value: float, shape=(2, 3), steps: int = 100) -> Path:
    path.mkdir()
    save_file({"w": torch.full(shape, value), "b": torch.full((3,), -value)}, path / "model.safetensors")
    (path / "config.json").write_text("{}")
    (path / "training.json").write_text(json.dumps({"steps": steps}))
    return path


def test_soup_mixes_weights_in_fp16_and_records_how(tmp_path):
    a, b = model_folder(tmp_path / "a", 1.0), model_folder(tmp_path / "b", 3.0, steps=200)
    soup_models.soup(a, b, 0.75, tmp_path / "out")
    mixed = load_file(tmp_path / "out" / "model.safetensors")
    assert mixed["w"].dtype == torch.float16
    assert torch.allclose(mixed["w"].float(), torch.full((2, 3), 1.5))      # 0.75·1 + 0.25·3
    assert torch.allclose(mixed["b"].float(), torch.full((3,), -1.5))
    record = json.loads((tmp_path / "out" / "training.json").read_text())
    assert record["steps"] == 200 and record["soup"]["weight_a"] == 0.75 and record["soup"]["weight_b"] == 0.25
    assert (tmp_path / "out" / "config.json").exists()


def test_soup_refuses_different_architectures_and_bad_weights(tmp_path):
    a, b = model_folder(tmp_path / "a", 1.0), model_folder(tmp_path / "b", 1.0, shape=(3, 3))
    with pytest.raises(ValueError, match="same architecture"):
        soup_models.soup(a, b, 0.5, tmp_path / "out")
    with pytest.raises(ValueError, match="between 0 and 1"):
        soup_models.soup(a, a, 1.5, tmp_path / "out2")
