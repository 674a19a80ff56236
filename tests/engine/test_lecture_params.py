"""The formula in tutor.params equals what torch actually allocates for the bundled model."""
from __future__ import annotations

from tutor.params import count_parameters, read_config
from tutor.paths import BUNDLED_MODEL_DIR


def test_formula_equals_the_shipped_masked_lm(engine):
    actual = sum(p.numel() for p in engine.model.parameters())  # tied weights counted once
    config = read_config(BUNDLED_MODEL_DIR)
    assert count_parameters(config, pooler=False, mlm_head=True).total == actual
    assert engine.info()["parameters"] == actual


def test_formula_equals_bertmodel_with_pooler():
    from transformers import BertConfig, BertModel

    config = read_config(BUNDLED_MODEL_DIR)
    model = BertModel(BertConfig(**config))  # random weights: only the shapes matter
    assert count_parameters(config).total == sum(p.numel() for p in model.parameters())
