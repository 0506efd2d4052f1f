"""Hidden cases of notebook 06_backprop: random shapes over several seeds, float32 and float64,
and the edge cases (not in the student bundle).

Convolutions draw stride and padding (an int or a pair) and then the input size that the windows
tile; max pooling draws small integers so that windows tie; softmax draws scores in the
thousands; every exercise meets a batch of one. The numerical gradient's cases are in
:mod:`.gradients`.
"""

from __future__ import annotations

import numpy as np

from grader.backprop.cases import GOLDEN, avgpool_case, conv_case, softmax_case
from grader.backprop.hidden.gradients import numerical_gradient_cases
from grader.backprop.hidden.references import (
    affine_answers,
    maxpool_answers,
    relu_answers,
)
from grader.engine.cases import Case

__all__ = ["HIDDEN"]

SEEDS = range(8)
_M = GOLDEN.mistakes


def _case(label: str, args: tuple, answers: tuple) -> Case:
    expected, mistakes = answers
    return Case(label, args, expected, mistakes=tuple((_M[m], v) for m, v in mistakes.items()))


def _dtype(seed: int):
    return np.float32 if seed % 3 == 2 else np.float64


# -- layers ---------------------------------------------------------------------------------------


def _relu() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([602, seed])
        shape = tuple(int(v) for v in rng.integers(1, 5, size=int(rng.integers(1, 5))))
        x = rng.normal(size=shape).round(1).astype(_dtype(seed))  # rounding makes exact zeros
        dout = rng.normal(size=shape).astype(_dtype(seed))
        cases.append(_case(f"random x {shape}, {x.dtype}", (dout, x), relu_answers(dout, x)))
    rng = np.random.default_rng(6020)
    zeros, ints = np.zeros((2, 3)), rng.integers(-3, 4, size=(3, 4))
    for label, x in (
        ("x all zeros", zeros),
        ("integer x", ints),
        ("x all positive", np.abs(rng.normal(size=(2, 5))) + 0.1),
        ("batch of one (1, 3, 2, 2)", rng.normal(size=(1, 3, 2, 2))),
    ):
        dout = rng.normal(size=x.shape)
        cases.append(_case(label, (dout, x), relu_answers(dout, x)))
    return cases


def _affine() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([603, seed])
        n, m = (int(v) for v in rng.integers(1, 5, size=2))
        rest = tuple(int(v) for v in rng.integers(1, 4, size=int(rng.integers(1, 4))))
        dt = _dtype(seed)
        x = rng.normal(size=(n, *rest)).astype(dt)
        w, b = rng.normal(size=(x[0].size, m)).astype(dt), rng.normal(size=m).astype(dt)
        dout = rng.normal(size=(n, m)).astype(dt)
        cache = (x, w, b)
        cases.append(
            _case(
                f"x {x.shape}, w {w.shape}, {np.dtype(dt)}",
                (dout, cache),
                affine_answers(dout, cache),
            )
        )
    rng = np.random.default_rng(6030)
    for label, x, m in (
        ("batch of one, one feature, one output", rng.normal(size=(1, 1)), 1),
        ("x (2, 3, 4, 4): images of 48 numbers", rng.normal(size=(2, 3, 4, 4)), 5),
        ("N = D = M = 4", rng.normal(size=(4, 4)), 4),
    ):
        cache = (x, rng.normal(size=(x[0].size, m)), rng.normal(size=m))
        dout = rng.normal(size=(len(x), m))
        cases.append(_case(label, (dout, cache), affine_answers(dout, cache)))
    return cases  # fmt: skip


def _softmax() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([604, seed])
        n, k = int(rng.integers(1, 7)), int(rng.integers(2, 11))
        scale = [1.0, 10.0, 1e3, 1e4][seed % 4]
        scores = (rng.normal(size=(n, k)) * scale + rng.normal() * scale).astype(_dtype(seed))
        y = rng.integers(0, k, size=n)
        cases.append(
            softmax_case(f"scores {scores.shape} of scale {scale:g}, {scores.dtype}", scores, y)
        )
    cases += [
        softmax_case("every score 1e5, equal", np.full((3, 4), 1e5), np.array([0, 3, 1])),
        softmax_case("scores around -1000", -1000.0 + np.arange(6.0).reshape(2, 3), np.array([2, 0])),
        softmax_case("two classes, batch of one", np.array([[0.5, -0.5]]), np.array([1])),
        softmax_case(
            "the right classes score 1000 below the best",
            np.array([[1000.0, 0.0, 1.0], [0.0, -500.0, 500.0]]),
            np.array([1, 1]),
        ),
    ]  # fmt: skip
    return cases


