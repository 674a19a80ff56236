"""Authored and model text is shown as written: "[MASK]", "[CLS]" or "[b]" are words here,
not Textual markup (a quiz whose choices were "[MASK]"/"[CLS]" once rendered as blanks)."""
from __future__ import annotations

import asyncio

from textual.widgets import Button, Static

from tests.app.test_inside_views import ViewApp
from tutor.course.parse import parse_lesson
from tutor.widgets.cloze import ClozeWidget
from tutor.widgets.quiz import QuizWidget

LESSON = '''---
id: brackets
title: Brackets [MASK]
---
## Step

```quiz
id: q
question: Which token is the blank, [MASK] or [CLS]? Not [b]this[/b].
choices:
  - text: "[MASK]"
    correct: true
    explain: "Yes: [MASK] is the blank."
  - text: "[CLS]"
    explain: "[/oops] [CLS] starts every input."
```

```cloze
id: c
title: "A cloze about [SEP]"
instructions: "Pick [UNK] or [PAD]."
passage: "BERT puts {1} at the end."
blanks:
  1: {options: ["[SEP]", "[PAD]"], answer: "[SEP]"}
```
'''


def blocks():
    lesson = parse_lesson(LESSON)
    assert not [p for p in lesson.problems if p.is_error], lesson.problems
    return lesson.steps[0].interactive


def test_quiz_question_choices_and_feedback_are_literal():
    quiz = QuizWidget(blocks()[0])

    async def scenario():
        app = ViewApp(quiz)
        async with app.run_test(size=(90, 30)) as pilot:
            await pilot.pause()
            assert str(app.query_one(".question", Static).render()) == \
                "Which token is the blank, [MASK] or [CLS]? Not [b]this[/b]."
            labels = sorted(str(b.label)[7:] for b in app.query(".choice").results(Button))
            assert labels == ["[CLS]", "[MASK]"]  # "( ) 1. " comes first; the order is shuffled
            quiz.focus()
            await pilot.press(quiz.key_of(1), "enter")
            await pilot.pause()
            feedback = str(app.query_one("#feedback", Static).render())
            assert "[/oops] [CLS] starts every input." in feedback and "Yes: [MASK] is the blank." in feedback
    asyncio.run(scenario())


def test_cloze_title_instructions_and_options_are_literal():
    cloze = ClozeWidget(blocks()[1])

    async def scenario():
        app = ViewApp(cloze)
        async with app.run_test(size=(90, 30)) as pilot:
            await pilot.pause()
            assert str(app.query_one(".exercise-title", Static).render()) == "A cloze about [SEP]"
            assert "Pick [UNK] or [PAD]." in str(app.query_one(".instructions", Static).render())
            options = [str(b.label) for b in app.query(".option").results(Button) if b.display]
            assert options == ["a  [SEP]", "b  [PAD]"]
    asyncio.run(scenario())
