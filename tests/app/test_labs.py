"""The labs' run controls with real Textual thread workers and a stand-in for the training
function (the real training runs are in test_real_model.py): no model yet, a failing run,
cancel, a late message after the lab left the screen, the four Fig. 2 panels and their
summary sentences, and the loss plot's legend off the data."""
from __future__ import annotations

import asyncio
import threading

from textual.widgets import Button

from tests.app.fake_engine import FakeEngine
from tests.app.test_inside_views import ViewApp
from tutor.course.blocks import FinetuneBlock, PretrainBlock
from tutor.lab_results import RunResult
from tutor.progress import open_store
from tutor.widgets.finetune_lab import TASKS, FinetuneLab
from tutor.widgets.loss_plot import LossPlot
from tutor.widgets.pretrain_lab import PretrainLab

SLOW = [1.8 - 0.08 * i for i in range(10)]     # ends at 1.08
FAST = [1.8 * 0.75 ** i for i in range(10)]    # ends near 0.14


def status(lab) -> str:
    return str(lab.query_one("#lab-status").render())


def text_of(widget) -> str:
    """The widget's lines as they are drawn on the screen (tables included), joined."""
    lines = widget.render_lines(widget.region.reset_offset)
    return " ".join(" ".join("".join(segment.text for segment in line).split()) for line in lines)


def buttons(lab) -> tuple[bool, bool]:
    return lab.query_one("#start", Button).disabled, lab.query_one("#cancel", Button).disabled


