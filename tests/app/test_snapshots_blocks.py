"""Snapshots of every block kind in the lesson player, at 80×24 and 120×40 in the dark theme and
at 120×40 in the light one (a theme changes colours, never the layout: the light picture checks
contrast with the whole block on screen; a light 80×24 copy repeated the dark one's layout).

Each case opens one step of a small lesson (below) with the fake engine, so the pictures are
deterministic.  Update with ``pytest --snapshot-update tests/app/test_snapshots_blocks.py``
after a deliberate visual change — and look at the SVGs: a snapshot is only a test once a
person has checked it (clipping at 80×24, contrast in the light theme).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.app.conftest import fake_app, settle, step_ready

LESSON = """---
id: every-block
title: Every block kind
---
## Prose

Plain **Markdown** between the exercises: a list,

- one item
- another item with `code`

and a table.

| token | id |
|-------|----|
| [CLS] | 101 |

## Cloze

```cloze
id: snap-cloze
title: A short cloze
passage: He is {1} old teacher. I like {2} music.
blanks:
  1: {options: [a, an, the, "(no word)"], answer: an, why: {a: "'a' goes before a consonant sound."}}
  2: {options: [a, the, "(no word)"], answer: "(no word)", explain: Music in general takes no article.}
```

## Quiz

```quiz
id: snap-quiz
question: What does BERT predict during pretraining?
choices:
  - text: The hidden tokens at the picked positions
    correct: true
    explain: The labels are the original tokens.
  - text: The next sentence only
    explain: That was the second, weaker task.
  - text: The part-of-speech tags
```

## Fill-mask

```fill-mask
id: snap-fill
text: The capital of France is [MASK].
guess: true
answer: [paris]
```

## Tokens

```tokens
id: snap-tokens
text: He was playing unbelievably well.
onehot: playing
```

## Masking

```masking
id: snap-masking
text: My name is Li Hua and I am thirteen years old.
seed: 0
```

## Attention

```attention
id: snap-attention
text: The animal was tired.
layer: 2
head: 1
focus: animal
```

## Embeddings

```embeddings
id: snap-embeddings
word: bank
sentences:
  - We sat on the bank of the river.
  - I opened an account at the bank.
groups:
  kind:
    - I love you.
    - I adore you.
  rude:
    - Go away!
    - Leave me alone!
```

## Fine-tune

```finetune
id: snap-finetune
steps: 10
```

## Pretrain

```pretrain
id: snap-pretrain
text: Bellmoor is a small town. The baker of Bellmoor sells blue bread.
steps: 5
probe: The baker sells blue [MASK].
```

## Slide

```slide
id: snap-slide
title: 自监督学习
zh: 自监督学习：从数据本身得到标签。
en: "Self-supervised learning: the labels come from the data itself."
source: lecture slide 12
```

"""

# The invalid block lives in a lesson of its own: only that lesson shows the problems box.
BROKEN = """---
id: broken-block
title: A broken block
---
## Invalid

```quiz
id: snap-broken
question: A quiz without choices
```
"""
# A fixed folder, not tmp_path: the problems box shows the file's path.
LESSON_DIR = Path(tempfile.gettempdir()) / "bert-tutor-snapshots"

STEPS = ["prose", "cloze", "quiz", "fill-mask", "tokens", "masking", "attention", "embeddings", "finetune",
         "pretrain", "slide", "invalid"]
EXTRA = {"cloze-checked": ("cloze", ("a", "c", "enter", "left")), "quiz-checked": ("quiz", ("2", "enter")),
         "fill-mask-revealed": ("fill-mask", tuple("paris") + ("enter",))}
# What a reviewer checks in each picture (at 80×24 nothing may be clipped without a scroll cue).
WHAT_TO_CHECK = {
    "prose": "Markdown list and table readable; title and step counter not clipped.",
    "cloze": "Passage and options shown at once (BERT still thinking is fine); key line visible.",
    "quiz": "Choices left-aligned, numbered in shuffled order; Hint/Check buttons on one line.",
    "fill-mask": "Guess field focused; Reveal button vertically centred beside the input.",
    "tokens": "Token strip, table without its own scrollbar, one-hot picture beside it.",
    "masking": "Info line, grid rows aligned in columns; Re-roll/Labels beside the guess input.",
    "attention": "Column labels written downwards and readable; bars panel beside the map.",
    "embeddings": "Cosine tables side by side; PCA plot with its legend under it.",
    "finetune": "Lab controls before a run; nothing clipped.",
    "pretrain": "Lab controls and probe before a run; nothing clipped.",
    "slide": "Chinese original and English rendering both shown.",
    "invalid": "The problem and its line number in a red frame.",
    "cloze-checked": "You/BERT coloured by correctness; the pick's 'why' shown; one bar scale.",
    "quiz-checked": "Right/wrong colours readable in both themes; explanations shown.",
    "fill-mask-revealed": "Percentages beside their bars; the guess's rank line.",
}
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
THEMES = {"dark": "textual-dark", "light": "textual-light"}
VIEWS = [pytest.param(size, theme, id=f"{size}-{theme}") for size, theme in
         [("80x24", "dark"), ("120x40", "dark"), ("120x40", "light")]]


@pytest.fixture(scope="module")
def lesson_dir():
    LESSON_DIR.mkdir(exist_ok=True)
    (LESSON_DIR / "every-block.md").write_text(LESSON, encoding="utf-8")
    (LESSON_DIR / "broken-block.md").write_text(BROKEN, encoding="utf-8")
    return LESSON_DIR


def case(kind: str, keys: tuple[str, ...], theme: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        app.theme = theme
        await settle(pilot)
        if kind == "invalid":
            app.open_lesson("broken-block", step=0)
        else:
            app.open_lesson("every-block", step=STEPS.index(kind))
        await settle(pilot)
        await step_ready(pilot)  # every widget of the step mounted: its views have asked the model
        await settle(pilot)  # ... and been answered (settle waits out a pending typing pause too)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        app.clear_notifications()
        for field in app.screen.query("Input"):
            field.cursor_blink = False  # a blinking cursor would make the picture depend on timing
        await settle(pilot)
    return run_before


@pytest.mark.parametrize(("size", "theme"), VIEWS)
@pytest.mark.parametrize("kind", STEPS + list(EXTRA))
def test_block(kind, size, theme, lesson_dir, snap_compare):
    """One block kind in the lesson player; what to check in its picture is WHAT_TO_CHECK[kind]."""
    step, keys = EXTRA.get(kind, (kind, ()))
    app = fake_app(lesson_dirs=[lesson_dir])
    assert snap_compare(app, terminal_size=SIZES[size], run_before=case(step, keys, THEMES[theme]))
