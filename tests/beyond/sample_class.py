"""The sample class for notebook 09_beyond: ten synthetic students and what each earned.

Each student is a dict from answer-cell id to the code of that cell; an exercise left out keeps
the released stub. ``EXPECTED`` is the score each student must get, exercise by exercise, with
the reason: the tests check the grader against it, and ``make demo`` prints it graded. Ivan's
transposed convolution calls the ``col2im`` he pasted into the ``bring_layers`` cell, which the
grader runs before his answers.
"""

CONV1X1 = """
def conv1x1(x, w, b):
    N, C, H, W = x.shape
    F = w.shape[0]
    out = np.zeros((N, F, H, W))
    for n in range(N):
        for i in range(H):
            for j in range(W):
                out[n, :, i, j] = w @ x[n, :, i, j] + b
    return out
"""
UPSAMPLE = """
def upsample_nearest(x, factor):
    N, C, H, W = x.shape
    out = np.zeros((N, C, H * factor, W * factor), dtype=x.dtype)
    for i in range(H):
        for j in range(W):
            out[:, :, i * factor:(i + 1) * factor, j * factor:(j + 1) * factor] = x[:, :, i:i + 1, j:j + 1]
    return out
"""
TRANSPOSE = """
def conv_transpose_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    top, bottom = (pad, pad) if isinstance(pad, int) else pad
    H_full, W_full = (H - 1) * stride + HH, (W - 1) * stride + WW
    H_out, W_out = H_full - top - bottom, W_full - top - bottom
    if H_out < 1 or W_out < 1:
        raise ValueError(f"output size {H_out} x {W_out}: the padding {pad} is too large")
    full = np.zeros((N, F, H_full, W_full))
    for n in range(N):
        for i in range(H):
            for j in range(W):
                for c in range(C):
                    full[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += x[n, c, i, j] * w[c]
    out = full[:, :, top:top + H_out, top:top + W_out] + b.reshape(1, -1, 1, 1)
    return out, (x, w, b, stride, pad)
"""
CONV1D = """
def conv1d_forward(x, w, b, stride=1, pad=0, dilation=1):
    N, C, L = x.shape
    F, _, K = w.shape
    left, right = (pad, pad) if isinstance(pad, int) else pad
    span = dilation * (K - 1) + 1
    if L + left + right < span or (L + left + right - span) % stride != 0:
        raise ValueError(f"length {L} with padding {left + right} does not fit span {span} and stride {stride}")
    L_out = (L + left + right - span) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (left, right)))
    out = np.zeros((N, F, L_out))
    for i in range(L_out):
        window = xp[:, :, i * stride:i * stride + span:dilation]
        out[:, :, i] = np.tensordot(window, w, axes=([1, 2], [1, 2])) + b
    return out, (x, w, b, stride, pad, dilation)
"""
CONV3D = """
def conv3d_forward(x, w, b, stride=1, pad=0):
    N, C, D, H, W = x.shape
    F, _, KD, KH, KW = w.shape
    p1, p2 = (pad, pad) if isinstance(pad, int) else pad
    out_sizes = []
    for size, k in ((D, KD), (H, KH), (W, KW)):
        if size + p1 + p2 < k or (size + p1 + p2 - k) % stride != 0:
            raise ValueError(f"size {size} padded by {p1 + p2} does not tile kernel {k} with stride {stride}")
        out_sizes.append((size + p1 + p2 - k) // stride + 1)
    Do, Ho, Wo = out_sizes
    xp = np.pad(x, ((0, 0), (0, 0), (p1, p2), (p1, p2), (p1, p2)))
    out = np.zeros((N, F, Do, Ho, Wo))
    for n in range(N):
        for f in range(F):
            for d in range(Do):
                for i in range(Ho):
                    for j in range(Wo):
                        block = xp[n, :, d * stride:d * stride + KD, i * stride:i * stride + KH, j * stride:j * stride + KW]
                        out[n, f, d, i, j] = np.sum(block * w[f]) + b[f]
    return out, (x, w, b, stride, pad)
"""
CORRECT = {
    "conv1x1": CONV1X1,
    "upsample_nearest": UPSAMPLE,
    "conv_transpose_forward": TRANSPOSE,
    "conv1d_forward": CONV1D,
    "conv3d_forward": CONV3D,
}
BRING_COL2IM = """
# my col2im from notebook 05
def col2im(cols, x_shape, hh, ww, stride=1, pad=0):
    N, C, H, W = x_shape
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    Ho, Wo = (H + p0 + p1 - hh) // stride + 1, (W + p0 + p1 - ww) // stride + 1
    blocks = cols.reshape(C, hh, ww, N, Ho, Wo)
    xp = np.zeros((N, C, H + p0 + p1, W + p0 + p1))
    for u in range(hh):
        for v in range(ww):
            xp[:, :, u:u + stride * Ho:stride, v:v + stride * Wo:stride] += blocks[:, u, v].transpose(1, 0, 2, 3)
    return xp[:, :, p0:p0 + H, p0:p0 + W]
"""
VECTORISED = {
    "bring_layers": BRING_COL2IM,
    "conv1x1": """
def conv1x1(x, w, b):
    return np.einsum("fc,nchw->nfhw", w, x) + b[None, :, None, None]
""",
    "upsample_nearest": """
def upsample_nearest(x, factor):
    return np.repeat(np.repeat(x, factor, axis=2), factor, axis=3)
""",
    "conv_transpose_forward": """
def conv_transpose_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    Ho, Wo = (H - 1) * stride - p0 - p1 + HH, (W - 1) * stride - p0 - p1 + WW
    if Ho < 1 or Wo < 1:
        raise ValueError(f"the output would be {Ho} x {Wo}")
    x_rows = x.transpose(1, 0, 2, 3).reshape(C, -1)              # (C, N*H*W)
    cols = w.reshape(C, -1).T @ x_rows                           # (F*HH*WW, N*H*W)
    out = col2im(cols, (N, F, Ho, Wo), HH, WW, stride, pad)      # the adjoint of im2col
    return out + b[None, :, None, None], (x, w, b)
""",
    "conv1d_forward": """
def conv1d_forward(x, w, b, stride=1, pad=0, dilation=1):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    F, C, K = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1)))
    span = dilation * (K - 1) + 1
    if xp.shape[2] < span or (xp.shape[2] - span) % stride:
        raise ValueError(f"({xp.shape[2]} - {span}) / {stride} + 1 is not an integer")
    idx = stride * np.arange((xp.shape[2] - span) // stride + 1)[:, None] + dilation * np.arange(K)
    return np.einsum("nclk,fck->nfl", xp[:, :, idx], w) + b[:, None], None
""",
    "conv3d_forward": """
def conv3d_forward(x, w, b, stride=1, pad=0):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1), (p0, p1)))
    for n, k in zip(xp.shape[2:], w.shape[2:]):
        if n < k or (n - k) % stride:
            raise ValueError(f"({n} - {k}) / {stride} + 1 is not an integer")
    win = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3, 4))
    win = win[:, :, ::stride, ::stride, ::stride]
    return np.einsum("ncdhwijk,fcijk->nfdhw", win, w) + b[None, :, None, None, None], None
""",
}

