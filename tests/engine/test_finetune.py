"""The fine-tuning lab with the real bundled model: short runs only (seconds each on 2 cores).

``threads=1``: on a 2-core machine that is busy with something else, two torch threads spend
most of their time waiting for each other (measured: 5x slower per step), so the tests pin one.
"""
from __future__ import annotations

import json

import click
import pytest
import torch
from click.testing import CliRunner

from tutor.engine.finetune import FinetuneConfig, RunResult, compare, load_topic_data, run_finetune
from tutor.errors import TutorError

# one worker runs the module (xdist --dist loadgroup): short_run trains once, not on both
pytestmark = pytest.mark.xdist_group("finetune")


@pytest.fixture(scope="module")
def data():
    train, test, labels = load_topic_data()
    return train, test[:120], labels   # a 120-sentence test slice keeps evaluation quick


def tiny(**overrides) -> FinetuneConfig:
    settings = dict(steps=20, batch_size=16, seed=0, threads=1, n_predictions=3)
    settings.update(overrides)
    return FinetuneConfig(**settings)


@pytest.fixture(scope="module")
def short_run(data) -> RunResult:
    seen = []
    # 12 steps of 8 is too short for the default rates to move the new Linear layer (it then
    # predicts one topic for everything); larger rates show learning within seconds
    result = run_finetune("finetune", tiny(lr=2e-4, head_lr=1e-2), data, on_step=lambda *a: seen.append(a))
    result.reported = seen
    return result


def test_short_finetune_learns(short_run, data):
    losses = [loss for _, loss in short_run.curve]
    assert [s for s, _ in short_run.curve] == list(range(1, 21))
    assert sum(losses[-3:]) / 3 < losses[0]
    assert short_run.accuracy is not None and short_run.accuracy > 1.5 / len(data[2])  # chance is 1/6
    assert not short_run.cancelled and short_run.seconds > 0
    assert short_run.reported == [("finetune", s, v) for s, v in short_run.curve]
    assert len(short_run.predictions) == 3
    assert {"text", "label", "predicted"} <= set(short_run.predictions[0])
    assert all(p["predicted"] in data[2] for p in short_run.predictions)


def test_same_seed_same_curve(short_run, data):
    # warm-up makes the first steps' learning rates independent of the total step count
    # only the curves are compared: 8 test rows, not 120, for the accuracy nobody reads here
    again = run_finetune("finetune", tiny(steps=3, lr=2e-4, head_lr=1e-2, test_limit=8), data)
    assert again.curve == short_run.curve[:3]
    other = run_finetune("finetune", tiny(steps=3, lr=2e-4, head_lr=1e-2, seed=1, test_limit=8), data)
    assert other.curve != again.curve


def test_cancel_stops_within_a_step(data):
    steps_seen = []

    def should_stop() -> bool:
        return len(steps_seen) >= 2

    result = run_finetune("finetune", tiny(steps=50), data,
                          on_step=lambda kind, step, loss: steps_seen.append(step), should_stop=should_stop)
    assert result.cancelled
    assert [s for s, _ in result.curve] == [1, 2]
    assert result.accuracy is None and result.predictions == []


def test_compare_runs_scratch_from_random_weights(data):
    seen = []
    results = compare(tiny(steps=2, batch_size=4, test_limit=8), data=data, on_step=lambda *a: seen.append(a[:2]))
    assert seen == [("finetune", 1), ("finetune", 2), ("scratch", 1), ("scratch", 2)]
    assert results["scratch"].kind == "scratch" and results["scratch"].accuracy is not None
    # a random encoder + random Linear starts near ln(6), the loss of a uniform guess
    assert abs(results["scratch"].curve[0][1] - torch.log(torch.tensor(6.0)).item()) < 0.5
    assert results["finetune"].curve != results["scratch"].curve
    # the random encoder is drawn from the seed too: same seed, same scratch curve
    again = run_finetune("scratch", tiny(steps=2, batch_size=4, test_limit=8), data)
    assert again.curve == results["scratch"].curve


def test_compare_cancelled_during_finetune_skips_scratch(data):
    results = compare(tiny(steps=5), data=data, should_stop=lambda: True)
    assert results["finetune"].cancelled and results["finetune"].curve == []
    assert results["scratch"] is None


def test_engine_as_source_is_not_modified(data):
    from tutor.engine import load_engine

    engine = load_engine()
    before = engine.fill_mask("The capital of France is [MASK].")
    result = run_finetune("finetune", tiny(steps=2, batch_size=4, device="cpu"), data, model_source=engine)
    assert result.accuracy is not None
    assert engine.fill_mask("The capital of France is [MASK].") == before


