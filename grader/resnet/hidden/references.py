"""References for notebook 08_resnet's residual block (not in the student bundle).

Every convolution is SciPy's: the forward pass correlates each zero-padded channel with each
kernel (``scipy.signal.correlate2d``) and keeps every stride-th window; the gradients are a full
*convolution* of the stride-spread upstream gradient with the kernel (dx) and a correlation of the
padded input with it (dw), all in float64. The block composes them by the chain rule, and each
usual mistake is the same composition with one step changed (``variant``).
tests/resnet/test_resnet.py shows that the references agree with numerical gradients.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from grader.padding_stride.lesson import pad_pair

__all__ = [
    "BACKWARD_MISTAKES",
    "FORWARD_MISTAKES",
    "backward_answers",
    "block_backward",
    "block_forward",
    "distinct",
    "forward_answers",
]

FORWARD_MISTAKES = (
    "no_final_relu",
    "skip_after_relu",
    "no_middle_relu",
    "no_skip",
    "projection_ignored",
    "stride_on_second_conv",
    "pad_pair_reversed",
    "shortcut_offset",
)
BACKWARD_MISTAKES = (
    "skip_grad_dropped",
    "final_relu_not_gated",
    "skip_not_gated",
    "middle_relu_not_gated",
    "gate_from_branch",
    "shortcut_grad_misplaced",
)
_ARRAYS = ("w1", "b1", "w2", "b2", "ws", "bs")


def _padded(x: np.ndarray, pad) -> np.ndarray:
    before, after = pad_pair(pad)
    return np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))


def _correlate(x, w, b, stride: int, pad) -> np.ndarray:
    """(N, C, H, W) correlated with (F, C, HH, WW), every stride-th window, plus b."""
    xp = _padded(np.asarray(x, dtype=np.float64), pad)
    w = np.asarray(w, dtype=np.float64)
    for n, k in zip(xp.shape[2:], w.shape[2:], strict=True):
        if (n - k) % stride or n < k:
            raise ValueError(f"a kernel of {k} with stride {stride} does not tile {n} (padded)")
    full = np.array(
        [[sum(signal.correlate2d(xp[i, c], w[f, c], "valid") for c in range(w.shape[1]))
          for f in range(w.shape[0])] for i in range(xp.shape[0])]
    )  # fmt: skip
    return full[:, :, ::stride, ::stride] + np.asarray(b, dtype=np.float64)[None, :, None, None]


def _correlate_grads(dout, x, w, stride: int, pad) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dx, dw, db of :func:`_correlate`: dout spread out by the stride, fully convolved with the
    kernel for dx (then cropped to x), correlated with the padded input for dw."""
    d = np.asarray(dout, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    xp = _padded(np.asarray(x, dtype=np.float64), pad)
    n, f, ho, wo = d.shape
    spread = np.zeros((n, f, (ho - 1) * stride + 1, (wo - 1) * stride + 1))
    spread[:, :, ::stride, ::stride] = d
    dxp = np.array(
        [[sum(signal.convolve2d(spread[i, k], w[k, c], "full") for k in range(f))
          for c in range(w.shape[1])] for i in range(n)]
    )  # fmt: skip
    grown = np.zeros(xp.shape)  # windows may stop short of the padded edge: nothing reads it
    grown[:, :, : dxp.shape[2], : dxp.shape[3]] = dxp
    dw = np.array(
        [[sum(signal.correlate2d(xp[i, c], spread[i, k], "valid")[: w.shape[2], : w.shape[3]]
              for i in range(n)) for c in range(w.shape[1])] for k in range(f)]
    )  # fmt: skip
    before = pad_pair(pad)[0]
    h, wd = np.shape(x)[2:]
    return grown[:, :, before : before + h, before : before + wd], dw, d.sum(axis=(0, 2, 3))


def _shortcut_pixels(x: np.ndarray, stride: int, variant) -> np.ndarray:
    start = 1 if variant == "shortcut_offset" and stride > 1 else 0
    return x[:, :, start::stride, start::stride]


def block_forward(x, params: dict, variant: str | None = None) -> dict:
    """The block's intermediate values (float64), with one step changed by ``variant``.

    Raises ValueError when the identity shortcut does not fit the branch's output.
    """
    x = np.asarray(x, dtype=np.float64)
    p = {k: np.asarray(v, dtype=np.float64) for k, v in params.items() if k in _ARRAYS}
    s = int(params.get("stride", 1))
    pad1 = 1 if s == 1 else ((1, 0) if variant == "pad_pair_reversed" else (0, 1))
    s1, s2, pad2 = s, 1, 1
    if variant == "stride_on_second_conv" and s > 1:
        s1, pad1, s2, pad2 = 1, 1, s, (0, 1)
    h1 = _correlate(x, p["w1"], p["b1"], s1, pad1)
    a1 = h1 if variant == "no_middle_relu" else np.maximum(h1, 0)
    h2 = _correlate(a1, p["w2"], p["b2"], s2, pad2)
    projection = "ws" in p and variant != "projection_ignored"
    xs = _shortcut_pixels(x, s, variant)
    if projection:
        shortcut = _correlate(xs, p["ws"], p["bs"], 1, 0)
    elif x.shape != h2.shape:
        raise ValueError(f"the identity shortcut {x.shape} does not fit the branch {h2.shape}")
    else:
        shortcut = x
    if variant == "no_skip":
        shortcut = np.zeros_like(h2)
    total = h2 + shortcut
    out = np.maximum(total, 0)
    if variant == "no_final_relu":
        out = total
    elif variant == "skip_after_relu":
        out = np.maximum(h2, 0) + shortcut
    return {"x": x, "p": p, "s": s, "pad1": pad1, "h1": h1, "a1": a1, "h2": h2,
            "xs": xs, "projection": projection, "total": total, "out": out}  # fmt: skip


def block_backward(dout, x, params: dict, variant: str | None = None) -> tuple:
    """``(dx, dparams)`` of the block by the chain rule, with one step changed by ``variant``."""
    v = block_forward(x, params)
    d = np.asarray(dout, dtype=np.float64)
    p, s = v["p"], v["s"]
    gate = v["h2"] if variant == "gate_from_branch" else v["total"]
    g = d if variant == "final_relu_not_gated" else d * (gate > 0)
    da1, dw2, db2 = _correlate_grads(g, v["a1"], p["w2"], 1, 1)
    dh1 = da1 if variant == "middle_relu_not_gated" else da1 * (v["h1"] > 0)
    dx, dw1, db1 = _correlate_grads(dh1, v["x"], p["w1"], s, v["pad1"])
    grads = {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
    g_skip = d if variant == "skip_not_gated" else g
    if v["projection"]:
        dxs, grads["ws"], grads["bs"] = _correlate_grads(g_skip, v["xs"], p["ws"], 1, 0)
        skip = np.zeros_like(dx)
        if variant == "shortcut_grad_misplaced":
            skip[:, :, : dxs.shape[2], : dxs.shape[3]] = dxs
        else:
            skip[:, :, ::s, ::s] = dxs
    else:
        skip = g_skip
    if variant != "skip_grad_dropped":
        dx = dx + skip
    return dx, {k: grads[k] for k in _ARRAYS if k in grads}


def distinct(expected, mistakes: dict) -> dict:
    """The mistakes whose answer differs from the expected one (arrays, tuples, dicts)."""

    def same(a, b) -> bool:
        if isinstance(a, tuple):
            return all(same(e, w) for e, w in zip(a, b, strict=True))
        if isinstance(a, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-9, atol=1e-12)

    return {m: v for m, v in mistakes.items() if not same(expected, v)}


def _attempt(make) -> object | None:
    try:
        return make()
    except ValueError:  # the mistaken block does not even fit together: nothing to name
        return None


def forward_answers(x, params: dict) -> tuple:
    """(expected out, {mistake id: out}) or ("ValueError", {}) when the block does not fit."""
    try:
        expected = block_forward(x, params)["out"]
    except ValueError:
        return "ValueError", {}
    wrong = {m: _attempt(lambda m=m: block_forward(x, params, m)["out"]) for m in FORWARD_MISTAKES}
    return expected, distinct(expected, {m: w for m, w in wrong.items() if w is not None})


def backward_answers(dout, x, params: dict) -> tuple:
    """(expected (dx, dparams), {mistake id: (dx, None)})."""
    expected = block_backward(dout, x, params)
    wrong = {m: block_backward(dout, x, params, m) for m in BACKWARD_MISTAKES}
    # named by dx, which every one of these mistakes changes; None names nothing in dparams
    return expected, {m: (v[0], None) for m, v in distinct(expected, wrong).items()}
