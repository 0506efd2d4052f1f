"""Hidden cases of notebook 01_history (not in the student bundle).

They are judged by the plain-Python references of :mod:`.references`, and add random sizes and
values over several seeds (float32 and float64), scores of exactly 0, single samples and features, and identities of Rosenblatt's rule
(a learning rate of 0 changes nothing, data already classified right changes nothing, from zero
weights the result scales with the learning rate). :func:`golden` computes the stored answers of
the visible cases.
"""

from __future__ import annotations

import numpy as np

from grader.engine.cases import Case
from grader.history.cases import COUNT_EXAMPLES, MISTAKES, PREDICT_EXAMPLES, UPDATE_EXAMPLES
from grader.history.hidden.references import (
    count_answers,
    predict_answers,
    reference_pass,
    reference_predict,
    trajectory_margin,
    update_answers,
)

__all__ = ["HIDDEN", "golden"]

SEEDS = range(6)
MARGIN = 1e-3  # random scores closer to 0 than this are redrawn (float32 rounding is ~1e-6)


def golden() -> dict:
    """The stored answers of the visible cases (``grader/history/golden.json``)."""

    def entry(answers):
        return {"expected": answers[0], "mistakes": answers[1]}

    return {
        "perceptron_predict": {k: entry(predict_answers(*a)) for k, a in PREDICT_EXAMPLES.items()},
        "perceptron_update": {k: entry(update_answers(*a)) for k, a in UPDATE_EXAMPLES.items()},
        "fc_param_count": {
            k: entry(count_answers(*a, **kw)) for k, (a, kw) in COUNT_EXAMPLES.items()
        },
    }


def _case(label: str, args: tuple, answers: tuple, kwargs: dict | None = None) -> Case:
    expected, mistakes = answers
    named = tuple((MISTAKES[m], v) for m, v in mistakes.items())
    return Case(label, args, expected, kwargs or {}, named)


# -- hidden cases ---------------------------------------------------------------------------------


def _dtype(seed: int) -> type:
    return np.float32 if seed % 3 == 2 else np.float64


def _predict_case(label: str, X, w, b) -> Case:
    return _case(label, (X, w, b), predict_answers(X, w, b))


def _update_case(label: str, X, y, w, b, lr, expected: tuple | None = None) -> Case:
    answers = update_answers(X, y, w, b, lr)
    if expected is not None:  # an identity gives the answer: it must agree with the reference
        assert all(np.allclose(p, q) for p, q in zip(expected, answers[0], strict=True)), label
        answers = ((np.asarray(expected[0], dtype=np.float64), float(expected[1])), answers[1])
    return _case(label, (X, y, w, b, lr), answers)


def _count_case(label: str, in_shape: tuple, n_out: int, bias: bool | None = None) -> Case:
    kwargs = {} if bias is None else {"bias": bias}
    return _case(label, (in_shape, n_out), count_answers(in_shape, n_out, **kwargs), kwargs)


def _predict() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([101, seed])
        n, d, dtype = int(rng.integers(1, 40)), int(rng.integers(1, 9)), _dtype(seed)
        while True:
            X = rng.normal(size=(n, d)).astype(dtype)
            w = rng.normal(size=d).astype(dtype)
            b = float(rng.normal())
            scores = X.astype(np.float64) @ w.astype(np.float64) + b
            if np.abs(scores).min() > MARGIN:
                break
        cases.append(_predict_case(f"random X ({n}, {d}), {np.dtype(dtype)}", X, w, b))
    rng = np.random.default_rng(1010)
    X_int = rng.integers(-2, 3, size=(12, 3))
    cases += [
        _predict_case(
            "integer X (12, 3), w = [1, -2, 1], b = 0: several scores exactly 0",
            X_int,
            np.array([1.0, -2.0, 1.0]),
            0.0,
        ),
        _predict_case(
            "w = 0 and b = 0: every score is 0", rng.normal(size=(5, 2)), np.zeros(2), 0.0
        ),
        _predict_case(
            "w = 0, b = 0.5: every label is 1", rng.normal(size=(4, 3)), np.zeros(3), 0.5
        ),
        _predict_case(
            "every score negative",
            np.abs(rng.normal(size=(6, 2))) + 0.1,
            np.array([-1.0, -2.0]),
            -0.5,
        ),
        _predict_case("one sample, five features", rng.normal(size=(1, 5)), np.ones(5), 100.0),
        _predict_case(
            "three samples, fifty features", rng.normal(size=(3, 50)) + 1, np.ones(50), -50.0
        ),
        _predict_case("integer X and integer w, b = -0.5", X_int[:6], np.array([2, 1, -1]), -0.5),
    ]
    return cases


def _random_update(rng: np.random.Generator, n: int, d: int, dtype: type, lr: float) -> tuple:
    """X, y, w, b for one pass whose scores all stay clear of 0 (except exact zeros)."""
    while True:
        X = rng.normal(size=(n, d)).astype(dtype)
        y = rng.integers(0, 2, size=n)
        w = (0.5 * rng.normal(size=d)).astype(dtype)
        b = float(rng.normal())
        if trajectory_margin(X, y, w, b, lr) > MARGIN:
            return X, y, w, b


