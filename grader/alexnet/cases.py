"""Exercises and visible cases of notebook 07_alexnet: dropout_forward, dropout_backward,
train_cnn, alexnet_param_counts.

Dropout's mask is random, so its training-time output is judged by what every correct mask
shares (:func:`grader.alexnet.judges.dropout_judge`); at test time, and with p = 0, it must be
the identity. The backward pass's visible answers, which no library computes, are stored in
``golden.json`` by the references of :mod:`grader.alexnet.hidden`. ``train_cnn`` is judged by its
accuracy on a split of scikit-learn's digits whose evaluation labels only the judge holds; it
trains for real, so its budget in the sandbox is raised. AlexNet's counts are checked here by the
two numbers the notebook states, layer by layer among the hidden cases.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from grader.alexnet import lesson
from grader.alexnet.judges import accuracy_judge, counts_judge, dropout_judge
from grader.alexnet.mistakes import MISTAKES
from grader.engine.cases import Case, Code
from grader.engine.course import Exercise, Notebook
from grader.engine.golden import Golden

__all__ = [
    "BACKWARD",
    "GOLDEN",
    "NOTEBOOK",
    "THRESHOLD",
    "TRAIN_SECONDS",
    "dropout_cases",
    "identity_case",
    "visible_split",
]

_M = MISTAKES
GOLDEN = Golden(Path(__file__).with_name("golden.json"), MISTAKES)

THRESHOLD = 0.94
"""Held-out accuracy train_cnn must reach: a correct small CNN reaches 96-99 % on every split
tried, with any seed; chance is 10 %."""

TRAIN_SECONDS = 45.0
"""Wall-clock seconds for one call of train_cnn in the grading sandbox (one CPU thread); the
notebook's network takes about 3."""


def rng_code(seed: int) -> Code:
    """A generator built where the exercise is called: the learner's code draws from it."""
    return Code(f"np.random.default_rng({int(seed)})")


def _signed(rng: np.random.Generator, shape: tuple, dtype=np.float64) -> np.ndarray:
    """Values of size 0.5 to 2 with random signs: none is 0, so every drop shows."""
    return (rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)).astype(dtype)


def identity_case(label: str, x: np.ndarray, p: float, train: bool, seed: int) -> Case:
    """A call where dropout must return x itself: at test time, or with p = 0."""
    x64 = np.asarray(x, dtype=np.float64)
    wrong = [] if train else [(_M["rescaled_at_test"], x64 * (1 - p))]
    if not train and p > 0:
        wrong.append((_M["rescaled_at_test"], x64 / (1 - p)))
    if train and p == 0:  # keeping with probability p = 0 drops all, then divides 0 by 0
        wrong.append((_M["p_as_keep"], np.full(x64.shape, np.nan)))
    return Case(label, (x, p, train, rng_code(seed)), x, mistakes=tuple(wrong), pick=0)


def dropout_cases(draws: list[tuple[str, np.ndarray, float, int]]) -> list[Case]:
    """Training-time cases ``(label, x, p, seed)`` judged together: a seed met twice must give
    the same mask, another seed a new one."""
    memory: dict = {}
    return [
        Case(
            label,
            (x, p, True, rng_code(seed)),
            None,
            pick=0,
            judge=dropout_judge(x, p, seed, memory),
        )
        for label, x, p, seed in draws
    ]


def _dropout_forward_cases() -> list[Case]:
    rng = np.random.default_rng(707)
    small = np.array([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]])
    big = _signed(rng, (100, 200))
    other = _signed(rng, (100, 200))
    cases = [
        identity_case("test time (train=False), p = 0.4: x (2, 3) comes back unchanged", small,
                      0.4, False, 1),
        identity_case("training with p = 0: nothing is dropped", small, 0.0, True, 1),
    ]  # fmt: skip
    cases += dropout_cases(
        [
            ("training, p = 0.3, x (100, 200), rng seeded 7", big, 0.3, 7),
            ("the same shape, p and seed 7 again, other x: the same mask", other, 0.3, 7),
            ("the same again with seed 8: a new mask", big, 0.3, 8),
            ("float32 x (20, 30, 10), p = 0.6, seed 9", _signed(rng, (20, 30, 10), np.float32),
             0.6, 9),
        ]
    )  # fmt: skip
    cases.append(
        Case("p = 1 would drop everything: ValueError naming p", (small, 1.0, True, rng_code(1)),
             ValueError, error_needs_numbers=True)
    )  # fmt: skip
    return cases


BACKWARD = {
    "p = 0.5, a mask of (2, 3)": (
        np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
        np.array([[True, False, True], [False, False, True]]),
        0.5,
        True,
    ),
    "p = 0.25, dout (4, 5)": (
        np.random.default_rng(71).normal(size=(4, 5)).round(2),
        np.random.default_rng(72).random((4, 5)) >= 0.25,
        0.25,
        True,
    ),
    "float32 dout (3, 4), p = 0.1": (
        np.random.default_rng(73).normal(size=(3, 4)).astype(np.float32),
        np.random.default_rng(74).random((3, 4)) >= 0.1,
        0.1,
        True,
    ),
    "after a test-time pass (train=False, mask None), p = 0.5": (
        np.array([[1.5, -2.0], [0.5, 4.0]]),
        None,
        0.5,
        False,
    ),
}
"""The visible cases of dropout_backward: ``(dout, mask, p, train)`` by label."""


def _dropout_backward_cases() -> list[Case]:
    return [
        GOLDEN.case("dropout_backward", label, (dout, (mask, p, train)))
        for label, (dout, mask, p, train) in BACKWARD.items()
    ]


def visible_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The digits of train_cnn's visible check: 1000 to train on, 300 to predict (a fixed
    shuffle of scikit-learn's 1797), as ``X_train, y_train, X_eval, y_eval``."""
    images, labels = lesson.digits()
    order = np.random.default_rng(7070).permutation(len(labels))
    train, held = order[:1000], order[1000:1300]
    return images[train], labels[train], images[held], labels[held]


def _train_cnn_cases() -> list[Case]:
    X_train, y_train, X_eval, y_eval = visible_split()
    return [
        Case(
            "1000 digits to train on, 300 others to label (seed 0)",
            (X_train, y_train, X_eval),
            None,
            {"seed": 0},
            judge=accuracy_judge(y_eval, THRESHOLD),
        )
    ]


def _alexnet_cases() -> list[Case]:
    return [Case("the counts of AlexNet's eight layers", (), None, judge=counts_judge())]


NOTEBOOK = Notebook(
    "07_alexnet",
    (
        Exercise("dropout_forward", 2.0, _dropout_forward_cases),
        Exercise("dropout_backward", 1.0, _dropout_backward_cases),
        Exercise(
            "train_cnn",
            5.0,
            _train_cnn_cases,
            seconds=2 * TRAIN_SECONDS + 10,  # the visible call and the hidden one
            call_seconds=TRAIN_SECONDS,
        ),
        Exercise("alexnet_param_counts", 2.0, _alexnet_cases),
    ),
    support=("bring_layers",),
)
