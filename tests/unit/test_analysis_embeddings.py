"""Cosine tables and the seeded PCA behind the embeddings view."""
from __future__ import annotations

import numpy as np

from tutor.analysis.embeddings import cosine_matrix, pca_2d
from tutor.widgets.embeddings_view import off_diagonal_range, sentence_vector, similarity_table


def test_identical_vectors_have_cosine_one():
    v = np.random.default_rng(0).normal(size=384)
    sims = cosine_matrix([v, v, 2 * v])
    assert np.allclose(sims, 1.0)
    assert off_diagonal_range(sims) == (1.0, 1.0) or np.allclose(off_diagonal_range(sims), 1.0)


def test_cosine_diagonal_is_one_and_symmetric():
    m = np.random.default_rng(1).normal(size=(5, 16))
    sims = cosine_matrix(m)
    assert np.allclose(np.diag(sims), 1.0) and np.allclose(sims, sims.T)


def test_pca_is_deterministic_for_a_seed():
    m = np.random.default_rng(2).normal(size=(6, 32))
    a, b = pca_2d(m, seed=0), pca_2d(m.copy(), seed=0)
    assert a.shape == (6, 2) and np.array_equal(a, b)
    same = np.ones((4, 8))
    assert np.array_equal(pca_2d(same, seed=5), pca_2d(same, seed=5))


def test_sentence_vector_leaves_out_cls_and_sep():
    vectors = np.array([[100.0, 100.0], [1.0, 3.0], [3.0, 1.0], [-100.0, 7.0]])
    assert np.allclose(sentence_vector(["[CLS]", "go", "away", "[SEP]"], vectors), [2.0, 2.0])
    assert np.allclose(sentence_vector(["[CLS]", "[SEP]"], vectors[:2]), [50.5, 51.5])


def test_similarity_table_has_a_row_per_sentence():
    sims = cosine_matrix(np.eye(3))
    text = similarity_table(sims, np.ones((3, 3)), "layer 6", "input").plain
    assert text.count("\nS") == 3 and "1.00" in text and "0.00" in text
