"""Hidden cases of notebook 09_beyond (not in the student bundle).

Random shapes, strides, paddings (ints and pairs) and dilations over several seeds, float32 and
float64, and the edge cases: 1x1 kernels, a kernel as large as the input, a stride larger than the
kernel, one channel, a batch of one, integer input, configurations that do not fit. The answers
come from the scipy-based builders of :mod:`grader.beyond.cases`.
"""

from __future__ import annotations

import numpy as np

from grader.beyond.cases import (
    conv1d_case,
    conv1x1_case,
    conv3d_case,
    conv_transpose_case,
    upsample_case,
)
from grader.engine.cases import Case
from grader.padding_stride.lesson import pad_pair

__all__ = ["HIDDEN"]

SEEDS = range(8)


def _dtype(seed: int):
    return np.float32 if seed % 3 == 2 else np.float64


def _pad(rng, seed: int):
    """An int pad, or a (before, after) pair in some seeds."""
    if seed % 4 == 3:
        return tuple(int(v) for v in rng.integers(0, 3, size=2))
    return int(rng.integers(0, 3))


def _conv1x1() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([901, seed])
        n, c, h, w, f = (int(v) for v in rng.integers(1, 6, size=5))
        dt = _dtype(seed)
        x, k, b = (rng.normal(size=s).astype(dt) for s in ((n, c, h, w), (f, c), (f,)))
        cases.append(conv1x1_case(f"x {x.shape}, w {k.shape}, {np.dtype(dt)}", x, k, b))
    rng = np.random.default_rng(9010)
    cases += [
        conv1x1_case("one channel, one filter, batch of one", rng.normal(size=(1, 1, 3, 4)), rng.normal(size=(1, 1)), rng.normal(size=1)),
        conv1x1_case("integer x (2, 3, 2, 2)", rng.integers(-5, 6, size=(2, 3, 2, 2)), rng.normal(size=(4, 3)), rng.normal(size=4)),
        conv1x1_case("a 1x1 image: the affine layer of each sample", rng.normal(size=(3, 6, 1, 1)), rng.normal(size=(2, 6)), rng.normal(size=2)),
    ]  # fmt: skip
    return cases


def _upsample() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([902, seed])
        n, c, h, w = (int(v) for v in rng.integers(1, 5, size=4))
        factor = int(rng.integers(1, 5))
        x = rng.normal(size=(n, c, h, w)).astype(_dtype(seed))
        cases.append(upsample_case(f"x {x.shape}, {x.dtype}, factor {factor}", x, factor))
    rng = np.random.default_rng(9020)
    cases += [
        upsample_case("a 1x1 map, factor 4", rng.normal(size=(2, 3, 1, 1)), 4),
        upsample_case("integer x, factor 3", rng.integers(0, 9, size=(1, 2, 2, 3)), 3),
        upsample_case("many channels, one row", rng.normal(size=(1, 6, 1, 5)), 2),
    ]
    return cases


def _conv_transpose() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([903, seed])
        n, c, f = (int(v) for v in rng.integers(1, 4, size=3))
        h, w = (int(v) for v in rng.integers(1, 5, size=2))
        hh, ww = (int(v) for v in rng.integers(1, 5, size=2))
        stride, pad = int(rng.integers(1, 4)), _pad(rng, seed)
        dt = _dtype(seed)
        x, k = rng.normal(size=(n, c, h, w)).astype(dt), rng.normal(size=(c, f, hh, ww)).astype(dt)
        b = rng.normal(size=f).astype(dt)
        label = f"x {x.shape}, w {k.shape}, stride {stride}, pad {pad}, {np.dtype(dt)}"
        cases.append(conv_transpose_case(label, x, k, b, stride, pad))
    rng = np.random.default_rng(9030)
    r = rng.normal
    cases += [
        conv_transpose_case("1x1 kernel, stride 3 (larger than the kernel): values land 3 apart", r(size=(1, 2, 3, 3)), r(size=(2, 2, 1, 1)), r(size=2), 3),
        conv_transpose_case("a 1x1 input paints the kernel", r(size=(2, 1, 1, 1)), r(size=(1, 2, 3, 2)), r(size=2), 2),
        conv_transpose_case("stride 2, 2x2 kernel: no overlap, each input a 2x2 block", r(size=(1, 3, 3, 2)), r(size=(3, 3, 2, 2)), r(size=3), 2),
        conv_transpose_case("pad (2, 0), stride 2, 4x4 kernel", r(size=(1, 1, 3, 3)), r(size=(1, 2, 4, 4)), r(size=2), 2, (2, 0)),
        conv_transpose_case("float32, batch of three, stride 2, pad 1", *(r(size=s).astype(np.float32) for s in ((3, 2, 4, 4), (2, 2, 3, 3), (2,))), 2, 1),
        conv_transpose_case("pad 2 on a 1x1 input with a 3x3 kernel: must raise ValueError", r(size=(1, 1, 1, 1)), r(size=(1, 1, 3, 3)), r(size=1), 1, 2),
    ]  # fmt: skip
    return cases


