"""Hidden tests for 04_pooling: random shapes, window sizes and strides over several seeds, edge
cases (1x1 windows, a window as large as the input, stride larger than the window, one channel,
a batch of one, windows that do not tile), float32 and float64; receptive fields of random chains
judged against the brute-force perturbation experiment."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grader.cases import Case
from grader.checks import run_check
from grader.checks.pooling import (
    avgpool_case,
    maxpool_case,
    receptive_field_case,
    run_named_check,
)

__all__ = ["CASES", "hidden_avgpool_forward", "hidden_maxpool_forward", "hidden_receptive_field"]

SEEDS = range(8)


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
        cases.append(make(label, x, size, stride))
    rng = np.random.default_rng(tag)
    x = rng.normal(size=(2, 3, 6, 6))
    cases += [
        make("1x1 windows, stride 1 (the identity)", x, 1, 1),
        make("1x1 windows, stride 2 (every other pixel)", rng.normal(size=(1, 2, 7, 5)), 1, 2),
        make("window as large as the input (global pooling)", x, 6, 6),
        make("window as large as the input, stride 1", x[:1, :2], 6, 1),
        make(
            "2x2 windows, stride 3 (stride larger than the window)",
            rng.normal(size=(1, 2, 8, 5)),
            2,
            3,
        ),
        make("single channel, batch of one, 2x2 stride 1", rng.normal(size=(1, 1, 5, 4)), 2, 1),
        make(
            "x (1, 4, 2, 10), 2x2 windows, stride 2 (one output row)",
            rng.normal(size=(1, 4, 2, 10)),
        ),
        make(
            "all-negative float32 input, 3x3 windows, stride 3",
            -np.abs(x).astype(np.float32) - 1,
            3,
            3,
        ),
        make(
            "height 7 with 2x2 windows, stride 2: must raise ValueError",
            rng.normal(size=(1, 1, 7, 6)),
        ),
        make(
            "width 8 with 3x3 windows, stride 2: must raise ValueError",
            rng.normal(size=(2, 1, 7, 8)),
            3,
            2,
        ),
        make(
            "3x3 window on a 2x2 input: must raise ValueError", rng.normal(size=(1, 1, 2, 2)), 3, 1
        ),
    ]
    return cases


def _avgpool() -> list[Case]:
    cases = _pool(avgpool_case, 404)
    ints = np.random.default_rng(4040).integers(-9, 10, size=(2, 2, 6, 6))
    cases += [
        avgpool_case("integer x (2, 2, 6, 6), 3x3 windows, stride 3", ints, 3, 3),
        avgpool_case("integer x (2, 2, 6, 6), 2x2 windows, stride 2", ints),
    ]
    return cases


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
    cases += [
        receptive_field_case("no layers", []),
        receptive_field_case("one 1x1 conv", [(1, 1, 1)]),
        receptive_field_case("1x1 convs with strides", [(1, 2, 1), (1, 3, 1), (1, 1, 1)]),
        receptive_field_case("one 7x7 conv, stride 2", [(7, 2, 1)]),
        receptive_field_case("stride larger than the kernel", [(1, 2, 1), (2, 1, 1)]),
        receptive_field_case("pool2 then conv3", [(2, 2, 1), (3, 1, 1)]),
        receptive_field_case("three VGG blocks (conv3, conv3, pool2)", vgg_block * 3),
        receptive_field_case(
            "AlexNet's convolutions and pools",
            [
                (11, 4, 1),
                (3, 2, 1),
                (5, 1, 1),
                (3, 2, 1),
                (3, 1, 1),
                (3, 1, 1),
                (3, 1, 1),
                (3, 2, 1),
            ],
        ),
        receptive_field_case("dilations 1, 2, 4, 8", [(3, 1, 2**i) for i in range(4)]),
        receptive_field_case("dilated conv after a stride", [(2, 2, 1), (3, 1, 3)]),
        receptive_field_case("a large dilated kernel", [(5, 1, 3)]),
    ]
    return cases


CASES: dict[str, Callable[[], list[Case]]] = {
    "maxpool_forward": lambda: _pool(maxpool_case, 400),
    "avgpool_forward": _avgpool,
    "receptive_field": _receptive_field,
}


def hidden_maxpool_forward(fn: Callable) -> None:
    run_check("maxpool_forward (hidden tests)", fn, CASES["maxpool_forward"]())


def hidden_avgpool_forward(fn: Callable) -> None:
    run_check("avgpool_forward (hidden tests)", fn, CASES["avgpool_forward"]())


def hidden_receptive_field(fn: Callable) -> None:
    run_named_check("receptive_field (hidden tests)", fn, CASES["receptive_field"]())
