"""Implementations of the 09_beyond exercises: plausible mistakes and correct variants."""

_CONV1X1 = """
def conv1x1(x, w, b):
    N, C, H, W = x.shape
    out = np.zeros((N, w.shape[0], H, W))
    for f in range(w.shape[0]):
        for c in range(C):
            out[:, f] += w[f, c] * x[:, c]
        out[:, f] += b[f]
    return out
"""

_UPSAMPLE = """
def upsample_nearest(x, factor):
    N, C, H, W = x.shape
    out = np.zeros((N, C, H * factor, W * factor), dtype=x.dtype)
    for i in range(H * factor):
        for j in range(W * factor):
            out[:, :, i, j] = x[:, :, i // factor, j // factor]
    return out
"""

_TRANSPOSE = """
def conv_transpose_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    p0, p1 = (pad, pad) if isinstance(pad, int) else pad
    Hf, Wf = (H - 1) * stride + HH, (W - 1) * stride + WW
    if Hf - p0 - p1 < 1 or Wf - p0 - p1 < 1:
        raise ValueError(f"output would be {Hf - p0 - p1} x {Wf - p0 - p1}")
    full = np.zeros((N, F, Hf, Wf))
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    full[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += x[n, c, i, j] * w[c]
    out = full[:, :, p0:Hf - p1, p0:Wf - p1] + b[None, :, None, None]
    return out, (x, w, b, stride, pad)
"""

_CONV1D = """
def conv1d_forward(x, w, b, stride=1, pad=0, dilation=1):
    N, C, L = x.shape
    F, _, K = w.shape
    p0, p1 = (pad, pad) if isinstance(pad, int) else pad
    span = dilation * (K - 1) + 1
    if L + p0 + p1 < span or (L + p0 + p1 - span) % stride:
        raise ValueError(f"length {L} + {p0 + p1} does not fit span {span} with stride {stride}")
    L_out = (L + p0 + p1 - span) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1)))
    out = np.zeros((N, F, L_out))
    for n in range(N):
        for f in range(F):
            for i in range(L_out):
                for k in range(K):
                    out[n, f, i] += np.dot(w[f, :, k], xp[n, :, i * stride + k * dilation])
            out[n, f] += b[f]
    return out, (x, w, b, stride, pad, dilation)
"""

_CONV3D = """
def conv3d_forward(x, w, b, stride=1, pad=0):
    N, C, D, H, W = x.shape
    F, _, KD, KH, KW = w.shape
    p0, p1 = (pad, pad) if isinstance(pad, int) else pad
    sizes = []
    for n, k in ((D, KD), (H, KH), (W, KW)):
        if n + p0 + p1 < k or (n + p0 + p1 - k) % stride:
            raise ValueError(f"{n} padded by {p0 + p1} does not tile kernel {k}, stride {stride}")
        sizes.append((n + p0 + p1 - k) // stride + 1)
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1), (p0, p1)))
    out = np.zeros((N, F, *sizes))
    for d in range(sizes[0]):
        for i in range(sizes[1]):
            for j in range(sizes[2]):
                block = xp[:, :, d * stride:d * stride + KD, i * stride:i * stride + KH, j * stride:j * stride + KW]
                out[:, :, d, i, j] = np.tensordot(block, w, axes=([1, 2, 3, 4], [1, 2, 3, 4]))
    return out + b[None, :, None, None, None], (x, w, b, stride, pad)
"""