def _conv1d() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([904, seed])
        n, c, f = (int(v) for v in rng.integers(1, 4, size=3))
        k, stride, dilation = (int(v) for v in rng.integers(1, 5, size=3))
        pad = _pad(rng, seed)
        steps = int(rng.integers(0, 6))
        length = steps * stride + dilation * (k - 1) + 1 - sum(pad_pair(pad))
        if length < 1 or seed == 5:  # seed 5: one input too many, which does not tile
            length = max(length, 1) + (1 if stride > 1 else 0)
        dt = _dtype(seed)
        x, w = rng.normal(size=(n, c, length)).astype(dt), rng.normal(size=(f, c, k)).astype(dt)
        b = rng.normal(size=f).astype(dt)
        label = f"x {x.shape}, w {w.shape}, stride {stride}, pad {pad}, dilation {dilation}, {np.dtype(dt)}"
        cases.append(conv1d_case(label, x, w, b, stride, pad, dilation))
    rng = np.random.default_rng(9040)
    r = rng.normal
    cases += [
        conv1d_case("1x1 kernel, stride 3", r(size=(2, 2, 7)), r(size=(3, 2, 1)), r(size=3), 3),
        conv1d_case("kernel as long as the input", r(size=(2, 3, 6)), r(size=(2, 3, 6)), r(size=2)),
        conv1d_case("dilation 4, kernel 3, pad 4: 'same' length", r(size=(1, 1, 12)), r(size=(2, 1, 3)), r(size=2), 1, 4, 4),
        conv1d_case("dilation 5 on a kernel of 2, stride 2", r(size=(1, 2, 12)), r(size=(1, 2, 2)), r(size=1), 2, 0, 5),
        conv1d_case("integer x, kernel 4, pad (2, 1)", rng.integers(-3, 4, size=(1, 1, 9)), r(size=(2, 1, 4)), r(size=2), 1, (2, 1)),
        conv1d_case("dilated kernel longer than the input: must raise ValueError", r(size=(1, 1, 5)), r(size=(1, 1, 3)), r(size=1), 1, 0, 3),
        conv1d_case("stride 3 does not tile 10 with kernel 2: must raise ValueError", r(size=(1, 1, 10)), r(size=(1, 1, 2)), r(size=1), 3),
    ]  # fmt: skip
    return cases


def _conv3d() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([905, seed])
        n, c, f = (int(v) for v in rng.integers(1, 3, size=3))
        kernel = tuple(int(v) for v in rng.integers(1, 4, size=3))
        stride, pad = int(rng.integers(1, 3)), _pad(rng, seed)
        steps = rng.integers(0, 3, size=3)
        total = sum(pad_pair(pad))
        spatial = tuple(
            max(1, int(s) * stride + k - total) for s, k in zip(steps, kernel, strict=True)
        )
        dt = _dtype(seed)
        x = rng.normal(size=(n, c, *spatial)).astype(dt)
        w, b = rng.normal(size=(f, c, *kernel)).astype(dt), rng.normal(size=f).astype(dt)
        label = f"x {x.shape}, w {w.shape}, stride {stride}, pad {pad}, {np.dtype(dt)}"
        cases.append(conv3d_case(label, x, w, b, stride, pad))
    rng = np.random.default_rng(9050)
    r = rng.normal
    cases += [
        conv3d_case("1x1x1 kernel, stride 2: a 1x1 convolution of every other voxel", r(size=(1, 3, 3, 3, 5)), r(size=(2, 3, 1, 1, 1)), r(size=2), 2),
        conv3d_case("kernel as large as the volume", r(size=(2, 1, 3, 2, 4)), r(size=(2, 1, 3, 2, 4)), r(size=2)),
        conv3d_case("a deep clip: depth 7, kernel depth 3, height and width 1", r(size=(1, 2, 7, 2, 2)), r(size=(1, 2, 3, 1, 1)), r(size=1)),
        conv3d_case("kernel (3, 2, 1) on a non-cubic volume, pad 1", r(size=(1, 1, 4, 3, 5)), r(size=(2, 1, 3, 2, 1)), r(size=2), 1, 1),
        conv3d_case("integer x, kernel 2x2x2", rng.integers(-2, 3, size=(1, 1, 3, 3, 3)), r(size=(1, 1, 2, 2, 2)), r(size=1)),
        conv3d_case("depth 4 with a depth-3 kernel, stride 2: must raise ValueError", r(size=(1, 1, 4, 5, 5)), r(size=(1, 1, 3, 3, 3)), r(size=1), 2),
    ]  # fmt: skip
    return cases


HIDDEN = {
    "conv1x1": _conv1x1,
    "upsample_nearest": _upsample,
    "conv_transpose_forward": _conv_transpose,
    "conv1d_forward": _conv1d,
    "conv3d_forward": _conv3d,
}
