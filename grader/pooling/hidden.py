"""References and hidden cases of notebook 04_pooling (not in the student bundle).

Pooling: random shapes, window sizes and strides over several seeds (float32 and float64), and
edge cases: 1x1 windows, a window as large as the input, a stride larger than the window, one
channel, a batch of one, integer input, windows that do not tile. Receptive fields are judged by a
brute-force experiment, never by the closed formula: a chain of 1D layers with positive weights is
fed one perturbed input at a time and the inputs that move one output unit are counted
(:func:`receptive_field_brute_force`). :func:`golden` computes the stored answers of the visible
receptive_field cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from grader.engine.cases import Case
from grader.pooling.cases import (
    RF_EXAMPLES,
    RF_MISTAKES,
    avgpool_case,
    maxpool_case,
    pool_error_case,
)
from grader.pooling.lesson import influence_1d

__all__ = ["HIDDEN", "golden", "receptive_field_brute_force", "rf_answers", "tiles"]

SEEDS = range(8)
Layer = tuple[int, int, int]


def tiles(n: int, size: int, stride: int) -> bool:
    """Whether windows of ``size``, one every ``stride`` positions, cover an axis of ``n`` exactly.

    Counted by listing the windows' start positions: they tile when the last one ends at ``n``.
    """
    starts = range(0, n - size + 1, stride)
    return len(starts) > 0 and starts[-1] + size == n


def _pool_or_error(make: Callable[..., Case], label: str, x, size: int = 2, stride: int = 2):
    """``make``'s case when the windows tile both axes of ``x``, else one that must raise."""
    if all(tiles(n, size, stride) for n in x.shape[2:]):
        return make(label, x, size, stride)
    return pool_error_case(label, x, size, stride)


def _pool(make: Callable[..., Case], tag: int) -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([tag, seed])
        n, c = int(rng.integers(1, 4)), int(rng.integers(1, 5))
        size, stride = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        ho, wo = (int(v) for v in rng.integers(1, 6, size=2))
        h, w = (ho - 1) * stride + size, (wo - 1) * stride + size
        dtype = np.float32 if seed % 3 == 2 else np.float64
        x = rng.normal(size=(n, c, h, w)).astype(dtype)
        label = f"random x ({n}, {c}, {h}, {w}), {np.dtype(dtype)}, size {size}, stride {stride}"
        cases.append(_pool_or_error(make, label, x, size, stride))
    rng = np.random.default_rng(tag)
    x = rng.normal(size=(2, 3, 6, 6))
    edge = [
        ("1x1 windows, stride 1 (the identity)", x, 1, 1),
        ("1x1 windows, stride 2 (every other pixel)", rng.normal(size=(1, 2, 7, 5)), 1, 2),
        ("window as large as the input (global pooling)", x, 6, 6),
        ("window as large as the input, stride 1", x[:1, :2], 6, 1),
        (
            "2x2 windows, stride 3 (stride larger than the window)",
            rng.normal(size=(1, 2, 8, 5)),
            2,
            3,
        ),
        ("single channel, batch of one, 2x2 stride 1", rng.normal(size=(1, 1, 5, 4)), 2, 1),
        (
            "x (1, 4, 2, 10), 2x2 windows, stride 2 (one output row)",
            rng.normal(size=(1, 4, 2, 10)),
            2,
            2,
        ),
        (
            "all-negative float32 input, 3x3 windows, stride 3",
            -np.abs(x).astype(np.float32) - 1,
            3,
            3,
        ),
        (
            "height 7 with 2x2 windows, stride 2: must raise ValueError",
            rng.normal(size=(1, 1, 7, 6)),
            2,
            2,
        ),
        (
            "width 8 with 3x3 windows, stride 2: must raise ValueError",
            rng.normal(size=(2, 1, 7, 8)),
            3,
            2,
        ),
        ("3x3 window on a 2x2 input: must raise ValueError", rng.normal(size=(1, 1, 2, 2)), 3, 1),
    ]
    for label, x_edge, size, stride in edge:
        case = _pool_or_error(make, label, x_edge, size, stride)
        assert case.expects_error == ("must raise" in label), label
        cases.append(case)
    return cases


def _avgpool() -> list[Case]:
    cases = _pool(avgpool_case, 404)
    ints = np.random.default_rng(4040).integers(-9, 10, size=(2, 2, 6, 6))
    cases += [
        avgpool_case("integer x (2, 2, 6, 6), 3x3 windows, stride 3", ints, 3, 3),
        avgpool_case("integer x (2, 2, 6, 6), 2x2 windows, stride 2", ints),
    ]
    for seed in SEEDS[:4]:  # global average pooling (size = H = W), as a classifier head uses it
        rng = np.random.default_rng([4041, seed])
        side, c = int(rng.integers(1, 9)), int(rng.integers(1, 17))
        dtype = np.float32 if seed % 2 else np.float64
        x = rng.normal(loc=rng.normal(), size=(int(rng.integers(1, 4)), c, side, side))
        label = f"global average pooling of x {x.shape}, {np.dtype(dtype)}, size=stride={side}"
        cases.append(avgpool_case(label, x.astype(dtype), side, side))
    return cases


# -- receptive fields: the experiment, and the usual mistakes' answers ---------------------------


