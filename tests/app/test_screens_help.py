"""Help (?) lists every binding of every screen and widget, readably."""
from __future__ import annotations

import re

from tests.app.test_app import new_app, settle


async def help_text(size=(100, 30)) -> str:
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        text = str(app.screen.query_one("#help-keys").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
    return text


def parse_sections(text: str) -> dict[str, list[tuple[str, str]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    for block in text.strip().split("\n\n"):
        title, *lines = block.splitlines()
        rows = []
        for line in lines:
            parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            rows.append((parts[0], parts[1]) if len(parts) == 2 else ("", parts[0]))
        sections[title] = rows
    return sections


async def test_help_covers_every_screen_and_widget_with_readable_distinct_keys():
    text = await help_text()
    assert "right_square_bracket" not in text and "question_mark" not in text and "left_square_bracket" not in text
    sections = parse_sections(text)
    for title in ("Everywhere", "Home", "Lesson", "Review", "Progress", "Playground", "Cloze", "Quiz",
                  "Attention map", "Embeddings", "Masking", "Finetune lab", "Pretrain lab"):
        assert title in sections, (title, list(sections))
    assert "Tokens" in text  # a view whose keys are its text box
    for title, rows in sections.items():
        descriptions = [d for _, d in rows]
        assert len(descriptions) == len(set(descriptions)), (title, descriptions)
    attention = {key: d for keys, d in sections["Attention map"] for key in keys.split(" / ")}
    assert attention["]"] != attention["["]  # l/L, ]/[ go opposite ways and say so
    assert ("?", "Help") in sections["Everywhere"]
    assert any(keys.startswith("1–9") and "option" in d for keys, d in sections["Cloze"])
