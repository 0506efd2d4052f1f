"""Implementations of the 08_resnet exercises: plausible mistakes and correct variants.

Each answer is self-contained: it carries the convolution layers it calls, as a learner's
"bring_layers" cell would (the course's tests fill only the exercises' answer cells).
"""

# The layers a learner pastes from notebooks 05 and 06, written with loops over output positions.
LAYERS_LOOPS = """
def conv_forward_im2col(x, w, b, stride=1, pad=0):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1)))
    F, C, HH, WW = w.shape
    Ho, Wo = (xp.shape[2] - HH) // stride + 1, (xp.shape[3] - WW) // stride + 1
    out = np.zeros((x.shape[0], F, Ho, Wo), dtype=np.result_type(x, w))
    for i in range(Ho):
        for j in range(Wo):
            window = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3]))
    return out + b[None, :, None, None], (x, w, b, {"stride": stride, "pad": pad, "dilation": 1})


def conv_backward(dout, cache):
    x, w, b, conv = cache
    s, pad = conv["stride"], conv["pad"]
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1)))
    HH, WW = w.shape[2:]
    dxp = np.zeros(xp.shape, dtype=np.result_type(x, w, dout))
    dw = np.zeros(w.shape, dtype=np.result_type(x, w, dout))
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            g = dout[:, :, i, j]
            dw += np.tensordot(g, xp[:, :, i * s:i * s + HH, j * s:j * s + WW], axes=([0], [0]))
            dxp[:, :, i * s:i * s + HH, j * s:j * s + WW] += np.tensordot(g, w, axes=([1], [0]))
    H, W = x.shape[2:]
    return dxp[:, :, p0:p0 + H, p0:p0 + W], dw, dout.sum(axis=(0, 2, 3))
"""

# The same layers, vectorised: sliding windows and einsum, one loop over kernel taps.
LAYERS_EINSUM = """
def conv_forward_im2col(x, w, b, stride=1, pad=0):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1)))
    win = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.einsum("ncijuv,fcuv->nfij", win, w) + b[None, :, None, None]
    return out, (x, w, b, {"stride": stride, "pad": pad, "dilation": 1})


def conv_backward(dout, cache):
    x, w, b, conv = cache
    s, pad = conv["stride"], conv["pad"]
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1)))
    HH, WW = w.shape[2:]
    Ho, Wo = dout.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(xp, (HH, WW), axis=(2, 3))[:, :, ::s, ::s]
    dw = np.einsum("nfij,ncijuv->fcuv", dout, win)
    shares = np.einsum("nfij,fcuv->ncijuv", dout, w)
    dxp = np.zeros(xp.shape, dtype=shares.dtype)
    for u in range(HH):
        for v in range(WW):
            dxp[:, :, u:u + (Ho - 1) * s + 1:s, v:v + (Wo - 1) * s + 1:s] += shares[..., u, v]
    H, W = x.shape[2:]
    return dxp[:, :, p0:p0 + H, p0:p0 + W], dw, dout.sum(axis=(0, 2, 3))
"""

_FORWARD = """
def residual_forward(x, params):
    s = params.get("stride", 1)
    h1, _ = conv_forward_im2col(x, params["w1"], params["b1"], stride=s, pad=1 if s == 1 else (0, 1))
    a1 = np.maximum(h1, 0)
    h2, _ = conv_forward_im2col(a1, params["w2"], params["b2"], stride=1, pad=1)
    if "ws" in params:
        shortcut, _ = conv_forward_im2col(x[:, :, ::s, ::s], params["ws"], params["bs"])
    elif x.shape != h2.shape:
        raise ValueError(f"x {x.shape} does not fit the branch {h2.shape}")
    else:
        shortcut = x
    return np.maximum(h2 + shortcut, 0), (x, params)
"""

