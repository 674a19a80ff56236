"""What the fine-tuning lab may say about two runs is computed from them (issue 17 §3)."""
from __future__ import annotations

import pytest

from tutor.lab_results import RunResult, smoothed, summary, verdict


def run(kind: str, losses: list[float], accuracy: float | None = 0.5) -> RunResult:
    return RunResult(kind, [(i + 1, v) for i, v in enumerate(losses)], accuracy, 1.0)


FAST = [1.8, 1.2, 0.9, 0.7, 0.6, 0.5, 0.45, 0.4, 0.38, 0.36]
SLOW = [1.8, 1.75, 1.7, 1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0]


def test_scratch_winning_is_said_plainly():
    fine, scratch = run("finetune", SLOW, 0.40), run("scratch", FAST, 0.70)
    v = verdict(fine, scratch)
    assert v.winner == "scratch" and v.faster == "scratch"
    text = summary(fine, scratch, lr_ratio=10)
    assert "training from scratch ended lower" in text and "opposite of the lecture's Fig. 2" in text
    assert "fell faster and lower" not in text
    assert "10x larger rate" in text and "That can happen" in text
    assert "1.00 pretrained, 0.36 from scratch" in text and "40% pretrained, 70% from scratch" in text


def test_pretrained_winning_names_the_step_it_got_there():
    fine, scratch = run("finetune", FAST), run("scratch", SLOW)
    v = verdict(fine, scratch)
    assert (v.winner, v.faster, v.level) == ("finetune", "finetune", pytest.approx(1.0))
    assert v.finetune_step == 3 and v.scratch_step == 10
    text = summary(fine, scratch)
    assert "fell faster and lower" in text and "by step 3" in text and "only at step 10" in text


def test_lower_but_not_faster():
    early_scratch = [1.8, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    late_fine = [1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 1.0, 0.3, 0.3, 0.3]
    v = verdict(run("finetune", late_fine), run("scratch", early_scratch))
    assert v.winner == "finetune" and v.faster == "scratch"
    assert "lower (though not faster)" in summary(run("finetune", late_fine), run("scratch", early_scratch))


def test_close_results_are_a_tie():
    text = summary(run("finetune", [1.0] * 10), run("scratch", [1.02] * 10))
    assert verdict(run("finetune", [1.0] * 10), run("scratch", [1.02] * 10)).winner == "tie"
    assert text.startswith("No clear winner") and "Fig. 2" not in text


def test_smoothing_uses_a_trailing_window():
    assert smoothed([(1, 4.0), (2, 2.0), (3, 0.0)], 2) == [4.0, 3.0, 1.0]
    # one lucky last batch does not decide: the last tenth of the steps is averaged
    noisy = FAST[:-1] + [5.0]
    assert verdict(run("finetune", noisy), run("scratch", SLOW)).window == 1
    assert verdict(run("finetune", noisy * 2), run("scratch", SLOW * 2)).window == 2


def test_runs_without_steps_cannot_be_compared():
    with pytest.raises(ValueError):
        verdict(run("finetune", []), run("scratch", SLOW))
