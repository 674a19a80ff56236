'''A starter lesson for instructors: one block of every kind, each field shown once.

``bert-tutor lessons new ID`` writes it; a test keeps it passing ``lessons check``, so the
template can never teach a format the checker rejects.  Block ids start with the lesson id
because block ids must be unique across the whole course.
'''
from __future__ import annotations

from tutor.course.build import SLUG, bad_id
from tutor.errors import TutorError

_TEMPLATE = '''---
id: {id}
title: {title}
requires: []        # lesson ids the learner should finish first
minutes: 15
summary: One line for the course menu.
---
Text before the first "## " heading is the lesson's intro page. Each "## " heading starts a
new page (a step). Fenced blocks whose info string is a block kind become exercises; their
body is YAML. Run `bert-tutor lessons check {id}.md` after every edit.
The format is described in full in docs/lesson-format.md.

## The lecture's slide

```slide
id: {id}-slide
title: 3.1 BERT
zh: |
  BERT：来自 Transformer 的双向编码器表示
en: |
  BERT: Bidirectional Encoder Representations from Transformers
source: Part 03, slide 3.1
```

## A cloze exam

```cloze
id: {id}-cloze
title: Li Hua's first day
instructions: Choose the word that fits each blank.
passage: |
  My name is Li Hua. I am {{1}} Class Five, Grade One.
  My English teacher {{2}} Mr Lin. He is {{3}} old teacher.
blanks:
  1: {{options: [in, at, on, of], answer: in, explain: "We are *in* a class."}}
  2:
    options: [are, am, is, (no word)]   # "(no word)": the blank stays empty
    answer: is
    hint: Mr Lin is one person.
    why:
      are: '"are" goes with you, we and they.'
      (no word): Without a verb the sentence is broken.
  3: {{answer: [an], explain: "*an* before a vowel sound: an old teacher."}}   # no options: typed
```

## BERT fills the blank

```fill-mask
id: {id}-capital
text: The capital of France is [MASK].
guess: true        # the learner guesses before BERT answers
answer: paris
top_k: 5
explain: BERT read the whole sentence, left *and* right of the blank.
```

```quiz
id: {id}-quiz
question: What does BERT learn from during pretraining?
choices:
  - text: Sentences in which some words were hidden
    correct: true
    explain: The labels are part of the raw text - self-supervised learning.
  - text: Sentences labelled by people
    correct: false
    explain: No human labels are needed to pretrain.
hint: Where do the right answers come from?
```

## Inside the model

```tokens
id: {id}-tokens
text: Unbelievably, the teacher laughed.
onehot: teacher
```

```masking
id: {id}-masking
text: The quick brown fox jumps over the lazy dog.
seed: 0
rate: 0.15
```

```attention
id: {id}-attention
text: The animal didn't cross the street because it was too tired.
layer: 5
head: 3
focus: it
note: Which word does "it" look at?
```

```embeddings
id: {id}-bank
word: bank
sentences:
  - I sat on the bank of the river.
  - I put my money in the bank.
  - The bank raised its interest rates.
```

## Training labs

```finetune
id: {id}-finetune
steps: 60
compare_scratch: true
```

```pretrain
id: {id}-pretrain
steps: 30
probe: The cat sat on the [MASK].
```
'''


def starter_lesson(lesson_id: str) -> str:
    """Markdown for a new lesson ``lesson_id`` with one block of each kind; raises TutorError
    for an id that is not a slug."""
    if not isinstance(lesson_id, str) or not SLUG.match(lesson_id):
        raise TutorError(bad_id("lesson", str(lesson_id)))
    title = lesson_id.replace("-", " ").capitalize()
    return _TEMPLATE.format(id=lesson_id, title=title)
