"""One test per lesson-file problem: the exact message and its 1-based line."""
from __future__ import annotations

import pytest

from tutor.course import load_lesson, parse_lesson

FM = "---\nid: t\ntitle: T\n---\n"  # 4 lines: the body starts on line 5


def fence(kind: str, body: str) -> str:
    return f"```{kind}\n{body}\n```\n"


def problems(text: str) -> list[tuple[int, str, str]]:
    lesson = parse_lesson(text, "t.md")
    return [(p.line, p.message, p.severity) for p in lesson.problems]


CASES = [
    # name, lesson text, expected line, expected message
    ("no front matter", "hello\n## a\ntext\n", 1,
     "missing front matter: the file must start with a '---' line, then 'id:' and 'title:' "
     "lines, then '---'"),
    ("front matter not closed", "---\nid: a\ntitle: b\n## x\n", 1,
     "front matter is not closed: no '---' line after line 1"),
    ("front matter YAML error", "---\nid: a\ntitle: [b\n---\n## x\nhi\n", 3,
     "front matter: YAML error: expected ',' or ']', but got '<stream end>' "
     "(while parsing a flow sequence)"),
    ("front matter not a mapping", "---\n- a\n- b\n---\n## x\nhi\n", 2,
     "front matter must be 'key: value' lines, not a list"),
    ("front matter empty", "---\n---\n## x\nhi\n", 1,
     "front matter is empty: it needs 'id:' and 'title:'"),
    ("missing id", "---\ntitle: T\n---\n## x\nhi\n", 2, "front matter: missing required field 'id'"),
    ("missing title", "---\nid: t\n---\n## x\nhi\n", 2,
     "front matter: missing required field 'title'"),
    ("bad id", "---\nid: Foo Bar\ntitle: T\n---\n## x\nhi\n", 2,
     "front matter: bad lesson id 'Foo Bar': use lowercase letters, digits and hyphens, "
     "e.g. 'foo-bar'"),
    ("bad requires id", "---\nid: t\ntitle: T\nrequires:\n  - ok\n  - Not OK\n---\nhi\n", 6,
     "front matter: 'requires': bad lesson id 'Not OK': use lowercase letters, digits and "
     "hyphens, e.g. 'not-ok'"),
    ("minutes not a number", "---\nid: t\ntitle: T\nminutes: soon\n---\nhi\n", 4,
     "front matter: 'minutes' must be a whole number, not 'soon'"),
    ("duplicate front matter field", "---\nid: t\ntitle: T\nid: u\n---\nhi\n", 4,
     "front matter: duplicate field 'id' (first on line 2)"),
    ("no steps", FM + "\n\n", 5,
     "the lesson has no steps: add text or '## Step title' sections after the front matter"),
    ("block YAML error", FM + "## s\n" + fence("cloze", "id: c\npassage: [oops"), 8,
     "cloze block: YAML error: expected ',' or ']', but got '<stream end>' "
     "(while parsing a flow sequence)"),
    ("block YAML tab", FM + "## s\n" + fence("tokens", "text: a\n\tonehot: a"), 8,
     "tokens block: YAML error: found character '\\t' that cannot start any token "
     "(while scanning for the next token)"),
    ("block not a mapping", FM + "## s\n" + fence("quiz", "- a\n- b"), 7,
     "quiz block must be a YAML mapping of 'key: value' lines, not a list"),
    ("block empty", FM + "## s\n" + fence("tokens", ""), 6,
     "tokens block is empty (write its fields as 'key: value' lines)"),
    ("block never closed", FM + "## s\n```cloze\nid: c\n", 6,
     "cloze block is never closed (add a ``` line after it)"),
    ("unknown kind near miss", FM + "## s\n" + fence("quizz", "q: 1"), 6,
     "unknown block kind 'quizz' (did you mean 'quiz'?)"),
    ("unknown kind squashed", FM + "## s\n" + fence("fillmask", "text: a"), 6,
     "unknown block kind 'fillmask' (did you mean 'fill-mask'?)"),
    ("unknown kind plural", FM + "## s\n" + fence("clozes", "text: a"), 6,
     "unknown block kind 'clozes' (did you mean 'cloze'?)"),
    ("unknown hyphenated kind", FM + "## s\n" + fence("word-cloud", "text: a"), 6,
     "unknown block kind 'word-cloud'"),
    ("graded block without id", FM + "## s\n" + fence("cloze", "passage: I {1}.\nblanks: {1: am}"), 6,
     "cloze block needs an 'id': graded blocks are tracked by id"),
    ("bad block id", FM + "## s\n" + fence("tokens", "id: My Tokens\ntext: hi"), 7,
     "tokens block: bad block id 'My Tokens': use lowercase letters, digits and hyphens, "
     "e.g. 'my-tokens'"),
    ("missing field", FM + "## s\n" + fence("tokens", "onehot: a"), 7,
     "tokens block: missing required field 'text'"),
    ("text field given a list", FM + "## s\n" + fence("tokens", "text: [a, b]"), 7,
     "tokens block: 'text' must be text, not a list"),
    ("options not a list", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1: {options: 5, answer: am}"), 10,
     "cloze 'c' blank 1: 'options' must be a list of text, not the number 5"),
    ("one option", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1:\n    options: [am]\n    answer: am"), 11,
     "cloze 'c' blank 1: needs at least 2 options, has 1"),
    ("duplicate option", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1: {options: [am, am], answer: am}"), 10,
     "cloze 'c' blank 1: option 'am' appears twice"),
    ("key not among options", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1: {options: [is, are], answer: am}"), 10,
     "cloze 'c' blank 1: answer 'am' is not among the options (is, are)"),
    ("blank without answer", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1: {options: [is, am]}"), 10,
     "cloze 'c' blank 1: missing required field 'answer'"),
    ("blank in passage, not in blanks", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1} {2}.\nblanks:\n  1: am"), 9,
     "cloze 'c': blank {2} in the passage has no entry under 'blanks'"),
    ("blank in blanks, not in passage", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1: am\n  7: x"), 11,
     "cloze 'c': blank 7 is under 'blanks' but {7} is not in the passage"),
    ("blank key not a number", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1: am\n  one: x"), 11,
     "cloze 'c': blank key 'one' must be a number like 1"),
    ("passage without blanks", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I am.\nblanks: {1: am}"), 8,
     "cloze 'c': the passage has no blanks; mark them {1}, {2}, ..."),
    ("blank twice in passage", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1} {1}.\nblanks: {1: am}"), 8,
     "cloze 'c': blank {1} appears twice in the passage"),
    ("fill-mask without blank", FM + "## s\n" + fence("fill-mask", "text: no blank here"), 7,
     "fill-mask block: 'text' has no blank; write [MASK] or ___ where BERT should fill in"),
    ("fill-mask top_k range", FM + "## s\n" + fence("fill-mask", "text: a ___ b\ntop_k: 50"), 8,
     "fill-mask block: 'top_k' must be between 1 and 20, not 50"),
    ("fill-mask guess not bool", FM + "## s\n" + fence("fill-mask", "text: a [MASK]\nguess: maybe"), 8,
     "fill-mask block: 'guess' must be true or false, not 'maybe'"),
    ("quiz one choice", FM + "## s\n" + fence(
        "quiz", "id: q\nquestion: Q?\nchoices:\n  - {text: a, correct: true}"), 9,
     "quiz 'q': needs at least 2 choices, has 1"),
    ("quiz no correct", FM + "## s\n" + fence(
        "quiz", "id: q\nquestion: Q?\nchoices:\n  - {text: a}\n  - {text: b}"), 9,
     "quiz 'q': no choice is marked 'correct: true'"),
    ("quiz choice not a mapping", FM + "## s\n" + fence(
        "quiz", "id: q\nquestion: Q?\nchoices:\n  - {text: a, correct: true}\n  - b"), 11,
     "quiz 'q' choice 2 must be a mapping like {text: ..., correct: true}, not 'b'"),
    ("quiz multiple false", FM + "## s\n" + fence(
        "quiz", "id: q\nquestion: Q?\nmultiple: false\nchoices:\n  - {text: a, correct: true}\n"
                "  - {text: b, correct: true}"), 9,
     "quiz 'q': 'multiple: false' but 2 choices are correct"),
    ("attention layer 0", FM + "## s\n" + fence("attention", "text: hi\nlayer: 0"), 8,
     "attention block: 'layer' must be between 1 and 1000, not 0"),
    ("masking rate", FM + "## s\n" + fence("masking", "rate: 0.9"), 7,
     "masking block: 'rate' must be above 0 and at most 0.5, not 0.9"),
    ("embeddings sentence without word", FM + "## s\n" + fence(
        "embeddings", "word: bank\nsentences: [the bank, a river]"), 8,
     "embeddings block: sentence 'a river' does not contain the word 'bank'"),
    ("embeddings one group", FM + "## s\n" + fence("embeddings", "groups: {a: [x, y]}"), 7,
     "embeddings block: needs at least 2 groups to compare, has 1"),
    ("embeddings neither form", FM + "## s\n" + fence("embeddings", "layer: 2"), 7,
     "embeddings block: needs 'word' with 'sentences', or 'groups' of sentences"),
    ("pretrain steps", FM + "## s\n" + fence("pretrain", "steps: 500"), 7,
     "pretrain block: 'steps' must be between 1 and 200, not 500"),
    ("pretrain probe", FM + "## s\n" + fence("pretrain", "probe: no blank"), 7,
     "pretrain block: 'probe' has no blank; write [MASK] or ___"),
    ("finetune steps type", FM + "## s\n" + fence("finetune", "steps: many"), 7,
     "finetune block: 'steps' must be a whole number, not 'many'"),
    ("duplicate block id in lesson", FM + "## s\n" + fence("tokens", "id: x\ntext: a")
     + fence("tokens", "id: x\ntext: b"), 10, "duplicate block id 'x' (first used on line 6)"),
    # slide blocks, 'why' and 'expect' (issue 17)
    ("slide without en", FM + "## s\n" + fence("slide", "zh: 巨人来袭"), 7,
     "slide block: missing required field 'en'"),
    ("slide unknown live view", FM + "## s\n" + fence("slide", "zh: a\nen: b\nlive: attention"), 9,
     "slide block: live 'attention' is not one of parameters"),
    ("slide zh not text", FM + "## s\n" + fence("slide", "zh: [a, b]\nen: b"), 7,
     "slide block: 'zh' must be text, not a list"),
    ("why for an option that does not exist", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1:\n    options: [am, is]\n    answer: am\n"
                 "    why: {are: no}"), 13,
     "cloze 'c' blank 1: why 'are' is not among the options (am, is)"),
    ("why not text", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1:\n    options: [am, is]\n    answer: am\n"
                 "    why: {is: [a, b]}"), 13,
     "cloze 'c' blank 1: why 'is' must be text, not a list"),
    ("no word in a typed blank", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1: {answer: (no word)}"), 10,
     "cloze 'c' blank 1: '(no word)' is only an option of a multiple-choice blank"),
    ("expect key unknown", FM + "## s\n" + fence(
        "fill-mask", "text: a [MASK]\nexpect: {top: [x], bottom: [y]}"), 8,
     "fill-mask block: expect 'bottom' is not one of top, not_top"),
    ("expect not a list of text", FM + "## s\n" + fence(
        "fill-mask", "text: a [MASK]\nexpect:\n  top: {a: b}"), 9,
     "fill-mask block: expect 'top' must be a list of text, not a mapping"),
    ("expect blank not in cloze", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks: {1: am}\nexpect: {bert_wrong: [3]}"), 10,
     "cloze 'c': expect 'bert_wrong': '3' is not a blank of this cloze"),
    # 15.11: huge or odd numbers are problems with a line, never an internal error
    ("5000-digit blank number", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {" + "9" * 5000 + "} {1}.\nblanks: {1: am}"), 8,
     "cloze 'c': blank {99999999999999999999999999999…} has too many digits; number the blanks "
     "1, 2, 3 ... (at most 3 digits)"),
    ("superscript blank key", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1: am\n  ²: x"), 11,
     "cloze 'c': blank key '²' must be a number like 1"),
    ("non-ASCII digit blank in expect", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks: {1: am}\nexpect: {bert_right: ['¹']}"), 10,
     "cloze 'c': expect 'bert_right': '¹' is not a blank of this cloze"),
    ("5000-digit rate", FM + "## s\n" + fence("masking", "rate: " + "9" * 5000), 7,
     "masking block: 'rate' is too large"),
    ("tiny rate keeps the message short", FM + "## s\n" + fence("masking", "rate: 0." + "0" * 5000), 7,
     "masking block: 'rate' must be above 0 and at most 0.5, not 0.000000000000000000000000000…"),
    ("4000-digit seed", FM + "## s\n" + fence("masking", "seed: " + "9" * 4000), 7,
     "masking block: 'seed' must be between 0 and 4294967295, not 99999999999999999999999999999…"),
    ("huge head", FM + "## s\n" + fence("attention", "text: hi\nhead: 100000"), 8,
     "attention block: 'head' must be between 1 and 1000, not 100000"),
    ("5000-digit minutes", "---\nid: t\ntitle: T\nminutes: " + "9" * 5000 + "\n---\nhi\n", 4,
     "front matter: 'minutes' is too large"),
    ("duplicate field in block", FM + "## s\n" + fence("tokens", "text: a\ntext: b"), 8,
     "tokens block: duplicate field 'text' (first on line 7)"),
]


