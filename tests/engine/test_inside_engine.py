"""The "inside BERT" views against the real bundled model (one model load per session)."""
from __future__ import annotations

import numpy as np

from tutor.analysis.attention import select_map
from tutor.analysis.embeddings import cosine_matrix
from tutor.analysis.masking import mask_draw
from tutor.commands.inside_cmds import random_vocab

SENTENCE = "The animal didn't cross the street because it was too tired."


def test_attention_rows_sum_to_one_for_every_layer_and_head(engine):
    result = engine.attention(SENTENCE)
    layers, heads = result.weights.shape[:2]
    assert result.weights.shape[2:] == (len(result.tokens),) * 2
    for layer in range(1, layers + 1):
        for head in range(1, heads + 1):
            matrix, label = select_map(result.weights, layer, head)
            assert np.allclose(matrix.sum(-1), 1.0, atol=1e-4), label


def test_a_masking_draw_on_real_tokens_is_filled_position_by_position(engine):
    tokens = [t for t, _ in engine.tokens("My name is Li Hua. I am thirteen. I am in Class Five.")]
    vocab = random_vocab(engine)
    assert len(vocab) > 20_000 and not any(t.startswith("[") and t.endswith("]") for t in vocab[:2000])
    draw = mask_draw(tokens, rate=0.3, seed=4, vocab=vocab)
    fills = engine.fill_mask(draw.bert_input(), top_k=3)
    assert len(fills) == len(draw.picked) and all(len(f) == 3 for f in fills)


def test_onehot_row_and_contextual_vectors(engine):
    (_, bank_id), = [(t, i) for t, i in engine.tokens("bank") if t == "bank"]
    rows, shape = engine.embedding_rows([bank_id, bank_id])
    assert shape == (engine.vocab_size, engine.info()["hidden"]) and np.array_equal(rows[0], rows[1])
    river, money = "We sat on the bank of the river.", "I deposited my salary at the bank."
    at_input = cosine_matrix([engine.word_vector(s, "bank", 0) for s in (river, money)])[0, 1]
    at_last = cosine_matrix([engine.word_vector(s, "bank", -1) for s in (river, money)])[0, 1]
    assert at_input > 0.9 and at_last < at_input  # only the position differs at layer 0
    every_layer = engine.word_vectors(river, "bank")
    assert every_layer.shape == (engine.info()["layers"] + 1, engine.info()["hidden"])
    assert np.allclose(every_layer[-1], engine.word_vector(river, "bank", -1), atol=1e-5)
    tokens, states = engine.hidden_states(river)
    assert states.shape == (engine.info()["layers"] + 1, len(tokens), engine.info()["hidden"])
    assert np.allclose(states[2], engine.embed(river, 2).vectors)


def test_mask_demo_cli(engine):
    import json

    import click
    from click.testing import CliRunner

    from tutor.commands import inside_cmds

    @click.group()
    @click.pass_context
    def cli(ctx):
        ctx.ensure_object(dict)

    inside_cmds.register(cli)
    result = CliRunner().invoke(cli, ["mask-demo", "I am in Class Five, Grade One.", "--seed", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["picked"] and len(data["fills"]) == len(data["picked"])
    assert [data["labels"][p] for p in data["picked"]] == [data["tokens"][p] for p in data["picked"]]
    bad = CliRunner().invoke(cli, ["mask-demo", "   "])
    assert bad.exit_code == 2 and "empty" in bad.output
