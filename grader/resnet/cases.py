"""Exercises and visible cases of notebook 08_resnet: residual_forward, residual_backward.

The block (the contract the notebook states, and every reference follows)::

    s = params.get("stride", 1)                        # 1, or 2 on even H and W
    h1 = conv(x, w1, b1, stride=s, pad=1 if s == 1 else (0, 1))       # 3x3
    h2 = conv(relu(h1), w2, b2, stride=1, pad=1)                      # 3x3
    shortcut = x                                       # without "ws": needs C == F, s == 1
             = conv(x[:, :, ::s, ::s], ws, bs)         # with "ws" (F, C, 1, 1), "bs" (F,)
    out = relu(h2 + shortcut),   cache = (x, params)

``residual_backward(dout, cache)`` returns ``(dx, dparams)``, dparams holding the gradient of every
array of params under the same key. No library computes a residual block, and the student bundle
must not hold an implementation of one (nor of the convolutions it calls, graded in notebooks 03,
05 and 06), so the visible answers, and the answers of the usual mistakes, are stored in
``golden.json``, computed by the references of :mod:`grader.resnet.hidden` (SciPy's correlations
in float64).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from grader.engine.cases import Case, Mistake
from grader.engine.course import Exercise, Notebook
from grader.engine.golden import Golden

__all__ = ["EXAMPLES", "GOLDEN", "MISTAKES", "MUST_RAISE", "NOTEBOOK", "block_params"]

_TEXTS = {
    # residual_forward
    "no_final_relu": "the final ReLU is missing: the block returns relu(h2 + shortcut), the ReLU "
    "comes after the addition",
    "skip_after_relu": "the shortcut is added after the final ReLU: add first, then apply ReLU, "
    "out = relu(h2 + shortcut)",
    "no_middle_relu": "the ReLU between the two convolutions is missing: h2 = conv(relu(h1), ...)",
    "no_skip": "the shortcut is missing: this is a plain block, relu(h2); add the shortcut "
    "before the last ReLU",
    "projection_ignored": "params holds a projection (ws, bs), but the shortcut is the identity: "
    "with ws the shortcut is the 1x1 convolution of x",
    "stride_on_second_conv": "the stride is applied by the second convolution: the first one "
    "downsamples (stride s, pad (0, 1)), the second keeps the size (stride 1, pad 1)",
    "pad_pair_reversed": "the first convolution is padded (1, 0): with stride 2 the course pads "
    "(0, 1), no zero row before the image and one after",
    "shortcut_offset": "the shortcut reads the wrong pixels: keep every s-th pixel "
    "from the first, x[:, :, ::s, ::s], then apply the 1x1 convolution",
    # residual_backward
    "skip_grad_dropped": "dx misses the skip path: the addition passes its gradient to both "
    "inputs, so dx = (dx through the branch) + (the gradient through the shortcut)",
    "final_relu_not_gated": "dout is not gated by the final ReLU: multiply it by "
    "(h2 + shortcut > 0) before it splits into the two paths",
    "skip_not_gated": "the skip path receives dout itself: both paths start from the same "
    "gradient, dout gated by the final ReLU",
    "middle_relu_not_gated": "the gradient is not gated by the ReLU between the convolutions: "
    "multiply by (h1 > 0) before the first convolution's backward pass",
    "gate_from_branch": "the final ReLU's gate is taken from h2 alone: the ReLU saw "
    "h2 + shortcut, so gate by (h2 + shortcut > 0)",
    "shortcut_grad_misplaced": "the shortcut's dx lands on the wrong pixels: the 1x1 convolution "
    "read x[:, :, ::s, ::s], so its gradient goes back to those pixels only, zeros elsewhere",
}
MISTAKES = {name: Mistake(name, text) for name, text in _TEXTS.items()}
"""The usual mistakes of this notebook's exercises, by their stable id."""

MUST_RAISE = "ValueError"
"""How ``golden.json`` stores the answer "this call must raise ValueError"."""

GOLDEN = Golden(Path(__file__).with_name("golden.json"), MISTAKES)


