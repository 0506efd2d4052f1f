"""Visible checks for notebook 04_pooling: maxpool_forward, avgpool_forward, receptive_field.

Pooling answers come from NumPy's ``sliding_window_view`` (every window, then every stride-th one),
never from a copy of the exercise. Receptive fields come from a brute-force experiment: a chain of
1D layers with positive weights is fed one perturbed input at a time, and the inputs that move one
output unit are counted (:func:`receptive_field_brute_force`). Each case also carries the answers
of the usual mistakes, so that a wrong result is named ("the max is taken over the channels too").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from grader.cases import Case, run_in_process, verdict
from grader.checks import run_check

__all__ = [
    "CASES",
    "avgpool_case",
    "check_avgpool_forward",
    "check_maxpool_forward",
    "check_receptive_field",
    "influence_1d",
    "maxpool_case",
    "receptive_field_brute_force",
    "receptive_field_case",
    "run_named_check",
]

Layer = tuple[int, int, int]

CHANNELS_MIXED = (
    "the {kind} is taken over the channels too: pooling works on each channel separately, "
    "so out[n, c] depends on x[n, c] only"
)
STRIDE_IGNORED = (
    "the windows move by 1, not by the stride: window (i, j) starts at row i * stride and "
    "column j * stride"
)
TRANSPOSED = "rows and columns of the output are swapped (H' and W' transposed)"
FIRST_ELEMENT = (
    "each output is the top-left element of its window: that is subsampling, not pooling"
)
ZERO_START = (
    "windows whose values are all negative give 0: start the running max at the window's "
    "first value (or -inf), not at 0"
)
SUM_NOT_MEAN = "the window is summed, not averaged: divide the sum by size * size"
DIVIDED_BY_SIZE = "divided by size instead of size * size: a window holds size * size values"
DIVIDED_BY_STRIDE = (
    "divided by stride * stride: a window holds size * size values, whatever the stride"
)
FLOORED = "the mean is rounded down (floor division //?): use / so the fraction is kept"

RF_NO_EARLIER_STRIDES = (
    "the strides of earlier layers are ignored: after a stride-s layer, one step of the next "
    "layer moves s inputs, so its (k - 1) * d extra reach is multiplied by the product of the "
    "strides before it"
)
RF_OWN_STRIDE = (
    "each layer's (k - 1) * d is multiplied by its own stride too: only the strides of the "
    "layers before it count, since a layer's stride spaces its outputs, not its own taps"
)
RF_NO_DILATION = "dilation is ignored: a kernel of k taps with dilation d spans (k - 1) * d + 1"
RF_GAPS = (
    "dilation is read as the number of gaps between taps (the 'dilation 0 = ordinary' "
    "convention): in this course dilation 1 is an ordinary kernel and d spans (k - 1) * d + 1"
)
RF_K_TIMES_D = "a dilated kernel is taken to span k * d inputs: it spans (k - 1) * d + 1"
RF_NO_MINUS_ONE = (
    "kernel sizes are added without subtracting 1: neighbouring windows overlap, so each layer "
    "adds (k - 1) * d (times the earlier strides) to a field that starts at 1"
)
RF_PRODUCT = "kernel sizes are multiplied: receptive fields grow by adding, r = 1 + sum (k - 1) ..."


def _out_size(n: int, size: int, stride: int) -> int | None:
    """Output length of a pooling window along one axis, or None when it does not tile.

    Counted by listing the windows' start positions: they tile when the last one ends at n.
    """
    starts = range(0, n - size + 1, stride)
    return len(starts) if len(starts) and starts[-1] + size == n else None


def _windows(x: np.ndarray, size: int, stride: int) -> np.ndarray:
    """Every stride-th size x size window of x: shape (N, C, H', W', size, size)."""
    return sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]


def _rtol(x: np.ndarray) -> float:
    return 1e-4 if x.dtype == np.float32 else 1e-7


def _common_mistakes(
    kind: str, x: np.ndarray, size: int, stride: int, expected: np.ndarray, reduce: Callable
) -> list[tuple[str, np.ndarray]]:
    """Mistakes shared by max and average pooling; ``reduce`` is np.max or np.mean."""
    ho, wo = expected.shape[2:]
    mistakes = []
    if x.shape[1] > 1:  # all windows are equally large, so pooling the pooled maps mixes channels
        mixed = reduce(expected, axis=1, keepdims=True)
        mistakes.append((CHANNELS_MIXED.format(kind=kind), np.broadcast_to(mixed, expected.shape)))
    if stride != 1:
        dense = reduce(_windows(x.astype(np.float64), size, 1), axis=(4, 5))
        mistakes.append((STRIDE_IGNORED, dense[:, :, :ho, :wo]))
    if ho == wo:
        mistakes.append((TRANSPOSED, expected.swapaxes(2, 3)))
    return mistakes


def maxpool_case(label: str, x: np.ndarray, size: int = 2, stride: int = 2) -> Case:
    """A case for maxpool_forward: ValueError when the windows do not tile, else the maxima."""
    kwargs = {"size": size, "stride": stride}
    h, w = x.shape[2:]
    ho, wo = _out_size(h, size, stride), _out_size(w, size, stride)
    if ho is None or wo is None:  # the message must give the numbers that do not tile
        return Case(label, (x,), ValueError, kwargs=kwargs, error_needs_numbers=True)
    expected = _windows(x, size, stride).max(axis=(4, 5))
    mistakes = _common_mistakes("max", x, size, stride, expected, np.max)
    mistakes.append((FIRST_ELEMENT, x[:, :, ::stride, ::stride][:, :, :ho, :wo]))
    mistakes.append((ZERO_START, np.maximum(expected, 0)))
    return Case(
        label, (x,), expected, kwargs=kwargs, mistakes=tuple(mistakes), rtol=_rtol(x), pick=0
    )


def avgpool_case(label: str, x: np.ndarray, size: int = 2, stride: int = 2) -> Case:
    """A case for avgpool_forward: ValueError when the windows do not tile, else the means."""
    kwargs = {"size": size, "stride": stride}
    h, w = x.shape[2:]
    if _out_size(h, size, stride) is None or _out_size(w, size, stride) is None:
        return Case(label, (x,), ValueError, kwargs=kwargs, error_needs_numbers=True)
    expected = _windows(x.astype(np.float64), size, stride).mean(axis=(4, 5))
    mistakes = [(SUM_NOT_MEAN, expected * size * size)]
    if size > 1:
        mistakes.append((DIVIDED_BY_SIZE, expected * size))
    if stride != size:
        mistakes.append((DIVIDED_BY_STRIDE, expected * size * size / (stride * stride)))
    mistakes.append((FLOORED, np.floor(expected)))
    mistakes += _common_mistakes("mean", x, size, stride, expected, np.mean)
    if x.dtype == np.float32:
        expected = expected.astype(np.float32)
    return Case(
        label, (x,), expected, kwargs=kwargs, mistakes=tuple(mistakes), rtol=_rtol(x), pick=0
    )


def _n_out(length: int, k: int, s: int, d: int) -> int:
    """How many outputs a valid 1D layer gives on ``length`` inputs (0 if none fits)."""
    span = (k - 1) * d  # distance from the first tap to the last
    return (length - span - 1) // s + 1 if length > span else 0


def influence_1d(layers: Sequence[Layer], n_inputs: int, weights: str = "random") -> np.ndarray:
    """Push each of ``n_inputs`` one-hot inputs through a chain of 1D layers.

    Every layer is a valid correlation ``out[p] = sum_j w[j] * in[p * s + j * d]`` with positive
    weights, so no two paths can cancel; a pooling window is such a layer too. Introduced in
    04_pooling.

    Parameters
    ----------
    layers : sequence of (kernel, stride, dilation), first layer first.
    n_inputs : int
        Length of the input signal.
    weights : {"random", "ones"}, default "random"
        Positive random weights, or all ones (then entry [o, i] counts the paths from input i
        to output o).

    Returns
    -------
    a : ndarray of shape (n_outputs, n_inputs)
        ``a[o, i]`` is how much output ``o`` moves when input ``i`` moves by 1 (0: not at all);
        ``n_outputs`` is 0 when the input is too short for the chain.
    """
    rng = np.random.default_rng(0)
    signals = np.eye(n_inputs)  # row i: input i perturbed by 1, all others 0
    for k, s, d in layers:
        n_out = _n_out(signals.shape[1], k, s, d)
        taps = rng.uniform(0.5, 1.5, size=k) if weights == "random" else np.ones(k)
        out = np.zeros((n_inputs, n_out))
        if n_out:
            for j in range(k):
                out += taps[j] * signals[:, j * d : j * d + (n_out - 1) * s + 1 : s]
        signals = out
    return signals.T


def receptive_field_brute_force(layers: Sequence[Layer], max_inputs: int = 4096) -> int:
    """The receptive field of output 0 of a chain of 1D layers, found by experiment.

    Perturb, one at a time, every input of a signal just long enough for the chain to produce
    an output, and return the distance from the first to the last input that moves output 0,
    plus one. Introduced in 04_pooling.
    """
    n = 1
    while True:
        length = n
        for k, s, d in layers:
            length = _n_out(length, k, s, d)
        if length:
            break
        n *= 2
        if n > max_inputs:
            raise ValueError(f"the chain {list(layers)} needs more than {max_inputs} inputs")
    moved = np.flatnonzero(influence_1d(layers, n)[0])
    return int(moved[-1] - moved[0] + 1)


def _rf_variant(layers: Sequence[Layer], term: Callable[[int, int, int, int], int]) -> int:
    """1 + sum over layers of term(k, s, d, product of the earlier strides)."""
    total, jump = 1, 1
    for k, s, d in layers:
        total += term(k, s, d, jump)
        jump *= s
    return total


def _rf_mistakes(layers: Sequence[Layer]) -> list[tuple[str, int]]:
    product = 1
    for k, _, d in layers:
        product *= (k - 1) * d + 1
    return [
        (RF_NO_EARLIER_STRIDES, _rf_variant(layers, lambda k, s, d, j: (k - 1) * d)),
        (RF_OWN_STRIDE, _rf_variant(layers, lambda k, s, d, j: (k - 1) * d * j * s)),
        (RF_NO_DILATION, _rf_variant(layers, lambda k, s, d, j: (k - 1) * j)),
        (RF_PRODUCT, product),
        (RF_GAPS, _rf_variant(layers, lambda k, s, d, j: (k - 1) * (d + 1) * j)),
        (RF_K_TIMES_D, _rf_variant(layers, lambda k, s, d, j: (k * d - 1) * j)),
        (RF_NO_MINUS_ONE, _rf_variant(layers, lambda k, s, d, j: k * d * j) - 1),
    ]


def receptive_field_case(label: str, layers: Sequence[Layer]) -> Case:
    """A case for receptive_field: the brute-force answer, and the usual mistakes' answers."""
    layers = [tuple(int(v) for v in layer) for layer in layers]
    expected = receptive_field_brute_force(layers)
    mistakes = tuple((m, wrong) for m, wrong in _rf_mistakes(layers) if wrong != expected)
    return Case(f"{label}, layers={layers}", (layers,), expected, mistakes=mistakes)


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
    }


