"""Exercises and visible cases of notebook 01_history: perceptron_predict, perceptron_update,
fc_param_count.

No library computes these, and the student bundle must not hold an implementation of them, so the
answers of the visible examples (and of the usual mistakes on them) are stored in ``golden.json``,
computed by the plain-Python references of :mod:`grader.history.hidden`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from grader.engine.cases import Case, Mistake
from grader.engine.course import Exercise, Notebook
from grader.engine.golden import Golden

__all__ = ["COUNT_EXAMPLES", "MISTAKES", "NOTEBOOK", "PREDICT_EXAMPLES", "UPDATE_EXAMPLES"]

MISTAKES = {
    m.id: m
    for m in (
        # perceptron_predict
        Mistake(
            "at_least",
            "a score of exactly 0 gave label 1: the unit fires only when X @ w + b > 0 (not >=)",
        ),
        Mistake("no_bias", "the bias is ignored: the score is X @ w + b"),
        Mistake("bias_subtracted", "the bias is subtracted: the score is X @ w + b, not X @ w - b"),
        Mistake(
            "raw_scores",
            "these are the scores X @ w + b: the labels are 1 where the score is > 0, else 0",
        ),
        Mistake("sign_labels", "labels -1/+1 (np.sign): this perceptron outputs 0 or 1"),
        Mistake("inverted", "the labels are inverted: 1 where the score is > 0, 0 elsewhere"),
        # perceptron_update
        Mistake(
            "batch",
            "every prediction used the initial w and b (a batch update): "
            "Rosenblatt's rule updates after each sample, so sample i is judged by the "
            "weights that samples 0..i-1 left behind",
        ),
        Mistake(
            "frozen_bias", "the bias is never updated: b += lr * (y_i - pred_i) after every sample"
        ),
        Mistake(
            "flipped_sign",
            "the update has the wrong sign: it is (y_i - pred_i) * x_i, not (pred_i - y_i) * x_i",
        ),
        Mistake("unit_rate", "the learning rate is ignored: every change is multiplied by lr"),
        Mistake(
            "at_least_update",
            "a score of exactly 0 was predicted as 1: pred_i is 1 only "
            "when x_i @ w + b > 0 (not >=)",
        ),
        Mistake(
            "first_only",
            "only the first sample was used: is the `return` indented inside the loop?",
        ),
        Mistake(
            "reversed",
            "the samples were visited in reverse order: one pass goes i = 0, 1, ..., N - 1",
        ),
        Mistake(
            "sign_pred",
            "the predictions are -1/+1 (np.sign): pred_i must be 0 or 1, like perceptron_predict",
        ),
        # fc_param_count
        Mistake("no_bias_count", "the biases are missing: a layer with bias has one per output"),
        Mistake("always_bias", "biases were counted although bias=False"),
        Mistake(
            "summed_shape",
            "the input shape was summed: the number of inputs is the product of its entries",
        ),
        Mistake("bias_per_input", "one bias per input was counted: there is one bias per output"),
        Mistake(
            "one_bias", "a single bias was counted: there is one bias per output (n_out of them)"
        ),
    )
}

GOLDEN = Golden(Path(__file__).with_name("golden.json"), MISTAKES)

_AND = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_RNG = np.random.default_rng(1)

PREDICT_EXAMPLES = {
    "AND-gate inputs, w = [1, 1], b = -1.5 (expect [0, 0, 0, 1])": (
        _AND,
        np.array([1.0, 1.0]),
        -1.5,
    ),
    "w = [1, -1], b = 0: rows 1 and 4 (from 0) score exactly 0, so their label is 0": (
        np.array([[2.0, 1.0], [1.0, 1.0], [0.0, 3.0], [3.0, 0.0], [-1.0, -1.0]]),
        np.array([1.0, -1.0]),
        0.0,
    ),
    "integer inputs X (6, 3), w = [0.5, -1, 2], b = 0.25": (
        _RNG.integers(-3, 4, size=(6, 3)),
        np.array([0.5, -1.0, 2.0]),
        0.25,
    ),
    "one sample, one feature: X = [[-2]], w = [-1.5], b = -2.5 (expect [1])": (
        np.array([[-2.0]]),
        np.array([-1.5]),
        -2.5,
    ),
    "float32 X (5, 4)": (
        np.round(_RNG.normal(size=(5, 4)), 1).astype(np.float32) + np.float32(0.25),
        np.array([1.0, -0.5, 0.25, 2.0], dtype=np.float32),
        0.5,
    ),
}

# The hand-worked example of the notebook: four points, from w = 0 and b = 0, lr = 0.5.
HAND_X = np.array([[1.0, -2.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, -2.0]])
HAND_Y = np.array([0, 1, 0, 1])
_RNG32 = np.random.default_rng(11)

UPDATE_EXAMPLES = {
    "AND gate already classified right by w = [1, 1], b = -1.5: nothing may change": (
        _AND,
        np.array([0, 0, 0, 1]),
        np.array([1.0, 1.0]),
        -1.5,
        0.5,
    ),
    "the worked example (4 points, w = [0, 0], b = 0, lr = 0.5)": (
        HAND_X,
        HAND_Y,
        np.zeros(2),
        0.0,
        0.5,
    ),
    "OR gate with integer X, w = [0.25, -0.5], b = 0.5, lr = 0.25": (
        np.array([[0, 0], [0, 1], [1, 0], [1, 1]]),
        np.array([0, 1, 1, 1]),
        np.array([0.25, -0.5]),
        0.5,
        0.25,
    ),
    "float32 X (6, 3) and w, b = -0.5, lr = 0.125": (
        (_RNG32.integers(-4, 5, size=(6, 3)) / 2).astype(np.float32),
        np.array([1, 0, 1, 1, 0, 0]),
        np.array([0.5, -1.0, 0.0], dtype=np.float32),
        -0.5,
        0.125,
    ),
}

COUNT_EXAMPLES = {
    "in_shape (32, 32, 3): 3072 inputs, n_out 10, bias left at its default (True)": (
        ((32, 32, 3), 10),
        {},
    ),
    "in_shape (300, 300, 3): 270000 inputs, n_out 1 (one neuron), bias=False": (
        ((300, 300, 3), 1),
        {"bias": False},
    ),
    "in_shape (3, 32, 32): 3072 inputs, n_out 10, bias=False": (((3, 32, 32), 10), {"bias": False}),
    "in_shape (784,): 784 inputs, n_out 100, bias=True": (((784,), 100), {"bias": True}),
    "in_shape (2, 3, 4, 5): 120 inputs, n_out 7, bias default": (((2, 3, 4, 5), 7), {}),
    "in_shape (1080, 1920, 3), n_out 1000: over 2**31 parameters, too many for int32": (
        ((1080, 1920, 3), 1000),
        {},
    ),
}


def _predict_cases() -> list[Case]:
    return [GOLDEN.case("perceptron_predict", k, a) for k, a in PREDICT_EXAMPLES.items()]


def _update_cases() -> list[Case]:
    return [GOLDEN.case("perceptron_update", k, a) for k, a in UPDATE_EXAMPLES.items()]


def _count_cases() -> list[Case]:
    return [GOLDEN.case("fc_param_count", k, a, kw) for k, (a, kw) in COUNT_EXAMPLES.items()]


NOTEBOOK = Notebook(
    "01_history",
    (
        Exercise("perceptron_predict", 3.0, _predict_cases),
        Exercise("perceptron_update", 4.0, _update_cases),
        Exercise("fc_param_count", 3.0, _count_cases),
    ),
)
