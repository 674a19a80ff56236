"""Cosine tables and the seeded PCA behind the embeddings view."""
from __future__ import annotations

import numpy as np
import pytest

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


def two_clusters(shift: float) -> np.ndarray:
    """Five points around a centre, then five more moved by ``shift`` along dimension 0."""
    rng = np.random.default_rng(2)
    centre = rng.normal(size=32)
    points = centre + rng.normal(scale=0.1, size=(10, 32))
    points[5:, 0] += shift
    return points


@pytest.mark.parametrize("shift", [3.0, -3.0])
def test_pca_separates_clusters_on_the_side_the_data_says(shift):
    xy = pca_2d(two_clusters(shift))
    a, b = xy[:5], xy[5:]
    assert xy.shape == (10, 2)
    # the first axis separates the clusters by far more than either one's own spread on it
    gap = abs(b[:, 0].mean() - a[:, 0].mean())
    assert gap > 5 * max(np.ptp(a[:, 0]), np.ptp(b[:, 0]))
    # the sign is the data's, not the SVD's: the moved cluster lies on the side it was moved to
    assert (b[:, 0].min() > a[:, 0].max()) if shift > 0 else (b[:, 0].max() < a[:, 0].min())


def test_pca_picture_does_not_depend_on_row_order():
    points = two_clusters(3.0)
    order = np.random.default_rng(4).permutation(len(points))
    assert np.allclose(pca_2d(points[order]), pca_2d(points)[order])


def test_pca_of_identical_vectors_is_a_seeded_speck():
    same = np.ones((4, 8))
    a = pca_2d(same, seed=5)
    assert a.shape == (4, 2) and np.abs(a).max() < 1e-4
    assert np.array_equal(a, pca_2d(same, seed=5)) and not np.array_equal(a, pca_2d(same, seed=6))


def test_sentence_vector_leaves_out_cls_and_sep():
    vectors = np.array([[100.0, 100.0], [1.0, 3.0], [3.0, 1.0], [-100.0, 7.0]])
    assert np.allclose(sentence_vector(["[CLS]", "go", "away", "[SEP]"], vectors), [2.0, 2.0])
    assert np.allclose(sentence_vector(["[CLS]", "[SEP]"], vectors[:2]), [50.5, 51.5])


def test_similarity_table_has_a_row_per_sentence():
    sims = cosine_matrix(np.eye(3))
    text = similarity_table(sims, np.ones((3, 3)), "layer 6", "input").plain
    assert text.count("\nS") == 3 and "1.00" in text and "0.00" in text