async def settle(pilot, app, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def fake_compare(finetune_losses, scratch_losses, *, gate: threading.Event | None = None, log: list | None = None):
    """A stand-in for tutor.engine.finetune.compare: same arguments, same callbacks, instant."""
    def compare(config, *, on_step, should_stop, compare_scratch, model_source, task):
        results = {"finetune": None, "scratch": None}
        for kind, losses in (("finetune", finetune_losses), ("scratch", scratch_losses)):
            curve = []
            for step, loss in enumerate(losses, 1):
                if gate is not None and step == 2:
                    gate.wait(timeout=10)  # the test acts here (cancel, leave the screen)
                if should_stop():
                    results[kind] = RunResult(kind, curve, None, 0.1, cancelled=True, task=task)
                    return results
                curve.append((step, loss))
                on_step(kind, step, loss)
                if log is not None:
                    log.append((task, kind, step))
            results[kind] = RunResult(kind, curve, 0.8 if kind == "scratch" else 0.4, 0.1, task=task)
        return results
    return compare


def test_start_waits_for_the_model():
    lab = FinetuneLab(FinetuneBlock(steps=2))

    async def scenario():
        app = ViewApp(lab, ready=False)
        async with app.run_test(size=(100, 40)) as pilot:
            lab.focus()
            await pilot.pause()  # the focus lands before the key (it went to the app under load)
            await pilot.press("s")
            await pilot.pause()
            assert "not loaded yet" in status(lab) and not lab.running
            assert buttons(lab) == (False, True)
    asyncio.run(scenario())


def test_a_failing_run_shows_its_error_and_resets_the_buttons(monkeypatch):
    import tutor.engine.pretrain_lab as pretrain_lab

    def broken(*args, **kwargs):
        raise RuntimeError("no weights in [this] fake")

    monkeypatch.setattr(pretrain_lab, "run_pretrain_lab", broken)
    lab = PretrainLab(PretrainBlock(text="The cat sat on the mat. " * 4, steps=2, probe="The cat sat on the [MASK]."))

    async def scenario():
        app = ViewApp(lab, FakeEngine())
        async with app.run_test(size=(110, 44)) as pilot:
            await pilot.pause()
            await pilot.click("#start")
            await settle(pilot, app)
            assert not lab.running and lab.result is None
            assert "no weights in [this] fake" in status(lab)  # shown literally, not as markup
            assert buttons(lab) == (False, True)
    asyncio.run(scenario())


def run_gated_lab(monkeypatch, act) -> tuple[list, list]:
    """Start the fine-tune lab on a fake run whose worker waits before step 2; ``act(pilot, lab)``
    runs while it waits, then the worker goes on.  Returns (steps the worker took, what the app
    showed afterwards: the lab's status and buttons while it is still on screen)."""
    import tutor.engine.finetune as finetune

    gate, log, seen = threading.Event(), [], {}
    monkeypatch.setattr(finetune, "compare", fake_compare(SLOW, FAST, gate=gate, log=log))
    lab = FinetuneLab(FinetuneBlock(steps=10))

    async def scenario():
        app = ViewApp(lab)
        async with app.run_test(size=(110, 50)) as pilot:
            lab.focus()
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            assert lab.running and buttons(lab) == (True, False)
            await act(pilot, lab)
            gate.set()
            await settle(pilot, app)
            seen.update(running=app.is_running, labs=len(app.query(FinetuneLab)))
            if lab.is_attached:
                seen.update(status=status(lab), buttons=buttons(lab), busy=lab.running, results=lab.results)
    asyncio.run(scenario())
    return log, seen


def test_cancel_button_stops_a_real_worker(monkeypatch):
    async def cancel(pilot, lab):
        await pilot.click("#cancel")
        await pilot.pause()
        assert "cancelling" in status(lab)

    log, seen = run_gated_lab(monkeypatch, cancel)
    assert log == [("topics", "finetune", 1)]  # the worker stopped before step 2
    assert "Cancelled — nothing saved" in seen["status"] and not seen["busy"]
    assert seen["buttons"] == (False, True) and seen["results"] is None


def test_a_late_message_after_the_lab_left_is_dropped(monkeypatch):
    """Issue 14.1 / 15.2 for labs: the worker keeps posting after its lab was removed."""
    async def leave(pilot, lab):
        await lab.remove()

    log, seen = run_gated_lab(monkeypatch, leave)
    assert log and seen == {"running": True, "labs": 0}


def test_four_panels_and_a_summary_that_says_scratch_won(monkeypatch):
    import tutor.engine.finetune as finetune

    monkeypatch.setattr(finetune, "compare", fake_compare(SLOW, FAST))
    lab = FinetuneLab(FinetuneBlock(steps=10))
    store = open_store(":memory:")

    async def scenario():
        app = ViewApp(lab)
        app.store = store
        async with app.run_test(size=(120, 60)) as pilot:
            plots = list(lab.query(LossPlot))
            assert [p.border_title for p in plots] == list(TASKS.values())
            lab.focus()
            await pilot.pause()
            await pilot.press("s")
            await settle(pilot, app)
            summary = text_of(lab.query_one("#lab-summary"))
            assert "training from scratch ended lower" in summary and "opposite of the lecture's Fig. 2" in summary
            assert "fell faster and lower" not in summary
            assert "40% pretrained, 80% from scratch" in summary
            assert "task 2 of 4" in status(lab)
            assert len(plots[0].series) == 2
            saved = store.lab_runs("finetune")
            assert [r["params"]["task"] for r in saved] == ["topics"]
            await pilot.press("s")  # the next press trains the next task
            await settle(pilot, app)
            assert [r["params"]["task"] for r in store.lab_runs("finetune")] == ["topics", "next-sentence"]
    asyncio.run(scenario())


def test_last_saved_runs_are_shown_faded():
    store = open_store(":memory:")
    store.save_lab_run("finetune", {"task": "word-order", "steps": 10}, {"finetune": [[1, 1.0], [2, 0.5]],
                       "scratch": [[1, 1.0], [2, 0.9]]}, {"finetune": 0.9, "scratch": 0.6}, 3.0)
    lab = FinetuneLab(FinetuneBlock(steps=10))

    async def scenario():
        app = ViewApp(lab)
        app.store = store
        async with app.run_test(size=(120, 60)) as pilot:
            await pilot.pause()
            plot = lab.query_one("#plot-word-order", LossPlot)
            assert plot.faded and not plot.series and "last run" in str(plot.border_subtitle)
            summary = text_of(lab.query_one("#lab-summary"))
            assert "real or shuffled? (last run)" in summary and "90%" in summary
            assert "Faded curves are your last saved runs" in status(lab)
    asyncio.run(scenario())


def test_loss_plot_keeps_its_legend_off_the_data():
    plot = LossPlot("training loss")

    async def scenario():
        app = ViewApp(plot)
        async with app.run_test(size=(80, 24)) as pilot:
            for step, loss in enumerate(SLOW, 1):
                plot.add("pretrained start", step, loss)
                plot.add("from scratch", step, FAST[step - 1])
            await pilot.pause()
            drawn = str(plot.render())
            assert "pretrained start" not in drawn and "from scratch" not in drawn  # nothing over the curves
            assert "pretrained start" in str(plot.border_subtitle) and "from scratch" in str(plot.border_subtitle)
            assert plot.border_title == "training loss" and "training loss" not in drawn
    asyncio.run(scenario())
