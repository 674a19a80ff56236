"""The bundled Word2Vec (numpy only) and ``bert-tutor word2vec``."""
from __future__ import annotations

import json

import click
import numpy as np
import pytest
from click.testing import CliRunner

from tests.unit.test_import_hygiene import test_module_does_not_import_torch as _stays_light
from tutor.commands import word2vec_cmd
from tutor.errors import TutorError
from tutor.word2vec import WORD2VEC_DIR, context_window, load_word2vec, tokenize


@pytest.fixture(scope="module")
def w2v():
    return load_word2vec()


@pytest.fixture
def cli():
    @click.group()
    def group():
        pass

    word2vec_cmd.register(group)
    return lambda *args: CliRunner().invoke(group, list(args))


def test_the_committed_vectors_are_small_and_match_their_vocabulary(w2v):
    size = sum(p.stat().st_size for p in WORD2VEC_DIR.iterdir())
    assert size <= 10 * 2**20
    assert len(w2v.words) == w2v.unit.shape[0] == w2v.training["vocabulary"] > 10_000
    assert w2v.training["params"]["sg"] == 1 and w2v.training["params"]["window"] == 5
    assert np.allclose(np.linalg.norm(w2v.unit, axis=1), 1.0, atol=1e-3)
    assert list(w2v.counts) == sorted(w2v.counts, reverse=True)  # gensim's order: most frequent first


def test_neighbours_are_sorted_cosines_without_the_word_itself(w2v):
    best = w2v.neighbours("Light", 10)
    assert len(best) == 10 and "light" not in [w for w, _ in best]
    cosines = [c for _, c in best]
    assert cosines == sorted(cosines, reverse=True) and -1 <= cosines[-1] <= cosines[0] <= 1
    word, cosine = best[0]
    assert cosine == pytest.approx(w2v.similarity("light", word), abs=1e-4)
    # a brute-force check: nothing outside the list is closer than its last entry
    others = [w for w in w2v.words[:3000] if w != "light" and w not in dict(best)]
    assert max(w2v.similarity("light", w) for w in others) <= cosines[-1] + 1e-6


def test_one_vector_per_word_whatever_the_sentence(w2v):
    """The point of lesson 7: Word2Vec's 'bank' is the same row in every context; its nearest
    neighbours are those of the money sense, which dominates the training text."""
    top = dict(w2v.neighbours("bank", 20))
    assert {"loan", "mortgage", "savings"} & set(top)
    assert w2v.similarity("bank", "loan") > w2v.similarity("bank", "river")


def test_an_unseen_word_or_a_phrase_is_a_clear_error(w2v):
    with pytest.raises(TutorError, match="never saw 'zzyzxq'"):
        w2v.neighbours("zzyzxq")
    with pytest.raises(TutorError, match="one word"):
        w2v.vector("river bank")
    assert "bank" in w2v and "zzyzxq" not in w2v


def test_skip_gram_sees_five_words_either_side():
    text = "On a sunny day the old man sat on the bank of the quiet river and fished for hours."
    left, right = context_window(text, "bank")
    assert left == ["old", "man", "sat", "on", "the"] and right == ["of", "the", "quiet", "river", "and"]
    assert tokenize("Don’t STOP") == ["don't", "stop"]


def test_cli_lists_neighbours_and_json(cli):
    result = cli("word2vec", "bank", "-k", "3")
    assert result.exit_code == 0 and "Word2Vec · 'bank'" in result.output and "one vector per word" in result.output
    data = json.loads(cli("word2vec", "Bank", "--json", "--top", "4").output)
    assert data["word"] == "bank" and len(data["neighbours"]) == 4 and data["count"] > 10
    assert data["neighbours"][0]["cosine"] >= data["neighbours"][-1]["cosine"]


def test_cli_unknown_word_is_one_line_exit_2(cli):
    result = cli("word2vec", "zzyzxq")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [result.output.strip()] and "never saw 'zzyzxq'" in result.output
    assert "Traceback" not in result.output


def test_missing_vectors_are_a_clear_error(tmp_path):
    with pytest.raises(TutorError, match="build_word2vec.py"):
        load_word2vec(tmp_path)


def test_word2vec_stays_torch_free():
    _stays_light("tutor.word2vec")
    _stays_light("tutor.commands.word2vec_cmd")


LESSON_7 = WORD2VEC_DIR.parents[1] / "lessons" / "07-bert-vs-word2vec.md"


def test_lesson_7_quotes_the_shipped_word2vec(w2v):
    text = LESSON_7.read_text(encoding="utf-8")
    light = [w for w, _ in w2v.neighbours("light", 10)]
    assert light[:4] == ["reflected", "shade", "reflecting", "illuminate"] and light[-1] == "lamp"
    assert "**light** → reflected, shade, reflecting, illuminate, … lamp" in text
    assert f"(similarity {w2v.similarity('light', 'heavy'):.2f})" in text
    bank = [w for w, _ in w2v.neighbours("bank", 300)]
    assert bank[:5] == ["banks", "robber", "owns", "loan", "reserve"] and {"mortgage", "savings"} <= set(bank[:10])
    assert "**bank** → banks, robber, owns, loan, reserve, … mortgage, savings" in text
    assert (bank.index("flank") + 1, bank.index("flood") + 1, bank.index("river") + 1) == (25, 27, 199)
    assert "places 25 and 27 (*flank*, *flood*), and *river* is number 199" in text


def test_lesson_7_window_example_is_what_skip_gram_sees():
    from tokenizers import Tokenizer

    text = LESSON_7.read_text(encoding="utf-8")
    section = text.split("## What a window of 10 sees", 1)[1]
    passage = " ".join(line[2:] for line in section.splitlines() if line.startswith("> "))
    left, right = context_window(passage, "ping's", occurrence=-1)
    assert f"**{' '.join(left)}** and **{' '.join(right)}**" in section
    words = tokenize(passage)
    gap = len(words) - 1 - words[::-1].index("ping's") - words.index("ping")
    assert f"starts {gap} words earlier" in section
    tokenizer = Tokenizer.from_file(str(WORD2VEC_DIR.parents[0] / "models" / "bert-tutor-mini" / "tokenizer.json"))
    tokenizer.no_truncation()  # the file keeps the 48-token training limit
    assert f"**{len(tokenizer.encode(passage).ids)} tokens** for our model" in section


def test_lesson_7_reports_the_shipped_vectors(w2v):
    """Lesson 7 (both languages) quotes these neighbours: keep the prose true of the shipped model."""
    light = [w for w, _ in w2v.neighbours("light", 10)]
    assert light[:4] == ["reflected", "shade", "reflecting", "illuminate"] and light[-1] == "lamp"
    assert "acronym" in light  # "nine of the ten are about brightness (the odd one out is acronym)"
    assert round(w2v.similarity("light", "heavy"), 2) == 0.44
    bank = [w for w, _ in w2v.neighbours("bank", 200)]
    assert bank[:5] == ["banks", "robber", "owns", "loan", "reserve"] and {"mortgage", "savings"} <= set(bank[:10])
    assert (bank.index("flank") + 1, bank.index("flood") + 1, bank.index("river") + 1) == (25, 27, 199)
