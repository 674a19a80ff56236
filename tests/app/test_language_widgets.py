"""The exercise and lab widgets in Simplified Chinese (issue 20).

What the learner sees at 80×24 is the catalog's Chinese — not the English msgids — with no
button clipped (CJK is two cells wide), and every sentence about a run is a Chinese template
filled with that run's own figures.  The model stays the deterministic fake: nothing here
depends on what a real network answers, only on the answer it gave.
"""
from __future__ import annotations

import asyncio
import re
import threading
from types import SimpleNamespace

import pytest
from rich.cells import cell_len
from textual.widgets import Button, Input, Static

from tests.app.conftest import fake_app, notices, settle, visible_text
from tests.app.fake_engine import FakeEngine
from tests.app.test_inside_views import ViewApp
from tests.app.test_labs import FAST, SLOW, fake_compare, text_of
from tutor.course.blocks import FinetuneBlock, MaskingBlock, PretrainBlock, SlideBlock
from tutor.i18n import _, set_language
from tutor.lab_results import RunResult, summary, verdict
from tutor.analysis.masking import ALL_SPECIAL
from tutor.widgets.cloze import ClozeWidget, bert_picks
from tutor.widgets.fill_mask import LOOKUP_K, FillMaskWidget
from tutor.widgets.finetune_lab import TASKS, FinetuneLab
from tutor.widgets.loss_plot import LossPlot
from tutor.widgets.masking_view import MaskingView, aligned_rows
from tutor.widgets.model_status import ModelStatus
from tutor.widgets.pretrain_lab import PretrainLab
from tutor.widgets.quiz import QuizWidget
from tutor.widgets.slide import SlideView
from tutor.widgets.topk_bars import bars_text

# Latin words Chinese text about a run may keep: names, the paper, a command line, sentences A and B
LATIN_OK = {"A", "B", "BERT", "Hao", "et", "al", "bert", "tutor", "finetune", "steps", "MASK", "MLM", "Enter", "x", "s"}


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    set_language("en")  # the language is process-wide: leave the next test in English


def flat(text: str) -> str:
    """Without whitespace: Chinese wraps anywhere, so a sentence may be split over lines."""
    return re.sub(r"\s+", "", text)


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text))


def assert_buttons_fit(widget) -> None:
    """Every shown button's label fits inside it (CJK measured in cells) and on the screen."""
    for button in widget.query(Button):
        if not (button.display and button.visible and all(a.display for a in button.ancestors)):
            continue
        label = str(button.label)
        assert cell_len(label) <= button.content_region.width, f"{label!r} clipped in {button.content_region}"
        assert button.region.right <= widget.app.size.width, f"{label!r} runs off the screen"


def assert_shows(widget, chinese: tuple[str, ...], english: tuple[str, ...]) -> str:
    """The widget shows every ``chinese`` text and none of the ``english`` ones; buttons fit."""
    shown = visible_text(widget)
    missing, leaked = [t for t in chinese if t not in shown], [t for t in english if t in shown]
    assert not missing and not leaked, (missing, leaked, shown)
    assert_buttons_fit(widget)
    return shown


async def open_widget(pilot, app, lesson: str, step: int, kind):
    app.open_lesson(lesson, step=step - 1)
    await settle(pilot)
    widget = app.screen.query_one(kind)
    widget.scroll_visible(animate=False)
    await settle(pilot)
    return widget