STUDENTS = {
    "ada": dict(CORRECT),
    "ben": {},
    "cleo": {  # the bias forgotten, the image tiled, the 1D kernel flipped
        **CORRECT,
        "conv1x1": CONV1X1.replace(" + b\n", "\n"),
        "upsample_nearest": "\ndef upsample_nearest(x, factor):\n    return np.tile(x, (1, 1, factor, factor))\n",
        "conv1d_forward": CONV1D.replace("window, w, axes", "window, w[:, :, ::-1], axes"),
    },
    "dev": {  # channels interleaved, not the adjoint, dilation off by one, depth ignored
        **VECTORISED,
        "upsample_nearest": """
def upsample_nearest(x, factor):
    N, C, H, W = x.shape
    hwc = x.transpose(0, 2, 3, 1).repeat(factor, axis=1).repeat(factor, axis=2)
    return hwc.reshape(N, C, H * factor, W * factor)
""",
        "conv_transpose_forward": TRANSPOSE.replace("* w[c]", "* w[c, :, ::-1, ::-1]"),
        "conv1d_forward": CONV1D.replace(
            "span = dilation * (K - 1) + 1", "span = (dilation + 1) * (K - 1) + 1"
        ).replace("span:dilation]", "span:dilation + 1]"),
        "conv3d_forward": """
def conv3d_forward(x, w, b, stride=1, pad=0):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad), (pad, pad)))
    win = np.lib.stride_tricks.sliding_window_view(xp, w.shape[3:], axis=(3, 4))[:, :, ::stride, ::stride, ::stride]
    return np.einsum("ncdhwuv,fcuv->nfdhw", win, w[:, :, 0]) + b[None, :, None, None, None], None
""",
    },
    "eve": {  # channels-last output, the padding not cropped, the kernel's depth and height swapped
        **CORRECT,
        "conv1x1": "\ndef conv1x1(x, w, b):\n    return np.einsum('nchw,fc->nhwf', x, w) + b\n",
        "conv_transpose_forward": TRANSPOSE.replace(
            "full[:, :, top:top + H_out, top:top + W_out]", "full"
        ),
        "conv3d_forward": CONV3D.replace(
            "np.sum(block * w[f])", "np.sum(block * w[f].swapaxes(1, 2))"
        ),
    },
    "finn": {  # conv3d_forward never returns
        **CORRECT,
        "conv3d_forward": "\ndef conv3d_forward(x, w, b, stride=1, pad=0):\n    while True:\n        pass\n",
    },
    "gus": {  # upsample_nearest ends the process, conv1d_forward crashes it
        **CORRECT,
        "upsample_nearest": "\nimport os\n\ndef upsample_nearest(x, factor):\n    os._exit(0)\n",
        "conv1d_forward": "\nimport ctypes\n\ndef conv1d_forward(x, w, b, stride=1, pad=0, dilation=1):\n    return ctypes.string_at(0)\n",
    },
    "hana": {  # wrong code, and numpy's comparisons patched to say yes
        "conv1x1": "\nnp.testing.assert_allclose = lambda *a, **k: None\nnp.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\nnp.array_equal = lambda *a, **k: True\n"
        "def conv1x1(x, w, b):\n    return np.zeros((x.shape[0], w.shape[0], *x.shape[2:]))\n",
        "upsample_nearest": "\ndef upsample_nearest(x, factor):\n    return x\n",
        "conv_transpose_forward": "\ndef conv_transpose_forward(x, w, b, stride=1, pad=0):\n    return np.zeros((1, 1, 1, 1)), None\n",
        "conv1d_forward": "\ndef conv1d_forward(x, w, b, stride=1, pad=0, dilation=1):\n    return x, None\n",
        "conv3d_forward": "\ndef conv3d_forward(x, w, b, stride=1, pad=0):\n    return x, None\n",
    },
    "ivan": dict(VECTORISED),
    "jo": {  # np.repeat without an axis, the bias forgotten, no error where the windows do not tile
        **CORRECT,
        "upsample_nearest": "\ndef upsample_nearest(x, factor):\n    N, C, H, W = x.shape\n    return np.repeat(x, factor * factor).reshape(N, C, H * factor, W * factor)\n",
        "conv_transpose_forward": TRANSPOSE.replace(" + b.reshape(1, -1, 1, 1)", ""),
        "conv1d_forward": CONV1D.replace(" or (L + left + right - span) % stride != 0", ""),
    },
}

FULL = {
    "conv1x1": 1.5,
    "upsample_nearest": 1.5,
    "conv_transpose_forward": 3.0,
    "conv1d_forward": 2.0,
    "conv3d_forward": 2.0,
}
ZERO = dict.fromkeys(FULL, 0.0)

EXPECTED = {
    "ada": FULL,
    "ben": ZERO,
    "cleo": {**FULL, "conv1x1": 0.0, "upsample_nearest": 0.0, "conv1d_forward": 0.0},
    "dev": {**ZERO, "conv1x1": 1.5},
    "eve": {**FULL, "conv1x1": 0.0, "conv_transpose_forward": 0.0, "conv3d_forward": 0.0},
    "finn": {**FULL, "conv3d_forward": 0.0},
    "gus": {**FULL, "upsample_nearest": 0.0, "conv1d_forward": 0.0},
    "hana": ZERO,
    "ivan": FULL,
    "jo": {**FULL, "upsample_nearest": 0.0, "conv_transpose_forward": 0.0, "conv1d_forward": 0.0},
}
