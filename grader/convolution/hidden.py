"""Hidden cases of notebook 02_convolution: random shapes and values over several seeds, plus
edge cases (1x1 kernels, kernels as large as the input, single channels, float32)."""

from __future__ import annotations

import numpy as np

from grader.convolution.cases import conv_single_case, corr1d_case, corr2d_case
from grader.engine.cases import Case

__all__ = ["HIDDEN"]

SEEDS = range(6)


def _dtype(seed: int) -> type:
    return np.float32 if seed % 3 == 2 else np.float64


def _corr1d(flip: bool) -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([102, seed])
        length = int(rng.integers(2, 40))
        size = int(rng.integers(2, length + 1))
        dtype = _dtype(seed)
        x, k = rng.normal(size=length).astype(dtype), rng.normal(size=size).astype(dtype)
        label = f"random signal L={length}, kernel K={size}, {np.dtype(dtype)}"
        cases.append(corr1d_case(label, x, k, flip))
    rng = np.random.default_rng(1020)
    x = rng.normal(size=9)
    cases += [
        corr1d_case("kernel of length 1", x, np.array([-1.5]), flip),
        corr1d_case("kernel as long as the signal", x, rng.normal(size=9), flip),
        corr1d_case(
            "integer-valued float signal",
            np.arange(12.0) % 4,
            np.array([3.0, -1.0, 0.0, 2.0]),
            flip,
        ),
    ]
    return cases


def _corr2d() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([202, seed])
        h, w = (int(v) for v in rng.integers(2, 20, size=2))
        hh, ww = int(rng.integers(1, h + 1)), int(rng.integers(1, w + 1))
        dtype = _dtype(seed)
        cases.append(
            corr2d_case(
                f"random {h}x{w} image, {hh}x{ww} kernel, {np.dtype(dtype)}",
                rng.normal(size=(h, w)).astype(dtype),
                rng.normal(size=(hh, ww)).astype(dtype),
            )
        )
    rng = np.random.default_rng(2020)
    x = rng.normal(size=(6, 9))
    cases += [
        corr2d_case("6x9 image, 1x1 kernel", x, np.array([[0.25]])),
        corr2d_case("6x9 image, 6x9 kernel", x, rng.normal(size=(6, 9))),
        corr2d_case("6x9 image, 1x4 kernel", x, rng.normal(size=(1, 4))),
        corr2d_case("6x9 image, 3x1 kernel", x, rng.normal(size=(3, 1))),
        corr2d_case("one-row image", rng.normal(size=(1, 7)), rng.normal(size=(1, 3))),
    ]
    return cases


def _conv_single() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([302, seed])
        c, f = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        h, w = (int(v) for v in rng.integers(3, 12, size=2))
        hh, ww = int(rng.integers(1, h + 1)), int(rng.integers(1, w + 1))
        dtype = _dtype(seed)
        cases.append(
            conv_single_case(
                f"x ({c}, {h}, {w}), w ({f}, {c}, {hh}, {ww}), {np.dtype(dtype)}",
                rng.normal(size=(c, h, w)).astype(dtype),
                rng.normal(size=(f, c, hh, ww)).astype(dtype),
                rng.normal(size=f).astype(dtype),
            )
        )
    rng = np.random.default_rng(3020)
    x = rng.normal(size=(3, 5, 6))
    cases += [
        conv_single_case(
            "filters as large as the image", x, rng.normal(size=(2, 3, 5, 6)), rng.normal(size=2)
        ),
        conv_single_case("one 1x1 filter", x, rng.normal(size=(1, 3, 1, 1)), np.array([3.0])),
        conv_single_case("four filters, zero bias", x, rng.normal(size=(4, 3, 2, 3)), np.zeros(4)),
    ]
    return cases


HIDDEN = {
    "corr1d": lambda: _corr1d(flip=False),
    "conv1d_true": lambda: _corr1d(flip=True),
    "corr2d": _corr2d,
    "conv_single": _conv_single,
}
