"""End-to-end Pilot tests with the real bundled model (slower; a handful only)."""
from __future__ import annotations

from tests.app.conftest import step_to

from tutor.app import make_app
from tutor.course.blocks import FinetuneBlock, PretrainBlock
from tutor.progress import open_store
from tutor.widgets.cloze import ClozeWidget
from tutor.widgets.finetune_lab import FinetuneLab
from tutor.widgets.pretrain_lab import PretrainLab


async def settle(pilot, app, rounds: int = 3):
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def test_li_hua_cloze_end_to_end_with_the_real_model(engine):
    store = open_store(":memory:")
    app = make_app(engine_factory=lambda model: engine, store=store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, app)
        assert app.engine_status == "ready"
        app.open_lesson("cloze-exam")
        await settle(pilot, app)
        await step_to(pilot, app, ClozeWidget)
        cloze = app.screen.query_one(ClozeWidget)
        cloze.focus()
        for spec in cloze.block.blanks:
            await pilot.press(str(spec.options.index(spec.answer) + 1))
        await pilot.press("enter")
        await settle(pilot, app)
        assert all(cloze.results.values())
        assert set(cloze.bert) == set(cloze.numbers)
        for ranked in cloze.bert.values():  # BERT ranked every option of every blank
            assert abs(sum(p for _, p in ranked) - 1) < 1e-3
        you, bert = store.tally()
        assert you == 10 and bert == 9  # bert-tutor-mini on the lecture's passage: 9/10, blank 1 missed (MODEL_CARD.md)


async def _mount_lab(app, pilot, widget):
    await settle(pilot, app)
    await app.screen.mount(widget)
    await pilot.pause()
    widget.focus()


async def test_finetune_lab_runs_and_saves(engine):
    store = open_store(":memory:")
    app = make_app(engine_factory=lambda model: engine, store=store)
    async with app.run_test(size=(110, 44)) as pilot:
        lab = FinetuneLab(FinetuneBlock(steps=3, compare_scratch=True))
        await _mount_lab(app, pilot, lab)
        await pilot.press("s")
        await settle(pilot, app, rounds=4)
        assert lab.results is not None and set(lab.results) == {"finetune", "scratch"}
        assert [s for s, _ in lab.results["scratch"].curve] == [1, 2, 3]
        assert len(lab.query_one("#plot-topics").series) == 2
        assert "Press s for task 2 of 4" in str(lab.query_one("#lab-status").render())
        runs = store.lab_runs("finetune")
        assert len(runs) == 1 and runs[0]["params"]["task"] == "topics"


async def test_pretrain_lab_trains_then_cancel_saves_nothing(engine):
    store = open_store(":memory:")
    app = make_app(engine_factory=lambda model: engine, store=store)
    async with app.run_test(size=(110, 44)) as pilot:
        lab = PretrainLab(PretrainBlock(text="", steps=3, probe="The cat sat on the [MASK]."))
        await _mount_lab(app, pilot, lab)
        await pilot.press("s")  # empty text: a message, no run
        await pilot.pause()
        assert not lab.running and "Paste" in str(lab.query_one("#lab-status").render())
        lab.query_one("#lab-text").text = "The cat sat on the warm mat. The dog slept by the door. " * 3
        lab.action_start()
        await settle(pilot, app)
        # it really trained: three steps, each loss on the plot, the probe read before and after
        assert lab.result is not None and not lab.result.cancelled
        assert [s for s, _ in lab.curve] == [1, 2, 3] == [s for s, _ in lab.result.curve]
        assert [s for s, _ in lab.probes] == [0, 3]
        assert "Done: 3 steps" in str(lab.query_one("#lab-status").render())
        runs = store.lab_runs("pretrain")
        assert len(runs) == 1 and len(runs[0]["curves"]["loss"]) == 3
        lab.action_start()
        lab.action_cancel()  # asked before the first step: the worker stops at once
        await settle(pilot, app)
        assert lab.result.cancelled and lab.result.curve == []
        assert "Cancelled at step 0" in str(lab.query_one("#lab-status").render())
        assert len(store.lab_runs("pretrain")) == 1
