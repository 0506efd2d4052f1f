"""The sample class for notebook 08_resnet: ten synthetic students and what each earned.

Each student is a dict from an answer cell's grade id to its code; a cell left out keeps the
released stub. Most students paste their layers from notebooks 05 and 06 into ``bring_layers``
and call them from the block, as the notebook asks; ``ivan`` writes his block self-contained, and
``dev`` pasted a conv_backward that ignores the stride, so his correct-looking block loses the
backward pass. ``EXPECTED`` is the score each student must get, exercise by exercise.
"""

LAYERS = """
def conv_forward_im2col(x, w, b, stride=1, pad=0):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    x_pad = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1)))
    N, C, H, W = x_pad.shape
    F, _, HH, WW = w.shape
    H_out, W_out = (H - HH) // stride + 1, (W - WW) // stride + 1
    cols = np.zeros((C * HH * WW, N * H_out * W_out), dtype=x.dtype)
    k = 0
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                cols[:, k] = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW].ravel()
                k += 1
    out = (w.reshape(F, -1) @ cols).reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
    return out + b[None, :, None, None], (x, w, b, {"stride": stride, "pad": pad, "dilation": 1})


def conv_backward(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1)))
    dx_pad = np.zeros(x_pad.shape)
    dw = np.zeros(w.shape)
    for n in range(N):
        for f in range(F):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    r, c = i * stride, j * stride
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, r:r + HH, c:c + WW]
                    dx_pad[n, :, r:r + HH, c:c + WW] += dout[n, f, i, j] * w[f]
    return dx_pad[:, :, p0:p0 + H, p0:p0 + W], dw, dout.sum(axis=(0, 2, 3))
"""

FORWARD = """
def residual_forward(x, params):
    stride = params.get("stride", 1)
    pad = 1 if stride == 1 else (0, 1)
    h1, _ = conv_forward_im2col(x, params["w1"], params["b1"], stride, pad)
    h2, _ = conv_forward_im2col(np.maximum(h1, 0), params["w2"], params["b2"], 1, 1)
    if "ws" in params:
        shortcut, _ = conv_forward_im2col(x[:, :, ::stride, ::stride], params["ws"], params["bs"])
    else:
        if x.shape != h2.shape:
            raise ValueError(f"cannot add x {x.shape} to the branch output {h2.shape}")
        shortcut = x
    out = np.maximum(h2 + shortcut, 0)
    return out, (x, params)
"""

BACKWARD = """
def residual_backward(dout, cache):
    x, params = cache
    stride = params.get("stride", 1)
    pad = 1 if stride == 1 else (0, 1)
    h1, cache1 = conv_forward_im2col(x, params["w1"], params["b1"], stride, pad)
    h2, cache2 = conv_forward_im2col(np.maximum(h1, 0), params["w2"], params["b2"], 1, 1)
    if "ws" in params:
        shortcut, cache3 = conv_forward_im2col(x[:, :, ::stride, ::stride], params["ws"], params["bs"])
    else:
        shortcut = x
    dsum = dout * (h2 + shortcut > 0)
    da1, dw2, db2 = conv_backward(dsum, cache2)
    dx, dw1, db1 = conv_backward(da1 * (h1 > 0), cache1)
    grads = {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
    if "ws" in params:
        dxs, grads["ws"], grads["bs"] = conv_backward(dsum, cache3)
        dx[:, :, ::stride, ::stride] += dxs
    else:
        dx = dx + dsum
    return dx, grads
"""

