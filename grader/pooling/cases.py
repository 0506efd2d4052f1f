"""Exercises and visible cases of notebook 04_pooling: maxpool_forward, avgpool_forward,
receptive_field.

Pooling answers come from NumPy's ``sliding_window_view`` (every window, then every stride-th one),
computed where each case is built, never from a copy of the exercise. Each case states whether its
windows tile the input: those that do not are made by :func:`pool_error_case` and must raise a
ValueError that gives the numbers. Each case also carries the answers of the usual mistakes, so
that a wrong result is named ("the max is taken over the channels too").

No library computes a receptive field, and the student bundle must not hold an implementation of
it, so the answers of the visible receptive_field examples (and of the usual mistakes on them) are
stored in ``golden.json``, found by the perturbation experiment of :mod:`grader.pooling.hidden`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from grader.engine.cases import Case, Mistake
from grader.engine.course import Exercise, Notebook
from grader.engine.golden import Golden

__all__ = [
    "GOLDEN",
    "NOTEBOOK",
    "RF_EXAMPLES",
    "RF_MISTAKES",
    "avgpool_case",
    "maxpool_case",
    "pool_error_case",
]

CHANNELS_MIXED = {
    kind: Mistake(
        "channels_mixed",
        f"the {kind} is taken over the channels too: pooling works on each channel separately, "
        "so out[n, c] depends on x[n, c] only",
    )
    for kind in ("max", "mean")
}
STRIDE_IGNORED = Mistake(
    "stride_ignored",
    "the windows move by 1, not by the stride: window (i, j) starts at row i * stride and "
    "column j * stride",
)
TRANSPOSED = Mistake(
    "transposed", "rows and columns of the output are swapped (H' and W' transposed)"
)
FIRST_ELEMENT = Mistake(
    "first_element",
    "each output is the top-left element of its window: that is subsampling, not pooling",
)
ZERO_START = Mistake(
    "max_starts_at_zero",
    "windows whose values are all negative give 0: start the running max at the window's first "
    "value (or -inf), not at 0",
)
SUM_NOT_MEAN = Mistake(
    "sum_not_mean", "the window is summed, not averaged: divide the sum by size * size"
)
DIVIDED_BY_SIZE = Mistake(
    "divided_by_size",
    "divided by size instead of size * size: a window holds size * size values",
)
DIVIDED_BY_STRIDE = Mistake(
    "divided_by_stride",
    "divided by stride * stride: a window holds size * size values, whatever the stride",
)
FLOORED = Mistake(
    "floored_mean", "the mean is rounded down (floor division //?): use / so the fraction is kept"
)

RF_MISTAKES = {
    m.id: m
    for m in (
        Mistake(
            "earlier_strides_ignored",
            "the strides of earlier layers are ignored: after a stride-s layer, one step of the "
            "next layer moves s inputs, so its (k - 1) * d extra reach is multiplied by the "
            "product of the strides before it",
        ),
        Mistake(
            "own_stride",
            "each layer's (k - 1) * d is multiplied by its own stride too: only the strides of "
            "the layers before it count, since a layer's stride spaces its outputs, not its taps",
        ),
        Mistake(
            "dilation_ignored",
            "dilation is ignored: a kernel of k taps with dilation d spans (k - 1) * d + 1",
        ),
        Mistake(
            "kernels_multiplied",
            "kernel sizes are multiplied: receptive fields grow by adding, r = 1 + sum (k - 1) ...",
        ),
        Mistake(
            "dilation_as_gaps",
            "dilation is read as the number of gaps between taps (the 'dilation 0 = ordinary' "
            "convention): in this course dilation 1 is an ordinary kernel and d spans "
            "(k - 1) * d + 1",
        ),
        Mistake(
            "span_k_times_d",
            "a dilated kernel is taken to span k * d inputs: it spans (k - 1) * d + 1",
        ),
        Mistake(
            "no_minus_one",
            "kernel sizes are added without subtracting 1: neighbouring windows overlap, so each "
            "layer adds (k - 1) * d (times the earlier strides) to a field that starts at 1",
        ),
    )
}

GOLDEN = Golden(Path(__file__).with_name("golden.json"), RF_MISTAKES)


def _pool_case(kind: str, label: str, x: np.ndarray, size: int, stride: int) -> Case:
    """A case for max (``kind="max"``) or average (``"mean"``) pooling on windows that tile x."""
    reduce = np.max if kind == "max" else np.mean
    source = x if kind == "max" else np.asarray(x, dtype=np.float64)  # a max keeps the dtype
    windows = sliding_window_view(source, (size, size), axis=(2, 3))
    expected = reduce(windows[:, :, ::stride, ::stride], axis=(4, 5))
    ho, wo = expected.shape[2:]
    mistakes = []
    if kind == "mean":
        mistakes.append((SUM_NOT_MEAN, expected * size * size))
        if size > 1:
            mistakes.append((DIVIDED_BY_SIZE, expected * size))
        if stride != size:
            mistakes.append((DIVIDED_BY_STRIDE, expected * size * size / (stride * stride)))
        mistakes.append((FLOORED, np.floor(expected)))
    if x.shape[1] > 1:  # all windows are equally large, so pooling the pooled maps mixes channels
        mixed = reduce(expected, axis=1, keepdims=True)
        mistakes.append((CHANNELS_MIXED[kind], np.broadcast_to(mixed, expected.shape)))
    if stride != 1:  # every window, cropped to the right size or not
        dense = reduce(windows, axis=(4, 5))
        mistakes += [(STRIDE_IGNORED, dense[:, :, :ho, :wo]), (STRIDE_IGNORED, dense)]
    swapped = expected.swapaxes(2, 3)
    if swapped.shape != expected.shape or not np.array_equal(swapped, expected):
        mistakes.append((TRANSPOSED, swapped))
    if kind == "max":
        mistakes.append((FIRST_ELEMENT, x[:, :, ::stride, ::stride][:, :, :ho, :wo]))
        mistakes.append((ZERO_START, np.maximum(expected, 0)))
    if kind == "mean" and x.dtype == np.float32:
        expected = expected.astype(np.float32)
    kwargs = {"size": size, "stride": stride}
    return Case(label, (x,), expected, kwargs, tuple(mistakes), pick=0)


def maxpool_case(label: str, x: np.ndarray, size: int = 2, stride: int = 2) -> Case:
    """A case for maxpool_forward whose windows tile ``x``: the maximum of every window."""
    return _pool_case("max", label, x, size, stride)


def avgpool_case(label: str, x: np.ndarray, size: int = 2, stride: int = 2) -> Case:
    """A case for avgpool_forward whose windows tile ``x``: the mean of every window, in float64
    (float32 for float32 input)."""
    return _pool_case("mean", label, x, size, stride)


def pool_error_case(label: str, x: np.ndarray, size: int = 2, stride: int = 2) -> Case:
    """A case for either pooling exercise whose windows do not tile ``x`` (the label says why):
    the call must raise ValueError with a message that gives the numbers."""
    kwargs = {"size": size, "stride": stride}
    return Case(label, (x,), ValueError, kwargs, error_needs_numbers=True)


def _pool_inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(4)
    drawn = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [1, 2, 7, 4]], dtype=float)
    return {
        "drawn": drawn[None, None],
        "batch": rng.normal(size=(2, 3, 4, 6)),
        "overlap": rng.normal(size=(1, 2, 5, 5)),
        "negative": -rng.uniform(1, 2, size=(1, 2, 4, 4)),
        "float32": rng.normal(size=(1, 2, 6, 6)).astype(np.float32),
        "odd": rng.normal(size=(1, 1, 5, 5)),
        "wide": rng.normal(size=(1, 1, 4, 5)),
        "global": rng.normal(size=(2, 8, 7, 7)),
        "global32": rng.normal(size=(1, 4, 5, 5)).astype(np.float32),
    }


def _pool_cases(kind: str) -> list[Case]:
    make = maxpool_case if kind == "max" else avgpool_case
    x = _pool_inputs()
    cases = [
        make("the drawn 4x4 example, 2x2 windows, stride 2 (expect 2x2)", x["drawn"]),
        make("x (2, 3, 4, 6), 2x2 windows, stride 2 (expect (2, 3, 2, 3))", x["batch"]),
        make("x (1, 2, 5, 5), 3x3 windows, stride 2 (overlapping; expect 2x2)", x["overlap"], 3, 2),
        make("x (1, 2, 4, 4), every value negative", x["negative"]),
        make("float32 x (1, 2, 6, 6), 3x3 windows, stride 3", x["float32"], 3, 3),
        pool_error_case(
            "x (1, 1, 5, 5), 2x2 windows, stride 2: (5 - 2) / 2 + 1 = 2.5, the windows do not tile",
            x["odd"],
        ),
        pool_error_case(
            "x (1, 1, 4, 5), 2x2 windows, stride 2: the windows do not tile the width 5", x["wide"]
        ),
    ]
    if kind == "mean":
        ints = np.arange(32).reshape(1, 2, 4, 4) % 7  # integer dtype on purpose
        cases.insert(4, make("integer x (1, 2, 4, 4): the means are not integers", ints))
        cases += [  # the modern classifier head: one mean per channel of the last feature map
            make(
                "global average pooling: x (2, 8, 7, 7), size=7, stride=7 -> one mean per "
                "channel, (2, 8, 1, 1)",
                x["global"],
                7,
                7,
            ),
            make(
                "global average pooling of a float32 map: x (1, 4, 5, 5), size=5, stride=5",
                x["global32"],
                5,
                5,
            ),
        ]
    return cases


RF_EXAMPLES = {
    "no layers at all: one input, layers=[]": [],
    "one conv3, layers=[(3, 1, 1)]": [(3, 1, 1)],
    "conv3 -> conv3, layers=[(3, 1, 1), (3, 1, 1)]": [(3, 1, 1), (3, 1, 1)],
    "conv3 -> pool2 -> conv3, layers=[(3, 1, 1), (2, 2, 1), (3, 1, 1)]": [
        (3, 1, 1),
        (2, 2, 1),
        (3, 1, 1),
    ],
    "conv3 stride 2 -> conv3, layers=[(3, 2, 1), (3, 1, 1)]": [(3, 2, 1), (3, 1, 1)],
    "one conv3 with dilation 2, layers=[(3, 1, 2)]": [(3, 1, 2)],
    "dilations 1, 2, 4, layers=[(3, 1, 1), (3, 1, 2), (3, 1, 4)]": [
        (3, 1, 1),
        (3, 1, 2),
        (3, 1, 4),
    ],
}


def _receptive_field_cases() -> list[Case]:
    return [GOLDEN.case("receptive_field", k, (layers,)) for k, layers in RF_EXAMPLES.items()]


NOTEBOOK = Notebook(
    "04_pooling",
    (
        Exercise("maxpool_forward", 4.0, lambda: _pool_cases("max")),
        Exercise("avgpool_forward", 3.0, lambda: _pool_cases("mean")),
        Exercise("receptive_field", 3.0, _receptive_field_cases),
    ),
)
