"""The PLL scorer's text handling (no model): which sentence is scored, with what context."""
from tutor.engine.pll import blank_context, sentence_spans


def test_sentence_spans_cover_text():
    text = "One. Two! Three? Four"
    spans = sentence_spans(text)
    assert [text[s:e].strip() for s, e in spans] == ["One.", "Two!", "Three?", "Four"]


def test_blank_context_keeps_neighbours_and_scores_only_the_blank_sentence():
    text = "A cat sat. He is ___ old teacher. He is kind. We like him."
    before, after, s0, s1 = blank_context(text)
    context = before + "an" + after
    assert context.startswith("A cat sat.") and context.rstrip().endswith("He is kind.")
    assert "We like him" not in context
    scored = context[s0:s1 + len("an")].strip()
    assert scored == "He is an old teacher."