def _update() -> list[Case]:
    cases = []
    rates = (0.01, 0.1, 0.5, 1.0, 2.0, 0.25)
    for seed in SEEDS:
        rng = np.random.default_rng([202, seed])
        n, d, dtype = int(rng.integers(1, 25)), int(rng.integers(1, 7)), _dtype(seed)
        lr = rates[seed]
        X, y, w, b = _random_update(rng, n, d, dtype, lr)
        cases.append(
            _update_case(f"random X ({n}, {d}), {np.dtype(dtype)}, lr = {lr}", X, y, w, b, lr)
        )
    for seed in range(2):
        rng = np.random.default_rng([203, seed])
        X = rng.integers(-2, 3, size=(10, 3)).astype(np.float64)
        label = f"integer-valued X (10, 3), w = 0, b = 0, lr = 1: exact ties (draw {seed})"
        cases.append(_update_case(label, X, rng.integers(0, 2, size=10), np.zeros(3), 0.0, 1.0))
    rng = np.random.default_rng(2020)
    X, y, w, b = _random_update(rng, 8, 3, np.float64, 0.7)
    cases.append(_update_case("lr = 0: nothing changes", X, y, w, b, 0.0, expected=(w, b)))
    while True:  # from zero weights every score scales with lr, so a margin at lr = 1 carries over
        X, y = rng.normal(size=(12, 4)), rng.integers(0, 2, size=12)
        if trajectory_margin(X, y, np.zeros(4), 0.0, 1.0) > MARGIN:
            break
    w1, b1 = reference_pass(X, y, np.zeros(4), 0.0, 1.0)
    cases.append(
        _update_case(
            "from w = 0, b = 0 the result scales with lr (0.3 times lr = 1)",
            X,
            y,
            np.zeros(4),
            0.0,
            0.3,
            expected=(0.3 * w1, 0.3 * b1),
        )
    )
    w_sep, b_sep = rng.normal(size=3), 0.2
    X = rng.normal(size=(30, 3))
    X = X[np.abs(X @ w_sep + b_sep) > 0.1]
    y = reference_predict(X, w_sep, b_sep)
    cases.append(
        _update_case(
            "data already classified right by w, b: nothing changes",
            X,
            y,
            w_sep,
            b_sep,
            0.5,
            expected=(w_sep, b_sep),
        )
    )
    x = rng.normal(size=(1, 5))
    w0 = -np.sign(x[0]) * 0.5  # x @ w0 < 0: the single sample is predicted 0
    cases += [
        _update_case(
            "one sample of label 1 predicted 0: w + lr * x, b + lr",
            x,
            np.array([1]),
            w0,
            -0.25,
            0.4,
            expected=(w0 + 0.4 * x[0], -0.25 + 0.4),
        ),
        _update_case(
            "one sample of label 0 predicted 1: w - lr * x, b - lr",
            x,
            np.array([0]),
            -w0,
            0.25,
            0.4,
            expected=(-w0 - 0.4 * x[0], 0.25 - 0.4),
        ),
        _update_case(
            "XOR from w = 0, b = 0, lr = 1",
            np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
            np.array([0, 1, 1, 0]),
            np.zeros(2),
            0.0,
            1.0,
        ),
        _update_case(
            "one feature, every label 1",
            np.array([[1.0], [-2.0], [3.0]]),
            np.ones(3, int),
            np.array([-1.0]),
            0.5,
            0.5,
        ),
        _update_case(
            "every label 0",
            rng.integers(-3, 4, size=(5, 2)) / 2,
            np.zeros(5, int),
            np.array([0.5, 0.5]),
            1.0,
            0.25,
        ),
    ]
    return cases


def _count() -> list[Case]:
    cases = []
    for seed in range(8):
        rng = np.random.default_rng([303, seed])
        shape = tuple(int(s) for s in rng.integers(1, 41, size=int(rng.integers(1, 6))))
        n_out = int(rng.integers(1, 500))
        bias = (None, True, False)[seed % 3]
        shown = "default" if bias is None else bias
        cases.append(
            _count_case(f"in_shape {shape}, n_out {n_out}, bias {shown}", shape, n_out, bias)
        )
    cases += [
        _count_case("in_shape (1,), n_out 1, bias=True", (1,), 1, True),
        _count_case("in_shape (1, 1, 1), n_out 1, bias=False", (1, 1, 1), 1, False),
        _count_case("AlexNet's FC6: in_shape (256, 6, 6), n_out 4096", (256, 6, 6), 4096),
        _count_case("in_shape (224, 224, 3), n_out 1000, bias=False", (224, 224, 3), 1000, False),
        _count_case("in_shape (4096, 4096, 3), n_out 1000", (4096, 4096, 3), 1000),
        Case("bias passed by position: fc_param_count((5, 5), 3, False)", ((5, 5), 3, False), 75),
        Case("bias passed by position: fc_param_count((5, 5), 3, True)", ((5, 5), 3, True), 78),
    ]
    return cases


HIDDEN = {"perceptron_predict": _predict, "perceptron_update": _update, "fc_param_count": _count}
