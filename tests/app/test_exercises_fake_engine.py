"""The fake engine the Pilot tests use must stay honest (issue 16): the same method
signatures as the real ``Engine``, and answers that depend on the text."""
from __future__ import annotations

import inspect

import pytest

from tests.app.fake_engine import FakeEngine

# Every engine method a widget calls (tutor/widgets): the fake must have each one.
USED_BY_WIDGETS = ("tokens", "id_to_token", "fill_mask", "rank_blanks", "attention", "hidden_states",
                   "embed", "word_vectors", "embedding_rows", "info")


def public_methods(cls) -> dict[str, object]:
    return {name: member for name, member in vars(cls).items()
            if not name.startswith("_") and callable(member)}


@pytest.fixture(scope="module")
def engine_class():
    return pytest.importorskip("tutor.engine.engine").Engine


def test_fake_engine_matches_engine(engine_class):
    fake = public_methods(FakeEngine)
    real = public_methods(engine_class)
    assert set(USED_BY_WIDGETS) <= set(fake), set(USED_BY_WIDGETS) - set(fake)
    assert set(fake) <= set(real), f"the fake has methods the engine lacks: {set(fake) - set(real)}"
    for name, method in fake.items():
        ours, theirs = inspect.signature(method), inspect.signature(real[name])
        assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == \
            [(p.name, p.kind, p.default) for p in theirs.parameters.values()], name
    assert isinstance(inspect.getattr_static(engine_class, "vocab_size"), property)


def test_fake_answers_depend_on_the_text():
    fake = FakeEngine()
    capital = fake.fill_mask("The capital of France is [MASK].")[0]
    breakfast = fake.fill_mask("Every morning I drink a glass of [MASK].")[0]
    assert capital[0][0] == "paris" and breakfast[0][0] != "paris"
    assert [w for w, _ in capital] != [w for w, _ in breakfast]
    two = fake.fill_mask("The [MASK] went to [MASK].")
    assert len(two) == 2 and two[1][0][0] == "school"
    assert abs(sum(p for _, p in fake.fill_mask("a [MASK] b", top_k=len(capital) + 20)[0]) - 1) < 1e-6