WRONG = {
    "conv1x1": {
        "bias missing": _CONV1X1.replace("        out[:, f] += b[f]\n", ""),
        "w used transposed": """
def conv1x1(x, w, b):
    return np.einsum("cf,nchw->nfhw", w, x) + b[None, :, None, None]
""",
        "channels-last output": """
def conv1x1(x, w, b):
    return np.einsum("fc,nchw->nhwf", w, x) + b
""",
        "bias added along the width": """
def conv1x1(x, w, b):
    return np.einsum("fc,nchw->nfhw", w, x) + b
""",
    },
    "upsample_nearest": {
        "tiles the whole image": "\ndef upsample_nearest(x, factor):\n    return np.tile(x, (1, 1, factor, factor))\n",
        "channels interleaved (channels-last reshape)": """
def upsample_nearest(x, factor):
    N, C, H, W = x.shape
    last = np.repeat(np.repeat(x.transpose(0, 2, 3, 1), factor, axis=1), factor, axis=2)
    return last.reshape(N, C, H * factor, W * factor)
""",
        "np.repeat without an axis": """
def upsample_nearest(x, factor):
    N, C, H, W = x.shape
    return np.repeat(x, factor * factor).reshape(N, C, H * factor, W * factor)
""",
        "rows only": "\ndef upsample_nearest(x, factor):\n    return np.repeat(x, factor, axis=2)\n",
    },
    "conv_transpose_forward": {
        "not the adjoint: the stuffed input correlated, not convolved": _TRANSPOSE.replace(
            "x[n, c, i, j] * w[c]", "x[n, c, i, j] * w[c, :, ::-1, ::-1]"
        ),
        "padding not cropped": _TRANSPOSE.replace("full[:, :, p0:Hf - p1, p0:Wf - p1]", "full"),
        "stride zeros between inputs (lands stride + 1 apart)": _TRANSPOSE.replace(
            "Hf, Wf = (H - 1) * stride + HH, (W - 1) * stride + WW",
            "Hf, Wf = (H - 1) * (stride + 1) + HH, (W - 1) * (stride + 1) + WW",
        ).replace(
            "full[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]",
            "full[n, :, i * (stride + 1):i * (stride + 1) + HH, j * (stride + 1):j * (stride + 1) + WW]",
        ),
        "weight read as (F, C_in, HH, WW)": _TRANSPOSE.replace(
            "_, F, HH, WW = w.shape", "F, _, HH, WW = w.shape"
        ).replace("x[n, c, i, j] * w[c]", "x[n, c, i, j] * w[:, c]"),
        "bias missing": _TRANSPOSE.replace(" + b[None, :, None, None]", ""),
        "pad pair read the wrong way round": _TRANSPOSE.replace(
            "p0, p1 = (pad, pad) if isinstance(pad, int) else pad",
            "p1, p0 = (pad, pad) if isinstance(pad, int) else pad",
        ),
    },
    "conv1d_forward": {
        "dilation off by one (taps dilation + 1 apart)": _CONV1D.replace(
            "span = dilation * (K - 1) + 1", "span = (dilation + 1) * (K - 1) + 1"
        ).replace("k * dilation]", "k * (dilation + 1)]"),
        "kernel flipped": _CONV1D.replace("w[f, :, k]", "w[f, :, K - 1 - k]"),
        "stride ignored": _CONV1D.replace("i * stride + k * dilation", "i + k * dilation"),
        "pad pair swapped": _CONV1D.replace(
            "p0, p1 = (pad, pad) if isinstance(pad, int) else pad",
            "p1, p0 = (pad, pad) if isinstance(pad, int) else pad",
        ),
        "no error for windows that do not tile (crops silently)": _CONV1D.replace(
            " or (L + p0 + p1 - span) % stride", ""
        ),
    },
    "conv3d_forward": {
        "depth axis ignored (each frame with the kernel's first slice)": """
def conv3d_forward(x, w, b, stride=1, pad=0):
    N, C, D, H, W = x.shape
    F, _, KD, KH, KW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad), (pad, pad)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (KH, KW), axis=(3, 4))[:, :, ::stride, ::stride, ::stride]
    out = np.einsum("ncdhwuv,fcuv->nfdhw", win, w[:, :, 0])
    return out + b[None, :, None, None, None], None
""",
        "kernel depth and height swapped": _CONV3D.replace(
            "np.tensordot(block, w,", "np.tensordot(block, w.swapaxes(2, 3),"
        ),
        "kernel flipped": _CONV3D.replace(
            "np.tensordot(block, w,", "np.tensordot(block, w[:, :, ::-1, ::-1, ::-1],"
        ),
        "stride ignored along depth": _CONV3D.replace(
            "block = xp[:, :, d * stride:d * stride + KD,", "block = xp[:, :, d:d + KD,"
        ),
        "bias missing": _CONV3D.replace(" + b[None, :, None, None, None]", ""),
    },
}

