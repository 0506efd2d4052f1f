"""The small networks notebook 09_beyond trains, built from the learner's own layers.

Every forward pass here calls functions handed in through ``fns`` (a dict of the learner's
functions by their exercise name: ``conv1d_forward``, ``conv_forward_im2col``, ``softmax_loss``
...), so nothing here works until they do. What this module adds are the backward passes no
notebook asks for (1D and 3D convolution, 1x1 convolution, the transposed convolution, which is
the forward convolution run backwards), the networks' wiring and an Adam trainer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from threadpoolctl import threadpool_limits  # installed with scikit-learn

from grader.backprop.lesson import affine_forward
from grader.padding_stride.lesson import pad_pair

__all__ = [
    "MNIST1D_LAYERS",
    "adam",
    "cnn1d_init",
    "cnn1d_loss",
    "cnn1d_predict",
    "conv1d_grads",
    "conv3d_grads",
    "dilated_init",
    "dilated_loss",
    "dilated_predict",
    "fcn_coarse",
    "fcn_init",
    "fcn_loss",
    "fcn_predict",
    "video_init",
    "video_loss",
    "video_predict",
]

Fns = Mapping[str, Callable]
Params = dict[str, np.ndarray]

MNIST1D_LAYERS = ((5, 2, (2, 1)), (3, 2, (1, 0)), (3, 2, (1, 0)))
"""(kernel, stride, pad) of the three convolutions of the MNIST-1D network: 40 -> 20 -> 10 -> 5."""


def conv1d_grads(dout, x, w, stride=1, pad=0, dilation=1) -> tuple[np.ndarray, ...]:
    """Gradients (dx, dw, db) of a 1D convolution x (N, C, L), w (F, C, K) for dout (N, F, L').

    Tap k of output i read padded input ``i * stride + k * dilation``; its gradient goes back
    there, one tap at a time.
    """
    before, after = pad_pair(pad)
    padded = np.pad(x, ((0, 0), (0, 0), (before, after)))
    reach = stride * (dout.shape[2] - 1) + 1
    dpad, dw = np.zeros_like(padded), np.zeros_like(w)
    for k in range(w.shape[2]):
        taps = slice(k * dilation, k * dilation + reach, stride)
        dw[:, :, k] = np.tensordot(dout, padded[:, :, taps], axes=([0, 2], [0, 2]))
        dpad[:, :, taps] += np.matmul(w[:, :, k].T, dout)
    return dpad[:, :, before : before + x.shape[2]], dw, dout.sum(axis=(0, 2))


def conv3d_grads(dout, x, w, stride=1, pad=0) -> tuple[np.ndarray, ...]:
    """Gradients (dx, dw, db) of a 3D convolution x (N, C, D, H, W), w (F, C, KD, KH, KW)."""
    before, after = pad_pair(pad)
    padded = np.pad(x, ((0, 0), (0, 0), *((before, after),) * 3))
    dpad, dw = np.zeros_like(padded), np.zeros_like(w)
    n, f = dout.shape[:2]
    flat = dout.reshape(n, f, -1)
    for u, v, q in np.ndindex(*w.shape[2:]):
        taps = tuple(
            slice(o, o + stride * (m - 1) + 1, stride)
            for o, m in zip((u, v, q), dout.shape[2:], strict=True)
        )
        part = padded[(slice(None), slice(None), *taps)].reshape(n, x.shape[1], -1)
        dw[:, :, u, v, q] = np.tensordot(flat, part, axes=([0, 2], [0, 2]))
        dpad[(slice(None), slice(None), *taps)] += np.matmul(w[:, :, u, v, q].T, flat).reshape(
            n, x.shape[1], *dout.shape[2:]
        )
    d, h, wd = x.shape[2:]
    dx = dpad[:, :, before : before + d, before : before + h, before : before + wd]
    return dx, dw, dout.sum(axis=(0, 2, 3, 4))


def adam(
    params: Params,
    loss_and_grads: Callable,
    x: np.ndarray,
    y: np.ndarray,
    steps: int,
    lr: float = 1e-2,
    batch: int = 100,
    seed: int = 0,
) -> tuple[Params, list[float]]:
    """Train with Adam (beta1 0.9, beta2 0.999) on random mini-batches; return the trained
    parameters and the loss of every step. ``loss_and_grads(params, xb, yb)`` returns
    ``(loss, {name: gradient})``."""
    rng = np.random.default_rng(seed)
    first = {k: np.zeros_like(v) for k, v in params.items()}
    second = {k: np.zeros_like(v) for k, v in params.items()}
    losses = []
    # small products: one BLAS thread beats two that wait for each other (as in 07 and 08)
    with threadpool_limits(limits=1, user_api="blas"):
        for t in range(1, steps + 1):
            rows = rng.integers(0, len(x), size=batch)
            loss, grads = loss_and_grads(params, x[rows], y[rows])
            losses.append(float(loss))
            for k, g in grads.items():
                first[k] = 0.9 * first[k] + 0.1 * g
                second[k] = 0.999 * second[k] + 0.001 * g * g
                step = (first[k] / (1 - 0.9**t)) / (np.sqrt(second[k] / (1 - 0.999**t)) + 1e-8)
                params[k] = (params[k] - lr * step).astype(params[k].dtype)
    return params, losses


def _he(rng, *shape: int) -> np.ndarray:
    return (rng.normal(size=shape) * np.sqrt(2 / np.prod(shape[1:]))).astype(np.float32)


# -- MNIST-1D: three strided 1D convolutions and a linear classifier ----------------------------


def cnn1d_init(channels: int = 32, seed: int = 0) -> Params:
    rng = np.random.default_rng(seed)
    params, c_in = {}, 1
    for i, (k, _, _) in enumerate(MNIST1D_LAYERS):
        params[f"w{i}"], params[f"b{i}"] = (
            _he(rng, channels, c_in, k),
            np.zeros(channels, np.float32),
        )
        c_in = channels
    params["w_fc"] = (rng.normal(size=(channels * 5, 10)) / np.sqrt(channels * 5)).astype(
        np.float32
    )
    params["b_fc"] = np.zeros(10, np.float32)
    return params


def _cnn1d_forward(p: Params, x, fns: Fns):
    caches, h = [], x
    for i, (_, stride, pad) in enumerate(MNIST1D_LAYERS):
        a, _ = fns["conv1d_forward"](h, p[f"w{i}"], p[f"b{i}"], stride=stride, pad=pad)
        caches.append((h, a))
        h = np.maximum(a, 0)
    scores, fc_cache = affine_forward(h, p["w_fc"], p["b_fc"])
    return scores, caches, fc_cache


def cnn1d_loss(p: Params, x, y, fns: Fns) -> tuple[float, Params]:
    """Loss and gradients of the MNIST-1D network on a batch x (N, 1, 40), labels y (N,)."""
    scores, caches, fc_cache = _cnn1d_forward(p, x, fns)
    loss, dscores = fns["softmax_loss"](scores, y)
    dh, grads = None, {}
    dh, grads["w_fc"], grads["b_fc"] = fns["affine_backward"](dscores, fc_cache)
    for i in reversed(range(len(MNIST1D_LAYERS))):
        _, stride, pad = MNIST1D_LAYERS[i]
        h, a = caches[i]
        da = fns["relu_backward"](dh, a)
        dh, grads[f"w{i}"], grads[f"b{i}"] = conv1d_grads(da, h, p[f"w{i}"], stride, pad)
    return loss, grads


def cnn1d_predict(p: Params, x, fns: Fns) -> np.ndarray:
    return _cnn1d_forward(p, x, fns)[0].argmax(axis=1)


# -- per-position labels from a stack of dilated 1D convolutions ------------------------------


def dilated_init(dilations, channels: int = 8, seed: int = 0) -> Params:
    rng = np.random.default_rng(seed)
    params, c_in = {"dilations": np.array(dilations)}, 1
    for i in range(len(dilations)):
        params[f"w{i}"], params[f"b{i}"] = (
            _he(rng, channels, c_in, 3),
            np.zeros(channels, np.float32),
        )
        c_in = channels
    params["w_out"], params["b_out"] = _he(rng, 2, channels, 1), np.zeros(2, np.float32)
    return params


def _dilated_forward(p: Params, x, fns: Fns):
    caches, h = [], x
    for i, d in enumerate(int(v) for v in p["dilations"]):
        a, _ = fns["conv1d_forward"](h, p[f"w{i}"], p[f"b{i}"], stride=1, pad=d, dilation=d)
        caches.append((h, a, d))
        h = np.maximum(a, 0)
    scores, _ = fns["conv1d_forward"](h, p["w_out"], p["b_out"])  # (N, 2, L)
    return scores, caches, h


def dilated_loss(p: Params, x, y, fns: Fns) -> tuple[float, Params]:
    """Loss and gradients of the dilated stack on x (N, 1, L), per-position labels y (N, L)."""
    scores, caches, h = _dilated_forward(p, x, fns)
    n, k, length = scores.shape
    loss, dflat = fns["softmax_loss"](scores.transpose(0, 2, 1).reshape(-1, k), y.reshape(-1))
    dscores = dflat.reshape(n, length, k).transpose(0, 2, 1)
    grads = {}
    dh, grads["w_out"], grads["b_out"] = conv1d_grads(dscores, h, p["w_out"])
    for i in reversed(range(len(caches))):
        h_in, a, d = caches[i]
        da = fns["relu_backward"](dh, a)
        dh, grads[f"w{i}"], grads[f"b{i}"] = conv1d_grads(da, h_in, p[f"w{i}"], 1, d, d)
    return loss, grads


def dilated_predict(p: Params, x, fns: Fns) -> np.ndarray:
    return _dilated_forward(p, x, fns)[0].argmax(axis=1)


# -- a tiny fully convolutional network: two strided convolutions, a 1x1 head, upsampling ------


def fcn_init(seed: int = 0, width: int = 12, classes: int = 3) -> Params:
    from grader.beyond.lesson import bilinear_kernel

    rng = np.random.default_rng(seed)
    return {
        "w1": _he(rng, width, 1, 4, 4), "b1": np.zeros(width, np.float32),
        "w2": _he(rng, width, width, 4, 4), "b2": np.zeros(width, np.float32),
        "w3": _he(rng, width, width, 3, 3), "b3": np.zeros(width, np.float32),
        "w_head": _he(rng, classes, width), "b_head": np.zeros(classes, np.float32),
        "w_up": bilinear_kernel(4, classes).astype(np.float32),
        "b_up": np.zeros(classes, np.float32),
    }  # fmt: skip


_FCN = (("1", 2, 1), ("2", 2, 1), ("3", 1, 1))  # (name, stride, pad): 32 -> 16 -> 8 -> 8


def _fcn_forward(p: Params, x, fns: Fns):
    caches, h = [], x
    for name, stride, pad in _FCN:
        a, cache = fns["conv_forward_im2col"](h, p["w" + name], p["b" + name], stride, pad)
        caches.append((cache, a))
        h = np.maximum(a, 0)
    coarse = fns["conv1x1"](h, p["w_head"], p["b_head"])  # (N, classes, 8, 8)
    scores, _ = fns["conv_transpose_forward"](coarse, p["w_up"], p["b_up"], stride=4, pad=2)
    return scores, caches, h, coarse


def fcn_loss(p: Params, x, y, fns: Fns) -> tuple[float, Params]:
    """Per-pixel cross-entropy and gradients of the FCN on x (N, 1, 32, 32), masks y (N, 32, 32)."""
    scores, caches, h, coarse = _fcn_forward(p, x, fns)
    n, k = scores.shape[:2]
    loss, dflat = fns["softmax_loss"](scores.transpose(0, 2, 3, 1).reshape(-1, k), y.reshape(-1))
    dscores = dflat.reshape(n, *scores.shape[2:], k).transpose(0, 3, 1, 2)
    grads = {"b_up": dscores.sum(axis=(0, 2, 3))}
    # the transposed convolution's adjoint is the forward convolution: dcoarse is a convolution
    # of dscores, and its weight gradient the dw of the convolution coarse <- dscores
    dcoarse, _ = fns["conv_forward_im2col"](dscores, p["w_up"], np.zeros(k), 4, 2)
    conv = {"stride": 4, "pad": 2, "dilation": 1}
    grads["w_up"] = fns["conv_backward"](coarse, (dscores, p["w_up"], np.zeros(k), conv))[1]
    grads["w_head"] = np.einsum("nfhw,nchw->fc", dcoarse, h)
    grads["b_head"] = dcoarse.sum(axis=(0, 2, 3))
    dh = np.einsum("fc,nfhw->nchw", p["w_head"], dcoarse)
    for (name, _, _), (cache, a) in zip(reversed(_FCN), reversed(caches), strict=True):
        da = fns["relu_backward"](dh, a)
        dh, grads["w" + name], grads["b" + name] = fns["conv_backward"](da, cache)
    return loss, grads


def fcn_predict(p: Params, x, fns: Fns, batch: int = 50) -> np.ndarray:
    """Per-pixel labels (N, H, W), computed batch by batch."""
    return np.concatenate(
        [_fcn_forward(p, x[i : i + batch], fns)[0].argmax(axis=1) for i in range(0, len(x), batch)]
    )


def fcn_coarse(p: Params, x, fns: Fns) -> np.ndarray:
    """The head's coarse scores (N, classes, 8, 8), before upsampling."""
    return _fcn_forward(p, x, fns)[3]


# -- clips: one 3D convolution (or a 2D one per frame), global average pooling, a classifier ----


def video_init(depth: int = 3, channels: int = 8, seed: int = 0) -> Params:
    """Kernel (depth, 3, 3): depth 3 sees motion, depth 1 is a 2D convolution of each frame."""
    rng = np.random.default_rng(seed)
    return {
        "w": _he(rng, channels, 1, depth, 3, 3), "b": np.zeros(channels, np.float32),
        "w_fc": (rng.normal(size=(channels, 4)) / np.sqrt(channels)).astype(np.float32),
        "b_fc": np.zeros(4, np.float32),
    }  # fmt: skip


def _video_scores(p: Params, x, fns: Fns):
    """Scores of clips x: depth-3 kernels pad every axis by 1; depth-1 kernels (a 2D
    convolution per frame) pad height and width only, so both keep the clip's size."""
    if p["w"].shape[2] == 1:
        x = np.pad(x, ((0, 0), (0, 0), (0, 0), (1, 1), (1, 1)))
    a, _ = fns["conv3d_forward"](x, p["w"], p["b"], stride=1, pad=1 if p["w"].shape[2] == 3 else 0)
    h = np.maximum(a, 0)
    scores, fc_cache = affine_forward(h.mean(axis=(2, 3, 4)), p["w_fc"], p["b_fc"])
    return scores, fc_cache, x, a


def video_loss(p: Params, x, y, fns: Fns) -> tuple[float, Params]:
    """Loss and gradients on clips x (N, 1, T, H, W), labels y (N,)."""
    scores, fc_cache, x_in, a = _video_scores(p, x, fns)
    loss, dscores = fns["softmax_loss"](scores, y)
    grads = {}
    dpooled, grads["w_fc"], grads["b_fc"] = fns["affine_backward"](dscores, fc_cache)
    dh = np.broadcast_to(dpooled[:, :, None, None, None] / np.prod(a.shape[2:]), a.shape)
    da = fns["relu_backward"](np.ascontiguousarray(dh), a)
    pad = 1 if p["w"].shape[2] == 3 else 0
    _, grads["w"], grads["b"] = conv3d_grads(da, x_in, p["w"], 1, pad)
    return loss, grads


def video_predict(p: Params, x, fns: Fns) -> np.ndarray:
    return _video_scores(p, x, fns)[0].argmax(axis=1)