def block_params(
    seed: int, c: int, f: int, stride: int = 1, projection: bool = False, dtype=np.float64
) -> dict:
    """Seeded parameters of a block with C input channels and F filters, two decimals each.

    ``projection`` adds ``ws`` (F, C, 1, 1) and ``bs`` (F,); ``stride`` is stored when it is not 1.
    """
    rng = np.random.default_rng([8, seed])

    def draw(*shape: int, scale: float = 0.5) -> np.ndarray:
        return (rng.normal(size=shape) * scale).round(2).astype(dtype)

    params = {"w1": draw(f, c, 3, 3), "b1": draw(f), "w2": draw(f, f, 3, 3), "b2": draw(f)}
    if projection:
        params.update(ws=draw(f, c, 1, 1, scale=1.0), bs=draw(f))
    if stride != 1:
        params["stride"] = stride
    return params


def _x(seed: int, shape: tuple, dtype=np.float64) -> np.ndarray:
    return np.random.default_rng([80, seed]).normal(size=shape).round(2).astype(dtype)


# label -> (x, params, dout shape or None when the call must raise)
EXAMPLES = {
    "identity shortcut: x (2, 3, 5, 5), three 3x3 filters per convolution, stride 1": (
        _x(1, (2, 3, 5, 5)),
        block_params(1, 3, 3),
    ),
    "x (1, 2, 4, 4), F = 2, large biases: most sums are positive before the last ReLU": (
        _x(2, (1, 2, 4, 4)),
        {**block_params(2, 2, 2), "b2": np.array([2.0, 1.5])},
    ),
    "projection, stride 2: x (2, 2, 6, 6) -> out (2, 4, 3, 3); the first convolution pads "
    "(0, 1), the shortcut is the 1x1 convolution of x[:, :, ::2, ::2]": (
        _x(3, (2, 2, 6, 6)),
        block_params(3, 2, 4, stride=2, projection=True),
    ),
    "projection without downsampling: x (1, 2, 4, 4) -> F = 3 channels, stride 1": (
        _x(4, (1, 2, 4, 4)),
        block_params(4, 2, 3, projection=True),
    ),
    "projection with C == F = 2, stride 1: params holds ws, so the shortcut is ws, not x": (
        _x(5, (1, 2, 3, 3)),
        block_params(5, 2, 2, projection=True),
    ),
    "float32 x (2, 2, 4, 4) and params, identity shortcut": (
        _x(6, (2, 2, 4, 4), np.float32),
        block_params(6, 2, 2, dtype=np.float32),
    ),
}
RAISE_EXAMPLES = {
    "x (2, 1, 4, 4) but F = 3 filters and no ws: the identity does not fit, must raise "
    "ValueError with the shapes": (_x(7, (2, 1, 4, 4)), block_params(7, 1, 3)),
}


def out_shape(x: np.ndarray, params: dict) -> tuple[int, int, int, int]:
    """The block's output shape: (N, F, H / s, W / s)."""
    s = params.get("stride", 1)
    return (x.shape[0], params["w1"].shape[0], x.shape[2] // s, x.shape[3] // s)


def dout_for(label: str, x: np.ndarray, params: dict) -> np.ndarray:
    """The upstream gradient of a visible backward case."""
    seed = sum(label.encode()) % 1000
    rng = np.random.default_rng([81, seed])
    return rng.normal(size=out_shape(x, params)).round(2).astype(x.dtype)


def _must_raise(case: Case) -> Case:
    if isinstance(case.expected, str) and case.expected == MUST_RAISE:
        return dataclasses.replace(case, expected=ValueError, error_needs_numbers=True)
    return case


def _forward_cases() -> list[Case]:
    cases = [
        GOLDEN.case("residual_forward", label, (x, params), pick=0)
        for label, (x, params) in EXAMPLES.items()
    ]
    cases += [
        _must_raise(GOLDEN.case("residual_forward", label, (x, params)))
        for label, (x, params) in RAISE_EXAMPLES.items()
    ]
    return cases


def _backward_cases() -> list[Case]:
    return [
        GOLDEN.case("residual_backward", label, (dout_for(label, x, params), (x, params)))
        for label, (x, params) in EXAMPLES.items()
    ]


NOTEBOOK = Notebook(
    "08_resnet",
    (
        Exercise("residual_forward", 5.0, _forward_cases),
        Exercise("residual_backward", 5.0, _backward_cases),
    ),
    support=("bring_layers",),
)
