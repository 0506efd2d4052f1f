"""The references of notebook 01_history's hidden cases: plain Python, one sample and one
product at a time with ``math.fsum``, never a copy of the exercise; and, for any call, the answer
of each usual mistake beside the right one."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "UPDATE_MISTAKES",
    "count_answers",
    "predict_answers",
    "reference_count",
    "reference_pass",
    "reference_predict",
    "trajectory_margin",
    "update_answers",
]

UPDATE_MISTAKES = (
    "batch",
    "frozen_bias",
    "flipped_sign",
    "unit_rate",
    "at_least_update",
    "first_only",
    "reversed",
    "sign_pred",
)


def _score(x: Sequence[float], w: Sequence[float], b: float) -> float:
    """``sum_j x_j w_j + b`` in exactly rounded Python floats."""
    return math.fsum([float(a) * float(c) for a, c in zip(x, w, strict=True)] + [float(b)])


def reference_predict(X: np.ndarray, w: np.ndarray, b: float, at_zero: int = 0) -> np.ndarray:
    """Labels of a threshold unit, one sample at a time: 1 where the score is > 0, ``at_zero``
    where it is exactly 0, else 0. Returns an int64 array of shape (N,)."""
    labels = []
    for x in np.asarray(X):
        s = _score(x, w, b)
        labels.append(1 if s > 0 else (at_zero if s == 0 else 0))
    return np.array(labels, dtype=np.int64)


def reference_pass(X, y, w, b, lr, mistake: str | None = None) -> tuple[np.ndarray, float]:
    """One pass of Rosenblatt's rule over the samples in order, in Python floats.

    ``mistake`` replays a common error instead (an id of :data:`UPDATE_MISTAKES`). Returns the
    new ``w`` (float64, shape (D,)) and ``b``.
    """
    weights, bias = [float(v) for v in np.asarray(w)], float(b)
    rate = 1.0 if mistake == "unit_rate" else float(lr)
    order = range(len(X) - 1, -1, -1) if mistake == "reversed" else range(len(X))
    if mistake == "first_only":
        order = range(min(1, len(X)))
    start = (list(weights), bias)
    for i in order:
        x = [float(v) for v in np.asarray(X)[i]]
        s = _score(x, *start) if mistake == "batch" else _score(x, weights, bias)
        if mistake == "sign_pred":
            pred = (s > 0) - (s < 0)
        elif mistake == "at_least_update":
            pred = int(s >= 0)
        else:
            pred = int(s > 0)
        err = int(y[i]) - pred
        if mistake == "flipped_sign":
            err = -err
        weights = [wj + rate * err * xj for wj, xj in zip(weights, x, strict=True)]
        if mistake != "frozen_bias":
            bias = bias + rate * err
    return np.array(weights, dtype=np.float64), bias


def trajectory_margin(X, y, w, b, lr) -> float:
    """The smallest nonzero ``|x_i @ w + b|`` met during one correct pass (inf if none).

    Random cases are redrawn when it is tiny, so that rounding in a learner's float32 or
    differently ordered sums cannot flip a prediction.
    """
    weights, bias, smallest = [float(v) for v in w], float(b), math.inf
    for x, target in zip(np.asarray(X), y, strict=True):
        s = _score(x, weights, bias)
        if s != 0:
            smallest = min(smallest, abs(s))
        err = int(target) - int(s > 0)
        weights = [wj + lr * err * float(xj) for wj, xj in zip(weights, x, strict=True)]
        bias += lr * err
    return smallest


def reference_count(in_shape: Sequence[int], n_out: int, bias: bool = True) -> int:
    """Parameters of a fully connected layer, by counting: one weight per (input, output) pair,
    plus one bias per output."""
    return math.prod(int(size) for size in in_shape) * int(n_out) + (int(n_out) if bias else 0)


# -- answers: the expected value and the value of each mistake ----------------------------------


def _distinct(expected, mistakes: dict) -> dict:
    def same(a, b):
        if isinstance(a, tuple):
            return all(same(p, q) for p, q in zip(a, b, strict=True))
        return np.shape(a) == np.shape(b) and np.array_equal(a, b)

    return {m: v for m, v in mistakes.items() if not same(v, expected)}


def predict_answers(X, w, b) -> tuple[np.ndarray, dict]:
    expected = reference_predict(X, w, b)
    scores = np.array([_score(x, w, b) for x in np.asarray(X)])
    return expected, _distinct(
        expected,
        {
            "at_least": reference_predict(X, w, b, at_zero=1),
            "no_bias": reference_predict(X, w, 0.0),
            "bias_subtracted": reference_predict(X, w, -b),
            "raw_scores": scores,
            "sign_labels": np.sign(scores),
            "inverted": 1 - expected,
        },
    )


def update_answers(X, y, w, b, lr) -> tuple[tuple, dict]:
    w_new, b_new = reference_pass(X, y, w, b, lr)
    expected = (w_new, float(b_new))
    replays = {m: reference_pass(X, y, w, b, lr, mistake=m) for m in UPDATE_MISTAKES}
    return expected, _distinct(expected, {m: (v[0], float(v[1])) for m, v in replays.items()})


def count_answers(in_shape, n_out, bias=True) -> tuple[int, dict]:
    n_in = reference_count(in_shape, 1, bias=False)
    expected = reference_count(in_shape, n_out, bias)
    return expected, _distinct(
        expected,
        {
            "no_bias_count": n_in * n_out,
            "always_bias": n_in * n_out + n_out,
            "summed_shape": sum(in_shape) * n_out + (n_out if bias else 0),
            "bias_per_input": n_in * n_out + n_in,
            "one_bias": n_in * n_out + 1,
        },
    )
