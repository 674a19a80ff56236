"""Parsing lessons into steps and typed blocks: structure, defaults, lines, literal text."""
from __future__ import annotations

from pathlib import Path

import pytest

from tutor.course import (KNOWN_KINDS, AttentionBlock, ClozeBlock, EmbeddingsBlock, FillMaskBlock,
                          FinetuneBlock, MarkdownBlock, MaskingBlock, PretrainBlock, QuizBlock,
                          TokensBlock, load_lesson, parse_lesson)
from tutor.course.blanks import BLANK_PATTERN, count_blanks, normalize_blanks

DATA = Path(__file__).resolve().parents[1] / "data" / "lessons"
FM = "---\nid: t\ntitle: The title\n---\n"


def only_block(body: str, kind: str):
    lesson = parse_lesson(FM + f"## s\n```{kind}\n{body}\n```\n")
    assert lesson.ok, lesson.problems
    (block,) = lesson.steps[0].interactive
    return block


def test_known_kinds():
    assert set(KNOWN_KINDS) == {"cloze", "fill-mask", "quiz", "attention", "tokens", "masking",
                                "embeddings", "finetune", "pretrain", "slide", "word2vec"}


def test_fixture_lesson_structure():
    lesson = load_lesson(DATA / "good" / "01-welcome.md")
    assert lesson.ok and lesson.problems == []
    assert (lesson.id, lesson.title, lesson.minutes) == ("welcome", "Welcome", 5)
    assert lesson.summary == "What this course is about."
    intro, step = lesson.steps
    assert intro.title == "Welcome" and intro.line == 7        # the intro takes the lesson title
    assert step.title == "Self-supervised learning" and step.line == 9
    kinds = [b.kind for b in step.blocks]
    assert kinds == ["markdown", "quiz", "markdown"]           # a ## inside code is not a step
    assert "## a comment in code" in step.blocks[2].text
    quiz = step.blocks[1]
    assert isinstance(quiz, QuizBlock) and quiz.line == 13 and quiz.id == "welcome-labels"
    assert quiz.correct == (0,) and not quiz.multiple
    assert quiz.choices[0].explain.startswith("Hide a word")


def test_no_intro_when_blank():
    lesson = parse_lesson(FM + "\n\n## First\nhello\n")
    assert [s.title for s in lesson.steps] == ["First"]


def test_heading_closing_hashes_and_deeper_headings():
    lesson = parse_lesson(FM + "## One ##\n### not a step\n#### nor this\n##no-space\n")
    assert [s.title for s in lesson.steps] == ["One"]
    assert lesson.steps[0].blocks[0].text.startswith("### not a step")


def test_markdown_blocks_keep_order_and_lines():
    lesson = parse_lesson(FM + "## s\n\npara one\n\n```tokens\ntext: hi\n```\n\npara two\n\n")
    blocks = lesson.steps[0].blocks
    assert [(type(b).__name__, b.line) for b in blocks] == [
        ("MarkdownBlock", 7), ("TokensBlock", 9), ("MarkdownBlock", 13)]
    assert blocks[0] == MarkdownBlock("para one", 7)


def test_cloze_fields():
    block = only_block("id: li-hua\ntitle: Li Hua\ninstructions: Pick one.\npassage: |\n"
                       "  I am {1} Class Five.\n  He is {2} old teacher. {3}\nblanks:\n"
                       "  2: {options: [a, an], answer: an, explain: vowel, hint: old}\n"
                       "  1:\n    options: [in, at]\n    answer: [in, at]\n"
                       "  3: yes", "cloze")
    assert isinstance(block, ClozeBlock)
    assert (block.title, block.instructions) == ("Li Hua", "Pick one.")
    assert [b.number for b in block.blanks] == [1, 2, 3]        # passage order
    one, two, three = block.blanks
    assert one.answers == ("in", "at") and one.answer == "in" and one.options == ("in", "at")
    assert (two.explain, two.hint, two.line) == ("vowel", "old", 14)
    assert three.typed and three.answers == ("yes",)             # 'yes' stays a word, not True
    assert three.accepts("  YES ") and not three.accepts("no")
    assert block.segments() == ["I am ", 1, " Class Five.\nHe is ", 2, " old teacher. ", 3]
    assert block.text_with_blank(2) == "I am in Class Five.\nHe is [MASK] old teacher. yes"
    assert block.text_with_blank(1, mask="___", fills={2: "a"}).startswith("I am ___")


