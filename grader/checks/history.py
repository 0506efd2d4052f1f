"""Visible checks for notebook 01_history: perceptron_predict, perceptron_update, fc_param_count.

The expected answers come from plain-Python references written for the judge (one sample and one
product at a time, with ``math.fsum``), never from a copy of the exercise, and from identities a
correct answer must satisfy (data already classified right leaves the weights alone; from zero
weights the result scales with the learning rate). Each case also carries the answers of the usual
mistakes, so that a wrong result is named ("the bias is never updated", "`>=` instead of `>`").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from grader.cases import Case
from grader.checks import run_check

__all__ = [
    "CASES",
    "check_fc_param_count",
    "check_perceptron_predict",
    "check_perceptron_update",
    "count_case",
    "fc_param_count_cases",
    "perceptron_predict_cases",
    "perceptron_update_cases",
    "predict_case",
    "reference_count",
    "reference_pass",
    "reference_predict",
    "trajectory_margin",
    "update_cases",
]

AT_LEAST = "a score of exactly 0 gave label 1: the unit fires only when X @ w + b > 0 (not >=)"
NO_BIAS = "the bias is ignored: the score is X @ w + b"
BIAS_SUBTRACTED = "the bias is subtracted: the score is X @ w + b, not X @ w - b"
RAW_SCORES = "these are the scores X @ w + b: the labels are 1 where the score is > 0, else 0"
SIGN_LABELS = "labels -1/+1 (np.sign): this perceptron outputs 0 or 1"
INVERTED = "the labels are inverted: 1 where the score is > 0, 0 elsewhere"

BATCH = (
    "every prediction used the initial w and b (a batch update): Rosenblatt's rule updates after "
    "each sample, so sample i is judged by the weights that samples 0..i-1 left behind"
)
FROZEN_BIAS = "the bias is never updated: b += lr * (y_i - pred_i) after every sample"
FLIPPED_SIGN = "the update has the wrong sign: it is (y_i - pred_i) * x_i, not (pred_i - y_i) * x_i"
UNIT_RATE = "the learning rate is ignored: every change is multiplied by lr"
AT_LEAST_UPDATE = (
    "a score of exactly 0 was predicted as 1: pred_i is 1 only when x_i @ w + b > 0 (not >=)"
)
FIRST_ONLY = "only the first sample was used: is the `return` indented inside the loop?"
REVERSED = "the samples were visited in reverse order: one pass goes i = 0, 1, ..., N - 1"
SIGN_PRED = "the predictions are -1/+1 (np.sign): pred_i must be 0 or 1, like perceptron_predict"

NO_BIAS_COUNT = "the biases are missing: a layer with bias has one per output"
ALWAYS_BIAS = "biases were counted although bias=False"
SUMMED_SHAPE = "the input shape was summed: the number of inputs is the product of its entries"
BIAS_PER_INPUT = "one bias per input was counted: there is one bias per output"
ONE_BIAS = "a single bias was counted: there is one bias per output (n_out of them)"


# ----------------------------------------------------------------------------------------------
# References: plain Python, one sample and one product at a time.


def _score(x: Sequence[float], w: Sequence[float], b: float) -> float:
    """``sum_j x_j w_j + b`` in exactly rounded Python floats."""
    return math.fsum([float(a) * float(c) for a, c in zip(x, w, strict=True)] + [float(b)])


def reference_predict(X: np.ndarray, w: np.ndarray, b: float, at_zero: int = 0) -> np.ndarray:
    """Labels of a threshold unit, one sample at a time: 1 where the score is > 0, else ``at_zero``
    where it is exactly 0, else 0. Returns an int64 array of shape (N,).

    Introduced in 01_history.
    """
    labels = []
    for x in np.asarray(X):
        s = _score(x, w, b)
        labels.append(1 if s > 0 else (at_zero if s == 0 else 0))
    return np.array(labels, dtype=np.int64)


def reference_pass(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    b: float,
    lr: float,
    mistake: str | None = None,
) -> tuple[np.ndarray, float]:
    """One pass of Rosenblatt's rule over the samples in order, in Python floats.

    Introduced in 01_history.

    ``mistake`` replays a common error instead: ``"batch"`` (every prediction from the initial
    weights), ``"frozen_bias"``, ``"flipped_sign"``, ``"unit_rate"`` (lr taken as 1),
    ``"at_least"`` (``>=`` in the prediction), ``"first_only"``, ``"reversed"``, ``"sign_pred"``
    (predictions from ``np.sign``, -1/0/+1).

    Returns
    -------
    (w, b) : ndarray of shape (D,), float64, and float
    """
    weights = [float(v) for v in np.asarray(w)]
    bias = float(b)
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
        elif mistake == "at_least":
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


def trajectory_margin(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float) -> float:
    """The smallest nonzero ``|x_i @ w + b|`` met during one correct pass (inf if none).

    Introduced in 01_history. Random cases are redrawn when it is tiny, so that rounding in a
    learner's float32 or differently ordered sums cannot flip a prediction.
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
    plus one bias per output. Introduced in 01_history."""
    weights = math.prod(int(size) for size in in_shape) * int(n_out)
    biases = int(n_out) if bias else 0
    return weights + biases


# ----------------------------------------------------------------------------------------------
# Case builders.


def _tolerances(*arrays: np.ndarray) -> dict:
    if any(np.asarray(a).dtype == np.float32 for a in arrays):
        return {"rtol": 1e-4, "atol": 1e-4}
    return {"rtol": 1e-7, "atol": 1e-9}


def predict_case(label: str, X: np.ndarray, w: np.ndarray, b: float) -> Case:
    """A case for perceptron_predict with the answers of the usual mistakes."""
    expected = reference_predict(X, w, b)
    scores = np.array([_score(x, w, b) for x in X])
    mistakes = (
        (AT_LEAST, reference_predict(X, w, b, at_zero=1)),
        (NO_BIAS, reference_predict(X, w, 0.0)),
        (BIAS_SUBTRACTED, reference_predict(X, w, -b)),
        (RAW_SCORES, scores),
        (SIGN_LABELS, np.sign(scores)),
        (INVERTED, 1 - expected),
    )
    return Case(label, (X, w, b), expected, mistakes=mistakes, **_tolerances(X, w))


_UPDATE_MISTAKES = (
    (BATCH, "batch"),
    (FROZEN_BIAS, "frozen_bias"),
    (FLIPPED_SIGN, "flipped_sign"),
    (UNIT_RATE, "unit_rate"),
    (AT_LEAST_UPDATE, "at_least"),
    (FIRST_ONLY, "first_only"),
    (REVERSED, "reversed"),
    (SIGN_PRED, "sign_pred"),
)


def update_cases(
    label: str,
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    b: float,
    lr: float,
    expected: tuple[np.ndarray, float] | None = None,
) -> list[Case]:
    """Two cases for perceptron_update: the new ``w`` alone (where the usual mistakes are named),
    then the whole ``(w, b)`` pair. ``expected`` overrides the reference pass (identities)."""
    w_new, b_new = reference_pass(X, y, w, b, lr) if expected is None else expected
    args = (X, y, w, b, lr)
    mistakes = tuple(
        (text, reference_pass(*args, mistake=name)[0]) for text, name in _UPDATE_MISTAKES
    )
    tol = _tolerances(X, w)
    return [
        Case(f"{label}: the new w", args, w_new, mistakes=mistakes, pick=0, **tol),
        Case(f"{label}: the new (w, b)", args, (w_new, float(b_new)), **tol),
    ]


def count_case(label: str, in_shape: tuple, n_out: int, bias: bool | None = None) -> Case:
    """A case for fc_param_count; ``bias=None`` leaves the argument at its default (True)."""
    kwargs = {} if bias is None else {"bias": bias}
    with_bias = True if bias is None else bias
    n_in = reference_count(in_shape, 1, bias=False)
    mistakes = (
        (NO_BIAS_COUNT, n_in * n_out),
        (ALWAYS_BIAS, n_in * n_out + n_out),
        (SUMMED_SHAPE, sum(in_shape) * n_out + (n_out if with_bias else 0)),
        (BIAS_PER_INPUT, n_in * n_out + n_in),
        (ONE_BIAS, n_in * n_out + 1),
    )
    expected = reference_count(in_shape, n_out, bias=with_bias)
    return Case(label, (in_shape, n_out), expected, kwargs=kwargs, mistakes=mistakes)


# ----------------------------------------------------------------------------------------------
# The visible cases.


def perceptron_predict_cases() -> list[Case]:
    and_inputs = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    ties = np.array([[2.0, 1.0], [1.0, 1.0], [0.0, 3.0], [3.0, 0.0], [-1.0, -1.0]])
    rng = np.random.default_rng(1)
    return [
        predict_case(
            "AND-gate inputs, w = [1, 1], b = -1.5 (expect [0, 0, 0, 1])",
            and_inputs,
            np.array([1.0, 1.0]),
            -1.5,
        ),
        predict_case(
            "w = [1, -1], b = 0: rows 1 and 4 (from 0) score exactly 0, so their label is 0",
            ties,
            np.array([1.0, -1.0]),
            0.0,
        ),
        predict_case(
            "integer inputs X (6, 3), w = [0.5, -1, 2], b = 0.25",
            rng.integers(-3, 4, size=(6, 3)),
            np.array([0.5, -1.0, 2.0]),
            0.25,
        ),
        predict_case(
            "one sample, one feature: X = [[-2]], w = [-1.5], b = -2.5 (expect [1])",
            np.array([[-2.0]]),
            np.array([-1.5]),
            -2.5,
        ),
        predict_case(
            "float32 X (5, 4)",
            np.round(rng.normal(size=(5, 4)), 1).astype(np.float32) + np.float32(0.25),
            np.array([1.0, -0.5, 0.25, 2.0], dtype=np.float32),
            0.5,
        ),
    ]


# The hand-worked example of the notebook: four points, from w = 0 and b = 0, lr = 0.5.
HAND_X = np.array([[1.0, -2.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, -2.0]])
HAND_Y = np.array([0, 1, 0, 1])


def perceptron_update_cases() -> list[Case]:
    and_inputs = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    and_labels = np.array([0, 0, 0, 1])
    or_inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])  # integers on purpose
    or_labels = np.array([0, 1, 1, 1])
    w_ok, b_ok = np.array([1.0, 1.0]), -1.5
    rng = np.random.default_rng(11)
    X32 = (rng.integers(-4, 5, size=(6, 3)) / 2).astype(np.float32)
    y32 = np.array([1, 0, 1, 1, 0, 0])
    return [
        # Identity first: it also checks the shape of the answer, a tuple (w, b).
        Case(
            "AND gate already classified right by w = [1, 1], b = -1.5: nothing may change",
            (and_inputs, and_labels, w_ok, b_ok, 0.5),
            (w_ok.copy(), b_ok),
        ),
        *update_cases(
            "the worked example (4 points, w = [0, 0], b = 0, lr = 0.5)",
            HAND_X,
            HAND_Y,
            np.zeros(2),
            0.0,
            0.5,
        ),
        *update_cases(
            "OR gate with integer X, w = [0.25, -0.5], b = 0.5, lr = 0.25",
            or_inputs,
            or_labels,
            np.array([0.25, -0.5]),
            0.5,
            0.25,
        ),
        *update_cases(
            "float32 X (6, 3) and w, b = -0.5, lr = 0.125",
            X32,
            y32,
            np.array([0.5, -1.0, 0.0], dtype=np.float32),
            -0.5,
            0.125,
        ),
    ]


def fc_param_count_cases() -> list[Case]:
    return [
        count_case(
            "in_shape (32, 32, 3): 3072 inputs, n_out 10, bias left at its default (True)",
            (32, 32, 3),
            10,
        ),
        count_case(
            "in_shape (300, 300, 3): 270000 inputs, n_out 1 (one neuron), bias=False",
            (300, 300, 3),
            1,
            False,
        ),
        count_case(
            "in_shape (3, 32, 32): 3072 inputs, n_out 10, bias=False", (3, 32, 32), 10, False
        ),
        count_case("in_shape (784,): 784 inputs, n_out 100, bias=True", (784,), 100, True),
        count_case("in_shape (2, 3, 4, 5): 120 inputs, n_out 7, bias default", (2, 3, 4, 5), 7),
        count_case(
            "in_shape (1080, 1920, 3), n_out 1000: over 2**31 parameters, too many for int32",
            (1080, 1920, 3),
            1000,
        ),
    ]


CASES: dict[str, Callable[[], list[Case]]] = {
    "perceptron_predict": perceptron_predict_cases,
    "perceptron_update": perceptron_update_cases,
    "fc_param_count": fc_param_count_cases,
}


def check_perceptron_predict(fn: Callable) -> None:
    """Check ``perceptron_predict(X, w, b)``, including scores of exactly 0."""
    run_check("perceptron_predict", fn, CASES["perceptron_predict"]())


def check_perceptron_update(fn: Callable) -> None:
    """Check ``perceptron_update(X, y, w, b, lr)``: one pass, sample by sample, inputs untouched."""
    run_check("perceptron_update", fn, CASES["perceptron_update"]())


def check_fc_param_count(fn: Callable) -> None:
    """Check ``fc_param_count(in_shape, n_out, bias=True)`` on image-sized inputs."""
    run_check("fc_param_count", fn, CASES["fc_param_count"]())