def _pool_cases(make: Callable[..., Case]) -> list[Case]:
    x = _pool_inputs()
    return [
        make("the drawn 4x4 example, 2x2 windows, stride 2 (expect 2x2)", x["drawn"]),
        make("x (2, 3, 4, 6), 2x2 windows, stride 2 (expect (2, 3, 2, 3))", x["batch"]),
        make("x (1, 2, 5, 5), 3x3 windows, stride 2 (overlapping; expect 2x2)", x["overlap"], 3, 2),
        make("x (1, 2, 4, 4), every value negative", x["negative"]),
        make("float32 x (1, 2, 6, 6), 3x3 windows, stride 3", x["float32"], 3, 3),
        make(
            "x (1, 1, 5, 5), 2x2 windows, stride 2: (5 - 2) / 2 + 1 = 2.5, the windows do not tile",
            x["odd"],
        ),
        make(
            "x (1, 1, 4, 5), 2x2 windows, stride 2: the windows do not tile the width 5", x["wide"]
        ),
    ]


def maxpool_cases() -> list[Case]:
    return _pool_cases(maxpool_case)


def avgpool_cases() -> list[Case]:
    cases = _pool_cases(avgpool_case)
    ints = np.arange(32).reshape(1, 2, 4, 4) % 7  # integer dtype on purpose
    cases.insert(4, avgpool_case("integer x (1, 2, 4, 4): the means are not integers", ints))
    return cases


