"""The one sentence splitter (tutor/corpus/sentences.py) that the PLL scorer and the corpus
builders share; no model."""
from hypothesis import given, strategies as st

from tutor.corpus.build import story_chunks
from tutor.corpus.sentences import sentence_spans, split_sentences


def pieces(text: str) -> list[str]:
    return [text[start:end].strip() for start, end in sentence_spans(text)]


def test_spans_end_after_closing_quotes_and_brackets():
    assert pieces('He said "Go." She went (slowly.) Then? Yes!! no') == [
        'He said "Go."', "She went (slowly.)", "Then?", "Yes!!", "no"]


def test_spans_ignore_case_and_marks_inside_words():
    # a learner's lower-case text still has sentences; "3.5" and "e.g.x" end nothing
    assert pieces("he is ___ old man. he is 3.5 m tall, e.g.x no.") == ["he is ___ old man.",
                                                                        "he is 3.5 m tall, e.g.x no."]


@given(st.text(alphabet=st.sampled_from("ab .!?\"')\n"), max_size=40))
def test_spans_tile_the_text(text):
    spans = sentence_spans(text)
    assert spans[0][0] == 0 and not text[spans[-1][1]:].strip()  # only trailing space is left out
    assert all(end == next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))


def test_prose_keeps_the_closing_quote_with_its_sentence():
    story = 'Billy asked, "Why are you sad, Roxy?" Roxy said, "I lost my ball." They looked for it.'
    assert split_sentences(story) == ['Billy asked, "Why are you sad, Roxy?"', 'Roxy said, "I lost my ball."',
                                      "They looked for it."]


def test_prose_breaks_only_before_a_capital():
    assert split_sentences('"Why are you sad, cow?" he asked. "I am alone." Mia smiled.') == [
        '"Why are you sad, cow?" he asked.', '"I am alone."', "Mia smiled."]


def test_story_chunks_pair_sentences_with_their_quotes():
    assert story_chunks('Tom said, "Hi!" Mia waved. They played. The end.') == [
        'Tom said, "Hi!" Mia waved.', "They played. The end."]
