"""Hidden cases of notebook 08_resnet (not in the student bundle).

Random blocks over several seeds: identity shortcuts, projections without and with downsampling
(stride 2 on even sizes, rectangular ones too), float32 and float64, batches of one to three; and
the edge cases: 1x1 images, one channel, inputs so negative that the last ReLU blocks almost
everything, blocks whose identity shortcut does not fit (they must raise ValueError). Answers and
the usual mistakes' answers come from :mod:`.references`; :func:`golden` computes the stored
answers of the visible cases (``grader/resnet/golden.json``).
"""

from __future__ import annotations

import numpy as np

from grader.engine.cases import Case
from grader.resnet.cases import (
    EXAMPLES,
    GOLDEN,
    RAISE_EXAMPLES,
    dout_for,
    out_shape,
)
from grader.resnet.hidden.references import backward_answers, forward_answers

__all__ = ["HIDDEN", "golden"]

SEEDS = range(9)
_M = GOLDEN.mistakes


def golden() -> dict:
    """The stored answers of the visible cases."""

    def entry(answers) -> dict:
        return {"expected": answers[0], "mistakes": answers[1]}

    forward = {**EXAMPLES, **RAISE_EXAMPLES}
    return {
        "residual_forward": {
            label: entry(forward_answers(x, params)) for label, (x, params) in forward.items()
        },
        "residual_backward": {
            label: entry(backward_answers(dout_for(label, x, params), x, params))
            for label, (x, params) in EXAMPLES.items()
        },
    }


def _params(rng, c: int, f: int, stride: int, projection: bool, dtype) -> dict:
    def draw(*shape: int, scale: float = 0.5) -> np.ndarray:
        return (rng.normal(size=shape) * scale).astype(dtype)

    params = {"w1": draw(f, c, 3, 3), "b1": draw(f), "w2": draw(f, f, 3, 3), "b2": draw(f)}
    if projection:
        params.update(ws=draw(f, c, 1, 1, scale=1.0), bs=draw(f))
    if stride != 1 or rng.random() < 0.3:  # "stride": 1 written out, sometimes
        params["stride"] = stride
    return params


def _blocks() -> list[tuple[str, np.ndarray, dict]]:
    """(label, x, params) of every hidden block."""
    blocks = []
    for seed in SEEDS:
        rng = np.random.default_rng([808, seed])
        kind = ("identity", "projection", "projection, stride 2")[seed % 3]
        stride = 2 if seed % 3 == 2 else 1
        n, c = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        f = c if kind == "identity" else int(rng.integers(1, 5))
        if stride == 2:
            h, w = (2 * int(v) for v in rng.integers(1, 4, size=2))
        else:
            h, w = (int(v) for v in rng.integers(1, 7, size=2))
        dtype = np.float32 if seed % 4 == 3 else np.float64
        x = rng.normal(size=(n, c, h, w)).astype(dtype)
        params = _params(rng, c, f, stride, kind != "identity", dtype)
        blocks.append((f"{kind}: x {x.shape}, F = {f}, {np.dtype(dtype)}", x, params))
    rng = np.random.default_rng(8080)
    r = rng.normal
    edge = [
        ("1x1 images, identity: only the kernels' centres count", r(size=(2, 2, 1, 1)), 2, 1, False),
        ("one channel, batch of one, identity", r(size=(1, 1, 5, 5)), 1, 1, False),
        ("projection, stride 2, 2x2 images -> 1x1", r(size=(2, 3, 2, 2)), 2, 2, True),
        ("projection, stride 2, rectangular x (1, 2, 4, 8)", r(size=(1, 2, 4, 8)), 3, 2, True),
        ("x (1, 3, 4, 4) all below -1: the last ReLU blocks most of the sums", -1 - np.abs(r(size=(1, 3, 4, 4))), 3, 1, False),
    ]  # fmt: skip
    for label, x, f, stride, projection in edge:
        blocks.append((label, x, _params(rng, x.shape[1], f, stride, projection, np.float64)))
    return blocks


_MISFITS = (
    ("x (2, 1, 3, 3), F = 2 and no ws: must raise ValueError", (2, 1, 3, 3), 2, 1),
    ("x (1, 2, 4, 4), stride 2 and no ws: must raise ValueError", (1, 2, 4, 4), 2, 2),
    ("x (1, 3, 2, 2), F = 1 and no ws: must raise ValueError", (1, 3, 2, 2), 1, 1),
)


def _forward() -> list[Case]:
    cases = []
    for label, x, params in _blocks():
        expected, mistakes = forward_answers(x, params)
        named = tuple((_M[m], v) for m, v in mistakes.items())
        cases.append(Case(label, (x, params), expected, mistakes=named, pick=0))
    rng = np.random.default_rng(8081)
    for label, shape, f, stride in _MISFITS:
        x = rng.normal(size=shape)
        params = _params(rng, shape[1], f, stride, False, np.float64)
        cases.append(Case(label, (x, params), ValueError, error_needs_numbers=True))
    return cases


def _backward() -> list[Case]:
    cases = []
    for k, (label, x, params) in enumerate(_blocks()):
        dout = np.random.default_rng([809, k]).normal(size=out_shape(x, params)).astype(x.dtype)
        expected, mistakes = backward_answers(dout, x, params)
        named = tuple((_M[m], v) for m, v in mistakes.items())
        cases.append(Case(label, (dout, (x, params)), expected, mistakes=named))
    return cases


HIDDEN = {"residual_forward": _forward, "residual_backward": _backward}