def receptive_field_cases() -> list[Case]:
    return [
        receptive_field_case("no layers at all: one input", []),
        receptive_field_case("one conv3", [(3, 1, 1)]),
        receptive_field_case("conv3 -> conv3", [(3, 1, 1), (3, 1, 1)]),
        receptive_field_case("conv3 -> pool2 -> conv3", [(3, 1, 1), (2, 2, 1), (3, 1, 1)]),
        receptive_field_case("conv3 stride 2 -> conv3", [(3, 2, 1), (3, 1, 1)]),
        receptive_field_case("one conv3 with dilation 2", [(3, 1, 2)]),
        receptive_field_case("dilations 1, 2, 4", [(3, 1, 1), (3, 1, 2), (3, 1, 4)]),
    ]


CASES: dict[str, Callable[[], list[Case]]] = {
    "maxpool_forward": maxpool_cases,
    "avgpool_forward": avgpool_cases,
    "receptive_field": receptive_field_cases,
}


def _number_mistake(case: Case, fn: Callable) -> str | None:
    """The diagnosis of ``case.mistakes`` that ``fn``'s number equals, if any."""
    value = run_in_process(fn, case).value
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return next((diagnosis for diagnosis, wrong in case.mistakes if value == wrong), None)


def run_named_check(name: str, fn: Callable, cases: list[Case]) -> None:
    """:func:`run_check`, plus the name of the mistake when a wrong answer is a number.

    The shared verdict names mistakes for arrays only; a receptive field is an int, so the first
    failing case's answer is matched against its ``mistakes`` here.
    """
    try:
        run_check(name, fn, cases)
    except AssertionError as exc:
        failing = [c for c in cases if verdict(c, run_in_process(fn, c)) is not None]
        diagnosis = _number_mistake(failing[0], fn) if failing else None
        if diagnosis is None:
            raise
        raise AssertionError(f"{exc}\nThis looks like: {diagnosis}") from None


def check_maxpool_forward(fn: Callable) -> None:
    """Check ``maxpool_forward(x, size, stride)`` on the drawn example and batches of channels."""
    run_check("maxpool_forward", fn, CASES["maxpool_forward"]())


def check_avgpool_forward(fn: Callable) -> None:
    """Check ``avgpool_forward(x, size, stride)``: means, float output, one channel at a time."""
    run_check("avgpool_forward", fn, CASES["avgpool_forward"]())


def check_receptive_field(fn: Callable) -> None:
    """Check ``receptive_field(layers)`` against a brute-force perturbation experiment."""
    run_named_check("receptive_field", fn, CASES["receptive_field"]())
