"""Exercises and visible cases of notebook 05_im2col: conv_layer_cost, im2col,
conv_forward_im2col, col2im.

Columns are checked exactly against NumPy's windows of the zero-padded input and the layer
against SciPy (:mod:`grader.im2col.builders`). No library counts a layer's cost or adds columns
back into an image, and the student bundle must not hold an implementation of either, so those
answers (and the answers of the usual mistakes) are stored in ``golden.json``, computed by the
references of :mod:`grader.im2col.hidden`. Every case carries the answers of the usual mistakes,
so that a wrong result is named.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from grader.engine.cases import Case
from grader.engine.course import Exercise, Notebook
from grader.engine.golden import Golden
from grader.im2col.builders import MISTAKES, conv_case, im2col_case
from grader.padding_stride.lesson import pad_pair

__all__ = ["COL2IM_EXAMPLES", "COST_EXAMPLES", "MUST_RAISE", "NOTEBOOK", "col2im_input"]

MUST_RAISE = "ValueError"
"""How ``golden.json`` stores the answer "this call must raise ValueError"."""

GOLDEN = Golden(Path(__file__).with_name("golden.json"), MISTAKES)

# -- conv_layer_cost: label -> (x_shape, w_shape, stride, pad) -----------------------------------

COST_EXAMPLES = {
    "the seed's example: x (1, 3, 8, 8), four 3x3x3 filters": ((1, 3, 8, 8), (4, 3, 3, 3), 1, 0),
    "CS231n's layer: x (100, 3, 31, 31), w (25, 3, 3, 3), stride 2, pad 1": (
        (100, 3, 31, 31),
        (25, 3, 3, 3),
        2,
        1,
    ),
    "x (64, 32, 16, 16), w (64, 32, 3, 3), pad 1 (the benchmark's layer)": (
        (64, 32, 16, 16),
        (64, 32, 3, 3),
        1,
        1,
    ),
    "AlexNet CONV1: x (1, 3, 227, 227), w (96, 3, 11, 11), stride 4": (
        (1, 3, 227, 227),
        (96, 3, 11, 11),
        4,
        0,
    ),
    "1x1 filters: x (2, 64, 7, 7), w (16, 64, 1, 1)": ((2, 64, 7, 7), (16, 64, 1, 1), 1, 0),
    "pad (0, 1), stride 2: x (8, 16, 32, 32), w (32, 16, 3, 3) -> 16 x 16": (
        (8, 16, 32, 32),
        (32, 16, 3, 3),
        2,
        (0, 1),
    ),
    "non-square kernel: x (4, 2, 6, 9), w (5, 2, 2, 3), stride 2, pad 1": (
        (4, 2, 6, 9),
        (5, 2, 2, 3),
        2,
        1,
    ),
    "x (1, 3, 32, 32), w (8, 3, 3, 3), stride 2, pad 1: (32 + 2 - 3)/2 + 1 = 16.5, must raise "
    "ValueError": ((1, 3, 32, 32), (8, 3, 3, 3), 2, 1),
}

# -- col2im: label -> (x_shape, hh, ww, stride, pad, fill); the columns are made by col2im_input --

COL2IM_EXAMPLES = {
    "columns of ones, x_shape (1, 1, 4, 4), 3x3: each pixel gets the number of windows reading "
    "it": ((1, 1, 4, 4), 3, 3, 1, 0, "ones"),
    "random columns (27, 8), x_shape (2, 3, 5, 5), 3x3, stride 2": ((2, 3, 5, 5), 3, 3, 2, 0, 1),
    "random columns (18, 50), x_shape (2, 2, 5, 5), 3x3, pad 1 (crop the border)": (
        (2, 2, 5, 5),
        3,
        3,
        1,
        1,
        2,
    ),
    "random columns (12, 9), x_shape (1, 3, 5, 5), 2x2, stride 2, pad (1, 0)": (
        (1, 3, 5, 5),
        2,
        2,
        2,
        (1, 0),
        3,
    ),
    "random columns (6, 12), x_shape (2, 1, 3, 5), 2x3 kernel": ((2, 1, 3, 5), 2, 3, 1, 0, 4),
    "float32 columns (9, 32), x_shape (2, 1, 4, 4), 3x3, pad 1": ((2, 1, 4, 4), 3, 3, 1, 1, 5),
    "x_shape (1, 1, 7, 7), 3x3, stride 3: (7 - 3)/3 + 1 = 2.33 does not tile, must raise "
    "ValueError": ((1, 1, 7, 7), 3, 3, 3, 0, 6),
}


def col2im_input(x_shape, hh, ww, stride, pad, fill) -> np.ndarray:
    """The columns of a col2im example: ones, or seeded normal numbers (float32 for seed 5).

    Their count is that of the windows placed while they fit (rounded down where they do not
    tile, as the caller of a configuration that must raise might have computed it).
    """
    (n, c, h, w), (before, after) = x_shape, pad_pair(pad)
    count = [len(range(0, size + before + after - k + 1, stride)) for size, k in ((h, hh), (w, ww))]
    shape = (c * hh * ww, n * count[0] * count[1])
    if fill == "ones":
        return np.ones(shape)
    cols = np.random.default_rng([5, fill]).normal(size=shape).round(2)
    return cols.astype(np.float32) if fill == 5 else cols


def _cost_cases() -> list[Case]:
    cases = []
    for label, (x_shape, w_shape, stride, pad) in COST_EXAMPLES.items():
        case = GOLDEN.case(
            "conv_layer_cost", label, (x_shape, w_shape), {"stride": stride, "pad": pad}
        )
        cases.append(_must_raise(case))
    return cases


def _col2im_cases() -> list[Case]:
    cases = []
    for label, (x_shape, hh, ww, stride, pad, fill) in COL2IM_EXAMPLES.items():
        cols = col2im_input(x_shape, hh, ww, stride, pad, fill)
        args, kwargs = (cols, x_shape, hh, ww), {"stride": stride, "pad": pad}
        cases.append(_must_raise(GOLDEN.case("col2im", label, args, kwargs)))
    return cases


def _must_raise(case: Case) -> Case:
    if isinstance(case.expected, str) and case.expected == MUST_RAISE:
        return dataclasses.replace(case, expected=ValueError, error_needs_numbers=True)
    return case


def _im2col_cases() -> list[Case]:
    rng = np.random.default_rng(50)
    x = rng.normal(size=(2, 3, 5, 5)).round(2)
    return [
        im2col_case(
            "x = 0..47 as (1, 3, 4, 4), 3x3 windows: 27 rows, 4 columns",
            np.arange(48.0).reshape(1, 3, 4, 4),
            3,
            3,
        ),
        im2col_case("x (2, 3, 5, 5), 3x3, stride 2 -> (27, 2*2*2)", x, 3, 3, stride=2),
        im2col_case("same x, 3x3, pad 1 -> (27, 2*5*5)", x, 3, 3, pad=1),
        im2col_case(
            "x = 0..31 as (1, 2, 4, 4), 3x3, stride 2, pad (0, 1): zeros at the bottom and right",
            np.arange(32.0).reshape(1, 2, 4, 4),
            3,
            3,
            stride=2,
            pad=(0, 1),
        ),
        im2col_case("x (2, 1, 3, 5), 2x3 kernel (non-square) -> (6, 2*2*3)", x[:, :1, :3, :], 2, 3),
        im2col_case(
            "float32 x (3, 2, 5, 5), 1x1 kernel, stride 2 -> (2, 3*3*3)",
            rng.normal(size=(3, 2, 5, 5)).astype(np.float32),
            1,
            1,
            stride=2,
        ),
        im2col_case(
            "x (1, 1, 7, 7), 3x3, stride 3: (7 - 3)/3 + 1 = 2.33 does not tile, must raise "
            "ValueError",
            rng.normal(size=(1, 1, 7, 7)),
            3,
            3,
            stride=3,
            raises=True,
        ),
    ]


def _conv_cases() -> list[Case]:
    rng = np.random.default_rng(51)
    x, w = rng.normal(size=(2, 3, 5, 5)), rng.normal(size=(4, 3, 3, 3))
    b = np.array([0.5, -1.0, 2.0, 0.0])
    x_small, w_small = rng.normal(size=(1, 2, 5, 5)), rng.normal(size=(2, 2, 3, 3))
    return [
        conv_case("x (2, 3, 5, 5), four 3x3x3 filters (a 4 x 27 matrix) -> (2, 4, 3, 3)", x, w, b),
        conv_case("same input, stride 2, pad 1 -> (2, 4, 3, 3)", x, w, b, stride=2, pad=1),
        conv_case(
            "x (1, 2, 6, 6), w (3, 2, 3, 3), stride 2, pad (0, 1) -> (1, 3, 3, 3)",
            rng.normal(size=(1, 2, 6, 6)),
            rng.normal(size=(3, 2, 3, 3)),
            rng.normal(size=3),
            stride=2,
            pad=(0, 1),
        ),
        conv_case(
            "x (2, 1, 4, 6), w (2, 1, 2, 3) (non-square kernel) -> (2, 2, 3, 4)",
            rng.normal(size=(2, 1, 4, 6)),
            rng.normal(size=(2, 1, 2, 3)),
            np.array([1.0, -1.0]),
        ),
        conv_case(
            "float32 x (3, 2, 6, 6), w (4, 2, 3, 3), pad 1 -> (3, 4, 6, 6)",
            rng.normal(size=(3, 2, 6, 6)).astype(np.float32),
            rng.normal(size=(4, 2, 3, 3)).astype(np.float32),
            rng.normal(size=4).astype(np.float32),
            pad=1,
        ),
        conv_case(
            "x (1, 3, 6, 6), w (2, 3, 3, 3), stride 2, pad 1: (6 + 2 - 3)/2 + 1 = 3.5 does not "
            "tile, must raise ValueError",
            rng.normal(size=(1, 3, 6, 6)),
            rng.normal(size=(2, 3, 3, 3)),
            np.zeros(2),
            stride=2,
            pad=1,
            raises=True,
        ),
        Case(
            'the cache, as conv_forward_naive\'s: (x, w, b, {"stride": 2, "pad": 1, '
            '"dilation": 1})',
            (x_small, w_small, np.ones(2)),
            (x_small, w_small, np.ones(2), {"stride": 2, "pad": 1, "dilation": 1}),
            {"stride": 2, "pad": 1},
            pick=1,
        ),
    ]


NOTEBOOK = Notebook(
    "05_im2col",
    (
        Exercise("conv_layer_cost", 2.0, _cost_cases),
        Exercise("im2col", 3.0, _im2col_cases),
        Exercise("conv_forward_im2col", 3.0, _conv_cases),
        Exercise("col2im", 2.0, _col2im_cases),
    ),
)
