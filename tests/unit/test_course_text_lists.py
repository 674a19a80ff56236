"""``expect`` keys and embeddings ``groups`` share one reader of "a text or a list of texts"
(tutor/course/build.py ``_texts_of``); each block still reports a bad value in its own words."""
import pytest

from tests.unit.test_course_checks import FM, fence, problems
from tests.unit.test_course_parse import only_block


def test_a_single_text_counts_as_a_list_of_one():
    block = only_block("text: a [MASK]\nexpect: {top: ' paris ', not_top: [rome, ' london ']}", "fill-mask")
    assert block.expect == (("top", ("paris",)), ("not_top", ("rome", "london")))
    emb = only_block("groups:\n  love: ' I love you '\n  alone: [Leave me alone!, ' Go away ']", "embeddings")
    assert emb.groups == (("love", ("I love you",)), ("alone", ("Leave me alone!", "Go away")))


@pytest.mark.parametrize("value, shown", [("{a: b}", "a mapping"), ("[]", "a list"), ("[x, [y]]", "a list"),
                                          ("''", "empty")])
def test_anything_else_is_reported_on_its_line(value, shown):
    groups = FM + "## s\n" + fence("embeddings", f"groups:\n  ok: [a, b]\n  bad: {value}\n  fine: c")
    assert problems(groups) == [(9, f"embeddings block: group 'bad' must be a list of sentences, not {shown}", "error")]
    expect = FM + "## s\n" + fence("fill-mask", f"text: a [MASK]\nexpect:\n  top: {value}")
    assert problems(expect) == [(9, f"fill-mask block: expect 'top' must be a list of text, not {shown}", "error")]
