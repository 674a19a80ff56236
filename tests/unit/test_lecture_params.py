"""The slide's "340M": one torch-free formula for BERT-base, BERT-large and our model."""
from __future__ import annotations

from tutor.params import BERT_BASE, BERT_LARGE, count_parameters, millions, read_config
from tutor.paths import BUNDLED_MODEL_DIR


def test_bert_base_is_about_110_million():
    total = count_parameters(BERT_BASE).total
    assert total == 109_482_240  # Hugging Face's BertModel('bert-base-uncased'), pooler included
    assert millions(total) == "109.5 M"


def test_bert_large_is_about_335_to_340_million():
    total = count_parameters(BERT_LARGE).total
    assert total == 335_141_888
    assert 335e6 <= total <= 340e6


def test_parts_add_up_and_heads_do_not_change_the_count():
    count = count_parameters(BERT_BASE)
    assert count.layers == 12 * count.per_layer
    assert count.total == count.embeddings + count.layers + count.pooler
    # Splitting 768 dimensions into 12 or 16 heads moves numbers around, adds none.
    assert count_parameters({**BERT_BASE, "num_attention_heads": 16}).total == count.total


def test_masked_lm_drops_the_pooler_and_adds_a_head_with_a_tied_decoder():
    plain = count_parameters(BERT_BASE)
    mlm = count_parameters(BERT_BASE, pooler=False, mlm_head=True)
    h, v = 768, 30522
    assert mlm.total - plain.total == (h * h + h + 2 * h + v) - (h * h + h)


def test_bundled_model_config_gives_22_7_million():
    config = read_config(BUNDLED_MODEL_DIR)
    assert millions(count_parameters(config).total) == "22.7 M"
    assert millions(count_parameters(config, pooler=False, mlm_head=True).total) == "22.7 M"