def test_model_and_batches_share_the_device_asked_for(data, monkeypatch):
    from tutor.engine import finetune as finetune_module

    seen = []
    forward = finetune_module.SentenceClassifier.forward

    def watched(self, *tensors):
        param = next(self.parameters()).device
        seen.extend((t.device, param) for t in tensors if t is not None)
        return forward(self, *tensors)

    monkeypatch.setattr(finetune_module.SentenceClassifier, "forward", watched)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    result = run_finetune("scratch", tiny(steps=2, batch_size=4, device=device, test_limit=8), data)
    assert result.accuracy is not None
    assert seen and all(t == p and p.type == device for t, p in seen)


def test_sentence_pairs_are_read_as_pairs():
    from tutor.engine.finetune import load_task_data

    train, test, labels = load_task_data("next-sentence")
    assert labels == ["follows", "random"] and "text_b" in train[0]
    result = run_finetune("finetune", tiny(steps=2, batch_size=4, test_limit=8, n_predictions=2),
                          (train, test, labels), task="next-sentence")
    assert result.task == "next-sentence" and result.accuracy is not None
    assert {"text", "text_b", "label", "predicted"} == set(result.predictions[0])


def test_bad_input_is_a_tutor_error(data, tmp_path):
    with pytest.raises(TutorError):
        run_finetune("pretrain", tiny(), data)
    with pytest.raises(TutorError):
        run_finetune("finetune", tiny(steps=0), data)
    with pytest.raises(TutorError, match="missing"):
        load_topic_data(tmp_path)


def _cli():
    from tutor.commands.finetune_cmd import finetune

    @click.group()
    @click.option("--model", default=None)
    @click.pass_context
    def group(ctx, model):
        ctx.ensure_object(dict)
        ctx.obj.update(model=model)

    group.add_command(finetune)
    return group


def test_cli_json():
    result = CliRunner().invoke(_cli(), ["finetune", "--steps", "2", "--batch-size", "4", "--threads", "1",
                                         "--no-compare-scratch", "--device", "cpu", "--test-limit", "8", "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert set(record["tasks"]) == {"topics"}
    run = record["tasks"]["topics"]
    assert set(run) == {"finetune"}
    assert [step for step, _ in run["finetune"]["curve"]] == [1, 2]
    assert 0 <= run["finetune"]["accuracy"] <= 1 and run["finetune"]["seconds"] > 0


def test_cli_all_four_tasks_compare_scratch_json():
    result = CliRunner().invoke(_cli(), ["finetune", "--task", "all", "--compare-scratch", "--steps", "2",
                                         "--batch-size", "4", "--threads", "1", "--test-limit", "8", "--json"])
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.output)["tasks"]
    assert list(tasks) == ["topics", "next-sentence", "word-order", "feeling"]
    for name, run in tasks.items():
        assert [s for s, _ in run["finetune"]["curve"]] == [1, 2] == [s for s, _ in run["scratch"]["curve"]]
        smoothed = {k: sum(v for _, v in run[k]["curve"][-1:]) for k in ("finetune", "scratch")}
        assert run["verdict"]["finetune_loss"] == pytest.approx(smoothed["finetune"], abs=1e-4)
        assert run["verdict"]["winner"] in ("finetune", "scratch", "tie") and run["summary"]


def test_cli_bad_device_is_one_line():
    result = CliRunner().invoke(_cli(), ["finetune", "--device", "tpu", "--json"])
    assert result.exit_code == 2 and result.output.strip().count("\n") == 0
    assert "unknown device" in result.output


def test_cli_bad_model_is_one_line():
    result = CliRunner().invoke(_cli(), ["finetune", "--model", "/no/such/folder", "--json"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "does not exist" in result.output


def test_cli_ctrl_c_cancels_cleanly(monkeypatch):
    import os
    import signal

    import tutor.engine.finetune as finetune_module

    def fake_compare(config, *, should_stop, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)   # what Ctrl-C does; the command's handler catches it
        assert should_stop()
        return {"finetune": RunResult("finetune", [(1, 1.7)], None, 0.1, cancelled=True), "scratch": None}

    monkeypatch.setattr(finetune_module, "compare", fake_compare)
    result = CliRunner().invoke(_cli(), ["finetune", "--steps", "3", "--device", "cpu"])
    assert result.exit_code == 130
    assert "cancelled" in result.output and "Traceback" not in result.output
