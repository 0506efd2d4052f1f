"""Hidden cases of notebook 05_im2col (not in the student bundle).

Random layers over several seeds (float32 and float64, pad as an int and as a pair, some that do
not tile and must raise), and the edge cases: 1x1 kernels, kernels as large as the padded input,
strides larger than the kernel, single channels, batches of one. Answers come from
:mod:`.references` and from the library-computed builders of :mod:`grader.im2col.builders`;
:func:`golden` computes the stored answers of the visible cases.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from grader.engine.cases import Case
from grader.im2col.builders import MISTAKES, conv_case, im2col_case
from grader.im2col.cases import COL2IM_EXAMPLES, COST_EXAMPLES, MUST_RAISE, col2im_input
from grader.im2col.hidden.references import (
    col2im_answers,
    cost_answers,
    reference_col2im,
    reference_cost,
)
from grader.padding_stride.lesson import pad_pair

__all__ = ["HIDDEN", "golden", "reference_col2im", "reference_cost"]

SEEDS = range(8)


def golden() -> dict:
    """The stored answers of the visible cases (``grader/im2col/golden.json``)."""

    def entry(answers):
        return {"expected": answers[0], "mistakes": answers[1]}

    return {
        "conv_layer_cost": {
            label: entry(cost_answers(x_shape, w_shape, stride, pad))
            for label, (x_shape, w_shape, stride, pad) in COST_EXAMPLES.items()
        },
        "col2im": {
            label: entry(col2im_answers(col2im_input(*config), *config[:5]))
            for label, config in COL2IM_EXAMPLES.items()
        },
    }


def _answer_case(label: str, args: tuple, kwargs: dict, answers: tuple) -> Case:
    expected, mistakes = answers
    named = tuple((MISTAKES[m], v) for m, v in mistakes.items())
    if isinstance(expected, str) and expected == MUST_RAISE:
        return Case(label, args, ValueError, kwargs, named, error_needs_numbers=True)
    return Case(label, args, expected, kwargs, named)


# -- hidden cases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """One hidden configuration: x (n, c, h, w), f filters of hh x ww, stride and pad."""

    n: int
    c: int
    f: int
    h: int
    w: int
    hh: int
    ww: int
    stride: int
    pad: int | tuple[int, int]

    @property
    def x_shape(self) -> tuple[int, int, int, int]:
        return (self.n, self.c, self.h, self.w)

    @property
    def w_shape(self) -> tuple[int, int, int, int]:
        return (self.f, self.c, self.hh, self.ww)

    @property
    def kwargs(self) -> dict:
        return {"stride": self.stride, "pad": self.pad}

    @property
    def tiles(self) -> bool:
        return reference_cost(self.x_shape, self.w_shape, **self.kwargs) is not None

    def describe(self, label: str, dtype) -> str:
        return (
            f"{label}: x {self.x_shape}, {self.hh}x{self.ww} kernel, stride {self.stride}, "
            f"pad {self.pad}, {np.dtype(dtype)}"
        )


def _random_layer(rng: np.random.Generator, fits: bool) -> Layer:
    """A random layer whose windows tile exactly, or miss along the width (then stride >= 2)."""
    n, c, f, hh, ww = (int(v) for v in rng.integers(1, 4, size=5))
    stride = int(rng.integers(1, 4)) if fits else int(rng.integers(2, 4))
    h_out, w_out = (int(v) for v in rng.integers(1, 5, size=2))
    pair = tuple(int(v) for v in rng.integers(0, 3, size=2))
    pad = pair if rng.random() < 0.5 else pair[0]
    before, after = pad_pair(pad)
    h = (h_out - 1) * stride + hh - before - after
    w = (w_out - 1) * stride + ww - before - after
    if min(h, w) < 1:  # the padding alone would be the input: drop it
        pad, h, w = 0, h + before + after, w + before + after
    if not fits:
        w += int(rng.integers(1, stride))
    return Layer(n, c, f, h, w, hh, ww, stride, pad)


EDGES = {  # label: Layer(n, c, f, h, w, hh, ww, stride, pad)
    "1x1 kernel, stride 2": Layer(1, 2, 3, 5, 5, 1, 1, 2, 0),
    "1x1 kernel, pad 1": Layer(2, 3, 2, 3, 3, 1, 1, 1, 1),
    "kernel as large as the input": Layer(1, 2, 2, 4, 4, 4, 4, 1, 0),
    "kernel as large as the padded input (5x5 on 3x3, pad 1)": Layer(2, 1, 1, 3, 3, 5, 5, 1, 1),
    "stride 3 larger than the 2x2 kernel (pixels no window reads)": Layer(
        1, 2, 2, 8, 8, 2, 2, 3, 0
    ),
    "batch of one, single channel, pad (2, 0)": Layer(1, 1, 2, 4, 5, 3, 3, 1, (2, 0)),
    "pad (0, 2), stride 2, non-square kernel": Layer(2, 2, 2, 5, 6, 3, 2, 2, (0, 2)),
    "3x3, stride 2, pad (0, 1) on 8x8 (ResNet-style downsampling)": Layer(
        1, 2, 2, 8, 8, 3, 3, 2, (0, 1)
    ),
    "kernel larger than the padded input: must raise": Layer(1, 1, 1, 3, 3, 4, 4, 1, 0),
    "height tiles, width does not (stride 2 on 7x8): must raise": Layer(1, 1, 1, 7, 8, 3, 3, 2, 0),
    "3x3, stride 2, pad 1 on 8x8 ((8 + 2 - 3)/2 + 1 = 4.5): must raise": Layer(
        1, 2, 1, 8, 8, 3, 3, 2, 1
    ),
}


def _layers(seed_base: int):
    """(label, layer, dtype, rng) for every hidden configuration: random ones, then the edges."""
    for seed in SEEDS:
        rng = np.random.default_rng([seed_base, seed])
        dtype = np.float32 if seed % 2 else np.float64
        yield f"random layer {seed}", _random_layer(rng, fits=seed % 3 != 2), dtype, rng
    rng = np.random.default_rng([seed_base, 99])
    for i, (label, layer) in enumerate(EDGES.items()):
        yield label, layer, (np.float32 if i % 3 == 1 else np.float64), rng


def _im2col() -> list[Case]:
    cases = []
    for label, L, dtype, rng in _layers(501):
        x = rng.normal(size=L.x_shape).astype(dtype)
        name = L.describe(label, dtype)
        cases.append(im2col_case(name, x, L.hh, L.ww, **L.kwargs, raises=not L.tiles))
    return cases


def _conv() -> list[Case]:
    cases = []
    for label, L, dtype, rng in _layers(502):
        x, w = (rng.normal(size=shape).astype(dtype) for shape in (L.x_shape, L.w_shape))
        b = rng.normal(size=L.f).astype(dtype)
        cases.append(conv_case(L.describe(label, dtype), x, w, b, **L.kwargs, raises=not L.tiles))
    return cases


def _col2im() -> list[Case]:
    cases = []
    for label, L, dtype, rng in _layers(503):
        config = (L.x_shape, L.hh, L.ww, L.stride, L.pad)
        cols = rng.normal(size=col2im_input(*config, fill="ones").shape).astype(dtype)
        args = (cols, L.x_shape, L.hh, L.ww)
        answers = col2im_answers(cols, *config)
        cases.append(_answer_case(L.describe(label, dtype), args, L.kwargs, answers))
    return cases


COST_EDGES = {  # label: Layer(n, c, f, h, w, hh, ww, stride, pad)
    "one 1x1 filter on one pixel": Layer(1, 1, 1, 1, 1, 1, 1, 1, 0),
    "a VGG layer: 512 filters 3x3 on 512 x 14 x 14, pad 1": Layer(1, 512, 512, 14, 14, 3, 3, 1, 1),
    "ResNet downsampling: 56x56, 3x3, stride 2, pad (0, 1)": Layer(
        32, 64, 128, 56, 56, 3, 3, 2, (0, 1)
    ),
    "ResNet stem: 224x224, 7x7, stride 2, pad (2, 3)": Layer(8, 3, 64, 224, 224, 7, 7, 2, (2, 3)),
    "56x56, 3x3, stride 2, pad 1 ((56 + 2 - 3)/2 + 1 = 28.5): must raise": Layer(
        1, 64, 128, 56, 56, 3, 3, 2, 1
    ),
    "AlexNet's 224 x 224 with 11x11, stride 4 (54.25): must raise": Layer(
        1, 3, 96, 224, 224, 11, 11, 4, 0
    ),
    "kernel larger than the padded input: must raise": Layer(1, 3, 4, 2, 2, 5, 5, 1, 1),
}


def _cost() -> list[Case]:
    layers = {}
    for seed in SEEDS:  # the random layers' spatial settings, with real-sized batches and depths
        rng = np.random.default_rng([504, seed])
        small = _random_layer(rng, fits=seed % 3 != 2)
        n, c, f = int(rng.integers(1, 129)), int(rng.integers(1, 65)), int(rng.integers(1, 257))
        layers[f"random layer {seed}"] = dataclasses.replace(small, n=n, c=c, f=f)
    layers.update(COST_EDGES)
    cases = []
    for label, L in layers.items():
        answers = cost_answers(L.x_shape, L.w_shape, **L.kwargs)
        name = f"{label}: x {L.x_shape}, w {L.w_shape}, stride {L.stride}, pad {L.pad}"
        cases.append(_answer_case(name, (L.x_shape, L.w_shape), L.kwargs, answers))
    return cases


HIDDEN = {
    "conv_layer_cost": _cost,
    "im2col": _im2col,
    "conv_forward_im2col": _conv,
    "col2im": _col2im,
}