_BACKWARD = """
def residual_backward(dout, cache):
    x, params = cache
    s = params.get("stride", 1)
    h1, c1 = conv_forward_im2col(x, params["w1"], params["b1"], stride=s, pad=1 if s == 1 else (0, 1))
    a1 = np.maximum(h1, 0)
    h2, c2 = conv_forward_im2col(a1, params["w2"], params["b2"], stride=1, pad=1)
    if "ws" in params:
        shortcut, cs = conv_forward_im2col(x[:, :, ::s, ::s], params["ws"], params["bs"])
    else:
        shortcut = x
    g = dout * (h2 + shortcut > 0)
    da1, dw2, db2 = conv_backward(g, c2)
    dh1 = da1 * (h1 > 0)
    dx, dw1, db1 = conv_backward(dh1, c1)
    grads = {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
    g_skip = g
    if "ws" in params:
        dxs, grads["ws"], grads["bs"] = conv_backward(g_skip, cs)
        skip = np.zeros_like(dx)
        skip[:, :, ::s, ::s] = dxs
    else:
        skip = g_skip
    dx = dx + skip
    return dx, grads
"""

_FORWARD_EINSUM_SHORTCUT = """
def residual_forward(x, params):
    s = params.get("stride", 1)
    pad = 1 if s == 1 else (0, 1)
    h1, _ = conv_forward_im2col(x, params["w1"], params["b1"], s, pad)
    h2, _ = conv_forward_im2col(np.where(h1 > 0, h1, 0), params["w2"], params["b2"], 1, 1)
    if "ws" in params:
        ws = params["ws"][:, :, 0, 0]
        shortcut = np.einsum("fc,nchw->nfhw", ws, x[:, :, ::s, ::s]) + params["bs"][None, :, None, None]
    else:
        if x.shape != h2.shape:
            raise ValueError("identity shortcut: x has shape %s, the branch %s" % (x.shape, h2.shape))
        shortcut = x
    total = h2 + shortcut
    return total * (total > 0), (x, params)
"""

_BACKWARD_EINSUM_SHORTCUT = """
def residual_backward(dout, cache):
    x, params = cache
    s = params.get("stride", 1)
    pad = 1 if s == 1 else (0, 1)
    h1, c1 = conv_forward_im2col(x, params["w1"], params["b1"], s, pad)
    h2, c2 = conv_forward_im2col(np.maximum(h1, 0), params["w2"], params["b2"], 1, 1)
    xs = x[:, :, ::s, ::s]
    if "ws" in params:
        ws = params["ws"][:, :, 0, 0]
        shortcut = np.einsum("fc,nchw->nfhw", ws, xs) + params["bs"][None, :, None, None]
    else:
        shortcut = x
    g = np.where(h2 + shortcut > 0, dout, 0)
    da1, dw2, db2 = conv_backward(g, c2)
    dx, dw1, db1 = conv_backward(np.where(h1 > 0, da1, 0), c1)
    dx = np.array(dx)
    grads = {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
    if "ws" in params:
        grads["ws"] = np.einsum("nfhw,nchw->fc", g, xs)[:, :, None, None]
        grads["bs"] = g.sum(axis=(0, 2, 3))
        dx[:, :, ::s, ::s] += np.einsum("nfhw,fc->nchw", g, ws)
    else:
        dx += g
    return dx, grads
"""

_FORWARD_FLOAT64 = _FORWARD.replace(
    '    s = params.get("stride", 1)\n',
    '    s = params.get("stride", 1)\n    x = np.asarray(x, dtype=np.float64)\n'
    '    params = {k: (np.asarray(v, dtype=np.float64) if k != "stride" else v) for k, v in params.items()}\n',
    1,
)
_BACKWARD_FLOAT64 = _BACKWARD.replace(
    "    x, params = cache\n",
    "    x, params = cache\n    x, dout = np.asarray(x, dtype=np.float64), np.asarray(dout, dtype=np.float64)\n"
    '    params = {k: (np.asarray(v, dtype=np.float64) if k != "stride" else v) for k, v in params.items()}\n',
    1,
)


def _f(code: str, layers: str = LAYERS_LOOPS) -> str:
    return layers + code