def test_text_fields_keep_what_was_written():
    block = only_block("text: 3.10\nonehot: no", "tokens")
    assert (block.text, block.onehot) == ("3.10", "no")


def test_fill_mask_defaults_and_fields():
    block = only_block("text: The capital of France is ___.", "fill-mask")
    assert isinstance(block, FillMaskBlock)
    assert (block.guess, block.answers, block.top_k, block.explain) == (False, (), 5, "")
    block = only_block("text: a [MASK]\nguess: true\nanswer: [Paris, paris]\ntop_k: 3", "fill-mask")
    assert block.guess and block.answers == ("Paris", "paris") and block.top_k == 3


def test_quiz_multiple_is_derived():
    block = only_block("id: q\nquestion: Which?\nchoices:\n  - {text: a, correct: true}\n"
                       "  - {text: b, correct: true}\n  - {text: c}", "quiz")
    assert block.multiple and block.correct == (0, 1)
    block = only_block("id: q\nquestion: Which?\nmultiple: true\nchoices:\n"
                       "  - {text: a, correct: true}\n  - {text: b}", "quiz")
    assert block.multiple


def test_attention_tokens_masking_defaults():
    att = only_block("text: it was tired\nlayer: 2\nhead: 3\nfocus: it\nnote: look", "attention")
    assert isinstance(att, AttentionBlock) and (att.layer, att.head, att.focus) == (2, 3, "it")
    att = only_block("text: hi", "attention")
    assert (att.layer, att.head, att.focus, att.note) == (None, None, "", "")
    tok = only_block("text: hello", "tokens")
    assert isinstance(tok, TokensBlock) and tok.onehot == ""
    mask = only_block("seed: 3", "masking")
    assert isinstance(mask, MaskingBlock) and (mask.text, mask.seed, mask.rate) == ("", 3, 0.15)


def test_embeddings_forms():
    emb = only_block("word: bank\nsentences:\n  - The Bank opened.\n  - a river bank\nlayer: 0",
                     "embeddings")
    assert isinstance(emb, EmbeddingsBlock) and emb.layer == 0 and len(emb.sentences) == 2
    emb = only_block("groups:\n  love: [I love you, Je t'aime]\n  alone: [Leave me alone!]",
                     "embeddings")
    assert emb.groups == (("love", ("I love you", "Je t'aime")), ("alone", ("Leave me alone!",)))


def test_labs_defaults():
    ft = only_block("compare_scratch: false", "finetune")
    assert isinstance(ft, FinetuneBlock) and (ft.steps, ft.compare_scratch) == (60, False)
    pt = only_block("probe: The cat sat on the ___.", "pretrain")
    assert isinstance(pt, PretrainBlock) and (pt.text, pt.steps) == ("", 30)


def test_auto_ids_and_lines():
    lesson = parse_lesson(FM + "intro\n```tokens\ntext: a\n```\n## two\n```tokens\ntext: b\n```\n"
                               "```tokens\nid: mine\ntext: c\n```\n```tokens\ntext: d\n```\n")
    assert lesson.ok, lesson.problems
    got = [(b.id, b.auto_id, b.line) for b in lesson.blocks()]
    assert got == [("tokens-1-1", True, 6), ("tokens-2-1", True, 10), ("mine", False, 13),
                   ("tokens-2-3", True, 17)]
    assert lesson.kinds() == {"tokens": 4} and lesson.block("mine").text == "c"


def test_tilde_and_indented_fences():
    lesson = parse_lesson(FM + "## s\n~~~~tokens\ntext: a\n~~~~\n  ```tokens\n  text: |\n    b\n  ```\n")
    assert lesson.ok, lesson.problems
    assert [b.text for b in lesson.blocks()] == ["a", "b"]