def _n_outputs(layers: Sequence[Layer], n_inputs: int) -> int:
    """How many outputs the chain gives on ``n_inputs`` inputs (valid layers; 0 if none fits)."""
    length = n_inputs
    for k, s, d in layers:
        span = (k - 1) * d
        length = (length - span - 1) // s + 1 if length > span else 0
    return length


def receptive_field_brute_force(layers: Sequence[Layer], max_inputs: int = 4096) -> int:
    """The receptive field of output 0 of a chain of 1D layers, found by experiment.

    Perturb, one at a time, every input of a signal just long enough for the chain to produce an
    output (:func:`grader.pooling.lesson.influence_1d`), and return the distance from the first to
    the last input that moves output 0, plus one.

    Raises
    ------
    ValueError
        If the chain needs more than ``max_inputs`` inputs for one output.
    """
    layers = [tuple(int(v) for v in layer) for layer in layers]
    n = 1
    while _n_outputs(layers, n) == 0:
        n *= 2
        if n > max_inputs:
            raise ValueError(f"the chain {layers} needs more than {max_inputs} inputs")
    moved = np.flatnonzero(influence_1d(layers, n)[0])
    return int(moved[-1] - moved[0] + 1)


def _rf_sum(layers: Sequence[Layer], term: Callable[[int, int, int, int], int]) -> int:
    """1 + the sum over layers of term(k, s, d, product of the earlier strides): wrong formulas."""
    total, jump = 1, 1
    for k, s, d in layers:
        total += term(k, s, d, jump)
        jump *= s
    return total


def rf_answers(layers: Sequence[Layer]) -> tuple[int, dict[str, int]]:
    """The receptive field of ``layers`` by experiment, and each usual mistake's (distinct) answer."""
    expected = receptive_field_brute_force(layers)
    product = 1
    for k, _, d in layers:
        product *= (k - 1) * d + 1
    mistakes = {
        "earlier_strides_ignored": _rf_sum(layers, lambda k, s, d, j: (k - 1) * d),
        "own_stride": _rf_sum(layers, lambda k, s, d, j: (k - 1) * d * j * s),
        "dilation_ignored": _rf_sum(layers, lambda k, s, d, j: (k - 1) * j),
        "kernels_multiplied": product,
        "dilation_as_gaps": _rf_sum(layers, lambda k, s, d, j: (k - 1) * (d + 1) * j),
        "span_k_times_d": _rf_sum(layers, lambda k, s, d, j: (k * d - 1) * j),
        "no_minus_one": _rf_sum(layers, lambda k, s, d, j: k * d * j) - 1,
    }
    assert list(mistakes) == list(RF_MISTAKES)
    return expected, {m: v for m, v in mistakes.items() if v != expected}


def receptive_field_case(label: str, layers: Sequence[Layer]) -> Case:
    """A case for receptive_field: the experiment's answer, and the usual mistakes' answers."""
    layers = [tuple(int(v) for v in layer) for layer in layers]
    expected, mistakes = rf_answers(layers)
    named = tuple((RF_MISTAKES[m], v) for m, v in mistakes.items())
    return Case(f"{label}, layers={layers}", (layers,), expected, mistakes=named)


def golden() -> dict:
    """The stored answers of the visible cases (``grader/pooling/golden.json``)."""
    entries = {}
    for label, layers in RF_EXAMPLES.items():
        expected, mistakes = rf_answers(layers)
        entries[label] = {"expected": expected, "mistakes": mistakes}
    return {"receptive_field": entries}


def _receptive_field() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([414, seed])
        layers = [
            (int(rng.integers(1, 6)), int(rng.integers(1, 4)), int(rng.integers(1, 4)))
            for _ in range(int(rng.integers(1, 6)))
        ]
        cases.append(receptive_field_case(f"random chain of {len(layers)} layers", layers))
    vgg_block = [(3, 1, 1), (3, 1, 1), (2, 2, 1)]
    alexnet = [
        (11, 4, 1),
        (3, 2, 1),
        (5, 1, 1),
        (3, 2, 1),
        (3, 1, 1),
        (3, 1, 1),
        (3, 1, 1),
        (3, 2, 1),
    ]
    cases += [
        receptive_field_case("no layers", []),
        receptive_field_case("one 1x1 conv", [(1, 1, 1)]),
        receptive_field_case("1x1 convs with strides", [(1, 2, 1), (1, 3, 1), (1, 1, 1)]),
        receptive_field_case("one 7x7 conv, stride 2", [(7, 2, 1)]),
        receptive_field_case("stride larger than the kernel", [(1, 2, 1), (2, 1, 1)]),
        receptive_field_case("pool2 then conv3", [(2, 2, 1), (3, 1, 1)]),
        receptive_field_case("three VGG blocks (conv3, conv3, pool2)", vgg_block * 3),
        receptive_field_case("AlexNet's convolutions and pools", alexnet),
        receptive_field_case("dilations 1, 2, 4, 8", [(3, 1, 2**i) for i in range(4)]),
        receptive_field_case("dilated conv after a stride", [(2, 2, 1), (3, 1, 3)]),
        receptive_field_case("a large dilated kernel", [(5, 1, 3)]),
    ]
    return cases


HIDDEN = {
    "maxpool_forward": lambda: _pool(maxpool_case, 400),
    "avgpool_forward": _avgpool,
    "receptive_field": _receptive_field,
}
