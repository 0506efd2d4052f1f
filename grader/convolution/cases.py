"""Exercises and visible cases of notebook 02_convolution: corr1d, conv1d_true, corr2d, conv_single.

The expected answers come from library routines (``np.correlate``, ``scipy.signal``) computed in
float64, never from a copy of the exercise; each case also carries the answers of the usual
mistakes, so that a wrong result is named ("the kernel is flipped", "the bias is missing").
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from grader.engine.cases import Case, Mistake
from grader.engine.course import Exercise, Notebook

__all__ = ["NOTEBOOK", "conv_single_case", "corr1d_case", "corr2d_case"]

FLIPPED = Mistake(
    "flipped_kernel",
    "the kernel is flipped: that is true convolution, correlation slides the kernel as it is",
)
UNFLIPPED = Mistake(
    "unflipped_kernel",
    "the kernel is not flipped: that is cross-correlation, convolution flips the kernel first",
)
FLIPPED_2D = Mistake(
    "flipped_kernel",
    "the kernel is flipped on both axes: that is convolution, not cross-correlation",
)
TRANSPOSED_KERNEL = Mistake(
    "transposed_kernel", "the kernel is transposed: k[i, j] must multiply x[r + i, c + j]"
)
NO_BIAS = Mistake("missing_bias", "the bias is missing: add b[f] to every position of map f")
FIRST_CHANNEL = Mistake(
    "first_channel_only",
    "only channel 0 is used: a filter spans all C input channels and sums over them",
)
CHANNEL_MEAN = Mistake(
    "channels_averaged", "the channels are averaged: a filter sums its products over them"
)
BIAS_PER_CHANNEL = Mistake(
    "bias_per_channel", "the bias is added once per channel: add b[f] once per output position"
)


def _f64(*arrays: np.ndarray) -> list[np.ndarray]:
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def corr1d_case(label: str, x: np.ndarray, k: np.ndarray, flip: bool = False) -> Case:
    """A case for corr1d (``flip=False``) or conv1d_true (``flip=True``)."""
    x64, k64 = _f64(x, k)
    corr, conv = np.correlate(x64, k64, "valid"), np.convolve(x64, k64, "valid")
    if flip:
        return Case(label, (x, k), conv, mistakes=((UNFLIPPED, corr),))
    return Case(label, (x, k), corr, mistakes=((FLIPPED, conv),))


def corr2d_case(label: str, x: np.ndarray, k: np.ndarray) -> Case:
    """A case for corr2d: SciPy's valid correlation."""
    x64, k64 = _f64(x, k)
    mistakes = [(FLIPPED_2D, signal.convolve2d(x64, k64, "valid"))]
    if k.shape[0] == k.shape[1]:
        mistakes.append((TRANSPOSED_KERNEL, signal.correlate2d(x64, k64.T, "valid")))
    return Case(label, (x, k), signal.correlate2d(x64, k64, "valid"), mistakes=tuple(mistakes))


def conv_single_case(label: str, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> Case:
    """A case for conv_single: out[f] = sum_c correlate(x[c], w[f, c]) + b[f]."""
    x64, w64, b64 = _f64(x, w, b)

    def per_channel(kernels: np.ndarray) -> np.ndarray:  # (F, C, H', W')
        return np.array(
            [
                [signal.correlate2d(x64[c], kernels[f, c], "valid") for c in range(len(x64))]
                for f in range(len(kernels))
            ]
        )

    parts, bias = per_channel(w64), b64[:, None, None]
    expected = parts.sum(axis=1) + bias
    flipped = per_channel(w64[:, :, ::-1, ::-1]).sum(axis=1) + bias
    mistakes = [(NO_BIAS, expected - bias), (FLIPPED_2D, flipped)]
    if x.shape[0] > 1:
        mistakes += [
            (FIRST_CHANNEL, parts[:, 0] + bias),
            (CHANNEL_MEAN, parts.mean(axis=1) + bias),
            (BIAS_PER_CHANNEL, expected + (x.shape[0] - 1) * bias),
        ]
    return Case(label, (x, w, b), expected, mistakes=tuple(mistakes))


def _corr1d_cases(flip: bool = False) -> list[Case]:
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


def _corr2d_cases() -> list[Case]:
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


def _conv_single_cases() -> list[Case]:
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


NOTEBOOK = Notebook(
    "02_convolution",
    (
        Exercise("corr1d", 2.0, _corr1d_cases),
        Exercise("conv1d_true", 2.0, lambda: _corr1d_cases(flip=True)),
        Exercise("corr2d", 3.0, _corr2d_cases),
        Exercise("conv_single", 3.0, _conv_single_cases),
    ),
)