def test_longer_closing_fence_and_inner_backticks():
    # a ``` line inside a ```` fence is content, not the end of the block
    lesson = parse_lesson(FM + "## s\n````tokens\ntext: |\n  ```\n  b\n`````\n")
    assert lesson.ok, lesson.problems
    assert [b.text for b in lesson.blocks()] == ["```\nb"]


@pytest.mark.parametrize("text, blanks, normalized", [
    ("a [MASK] b ___ c", ["[MASK]", "___"], "a [MASK] b [MASK] c"),
    ("[mask] and _____.", ["[mask]", "_____"], "[MASK] and [MASK]."),
    ("__ is no blank", [], "__ is no blank"),
    ("", [], ""),
])
def test_blanks_helpers(text, blanks, normalized):
    assert [match.group() for match in BLANK_PATTERN.finditer(text)] == blanks
    assert count_blanks(text) == len(blanks)
    assert normalize_blanks(text) == normalized
    assert normalize_blanks(text, "<mask>") == normalized.replace("[MASK]", "<mask>")


# -- the lecture's slides, per-option 'why', '(no word)', 'expect' (issue 17) -------------------
def test_slide_block_fields():
    from tutor.course import SlideBlock

    slide = only_block("id: s31\ntitle: 3.1 BERT\nzh: |\n  巨人来袭\n  BERT 有 340M 参数\n"
                       "en: The giants arrive. BERT has 340M parameters.\nsource: Part 03, slide 4\n"
                       "live: parameters", "slide")
    assert isinstance(slide, SlideBlock) and not slide.graded
    assert (slide.id, slide.title, slide.source, slide.live) == ("s31", "3.1 BERT", "Part 03, slide 4", "parameters")
    assert slide.zh == "巨人来袭\nBERT 有 340M 参数" and slide.en.startswith("The giants")
    plain = only_block("zh: 自监督学习\nen: Self-supervised learning", "slide")
    assert (plain.title, plain.source, plain.live, plain.auto_id) == ("", "", "", True)


def test_why_explains_each_option_and_falls_back_to_explain():
    block = only_block("id: c\npassage: He {1} a teacher.\nblanks:\n  1:\n    options: [is, are, (no word)]\n"
                       "    answer: is\n    explain: One person takes 'is'.\n    why:\n"
                       "      are: '\"are\" is for you, we, they.'\n      (no word): A sentence needs its verb.",
                       "cloze")
    (spec,) = block.blanks
    assert spec.why == (("are", '"are" is for you, we, they.'), ("(no word)", "A sentence needs its verb."))
    assert spec.explain_for("are") == '"are" is for you, we, they.'
    assert spec.explain_for("is") == "One person takes 'is'."          # no own entry: the explain


def test_no_word_option_leaves_the_blank_empty():
    from tutor.course import NO_WORD, BlankSpec

    block = only_block("id: c\npassage: I have {1} pencils. They are {2} school.\nblanks:\n"
                       "  1: {options: [two, (no word)], answer: (no word)}\n"
                       "  2: {options: [at, in], answer: at}", "cloze")
    one, _ = block.blanks
    assert NO_WORD == "(no word)" and one.answer == NO_WORD and one.options == ("two", NO_WORD)
    assert BlankSpec.fill_text(NO_WORD) == "" and BlankSpec.fill_text("two") == "two"
    # what BERT reads: no double space, no "(no word)" in the text
    assert block.text_with_blank(2) == "I have pencils. They are [MASK] school."
    assert block.text_with_blank(2, fills={1: "two"}) == "I have two pencils. They are [MASK] school."
    assert block.text_with_blank(1) == "I have [MASK] pencils. They are at school."


def test_expect_claims_are_kept_as_written():
    fm = only_block("text: Paris is the capital of [MASK].\nexpect:\n  top: france\n  not_top: [italy, spain]",
                    "fill-mask")
    assert fm.expect == (("top", ("france",)), ("not_top", ("italy", "spain")))
    cloze = only_block("id: c\npassage: I {1} {2}.\nblanks: {1: am, 2: here}\nexpect: {bert_right: [1], "
                       "bert_wrong: '2'}", "cloze")
    assert cloze.expect == (("bert_right", ("1",)), ("bert_wrong", ("2",)))