SELF_CONTAINED = {
    "residual_forward": """
def conv(x, w, b, stride, pad):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1)))
    win = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("ncijuv,fcuv->nfij", win, w) + b[None, :, None, None]


def residual_forward(x, params):
    s = params.get("stride", 1)
    h1 = conv(x, params["w1"], params["b1"], s, 1 if s == 1 else (0, 1))
    h2 = conv(np.maximum(h1, 0), params["w2"], params["b2"], 1, 1)
    short = conv(x[:, :, ::s, ::s], params["ws"], params["bs"], 1, 0) if "ws" in params else x
    if short.shape != h2.shape:
        raise ValueError(f"shortcut {short.shape} vs branch {h2.shape}")
    return np.maximum(h2 + short, 0), (x, params)
""",
    "residual_backward": """
def conv_windows(x, w, b, stride, pad):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1)))
    win = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("ncijuv,fcuv->nfij", win, w) + b[None, :, None, None], win


def conv_grads(dout, x, win, w, stride, pad):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    HH, WW = w.shape[2:]
    Ho, Wo = dout.shape[2:]
    dw = np.einsum("nfij,ncijuv->fcuv", dout, win)
    shares = np.einsum("nfij,fcuv->ncijuv", dout, w)
    dxp = np.zeros((x.shape[0], x.shape[1], x.shape[2] + p0 + p1, x.shape[3] + p0 + p1), shares.dtype)
    for u in range(HH):
        for v in range(WW):
            dxp[:, :, u:u + (Ho - 1) * stride + 1:stride, v:v + (Wo - 1) * stride + 1:stride] += shares[..., u, v]
    return dxp[:, :, p0:p0 + x.shape[2], p0:p0 + x.shape[3]], dw, dout.sum(axis=(0, 2, 3))


def residual_backward(dout, cache):
    x, p = cache
    s = p.get("stride", 1)
    pad = 1 if s == 1 else (0, 1)
    h1, win1 = conv_windows(x, p["w1"], p["b1"], s, pad)
    a1 = np.maximum(h1, 0)
    h2, win2 = conv_windows(a1, p["w2"], p["b2"], 1, 1)
    xs = x[:, :, ::s, ::s]
    short, wins = conv_windows(xs, p["ws"], p["bs"], 1, 0) if "ws" in p else (x, None)
    g = dout * (h2 + short > 0)
    da1, dw2, db2 = conv_grads(g, a1, win2, p["w2"], 1, 1)
    dx, dw1, db1 = conv_grads(da1 * (h1 > 0), x, win1, p["w1"], s, pad)
    grads = {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
    if "ws" in p:
        dxs, grads["ws"], grads["bs"] = conv_grads(g, xs, wins, p["ws"], 1, 0)
        dx[:, :, ::s, ::s] += dxs
    else:
        dx = dx + g
    return dx, grads
""",
}

CORRECT = {"bring_layers": LAYERS, "residual_forward": FORWARD, "residual_backward": BACKWARD}

STUDENTS = {
    "ada": dict(CORRECT),
    "ben": {},
    "cleo": {  # the final ReLU forgotten in the forward pass
        **CORRECT,
        "residual_forward": FORWARD.replace("np.maximum(h2 + shortcut, 0)", "h2 + shortcut"),
    },
    "dev": {  # a pasted conv_backward that ignores the stride: the backward pass fails
        **CORRECT,
        "bring_layers": LAYERS.replace("r, c = i * stride, j * stride", "r, c = i, j"),
    },
    "eve": {  # the skip added after the ReLU, and its gradient dropped
        **CORRECT,
        "residual_forward": FORWARD.replace(
            "np.maximum(h2 + shortcut, 0)", "np.maximum(h2, 0) + shortcut"
        ),
        "residual_backward": BACKWARD.replace("        dx = dx + dsum\n", "        dx = dx\n")
        .replace("        dx[:, :, ::stride, ::stride] += dxs\n", ""),
    },
    "finn": {  # residual_backward never returns
        **CORRECT,
        "residual_backward": "\ndef residual_backward(dout, cache):\n    while True:\n        pass\n",
    },
    "gus": {  # residual_forward ends the process
        **CORRECT,
        "residual_forward": "\nimport os\n\ndef residual_forward(x, params):\n    os._exit(0)\n",
    },
    "hana": {  # wrong code, and numpy's comparisons patched to say yes
        "bring_layers": "\nnp.testing.assert_allclose = lambda *a, **k: None\nnp.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\nnp.array_equal = lambda *a, **k: True\n",
        "residual_forward": "\ndef residual_forward(x, params):\n    return np.maximum(x, 0), (x, params)\n",
        "residual_backward": "\ndef residual_backward(dout, cache):\n    x, p = cache\n"
        "    return np.zeros(x.shape), {k: np.zeros(np.shape(v)) for k, v in p.items() if k != 'stride'}\n",
    },
    "ivan": dict(SELF_CONTAINED),
    "jo": {  # no shape check (one channel broadcasts), and dout gated in place
        **CORRECT,
        "residual_forward": FORWARD.replace(
            "        if x.shape != h2.shape:\n            raise ValueError", "        if False:\n            raise ValueError"
        ),
        "residual_backward": BACKWARD.replace(
            "    dsum = dout * (h2 + shortcut > 0)\n", "    dout *= h2 + shortcut > 0\n    dsum = dout\n"
        ),
    },
}  # fmt: skip

FULL = {"residual_forward": 5.0, "residual_backward": 5.0}
ZERO = dict.fromkeys(FULL, 0.0)

EXPECTED = {
    "ada": FULL,
    "ben": ZERO,
    "cleo": {**FULL, "residual_forward": 0.0},
    "dev": {**FULL, "residual_backward": 0.0},
    "eve": ZERO,
    "finn": {**FULL, "residual_backward": 0.0},
    "gus": {**FULL, "residual_forward": 0.0},
    "hana": ZERO,
    "ivan": FULL,
    "jo": ZERO,
}
