"""Rough edges of a second walk: what the learner sees after each fix.

A long sentence in the masking, fill-mask and attention fields opens at its start (it
opened at its tail) and stays editable at both ends; PgDn/PgUp scroll the lesson step from
every focus stop where the step's key line says "pgup/pgdn scroll" (with the tokens table
focused they moved the table's cursor instead).
"""
from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Static, TextArea

from tests.app.conftest import fake_app, open_step, settle
from tests.app.test_walk_polish import focus_with_tab, shown_text  # (both belong in conftest)

SENTENCE = ("My sister planted a small tree in the garden behind our old house, and she waters it "
            "every morning before school")
START = "My sister planted"
LONG_TEXT_LESSON = f"""---
id: long-texts
title: Long texts
---
## Masking

```masking
id: long-masking
text: {SENTENCE}.
seed: 0
rate: 0.15
```

## Fill-mask

```fill-mask
id: long-fill
text: {SENTENCE} [MASK].
guess: false
```

## Attention

```attention
id: long-attention
text: {SENTENCE}.
layer: 1
head: 1
```
"""
FIELDS = {1: ".masking-text", 2: "#sentence", 3: ".attention-text"}


@pytest.mark.parametrize("step", sorted(FIELDS), ids=["masking", "fill-mask", "attention"])
async def test_a_long_sentence_opens_at_its_start_and_stays_editable(tmp_path, step):
    (tmp_path / "long-texts.md").write_text(LONG_TEXT_LESSON, encoding="utf-8")
    app = fake_app(lesson_dirs=[tmp_path], settings_path=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, "long-texts", step)
        field = app.screen.query_one(FIELDS[step], Input)
        assert len(field.value) > field.content_size.width  # longer than the field at 80 columns
        assert shown_text(field).startswith(START), shown_text(field)
        await focus_with_tab(pilot, field)
        # before the fix, focus selected all and scrolled the field to "… every morning before school"
        assert shown_text(field).startswith(START), shown_text(field)
        await pilot.press("end", "!")
        await settle(pilot)
        assert field.value.endswith(".!") and shown_text(field).endswith(field.value[-15:]), shown_text(field)
        await pilot.press("home", "A", "space")
        await settle(pilot)
        assert field.value.startswith(f"A {START}") and shown_text(field).startswith(f"A {START}")


@pytest.mark.parametrize(("lesson", "step", "widget"), [("tokens", 2, DataTable), ("pretrain-yourself", 2, TextArea)],
                         ids=["tokens-table", "lab-text-area"])
async def test_pgdn_and_pgup_scroll_the_step_from_a_table_or_a_text_area(lesson, step, widget):
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, lesson, step)
        focus = screen.query_one(widget)
        await focus_with_tab(pilot, focus)
        assert "pgup/pgdn scroll" in str(screen.query_one(".step-nav", Static).render())
        body = screen.query_one("#lesson-body", VerticalScroll)
        assert body.max_scroll_y > 0  # the step is taller than the screen
        cursor = focus.cursor_coordinate if isinstance(focus, DataTable) else focus.cursor_location
        # the focus may have scrolled the step to show its widget: pgup first where pgdn cannot go on
        keys = ("pagedown", "pageup") if body.scroll_y < body.max_scroll_y else ("pageup", "pagedown")
        for key in keys:
            before = body.scroll_y
            await pilot.press(key)
            await settle(pilot)
            # before the fix the table's cursor jumped to its last (first) row and the step stayed put
            assert (body.scroll_y > before) if key == "pagedown" else (body.scroll_y < before), \
                f"{key} did not scroll the step"
            assert app.focused is focus
            assert (focus.cursor_coordinate if isinstance(focus, DataTable) else focus.cursor_location) == cursor