CORRECT = {
    "conv1x1": {
        "loops over filters and channels": _CONV1X1,
        "einsum": """
def conv1x1(x, w, b):
    return np.einsum("fc,nchw->nfhw", w, x) + b[None, :, None, None]
""",
        "matrix product, float32": """
def conv1x1(x, w, b):
    N, C, H, W = x.shape
    out = (w.astype(np.float32) @ x.reshape(N, C, H * W).astype(np.float32)).reshape(N, -1, H, W)
    return out + b.astype(np.float32)[None, :, None, None]
""",
    },
    "upsample_nearest": {
        "loops": _UPSAMPLE,
        "np.repeat twice": """
def upsample_nearest(x, factor):
    return x.repeat(factor, axis=2).repeat(factor, axis=3)
""",
        "broadcast and reshape": """
def upsample_nearest(x, factor):
    N, C, H, W = x.shape
    big = np.broadcast_to(x[:, :, :, None, :, None], (N, C, H, factor, W, factor))
    return big.reshape(N, C, H * factor, W * factor).copy()
""",
    },
    "conv_transpose_forward": {
        "loops, painting the kernel": _TRANSPOSE,
        "einsum per tap, float32": """
def conv_transpose_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    Hf, Wf = (H - 1) * stride + HH, (W - 1) * stride + WW
    if Hf - p0 - p1 < 1 or Wf - p0 - p1 < 1:
        raise ValueError(f"nothing left: {Hf} - {p0 + p1} rows")
    full = np.zeros((N, F, Hf, Wf), np.float32)
    for u in range(HH):
        for v in range(WW):
            full[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += np.einsum("nchw,cf->nfhw", x, w[:, :, u, v])
    return full[:, :, p0:Hf - p1, p0:Wf - p1] + b[None, :, None, None], None
""",
        "col2im of w_rows.T @ x_rows": """
def _col2im(cols, shape, hh, ww, stride, p0, p1):
    N, C, H, W = shape
    Ho, Wo = (H + p0 + p1 - hh) // stride + 1, (W + p0 + p1 - ww) // stride + 1
    blocks = cols.reshape(C, hh, ww, N, Ho, Wo)
    xp = np.zeros((N, C, H + p0 + p1, W + p0 + p1))
    for u in range(hh):
        for v in range(ww):
            xp[:, :, u:u + stride * Ho:stride, v:v + stride * Wo:stride] += blocks[:, u, v].transpose(1, 0, 2, 3)
    return xp[:, :, p0:p0 + H, p0:p0 + W]


def conv_transpose_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    Ho, Wo = (H - 1) * stride - p0 - p1 + HH, (W - 1) * stride - p0 - p1 + WW
    if Ho < 1 or Wo < 1:
        raise ValueError(f"output {Ho} x {Wo} is empty")
    cols = w.reshape(C, -1).T @ x.transpose(1, 0, 2, 3).reshape(C, -1)
    return _col2im(cols, (N, F, Ho, Wo), HH, WW, stride, p0, p1) + b[None, :, None, None], None
""",
    },
    "conv1d_forward": {
        "loops": _CONV1D,
        "index array and einsum": """
def conv1d_forward(x, w, b, stride=1, pad=0, dilation=1):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    F, C, K = w.shape
    span = dilation * (K - 1) + 1
    L = x.shape[2] + p0 + p1
    if L < span or (L - span) % stride:
        raise ValueError(f"({L} - {span}) / {stride} + 1 is not a whole number of windows")
    idx = stride * np.arange((L - span) // stride + 1)[:, None] + dilation * np.arange(K)
    cols = np.pad(x, ((0, 0), (0, 0), (p0, p1)))[:, :, idx]
    return np.einsum("nclk,fck->nfl", cols, w) + b[:, None], None
""",
        "float32 sliding windows": """
def conv1d_forward(x, w, b, stride=1, pad=0, dilation=1):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    K = w.shape[2]
    span = dilation * (K - 1) + 1
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1))).astype(np.float32)
    if xp.shape[2] < span or (xp.shape[2] - span) % stride:
        raise ValueError(f"length {xp.shape[2]} does not tile span {span}, stride {stride}")
    win = np.lib.stride_tricks.sliding_window_view(xp, span, axis=2)[:, :, ::stride, ::dilation]
    return np.tensordot(win, w.astype(np.float32), axes=([1, 3], [1, 2])).transpose(0, 2, 1) + b[:, None].astype(np.float32), None
""",
    },
    "conv3d_forward": {
        "loops over output positions": _CONV3D,
        "sliding windows and einsum": """
def conv3d_forward(x, w, b, stride=1, pad=0):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    k = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1), (p0, p1)))
    for n, kk in zip(xp.shape[2:], k):
        if n < kk or (n - kk) % stride:
            raise ValueError(f"padded size {n} does not tile kernel {kk} with stride {stride}")
    win = np.lib.stride_tricks.sliding_window_view(xp, k, axis=(2, 3, 4))[:, :, ::stride, ::stride, ::stride]
    return np.einsum("ncdhwijk,fcijk->nfdhw", win, w) + b[None, :, None, None, None], None
""",
        "float32 loops over the kernel taps": """
def conv3d_forward(x, w, b, stride=1, pad=0):
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    N, C, D, H, W = x.shape
    F, _, KD, KH, KW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1), (p0, p1))).astype(np.float32)
    sizes = []
    for n, k in zip(xp.shape[2:], (KD, KH, KW)):
        if n < k or (n - k) % stride:
            raise ValueError(f"({n} - {k}) / {stride} + 1 is not a whole number")
        sizes.append((n - k) // stride + 1)
    out = np.zeros((N, F, *sizes), np.float32)
    for a in range(KD):
        for u in range(KH):
            for v in range(KW):
                part = xp[:, :, a:a + stride * sizes[0]:stride, u:u + stride * sizes[1]:stride, v:v + stride * sizes[2]:stride]
                out += np.einsum("ncdhw,fc->nfdhw", part, w[:, :, a, u, v].astype(np.float32))
    return out + b[None, :, None, None, None].astype(np.float32), None
""",
    },
}
