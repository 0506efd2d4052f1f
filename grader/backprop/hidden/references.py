"""References for the answers no library computes: the ReLU, affine and max-pooling gradients,
and the answers of the usual mistakes on them (not in the student bundle).

Each ``*_answers`` function returns ``(expected, {mistake id: wrong answer})``, keeping only the
mistakes whose answer differs from the right one. None of them is written like a backward pass:
the ReLU gradient is Heaviside's step, the affine gradients are contractions written with
``np.einsum``, and max pooling routes ``dout`` with ``np.argmax`` over NumPy's sliding windows
(its first maximum, in row-major order, is the tie rule of the course) and ``np.add.at``.
tests/backprop/test_backprop.py shows that they agree with numerical gradients.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["affine_answers", "distinct", "maxpool_answers", "relu_answers"]


def distinct(expected, mistakes: dict) -> dict:
    """The mistakes whose answer is not the expected one (item by item for tuples)."""

    def same(a, b) -> bool:
        if isinstance(a, tuple):
            return all(w is None or same(e, w) for e, w in zip(a, b, strict=True))
        return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-9, atol=1e-12)

    return {m: v for m, v in mistakes.items() if not same(expected, v)}


def relu_answers(dout, x) -> tuple:
    d = np.asarray(dout, dtype=np.float64)
    expected = d * np.heaviside(x, 0.0)
    return expected, distinct(
        expected,
        {
            "passes_at_zero": d * np.heaviside(x, 1.0),
            "wrong_side": d * np.heaviside(-x, 0.0),
            "passes_everywhere": d,
            "mask_only": np.heaviside(x, 0.0),
            "relu_of_dout": np.maximum(d, 0.0),
        },
    )


def affine_answers(dout, cache) -> tuple:
    x, w, _ = cache
    d = np.asarray(dout, dtype=np.float64)
    flat = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    dx_flat = np.einsum("nm,dm->nd", d, w)
    dw = np.einsum("nd,nm->dm", flat, d)
    db = np.einsum("nm->m", d)
    expected = (dx_flat.reshape(np.shape(x)), dw, db)
    mistakes = {
        "dw_transposed": (None, dw.T, None),
        "db_wrong_axes": (None, None, d.sum(axis=1)),
    }
    if np.ndim(x) > 2:
        mistakes["dx_not_reshaped"] = (dx_flat, None, None)
    if len(x) > 1:
        mistakes["dw_averaged"] = (None, dw / len(x), None)
        mistakes["db_averaged"] = (None, None, db / len(x))
    return expected, distinct(expected, mistakes)


def _route(weights: np.ndarray, dout: np.ndarray, shape, size: int, stride: int) -> np.ndarray:
    """Send ``dout[n, c, i, j] * weights[n, c, i, j, k]`` to tap k of window (i, j) of x.

    weights : (N, C, H', W', size * size), tap k = u * size + v at row i*stride + u, column
    j*stride + v; contributions to the same input add up.
    """
    n, c, ho, wo, taps = weights.shape
    ni, ci, ii, ji, ki = np.indices(weights.shape, sparse=True)
    rows = ii * stride + ki // size
    cols = ji * stride + ki % size
    dx = np.zeros(shape)
    np.add.at(dx, (ni, ci, rows, cols), weights * dout[..., None])
    return dx


def maxpool_answers(dout, cache) -> tuple:
    x, size, stride = cache
    x = np.asarray(x)
    d = np.asarray(dout, dtype=np.float64)
    ho, wo = d.shape[2:]
    windows = sliding_window_view(x, (size, size), axis=(2, 3))
    taps = windows[:, :, ::stride, ::stride].reshape(*d.shape, size * size)
    first = np.argmax(taps, axis=-1)  # numpy returns the first maximum in row-major order
    onehot = np.arange(size * size) == first[..., None]
    expected = _route(onehot, d, x.shape, size, stride)
    tied = taps == taps.max(axis=-1, keepdims=True)
    last = size * size - 1 - np.argmax(taps[..., ::-1], axis=-1)
    mistakes = {
        "all_ties": _route(tied, d, x.shape, size, stride),
        "split_ties": _route(tied / tied.sum(axis=-1, keepdims=True), d, x.shape, size, stride),
        "last_tie": _route(np.arange(size * size) == last[..., None], d, x.shape, size, stride),
        "route_without_dout": _route(onehot, np.ones_like(d), x.shape, size, stride),
    }
    if stride != 1:  # windows taken every position: the first H' x W' of them
        dense = windows[:, :, :ho, :wo].reshape(*d.shape, size * size)
        hit = np.arange(size * size) == np.argmax(dense, axis=-1)[..., None]
        mistakes["stride_ignored"] = _route(hit, d, x.shape, size, 1)
    if ho * wo > 1:  # the argmax's place in the window read as a place in x
        offset = np.zeros(x.shape)
        ni, ci, _, _ = np.indices(d.shape, sparse=True)
        np.add.at(offset, (ni, ci, first // size, first % size), d)
        mistakes["window_offset_missing"] = offset
        whole = np.zeros(x.shape)
        flat = x.reshape(*x.shape[:2], -1).argmax(axis=-1)
        ni, ci = np.indices(x.shape[:2], sparse=True)
        whole[ni, ci, flat // x.shape[3], flat % x.shape[3]] = d.sum(axis=(2, 3))
        mistakes["whole_map"] = whole
    if stride < size:  # windows visited in row-major order, each assigned, not added
        overwritten = np.zeros(x.shape)
        for i in range(ho):
            for j in range(wo):
                r, q = i * stride, j * stride
                part = onehot[:, :, i, j].reshape(*d.shape[:2], size, size)
                overwritten[:, :, r : r + size, q : q + size] = part * d[:, :, i, j, None, None]
        mistakes["overlap_overwritten"] = overwritten
    return expected, distinct(expected, mistakes)
