"""Lesson blocks that name their model (``model:``) and the ``word2vec`` block, as the linter sees them."""
from __future__ import annotations

from tutor.course import parse_lesson
from tutor.course.blocks import MULTILINGUAL_MODEL, AttentionBlock, EmbeddingsBlock, TokensBlock, Word2VecBlock, lesson_models


def lesson(body: str):
    return parse_lesson("---\nid: m\ntitle: M\n---\n" + body, "m.md")


def test_inside_bert_blocks_take_a_known_model():
    parsed = lesson("```tokens\ntext: 海水朝朝\nmodel: multilingual\n```\n\n"
                    "```attention\ntext: 海水朝朝\nmodel: multilingual\n```\n\n"
                    "```embeddings\nword: 朝\nsentences: [海水朝朝]\nmodel: multilingual\n```\n")
    assert parsed.problems == []
    blocks = list(parsed.blocks())
    assert [type(b) for b in blocks] == [TokensBlock, AttentionBlock, EmbeddingsBlock]
    assert {b.model for b in blocks} == {MULTILINGUAL_MODEL}
    assert "bert-tutor-mini" in lesson_models() and MULTILINGUAL_MODEL in lesson_models()


def test_an_unknown_model_is_an_error_at_its_line():
    parsed = lesson("```tokens\ntext: 海水朝朝\nmodel: multilingal\n```\n")
    assert [str(p) for p in parsed.problems] == [
        "m.md:7: tokens block: model 'multilingal' is not one of bert-tutor-mini, multilingual "
        "(did you mean 'multilingual'?)"]
    assert list(parsed.blocks())[0].kind == "invalid"


def test_one_sentence_needs_two_uses_of_the_word():
    parsed = lesson("```embeddings\nword: 朝\nsentences: [海水朝落]\n```\n")
    assert any("or one that uses it twice" in p.message for p in parsed.problems)


def test_word2vec_block():
    parsed = lesson("```word2vec\nid: w\nword: light\ntop: 5\nsentences:\n  - The light is on.\n"
                    "  - A light bag.\n```\n")
    assert parsed.problems == []
    block = list(parsed.blocks())[0]
    assert isinstance(block, Word2VecBlock) and (block.word, block.top, len(block.sentences)) == ("light", 5, 2)
    bad = lesson("```word2vec\nword: two words\ntop: 99\nsentences: [no such thing, nor here]\n```\n")
    messages = " | ".join(p.message for p in bad.problems)
    assert "'word' must be one word" in messages and "'top' must be between 1 and 50" in messages
    assert "does not contain the word" in messages
