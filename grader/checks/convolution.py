"""Visible checks for notebook 02_convolution: corr1d, conv1d_true, corr2d, conv_single.

The expected answers come from library routines (``np.correlate``, ``scipy.signal``), never from a
copy of the exercise; each case also carries the answers of the usual mistakes so that a wrong
result is named ("the kernel is flipped", "the bias is missing").
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import signal

from grader.cases import Case
from grader.checks import run_check

__all__ = [
    "CASES",
    "check_conv1d_true",
    "check_conv_single",
    "check_corr1d",
    "check_corr2d",
    "conv_single_cases",
    "corr1d_cases",
    "corr2d_cases",
]

FLIPPED = "the kernel is flipped: that is true convolution, correlation slides the kernel as it is"
UNFLIPPED = (
    "the kernel is not flipped: that is cross-correlation, convolution flips the kernel first"
)
TRANSPOSED_KERNEL = "the kernel is transposed: k[i, j] must multiply x[r + i, c + j]"
FLIPPED_2D = "the kernel is flipped on both axes: that is convolution, not cross-correlation"
NO_BIAS = "the bias is missing: add b[f] to every position of output map f"
FIRST_CHANNEL = "only channel 0 is used: a filter spans all C input channels and sums over them"
CHANNEL_MEAN = "the channels are averaged: a filter sums its products over the channels, not mean"
BIAS_PER_CHANNEL = "the bias is added once per channel: add b[f] once per output position"


def corr1d_case(label: str, x: np.ndarray, k: np.ndarray, flip: bool = False) -> Case:
    """A case for corr1d (``flip=False``) or conv1d_true (``flip=True``)."""
    corr, conv = np.correlate(x, k, "valid"), np.convolve(x, k, "valid")
    if flip:
        return Case(label, (x, k), conv, mistakes=((UNFLIPPED, corr),), rtol=_rtol(x, k))
    return Case(label, (x, k), corr, mistakes=((FLIPPED, conv),), rtol=_rtol(x, k))


def corr2d_case(label: str, x: np.ndarray, k: np.ndarray) -> Case:
    mistakes = [(FLIPPED_2D, signal.convolve2d(x, k, "valid"))]
    if k.shape[0] == k.shape[1]:
        mistakes.append((TRANSPOSED_KERNEL, signal.correlate2d(x, k.T, "valid")))
    return Case(
        label, (x, k), signal.correlate2d(x, k, "valid"), mistakes=tuple(mistakes), rtol=_rtol(x, k)
    )


def conv_single_case(label: str, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> Case:
    """A case for conv_single: out[f] = sum_c correlate(x[c], w[f, c]) + b[f]."""

    def per_channel(x_: np.ndarray, w_: np.ndarray) -> np.ndarray:  # (F, C, H', W')
        return np.array(
            [
                [signal.correlate2d(x_[c], w_[f, c], "valid") for c in range(x_.shape[0])]
                for f in range(w_.shape[0])
            ]
        )

    parts = per_channel(x, w)
    bias = b[:, None, None]
    expected = parts.sum(axis=1) + bias
    flipped = per_channel(x, w[:, :, ::-1, ::-1]).sum(axis=1) + bias
    mistakes = [(NO_BIAS, expected - bias), (FLIPPED_2D, flipped)]
    if x.shape[0] > 1:
        mistakes += [
            (FIRST_CHANNEL, parts[:, 0] + bias),
            (CHANNEL_MEAN, parts.mean(axis=1) + bias),
            (BIAS_PER_CHANNEL, expected + (x.shape[0] - 1) * bias),
        ]
    return Case(label, (x, w, b), expected, mistakes=tuple(mistakes), rtol=_rtol(x, w, b))


def _rtol(*arrays: np.ndarray) -> float:
    return 1e-4 if any(a.dtype == np.float32 for a in arrays) else 1e-7


def corr1d_cases(flip: bool = False) -> list[Case]:
    ramp = np.arange(7.0)
    return [
        corr1d_case(
            "x = [1, 2, 3, 4, 5], k = [1, 0, -1]",
            np.arange(1.0, 6.0),
            np.array([1.0, 0.0, -1.0]),
            flip,
        ),
        corr1d_case(
            "x = [0, ..., 6], k = [1, 2, 3, 4] (expect L - K + 1 = 4 outputs)",
            ramp,
            np.array([1.0, 2.0, 3.0, 4.0]),
            flip,
        ),
        corr1d_case(
            "kernel as long as the signal (one output)",
            np.array([1.0, -2.0, 3.0]),
            np.array([4.0, 5.0, 6.0]),
            flip,
        ),
        corr1d_case(
            "float32 signal",
            ramp.astype(np.float32) ** 2,
            np.array([0.5, -1.0], dtype=np.float32),
            flip,
        ),
    ]


def corr2d_cases() -> list[Case]:
    edge = np.zeros((8, 8))
    edge[:, 4:] = 1.0  # a vertical step edge
    sobel = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
    rect = np.arange(20.0).reshape(4, 5) % 7
    return [
        corr2d_case("8x8 step edge, 3x3 vertical-edge kernel", edge, sobel),
        corr2d_case(
            "4x5 image, 2x3 kernel (non-square: expect (3, 3))",
            rect,
            np.array([[1.0, -1.0, 2.0], [0.0, 3.0, -2.0]]),
        ),
        corr2d_case("4x5 image, 1x1 kernel", rect, np.array([[-2.0]])),
        corr2d_case("4x5 image, 4x5 kernel (one output)", rect, np.cos(rect)),
    ]


def conv_single_cases() -> list[Case]:
    rng = np.random.default_rng(2)
    return [
        conv_single_case(
            "x (3, 6, 7), w (2, 3, 3, 3), b (2,)",
            rng.normal(size=(3, 6, 7)),
            rng.normal(size=(2, 3, 3, 3)),
            np.array([0.5, -1.0]),
        ),
        conv_single_case(
            "single channel: x (1, 5, 5), w (1, 1, 2, 2)",
            rng.normal(size=(1, 5, 5)),
            rng.normal(size=(1, 1, 2, 2)),
            np.array([2.0]),
        ),
        conv_single_case(
            "x (2, 4, 4), w (3, 2, 1, 1)",
            rng.normal(size=(2, 4, 4)),
            rng.normal(size=(3, 2, 1, 1)),
            np.array([1.0, 0.0, -1.0]),
        ),
    ]


CASES: dict[str, Callable[[], list[Case]]] = {
    "corr1d": corr1d_cases,
    "conv1d_true": lambda: corr1d_cases(flip=True),
    "corr2d": corr2d_cases,
    "conv_single": conv_single_cases,
}


def check_corr1d(fn: Callable) -> None:
    """Check ``corr1d(x, k)`` on small signals; raise AssertionError naming the mistake."""
    run_check("corr1d", fn, CASES["corr1d"]())


def check_conv1d_true(fn: Callable) -> None:
    """Check ``conv1d_true(x, k)``: correlation with the kernel flipped."""
    run_check("conv1d_true", fn, CASES["conv1d_true"]())


def check_corr2d(fn: Callable) -> None:
    """Check ``corr2d(x, k)`` on an edge image and non-square shapes."""
    run_check("corr2d", fn, CASES["corr2d"]())


def check_conv_single(fn: Callable) -> None:
    """Check ``conv_single(x, w, b)`` on multi-channel inputs and several filters."""
    run_check("conv_single", fn, CASES["conv_single"]())