# -- the lesson player at 80×24: cloze, quiz, guess-first fill-mask, the model badge --------
async def test_welcome_lesson_exercises_speak_chinese_at_80x24():
    app = fake_app(lang="zh", settings_path=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        badge = str(app.screen.query_one(ModelStatus).render())
        assert "模型：" in badge and "就绪" in badge and "ready" not in badge

        cloze = await open_widget(pilot, app, "welcome", 3, ClozeWidget)
        assert_shows(cloze, ("a–d 或 1–9 选择 · ←/→ 换空格", "第 1 个空格（1/3）", "提示 (h)", "检查 (Enter)"),
                     ("Hint (h)", "Check (Enter)", "Blank 1", "choose ·", "tab leaves the cloze"))
        cloze.focus()
        await pilot.press("enter")  # nothing chosen yet
        await pilot.press("h", "h")  # the author's hint, then one wrong option goes
        await settle(pilot)
        assert "请至少先选一个答案（a–d 或 1–9）。" in notices(app)
        assert "已去掉一个错误选项：" in notices(app)
        await pilot.press("1", "1", "1", "enter")
        await settle(pilot)
        feedback = str(cloze.query_one("#feedback", Static).render())
        blanks = [cloze.block.blank(n) for n in cloze.numbers]
        right = sum(spec.accepts(spec.options[0]) for spec in blanks)  # "1" picked the first option
        picks = bert_picks(app.engine, cloze.block, cloze.numbers)  # what BERT computes for each blank
        bert = sum(spec.accepts(picks[spec.number][0][0]) for spec in blanks)
        assert "你：" in feedback and "答案：" in feedback
        assert f"你 {right}/3 · BERT {bert}/3" in feedback
        assert not re.search(r"you:|key:|You |Why", feedback), feedback

        quiz = await open_widget(pilot, app, "welcome", 4, QuizWidget)
        shown = assert_shows(quiz, ("提示 (h)", "检查 (Enter)"), ("Choose one", "Hint (h)", "Check (Enter)"))
        assert re.search(r"(单选|选出所有正确项) \(1–\d\) · Enter 检查 · h 提示 · tab 离开本题", shown)
        quiz.focus()
        await pilot.press("enter")
        assert f"请先选择答案 (1–{len(quiz.block.choices)})。" in notices(app)
        await pilot.press("1", "enter")
        await settle(pilot)
        verdict_line = str(quiz.query_one("#feedback", Static).render()).splitlines()[0]
        assert verdict_line == ("答对了！" if quiz.correct else "不太对。")

        fill = await open_widget(pilot, app, "welcome", 5, FillMaskWidget)
        assert_shows(fill, ("揭晓 BERT", "BERT 已有答案。输入你的猜测，按 Enter 揭晓。"), ("Reveal BERT", "has an answer"))
        await pilot.click("#reveal")  # no guess yet
        await settle(pilot)
        assert "先输入你的猜测——然后 BERT 才揭晓答案。" in notices(app)
        first = app.engine.fill_mask(fill.text, top_k=LOOKUP_K)[0]  # what BERT answered
        guess, p = first[2]
        fill.query_one("#guess", Input).value = guess
        fill.query_one("#guess", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        status = str(fill.query_one("#status", Static).render())
        assert f"你的猜测“{guess}”在 BERT 的答案中排第 3（{p:.1%}）。" in status
        assert "BERT 的最佳猜测" in str(fill.query_one("#bars", Static).render())


# -- masking ------------------------------------------------------------------------------
def test_masking_rows_line_up_by_cells_with_chinese_labels_and_tokens():
    rows = [("BERT 看到的", [("我", ""), ("[MASK]", ""), ("音乐", "")]),
            ("挑中", [("", ""), ("#1", ""), ("#2", "")]),
            ("label", [("·", ""), ("喜欢", ""), ("音乐", "")])]
    lines = aligned_rows(rows, 80).plain.split("\n")
    for column in (1, 2):
        starts = {cell_len(line[:line.index(cells[column][0])]) for line, (_label, cells) in zip(lines, rows)}
        assert len(starts) == 1, (column, lines)  # the same cell in every row


def test_masking_view_in_chinese_reports_its_own_draw():
    set_language("zh")
    view = MaskingView(MaskingBlock(text="My name is Li Hua and I am thirteen years old.", seed=3))

    async def scenario():
        async with ViewApp(view).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            d = view.draw
            ordinary = sum(1 for t in d.tokens if t not in ALL_SPECIAL)
            info = str(view.query_one(".masking-info", Static).render())
            assert info == (f"种子 3 · {ordinary} 个词元的 15% → 挑中 {len(d.picked)} 个：{d.count('mask')} [MASK] · "
                            f"{d.count('random')} 个随机 · {d.count('keep')} 个不变")
            assert_shows(view, ("r 重抽 · s 显示标签", "重抽 (r)", "标签 (s)", "BERT 看到", "挑中", "自监督学习"),
                         ("Re-roll (r)", "Labels (s)", "BERT sees", "seed ", "self-supervision"))
            view.focus()
            await pilot.press("s")
            await settle(pilot)
            grid = str(view.query_one(".masking-grid", Static).render())
            assert "方式" in grid and "how" not in grid
            result = str(view.query_one(".masking-result", Static).render())
            assert f"你 0/{len(d.picked)}" in result and " 你：— ✗" in result
    asyncio.run(scenario())


def test_top_k_bars_line_up_with_chinese_tokens():
    """A multilingual model's fill-mask answers Chinese characters: the numbers stay in one column."""
    lines = bars_text([("北京", 0.5), ("paris", 0.25), ("上海市", 0.125)]).plain.splitlines()
    assert len({cell_len(line[:line.index("%") - 4]) for line in lines}) == 1, lines


class BrokenEngine(FakeEngine):
    def tokens(self, text):
        raise RuntimeError("boom")


def test_an_unexpected_model_fault_is_one_chinese_line():
    set_language("zh")
    view = MaskingView(MaskingBlock(text="hello there"))

    async def scenario():
        async with ViewApp(view, BrokenEngine()).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert str(view.query_one(".masking-message", Static).render()) == "模型无法读取这段文本：boom"
    asyncio.run(scenario())


# -- the labs ------------------------------------------------------------------------------
def test_finetune_lab_in_chinese_summarises_the_run_from_its_numbers(monkeypatch):
    import tutor.engine.finetune as finetune

    set_language("zh")
    monkeypatch.setattr(finetune, "compare", fake_compare(SLOW, FAST))
    lab = FinetuneLab(FinetuneBlock(steps=10))

    async def scenario():
        async with ViewApp(lab).run_test(size=(80, 80)) as pilot:
            await pilot.pause()
            assert_shows(lab, ("微调实验", "下一个任务 (s)", "取消 (x)"), ("Run next task", "Fine-tuning lab", "Cancel"))
            titles = [plot.border_title for plot in lab.query(LossPlot)]
            assert titles == [_(t) for t in TASKS.values()] and not set(titles) & set(TASKS.values())
            lab.focus()
            await pilot.press("s")
            await settle(pilot)
            fine, scratch = lab.results["finetune"], lab.results["scratch"]
            v = verdict(fine, scratch)
            said = text_of(lab.query_one("#lab-summary"))
            assert flat(f"{v.steps} 步后的平滑训练损失：预训练起点 {v.finetune_loss:.2f}，"
                        f"从零开始训练 {v.scratch_loss:.2f}") in flat(said)
            assert flat("这次从零开始训练最终更低") in flat(said)  # the fake's scratch run ended lower
            assert flat(f"测试准确率：预训练起点 {fine.accuracy:.0%}，从零开始训练 {scratch.accuracy:.0%}。") in flat(said)
            assert latin_words(said) <= LATIN_OK, latin_words(said) - LATIN_OK
            status = str(lab.query_one("#lab-status").render())
            assert status.startswith(f"完成：{_(TASKS['topics'])} 按 s 运行第 2/4 个任务：")
            legend = str(lab.query_one("#plot-topics", LossPlot).border_subtitle)
            assert "预训练起点" in legend and "从零开始训练" in legend and "pretrained" not in legend
    asyncio.run(scenario())


def test_pretrain_lab_in_chinese_reports_the_run(monkeypatch):
    import tutor.engine.pretrain_lab as pretrain_lab

    def fake_run(engine, text, probe, *, steps, on_step, on_probe, should_stop):
        curve = [(1, 2.0), (2, 1.5), (3, 1.25)]
        for step, loss in curve:
            on_step(SimpleNamespace(step=step, loss=loss))
        on_probe(3, [("bread", 0.5)])
        return SimpleNamespace(cancelled=False, curve=curve, seconds=4.2, probes=[(3, [("bread", 0.5)])])

    set_language("zh")
    monkeypatch.setattr(pretrain_lab, "run_pretrain_lab", fake_run)
    lab = PretrainLab(PretrainBlock(text="The baker sells blue bread. " * 3, steps=3))

    async def scenario():
        async with ViewApp(lab).run_test(size=(80, 40)) as pilot:
            await pilot.pause()
            assert_shows(lab, ("预训练实验", "用本课文本", "开始 (s)", "取消 (x)"), ("Start (s)", "Pretrain lab", "Cancel"))
            lab.focus()
            await pilot.press("s")
            await settle(pilot)
            status = str(lab.query_one("#lab-status").render())
            assert status == "完成：3 步，用时 4 秒；损失 2.00 → 1.25。自带的模型没有改变——这个副本只存在于内存中。"
            assert "探测句各步的前 5 名" in text_of(lab.query_one("#probe-table"))
    asyncio.run(scenario())


def test_lab_summary_sentences_in_chinese_carry_each_runs_figures():
    """Every branch of the comparison (tie, pretrained faster, lower but not faster, scratch wins)."""
    set_language("zh")

    def run(kind, losses, accuracy=0.5):
        return RunResult(kind, list(enumerate(losses, 1)), accuracy, 1.0)

    cases = {"这次没有明显的赢家": ([1.0] * 10, [1.02] * 10),
             "预训练起点的损失下降得更快、更低": (FAST, SLOW),
             "预训练起点的损失降得更低（但并不更快）": ([1.0, 1.0, 1.0, 1.0, 0.2], [0.5, 0.45, 0.45, 0.45, 0.45]),
             "这次从零开始训练最终更低": (SLOW, FAST)}
    for opening, (a, b) in cases.items():
        fine, scratch = run("finetune", a, 0.75), run("scratch", b, 0.25)
        v = verdict(fine, scratch)
        text = summary(fine, scratch, lr_ratio=10)
        assert text.startswith(opening), text
        assert f"{v.steps} 步后的平滑训练损失：预训练起点 {v.finetune_loss:.2f}，从零开始训练 {v.scratch_loss:.2f}" in text
        assert text.endswith("测试准确率：预训练起点 75%，从零开始训练 25%。")
        assert latin_words(text) <= LATIN_OK, text
        if v.winner == "scratch":
            assert "学习率是预训练起点的 10 倍" in text
        if v.faster == "finetune" and v.winner == "finetune":
            assert f"它在第 {v.finetune_step} 步降到 {v.level:.2f}；从零开始训练直到第 {v.scratch_step} 步才达到。" in text


# -- the lecture's slides -------------------------------------------------------------------
def test_slide_frame_in_chinese():
    from tutor.params import BERT_LARGE, count_parameters, read_config
    from tutor.paths import BUNDLED_MODEL_DIR

    set_language("zh")
    view = SlideView(SlideBlock(zh="那就来吧，先来340M参数", en="So let's go: 340M parameters", title="3.1 测试",
                                source="课件第 3 部分", live="parameters"))

    async def scenario():
        async with ViewApp(view).run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert_shows(view, ("课件 · 3.1 测试", "课件原文", "英文", "出处：课件第 3 部分"),
                         ("Lecture slide", "On the slide", "English", "Source:"))
            live = view.query_one("#slide-live", Static)
            table = " ".join(text_of(live).split())
            ratio = count_parameters(BERT_LARGE).total / count_parameters(read_config(BUNDLED_MODEL_DIR)).total
            assert "参数量，由各自的配置实时计算" in table and "模型 层数" in table
            assert flat(f"BERT-large 的参数是我们的 {ratio:.0f} 倍") in flat(table)
            assert "(ours)" not in table and "counted" not in table
    asyncio.run(scenario())


# -- the catalog covers these widgets ---------------------------------------------------------
WIDGET_FILES = ["tutor/widgets/cloze.py", "tutor/widgets/quiz.py", "tutor/widgets/fill_mask.py",
                "tutor/widgets/model_view.py", "tutor/widgets/masking_view.py", "tutor/widgets/lab_run.py",
                "tutor/widgets/pretrain_lab.py", "tutor/widgets/finetune_lab.py", "tutor/widgets/loss_plot.py",
                "tutor/widgets/slide.py", "tutor/widgets/model_status.py", "tutor/lab_results.py",
                "tutor/analysis/masking.py"]


def test_every_string_marked_in_these_widgets_has_a_chinese_translation():
    from pathlib import Path

    extract = pytest.importorskip("babel.messages.extract")
    pofile = pytest.importorskip("babel.messages.pofile")
    root = Path(__file__).resolve().parents[2]
    with open(root / "tutor/i18n/locale/zh/LC_MESSAGES/bert-tutor.po", "rb") as f:
        catalog = pofile.read_po(f)
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    missing = []
    for path in WIDGET_FILES:
        for _line, message, _comments, _context in extract.extract_from_file("python", root / path, keywords=keywords):
            entry = catalog.get(message)
            msgstr = entry.string if entry is not None else ""
            msgstr = msgstr[0] if isinstance(msgstr, tuple) else msgstr
            if not msgstr or entry.fuzzy:
                missing.append(f"{path}: {message!r}")
    assert not missing, "\n".join(missing)
    set_language("zh")  # and the compiled .mo is the one the app reads
    assert _("Check (Enter)") == "检查 (Enter)" and _("Re-roll (r)") == "重抽 (r)"


def test_every_lab_task_title_is_translated():
    set_language("zh")
    for title in TASKS.values():
        assert _(title) != title and latin_words(_(title)) <= LATIN_OK, title
