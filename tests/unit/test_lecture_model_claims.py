"""``lessons check --with-model`` checks the claims a lesson makes about the shipped model
(``expect:``) and reports a contradicted one at its file:line (issue 17 §3)."""
from __future__ import annotations

from types import SimpleNamespace

from tutor.course import lint_with_model
from tutor.course.parse import load_lesson

LESSON = """---
id: t
title: T
---
## s
```cloze
id: exam
passage: I am {1} Class Five. He is {2} old teacher.
blanks:
  1: {options: [in, at], answer: in}
  2: {options: [a, an], answer: an}
expect:
  {expect}
```

```fill-mask
id: probe
text: The capital of France is ___.
top_k: 2
expect:
  {fill}
```
"""


class Engine:
    """Prefers 'at' and 'an'; fills the capital with london, rome. Records what it was asked."""

    def __init__(self):
        self.kwargs: list[dict] = []

    def rank_options(self, text, options, **kwargs):
        self.kwargs.append(kwargs)
        probs = {"at": 0.7, "in": 0.3, "an": 0.8, "a": 0.2}
        return [SimpleNamespace(option=o, score=probs[o], probability=probs[o]) for o in options]

    def fill_mask(self, text, top_k=5, **kwargs):
        self.kwargs.append(kwargs)
        return [[("london", 0.5), ("rome", 0.2)][:top_k]]


def lint(tmp_path, expect: str, fill: str = "top: [london]", engine=None):
    path = tmp_path / "t.md"
    path.write_text(LESSON.replace("{expect}", expect).replace("{fill}", fill), encoding="utf-8")
    lesson = load_lesson(path)
    assert lesson.ok, lesson.problems
    return [str(p) for p in lint_with_model([lesson], engine or Engine())], path


def test_a_contradicted_bert_right_claim_is_reported_at_the_expect_line(tmp_path):
    found, path = lint(tmp_path, 'bert_right: ["1", "2"]')
    assert found == [f"{path}:12: warning: cloze 'exam' blank 1: claim contradicted: the lesson "
                     f"expects BERT to get it right (bert_right), but BERT prefers 'at' (0.70) "
                     f"over the key 'in' (0.30)"]


def test_a_contradicted_bert_wrong_claim_is_reported(tmp_path):
    found, path = lint(tmp_path, 'bert_wrong: ["1", "2"]')
    assert found == [f"{path}:12: warning: cloze 'exam' blank 2: claim contradicted: the lesson "
                     f"expects BERT to miss it (bert_wrong), but BERT chooses the key 'an' (0.80)"]


def test_a_miss_the_lesson_announces_is_not_reported_again(tmp_path):
    found, _ = lint(tmp_path, 'bert_wrong: ["1"]')
    assert found == []
    found, path = lint(tmp_path, 'bert_right: ["2"]')  # blank 1 unannounced: the usual warning
    assert found == [f"{path}:10: warning: cloze 'exam' blank 1: BERT prefers 'at' (0.70) "
                     f"over the key 'in' (0.30)"]


def test_fill_mask_top_and_not_top_claims(tmp_path):
    found, _ = lint(tmp_path, 'bert_wrong: ["1"]', "{top: [London], not_top: [paris]}")
    assert found == []
    found, path = lint(tmp_path, 'bert_wrong: ["1"]', "{top: [paris], not_top: [rome]}")
    assert found == [
        f"{path}:20: warning: fill-mask 'probe': claim contradicted: the lesson expects 'paris' "
        f"in BERT's top 2, but it is not there ('london', 'rome')",
        f"{path}:20: warning: fill-mask 'probe': claim contradicted: the lesson expects 'rome' "
        f"not to be in BERT's top 2, but it is ('london', 'rome')"]


def test_claims_are_checked_against_the_exact_fp32_answers(tmp_path):
    engine = Engine()
    lint(tmp_path, 'bert_wrong: ["1"]', engine=engine)
    assert engine.kwargs and all(k == {"precise": True} for k in engine.kwargs)


def test_an_engine_without_a_precise_switch_is_asked_plainly(tmp_path):
    class Plain:
        def rank_options(self, text, options):
            probs = {"in": 0.6, "at": 0.4, "an": 0.9, "a": 0.1}
            return [SimpleNamespace(option=o, score=probs[o], probability=probs[o]) for o in options]

        def fill_mask(self, text, top_k=5):
            return [[("london", 0.5)]]

    found, _ = lint(tmp_path, 'bert_right: ["1"]', engine=Plain())
    assert found == []