@pytest.mark.parametrize("text,line,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_error_has_message_and_line(text, line, message):
    found = problems(text)
    assert (line, message, "error") in found, found


WARNINGS = [
    ("unknown field", FM + "## s\n" + fence(
        "cloze", "id: c\npassage: I {1}.\nblanks:\n  1: {answer: am, answers: x}"), 10,
     "cloze 'c' blank 1: unknown field 'answers' (did you mean 'answer'?)"),
    ("unknown front matter field", "---\nid: t\ntitle: T\ncolour: red\n---\nhi\n", 4,
     "front matter: unknown field 'colour'"),
    ("focus not in text", FM + "## s\n" + fence("attention", "text: hello\nfocus: zz"), 8,
     "attention block: focus 'zz' does not appear in the text"),
    ("expect on a kind without claims", FM + "## s\n" + fence(
        "tokens", "text: hi\nexpect: {top: [x]}"), 8,
     "tokens block: unknown field 'expect'"),
    ("empty step", FM + "## one\n## two\nhi\n", 5, "step 'one' is empty"),
    ("unclosed code fence", FM + "## s\n```python\nprint(1)\n", 6,
     "code fence ``` is never closed; the rest of the file shows as code"),
    ("text after kind", FM + "## s\n```tokens extra words\ntext: a\n```\n", 6,
     "text after the block kind is ignored: 'extra words'"),
]


@pytest.mark.parametrize("text,line,message", [c[1:] for c in WARNINGS], ids=[c[0] for c in WARNINGS])
def test_warnings(text, line, message):
    found = problems(text)
    assert (line, message, "warning") in found, found
    assert not [f for f in found if f[2] == "error"], found


def test_problem_str_format():
    lesson = parse_lesson("---\nid: t\ntitle: T\ncolour: red\nminutes: x\n---\nhi\n", "les/t.md")
    text = [str(p) for p in lesson.problems]
    assert text == ["les/t.md:4: warning: front matter: unknown field 'colour'",
                    "les/t.md:5: front matter: 'minutes' must be a whole number, not 'x'"]


# -- file-level problems -------------------------------------------------------------------
def test_binary_file(tmp_path):
    path = tmp_path / "bin.md"
    path.write_bytes(b"---\nid: a\n\x00\x01\x02")
    lesson = load_lesson(path)
    assert [(p.line, p.message) for p in lesson.problems] == [
        (3, "binary file (contains NUL bytes), not a Markdown lesson")]
    assert lesson.steps == [] and lesson.id == "bin"


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.md"
    path.write_bytes("---\nid: a\ntitle: café\n---\n".encode("latin-1"))
    assert [(p.line, p.message) for p in load_lesson(path).problems] == [
        (3, "not UTF-8 text (byte 0xe9); save the file as UTF-8")]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("  \n\n")
    assert [str(p) for p in load_lesson(path).problems] == [f"{path}:1: empty file"]


def test_missing_file(tmp_path):
    assert [p.message for p in load_lesson(tmp_path / "nope.md").problems] == ["no such file"]


def test_unreadable_file(tmp_path):
    path = tmp_path / "dir.md"
    path.mkdir()
    assert [p.message for p in load_lesson(path).problems] == ["is a folder, not a lesson file"]


def test_crlf_and_bom_keep_line_numbers(tmp_path):
    path = tmp_path / "win.md"
    text = FM + "## s\n" + fence("tokens", "text: a\ntext: b")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert [(p.line, p.message) for p in load_lesson(path).problems] == [
        (8, "tokens block: duplicate field 'text' (first on line 7)")]


def test_errors_keep_what_could_be_parsed():
    lesson = parse_lesson(FM + "## one\nprose\n" + fence("tokens", "text: [a") + "## two\nmore\n")
    assert [s.title for s in lesson.steps] == ["one", "two"]
    invalid = lesson.steps[0].blocks[1]
    assert invalid.kind == "invalid" and invalid.written_kind == "tokens"
    assert invalid.source == "text: [a" and invalid.messages
    assert not lesson.ok


@pytest.mark.parametrize("language", ["clojure", "slim", "python", "mask-rcnn-config"])
def test_code_languages_near_a_kind_stay_code(language):
    text = FM + "## s\n" + fence(language, "x = 1")
    found = problems(text)
    if "-" in language:  # an unknown hyphenated word looks like a block kind: flagged, no hint
        assert found == [(6, f"unknown block kind '{language}'", "error")]
    else:
        assert found == [], found


# -- 15.9: exercises never vanish silently --------------------------------------------------------
QUIZ_BODY = "id: q\nquestion: Which?\nchoices:\n  - {text: a, correct: true}\n  - {text: b}"


def test_a_deleted_opening_fence_is_reported():
    # the quiz's first fence line is gone: its YAML is prose, its closing fence opens code
    text = FM + "## s\nIntro.\n\n" + QUIZ_BODY + "\n```\n\nMore prose.\n" + fence("tokens", "text: a")
    found = problems(text)
    assert (8, "these lines look like the fields of a quiz block but show as text: is its "
               "opening ```quiz line missing?", "warning") in found, found
    # ...and the quiz's closing fence now opens a code block that swallows the next block
    assert (16, "a tokens block starts inside the code block of line 13, so it shows as code: a "
                "fence line above is missing or extra", "warning") in found, found
    assert parse_lesson(text).kinds() == {}


def test_a_block_swallowed_by_a_stray_fence_is_reported():
    text = FM + "## s\n```\nstray\n" + fence("quiz", QUIZ_BODY)
    found = problems(text)
    assert (8, "a quiz block starts inside the code block of line 6, so it shows as code: a "
               "fence line above is missing or extra", "warning") in found, found


@pytest.mark.parametrize("info", ["", "yaml", "quxz", "qui#"])
def test_a_block_written_as_code_is_reported(info):
    found = problems(FM + "## s\n" + fence(info, QUIZ_BODY))
    shown = f" (```{info})" if info else ""
    assert (6, f"this code block{shown} looks like a quiz block; start it with ```quiz to make it "
               "one", "warning") in found, found


def test_a_block_inside_a_list_is_reported():
    found = problems(FM + "## s\n- item\n\n  ```cloze\n  id: c\n  passage: I {1}.\n  blanks: {1: am}\n  ```\n")
    assert (8, "a cloze block inside a list or quote is shown as code: start its ``` line at the "
               "beginning of a line", "warning") in found, found


def test_prose_and_code_that_merely_mention_fields_are_fine():
    text = FM + ("## s\nThe question: what is a cloze?\nAnswer: a test.\n\n"
                 "```python\nquestion = 'q'\nchoices = ['a']\n```\n"
                 "```yaml\nname: demo\ntext: hello\n```\n")
    assert problems(text) == []


def test_lost_exercises_compares_with_saved_progress():
    from tutor.course.lost import graded_ids, lost_exercises

    text = FM + "## s\n" + fence("quiz", QUIZ_BODY) + fence("cloze", "id: c\npassage: I {1}.\nblanks: {1: am}")
    lesson = parse_lesson(text, "t.md")
    assert graded_ids(lesson) == ["q", "c"]
    assert lost_exercises(lesson, 2) is None and lost_exercises(lesson, ["q", "c"]) is None
    problem = lost_exercises(lesson, 3)
    assert str(problem) == ("t.md:1: warning: your saved progress has 3 graded exercises in lesson "
                            "'t' but the file now has 2: an edit may have lost some; run "
                            "'bert-tutor lessons check t.md'")
    renamed = lost_exercises(lesson, {"q", "li-hua"})
    assert "has 2 graded exercises in lesson 't' but the file now has 2 (no longer found: li-hua)" in renamed.message
    # a graded block with errors is still there (shown broken), not lost
    broken = parse_lesson(text.replace("passage: I {1}.", "passage: I."), "t.md")
    assert graded_ids(broken) == ["q", "c"] and lost_exercises(broken, 2) is None