WRONG = {
    "residual_forward": {
        "no final ReLU": _f(_FORWARD.replace("np.maximum(h2 + shortcut, 0)", "h2 + shortcut")),
        "skip added after the final ReLU": _f(
            _FORWARD.replace("np.maximum(h2 + shortcut, 0)", "np.maximum(h2, 0) + shortcut")
        ),
        "no ReLU between the convolutions": _f(
            _FORWARD.replace("a1 = np.maximum(h1, 0)", "a1 = h1"), LAYERS_EINSUM
        ),
        "no shortcut (a plain block)": _f(
            _FORWARD.replace("np.maximum(h2 + shortcut, 0)", "np.maximum(h2, 0)")
        ),
        "identity whenever the shapes match, projection or not": _f(
            _FORWARD.replace('    if "ws" in params:\n', '    if "ws" in params and x.shape != h2.shape:\n')
            .replace("    elif x.shape != h2.shape:\n        raise ValueError", "    elif False:\n        raise ValueError")
        ),
        "shortcut shape mismatch: no check, numpy broadcasts one channel": _f(
            _FORWARD.replace("    elif x.shape != h2.shape:\n        raise ValueError", "    elif False:\n        raise ValueError")
        ),
        "stride on the second convolution": _f(
            _FORWARD.replace(
                'stride=s, pad=1 if s == 1 else (0, 1))', "stride=1, pad=1)"
            ).replace("stride=1, pad=1)\n    if", "stride=s, pad=1 if s == 1 else (0, 1))\n    if")
        ),
        "strided convolution padded (1, 0)": _f(_FORWARD.replace("(0, 1)", "(1, 0)"), LAYERS_EINSUM),
        "shortcut reads the odd pixels": _f(_FORWARD.replace("x[:, :, ::s, ::s]", "x[:, :, s - 1::s, s - 1::s]")),
    },
    "residual_backward": {
        "skip gradient dropped": _f(_BACKWARD.replace("    dx = dx + skip\n", "")),
        "final ReLU not gated": _f(_BACKWARD.replace("g = dout * (h2 + shortcut > 0)", "g = dout")),
        "skip path gets dout ungated": _f(_BACKWARD.replace("g_skip = g", "g_skip = dout")),
        "ReLU between the convolutions not gated": _f(
            _BACKWARD.replace("dh1 = da1 * (h1 > 0)", "dh1 = da1"), LAYERS_EINSUM
        ),
        "final gate from h2 alone": _f(_BACKWARD.replace("(h2 + shortcut > 0)", "(h2 > 0)")),
        "shortcut dx put in the top-left corner": _f(
            _BACKWARD.replace("skip[:, :, ::s, ::s] = dxs", "skip[:, :, :dxs.shape[2], :dxs.shape[3]] = dxs")
        ),
        "no gradient for the projection": _f(
            _BACKWARD.replace('dxs, grads["ws"], grads["bs"] = conv_backward(g_skip, cs)', "dxs = conv_backward(g_skip, cs)[0]")
        ),
        "scales dout in place": _f(_BACKWARD.replace("g = dout * (h2 + shortcut > 0)", "dout *= (h2 + shortcut > 0)\n    g = dout")),
    },
}  # fmt: skip

CORRECT = {
    "residual_forward": {
        "pasted loop layers, like the notebook": _f(_FORWARD),
        "vectorised layers, einsum shortcut, float32 kept": _f(
            _FORWARD_EINSUM_SHORTCUT, LAYERS_EINSUM
        ),
        "everything cast to float64 first": _f(_FORWARD_FLOAT64, LAYERS_EINSUM),
    },
    "residual_backward": {
        "pasted loop layers, like the notebook": _f(_BACKWARD),
        "vectorised layers, einsum shortcut, float32 kept": _f(
            _BACKWARD_EINSUM_SHORTCUT, LAYERS_EINSUM
        ),
        "everything cast to float64 first": _f(_BACKWARD_FLOAT64),
    },
}
