"""`bert-tutor pretrain` end to end on a tiny corpus: output folder, resume, bad input."""
from __future__ import annotations

import json

from click.testing import CliRunner

from tutor.cli import cli

CORPUS = "\n".join(["The dog ran to the park with a red ball.", "Mia baked a cake for her mother.",
                    "The sun was warm and the sky was blue."] * 4)


def test_pretrain_writes_a_loadable_model_and_resumes(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(CORPUS)
    out = tmp_path / "model"
    args = ["pretrain", "--from", "bert-tutor-mini", "--corpus", str(corpus), "--heldout", str(corpus),
            "--out", str(out), "--batch-size", "4", "--checkpoint-every", "1", "--json"]
    result = CliRunner().invoke(cli, args + ["--steps", "2"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["steps"] == 2 and record["evals"][-1]["heldout_tokens"] > 0
    assert (out / "model.safetensors").exists() and (out / "config.json").exists()
    assert (out / "checkpoints" / "last" / "trainer_state.json").exists()
    assert (out / "checkpoints" / "last" / "optimizer.safetensors").exists()
    assert not list((out / "checkpoints" / "last").glob("*.pt"))
    assert "local_files_only" not in json.loads((out / "tokenizer_config.json").read_text())
    training = json.loads((out / "training.json").read_text())
    assert training["steps"] == 2 and training["previous"]["steps"] > 1000  # the bundled model's own stages
    resumed = CliRunner().invoke(cli, args + ["--steps", "3", "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert json.loads(resumed.stdout)["steps"] == 3
    from tutor.engine import load_engine

    assert len(load_engine(str(out)).fill_mask("The dog ran to the [MASK].")[0]) == 5


def test_pretrain_empty_corpus_is_a_clear_error(tmp_path):
    corpus = tmp_path / "empty.txt"
    corpus.write_text("\n\n")
    result = CliRunner().invoke(cli, ["pretrain", "--corpus", str(corpus), "--out", str(tmp_path / "m"), "--steps", "1"])
    assert result.exit_code == 2
    assert "error" in result.output and "Traceback" not in result.output


def test_pretrain_logs_plain_progress_lines_when_not_a_terminal(tmp_path):
    """Under nohup or CI the live bar cannot draw, so the log still shows how training goes."""
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(CORPUS)
    result = CliRunner().invoke(cli, ["pretrain", "--from", "bert-tutor-mini", "--corpus", str(corpus),
                                      "--out", str(tmp_path / "m"), "--batch-size", "4", "--steps", "2",
                                      "--checkpoint-every", "5"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("step ")]
    assert [line.split()[1] for line in lines] == ["1/2", "2/2"]
    assert all(" loss " in line and "tok/s" in line for line in lines)


def test_resume_refuses_a_pickled_optimizer_state(tmp_path):
    """A checkpoint someone handed you must not run code: optimizer.pt is a pickle."""
    import torch

    corpus = tmp_path / "corpus.txt"
    corpus.write_text(CORPUS)
    out = tmp_path / "model"
    args = ["pretrain", "--corpus", str(corpus), "--out", str(out), "--batch-size", "4", "--device", "cpu",
            "--checkpoint-every", "1"]
    assert CliRunner().invoke(cli, args + ["--steps", "1", "--json"]).exit_code == 0
    last = out / "checkpoints" / "last"
    (last / "optimizer.safetensors").unlink()
    torch.save({"optimizer": {}}, last / "optimizer.pt")
    result = CliRunner().invoke(cli, args + ["--steps", "2", "--resume", "--json"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "pickle" in result.output


def test_training_loads_safetensors_only(tmp_path):
    """A checkpoint folder (trainer_state.json) with pickle weights is refused, not unpickled."""
    import pytest
    import torch

    from tutor.engine.pretrain_job import load_for_training
    from tutor.errors import TutorError
    from tutor.paths import BUNDLED_MODEL_DIR

    folder = tmp_path / "ckpt"
    folder.mkdir()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        if (BUNDLED_MODEL_DIR / name).exists():
            (folder / name).write_bytes((BUNDLED_MODEL_DIR / name).read_bytes())
    (folder / "trainer_state.json").write_text("{}")
    torch.save({}, folder / "pytorch_model.bin")
    with pytest.raises(TutorError, match="safetensors"):
        load_for_training(str(folder), "cpu")


def test_eval_heldout_on_the_device_asked_for(tmp_path, engine, monkeypatch):
    from tutor.engine import evaluate

    heldout = tmp_path / "heldout.txt"
    heldout.write_text(CORPUS)
    metrics = evaluate.heldout(engine, heldout, limit=8, device="cpu")
    assert metrics["heldout_tokens"] > 0 and 0 <= metrics["heldout_accuracy"] <= 1

    def mismatch(*args, **kwargs):
        raise RuntimeError("Expected all tensors to be on the same device, but found at least two devices")

    import tutor.engine.pretrain as pretrain_module

    monkeypatch.setattr(pretrain_module, "heldout_mlm_metrics", mismatch)
    import pytest

    from tutor.errors import TutorError

    with pytest.raises(TutorError, match="held-out evaluation on cpu failed: Expected all tensors"):
        evaluate.heldout(engine, heldout, limit=8, device="cpu")