def _conv() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([605, seed])
        n, c, f = (int(v) for v in rng.integers(1, 4, size=3))
        hh, ww, stride = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        pads = [int(v) for v in rng.integers(0, 3, size=2)]
        pad = pads[0] if seed % 2 else tuple(pads)
        ho, wo = (int(v) for v in rng.integers(1, 4, size=2))
        h, w = (ho - 1) * stride + hh - sum(pads), (wo - 1) * stride + ww - sum(pads)
        if h < 1 or w < 1:
            pad, pads = 0, [0, 0]
            h, w = (ho - 1) * stride + hh, (wo - 1) * stride + ww
        dt = _dtype(seed)
        x, k = rng.normal(size=(n, c, h, w)).astype(dt), rng.normal(size=(f, c, hh, ww)).astype(dt)
        b, dout = rng.normal(size=f).astype(dt), rng.normal(size=(n, f, ho, wo)).astype(dt)
        label = f"x {x.shape}, w {k.shape}, stride {stride}, pad {pad}, {np.dtype(dt)}"
        cases.append(conv_case(label, x, k, b, dout, stride, pad))
    rng = np.random.default_rng(6050)
    r = rng.normal
    cases += [
        conv_case("1x1 kernel, stride 3 (larger than the kernel), pad 1", r(size=(2, 2, 5, 5)), r(size=(2, 2, 1, 1)), r(size=2), r(size=(2, 2, 3, 3)), 3, 1),
        conv_case("kernel as large as the input", r(size=(3, 2, 4, 4)), r(size=(2, 2, 4, 4)), r(size=2), r(size=(3, 2, 1, 1))),
        conv_case("single channel, batch of one, pad (1, 0), stride 2", r(size=(1, 1, 5, 5)), r(size=(1, 1, 2, 2)), r(size=1), r(size=(1, 1, 3, 3)), 2, (1, 0)),
        conv_case("pad (2, 1), 3x3 kernels", r(size=(1, 2, 4, 5)), r(size=(3, 2, 3, 3)), r(size=3), r(size=(1, 3, 5, 6)), 1, (2, 1)),
        conv_case("float32, batch of three, stride 2, pad 1", *(r(size=s).astype(np.float32) for s in ((3, 2, 7, 7), (2, 2, 3, 3), (2,), (3, 2, 4, 4))), 2, 1),
    ]  # fmt: skip
    return cases


def _pool_shapes(rng, seed: int):
    n, c = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    size, stride = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    ho, wo = (int(v) for v in rng.integers(1, 4, size=2))
    return (n, c, (ho - 1) * stride + size, (wo - 1) * stride + size), (n, c, ho, wo), size, stride


def _maxpool() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([606, seed])
        shape, out, size, stride = _pool_shapes(rng, seed)
        x = rng.integers(0, 3, size=shape).astype(_dtype(seed))  # few values: windows tie
        dout = rng.normal(size=out).astype(_dtype(seed))
        cache = (x, size, stride)
        label = f"x {shape} with ties, {x.dtype}, size {size}, stride {stride}"
        cases.append(_case(label, (dout, cache), maxpool_answers(dout, cache)))
    rng = np.random.default_rng(6060)
    for label, x, size, stride in (
        ("distinct values, 3x3 windows, stride 1", rng.normal(size=(2, 2, 5, 5)), 3, 1),
        ("a flat map: every window is one tie, stride 1", np.ones((1, 2, 4, 4)), 2, 1),
        ("window as large as the input (global pooling)", rng.normal(size=(2, 3, 4, 4)), 4, 4),
        (
            "2x2 windows, stride 3 (gaps between windows)",
            rng.integers(0, 2, size=(1, 2, 5, 8)),
            2,
            3,
        ),
        ("1x1 windows: the identity", rng.normal(size=(1, 2, 3, 3)), 1, 1),
        ("batch of one, all values negative", -np.abs(rng.normal(size=(1, 1, 6, 6))) - 1, 3, 3),
    ):
        dout = rng.normal(
            size=(
                *x.shape[:2],
                (x.shape[2] - size) // stride + 1,
                (x.shape[3] - size) // stride + 1,
            )
        )
        cases.append(
            _case(label, (dout, (x, size, stride)), maxpool_answers(dout, (x, size, stride)))
        )
    return cases  # fmt: skip


def _avgpool() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([607, seed])
        shape, out, size, stride = _pool_shapes(rng, seed)
        x = rng.normal(size=shape).astype(_dtype(seed))
        dout = rng.normal(size=out).astype(_dtype(seed))
        cases.append(
            avgpool_case(
                f"x {shape}, {x.dtype}, size {size}, stride {stride}", x, dout, size, stride
            )
        )
    rng = np.random.default_rng(6070)
    cases += [
        avgpool_case("global pooling", rng.normal(size=(2, 3, 4, 4)), rng.normal(size=(2, 3, 1, 1)), 4, 4),
        avgpool_case("1x1 windows: the identity", rng.normal(size=(1, 2, 3, 3)), rng.normal(size=(1, 2, 3, 3)), 1, 1),
        avgpool_case("integer x, 3x3 windows, stride 1", rng.integers(0, 9, size=(1, 1, 5, 5)), rng.normal(size=(1, 1, 3, 3)), 3, 1),
        avgpool_case("2x2 windows, stride 3 (gaps)", rng.normal(size=(1, 2, 5, 8)), rng.normal(size=(1, 2, 2, 3)), 2, 3),
    ]  # fmt: skip
    return cases


HIDDEN = {
    "numerical_gradient": numerical_gradient_cases,
    "relu_backward": _relu,
    "affine_backward": _affine,
    "softmax_loss": _softmax,
    "conv_backward": _conv,
    "maxpool_backward": _maxpool,
    "avgpool_backward": _avgpool,
}
