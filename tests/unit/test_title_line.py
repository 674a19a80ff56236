"""The lesson title line fitted to a width: the counter is never cut (no model, no app)."""
from __future__ import annotations

import pytest
from rich.cells import cell_len

from tutor.i18n import set_language
from tutor.screens.title_line import clip, title_text


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def test_clip_counts_cells_and_never_leaves_half_a_wide_character():
    assert clip("Pretrain once", 20) == "Pretrain once"
    assert clip("Pretrain once, fine-tune", 10) == "Pretrain…"
    assert clip("一次预训练，多种任务微调", 9) == "一次预训…"  # 8 cells of text, not 7 and a pad
    assert cell_len(clip("一次预训练，多种任务微调", 9)) <= 9
    assert clip("abc", 0) == ""


@pytest.mark.parametrize("lang, lesson, step, counter", [
    ("en", "Pretrain once, fine-tune for many tasks", "The lab: fine-tuning vs from scratch", "step 3/4: "),
    ("zh", "一次预训练，多种任务微调", "实验：微调 vs 从零开始训练", "第3/4步："),
])
@pytest.mark.parametrize("width", [30, 40, 47, 60, 200])
def test_the_title_fits_the_width_and_keeps_the_counter(lang, lesson, step, counter, width):
    set_language(lang)
    line = title_text(9, lesson, 3, 4, step, width).plain
    assert cell_len(line) <= width, line
    assert line.startswith("9 · ") and counter in line, line
    if width == 200:
        assert lesson in line and step in line and "…" not in line
    else:
        assert "…" in line


def test_the_lesson_title_gives_way_before_the_step_title():
    line = title_text(9, "Pretrain once, fine-tune for many tasks", 2, 4, "BERT + Linear", 45).plain
    assert line.endswith("step 2/4: BERT + Linear") and "Pretrain once" in line and "…" in line
