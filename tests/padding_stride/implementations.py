"""Implementations of the 03_padding_stride exercises: plausible mistakes and correct variants."""

WRONG = {
    "output_size": {
        "pad pair read as (rows, columns): n + 2 * pad[0]": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    p = pad if np.ndim(pad) == 0 else pad[0]
    span = dilation * (f - 1) + 1
    steps, left = divmod(n + 2 * p - span, stride)
    if steps < 0 or left:
        raise ValueError(f"({n} + 2*{p} - {span}) / {stride} + 1 is not a whole number")
    return steps + 1
""",
        "pad pair doubled: n + 2 * (before + after)": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    p = np.sum(pad) if np.ndim(pad) else pad
    span = dilation * (f - 1) + 1
    steps, left = divmod(n + 2 * int(p) - span, stride)
    if steps < 0 or left:
        raise ValueError(f"({n} + 2*{p} - {span}) / {stride} + 1 is not a whole number")
    return steps + 1
""",
        "floor division instead of raising (PyTorch's rule)": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    return (n + 2 * pad - dilation * (f - 1) - 1) // stride + 1
""",
        "dilation ignored": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    if f > n + 2 * pad or (n + 2 * pad - f) % stride:
        raise ValueError(f"kernel {f} does not tile {n} + 2*{pad} with stride {stride}")
    return (n + 2 * pad - f) // stride + 1
""",
        "padding counted once": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    span = dilation * (f - 1) + 1
    if span > n + pad or (n + pad - span) % stride:
        raise ValueError(f"kernel {f} does not tile {n} + {pad} with stride {stride}")
    return (n + pad - span) // stride + 1
""",
        "dilation convention off by one (dilation=0 taken as ordinary)": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    span = (dilation + 1) * (f - 1) + 1
    if span > n + 2 * pad or (n + 2 * pad - span) % stride:
        raise ValueError(f"kernel span {span} does not tile {n} + 2*{pad} with stride {stride}")
    return (n + 2 * pad - span) // stride + 1
""",
        "no check that the kernel fits (returns 0 or less)": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    left = n + 2 * pad - dilation * (f - 1) - 1
    if left % stride:
        raise ValueError(f"{left} is not divisible by stride {stride}")
    return left // stride + 1
""",
        "right sizes, but the ValueError gives no numbers": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    span = dilation * (f - 1) + 1
    if span > n + 2 * pad or (n + 2 * pad - span) % stride:
        raise ValueError("the windows do not fit")
    return (n + 2 * pad - span) // stride + 1
""",
        "float division, float result, never raises": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    return (n + 2 * pad - dilation * (f - 1) - 1) / stride + 1
""",
    },
    "pad2d": {
        "pad pair read as (rows, columns)": """
def pad2d(x, pad, mode="zero"):
    rows, cols = (pad, pad) if np.ndim(pad) == 0 else pad
    widths = [(0, 0)] * (x.ndim - 2) + [(rows, rows), (cols, cols)]
    return np.pad(x, widths, mode={"zero": "constant", "reflect": "reflect", "replicate": "edge"}[mode])
""",
        "pad pair reversed (after at the top)": """
def pad2d(x, pad, mode="zero"):
    before, after = (pad, pad) if np.ndim(pad) == 0 else pad
    widths = [(0, 0)] * (x.ndim - 2) + [(after, before)] * 2
    return np.pad(x, widths, mode={"zero": "constant", "reflect": "reflect", "replicate": "edge"}[mode])
""",
        "pad pair: only `before` applied": """
def pad2d(x, pad, mode="zero"):
    before = pad if np.ndim(pad) == 0 else pad[0]
    widths = [(0, 0)] * (x.ndim - 2) + [(before, before)] * 2
    return np.pad(x, widths, mode={"zero": "constant", "reflect": "reflect", "replicate": "edge"}[mode])
""",
        "pads every axis, batch and channels too": """
def pad2d(x, pad, mode="zero"):
    return np.pad(x, pad, mode={"zero": "constant", "reflect": "reflect", "replicate": "edge"}[mode])
""",
        "reflect implemented as symmetric (repeats the edge)": """
def pad2d(x, pad, mode="zero"):
    widths = [(0, 0)] * (x.ndim - 2) + [(pad, pad)] * 2
    return np.pad(x, widths, mode={"zero": "constant", "reflect": "symmetric", "replicate": "edge"}[mode])
""",
        "padding on the top and left only": """
def pad2d(x, pad, mode="zero"):
    widths = [(0, 0)] * (x.ndim - 2) + [(pad, 0)] * 2
    return np.pad(x, widths, mode={"zero": "constant", "reflect": "reflect", "replicate": "edge"}[mode])
""",
        "all the padding after the image": """
def pad2d(x, pad, mode="zero"):
    widths = [(0, 0)] * (x.ndim - 2) + [(0, 2 * pad)] * 2
    return np.pad(x, widths, mode={"zero": "constant", "reflect": "reflect", "replicate": "edge"}[mode])
""",
        "reshapes the input in place (x.shape = ...)": """
def pad2d(x, pad, mode="zero"):
    lead = x.shape[:-2]
    x.shape = (-1,) + x.shape[-2:]
    widths = [(0, 0), (pad, pad), (pad, pad)]
    out = np.pad(x, widths, mode={"zero": "constant", "reflect": "reflect", "replicate": "edge"}[mode])
    return out.reshape(lead + out.shape[-2:])
""",
        "integer output buffer": """
def pad2d(x, pad, mode="zero"):
    H, W = x.shape[-2:]
    rows = np.clip(np.arange(-pad, H + pad), 0, H - 1)
    cols = np.clip(np.arange(-pad, W + pad), 0, W - 1)
    if mode == "reflect":
        rows = np.abs(np.arange(-pad, H + pad)); rows = np.where(rows > H - 1, 2 * (H - 1) - rows, rows)
        cols = np.abs(np.arange(-pad, W + pad)); cols = np.where(cols > W - 1, 2 * (W - 1) - cols, cols)
    out = np.zeros(x.shape[:-2] + (H + 2 * pad, W + 2 * pad), dtype=int)
    out[...] = x[..., rows[:, None], cols[None, :]]
    if mode == "zero":
        out[..., :pad, :] = 0; out[..., H + pad:, :] = 0; out[..., :, :pad] = 0; out[..., :, W + pad:] = 0
    return out
""",
    },
    "conv_forward_naive": {
        "pad pair read as (rows, columns)": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    from numpy.lib.stride_tricks import sliding_window_view
    F, C, HH, WW = w.shape
    rows, cols = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (rows, rows), (cols, cols)))
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    if sh > xp.shape[2] or sw > xp.shape[3] or (xp.shape[2] - sh) % stride or (xp.shape[3] - sw) % stride:
        raise ValueError(f"does not tile: {xp.shape[2:]} padded, kernel span {(sh, sw)}, stride {stride}")
    win = sliding_window_view(xp, (sh, sw), axis=(2, 3))[:, :, ::stride, ::stride, ::dilation, ::dilation]
    return np.einsum("nchwuv,fcuv->nfhw", win, w) + b[None, :, None, None], None
""",
        "pad pair: only `before` applied": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    from numpy.lib.stride_tricks import sliding_window_view
    F, C, HH, WW = w.shape
    before, after = (pad, pad) if np.ndim(pad) == 0 else (pad[0], 0)
    xp = np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    if sh > xp.shape[2] or sw > xp.shape[3] or (xp.shape[2] - sh) % stride or (xp.shape[3] - sw) % stride:
        raise ValueError(f"does not tile: {xp.shape[2:]} padded, kernel span {(sh, sw)}, stride {stride}")
    win = sliding_window_view(xp, (sh, sw), axis=(2, 3))[:, :, ::stride, ::stride, ::dilation, ::dilation]
    return np.einsum("nchwuv,fcuv->nfhw", win, w) + b[None, :, None, None], None
""",
        "stride ignored": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    F, C, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Ho = xp.shape[2] - dilation * (HH - 1)
    Wo = xp.shape[3] - dilation * (WW - 1)
    out = np.zeros((x.shape[0], F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, :, i:i + dilation * (HH - 1) + 1:dilation, j:j + dilation * (WW - 1) + 1:dilation]
            out[:, :, i, j] = np.einsum("ncuv,fcuv->nf", win, w) + b
    return out, (x, w, b)
""",
        "padding ignored": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    F, C, HH, WW = w.shape
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    if (x.shape[2] - sh) % stride or (x.shape[3] - sw) % stride:
        raise ValueError("does not tile")
    Ho, Wo = (x.shape[2] - sh) // stride + 1, (x.shape[3] - sw) // stride + 1
    out = np.zeros((x.shape[0], F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, i * stride:i * stride + sh:dilation, j * stride:j * stride + sw:dilation]
            out[:, :, i, j] = np.einsum("ncuv,fcuv->nf", win, w) + b
    return out, (x, w, b)
""",
        "bias missing": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    F, C, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    if sh > xp.shape[2] or sw > xp.shape[3] or (xp.shape[2] - sh) % stride or (xp.shape[3] - sw) % stride:
        raise ValueError("does not tile")
    Ho, Wo = (xp.shape[2] - sh) // stride + 1, (xp.shape[3] - sw) // stride + 1
    out = np.zeros((x.shape[0], F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, :, i * stride:i * stride + sh:dilation, j * stride:j * stride + sw:dilation]
            out[:, :, i, j] = np.einsum("ncuv,fcuv->nf", win, w)
    return out, (x, w, b)
""",
        "dilation ignored": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    F, C, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    if HH > xp.shape[2] or WW > xp.shape[3] or (xp.shape[2] - HH) % stride or (xp.shape[3] - WW) % stride:
        raise ValueError("does not tile")
    Ho, Wo = (xp.shape[2] - HH) // stride + 1, (xp.shape[3] - WW) // stride + 1
    out = np.zeros((x.shape[0], F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.einsum("ncuv,fcuv->nf", win, w) + b
    return out, (x, w, b)
""",
        "kernel flipped": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    w = w[:, :, ::-1, ::-1]
    F, C, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    if sh > xp.shape[2] or sw > xp.shape[3] or (xp.shape[2] - sh) % stride or (xp.shape[3] - sw) % stride:
        raise ValueError("does not tile")
    Ho, Wo = (xp.shape[2] - sh) // stride + 1, (xp.shape[3] - sw) // stride + 1
    out = np.zeros((x.shape[0], F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, :, i * stride:i * stride + sh:dilation, j * stride:j * stride + sw:dilation]
            out[:, :, i, j] = np.einsum("ncuv,fcuv->nf", win, w) + b
    return out, (x, w, b)
""",
        "channels not summed (channel 0 only)": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    F, C, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    if sh > xp.shape[2] or sw > xp.shape[3] or (xp.shape[2] - sh) % stride or (xp.shape[3] - sw) % stride:
        raise ValueError("does not tile")
    Ho, Wo = (xp.shape[2] - sh) // stride + 1, (xp.shape[3] - sw) // stride + 1
    out = np.zeros((x.shape[0], F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, 0, i * stride:i * stride + sh:dilation, j * stride:j * stride + sw:dilation]
            out[:, :, i, j] = np.einsum("nuv,fuv->nf", win, w[:, 0]) + b
    return out, (x, w, b)
""",
        "floor division instead of raising": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    F, C, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    Ho, Wo = (xp.shape[2] - sh) // stride + 1, (xp.shape[3] - sw) // stride + 1
    out = np.zeros((x.shape[0], F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, :, i * stride:i * stride + sh:dilation, j * stride:j * stride + sw:dilation]
            out[:, :, i, j] = np.einsum("ncuv,fcuv->nf", win, w) + b
    return out, (x, w, b)
""",
        "reflect padding instead of zeros": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    F, C, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    if sh > xp.shape[2] or sw > xp.shape[3] or (xp.shape[2] - sh) % stride or (xp.shape[3] - sw) % stride:
        raise ValueError("does not tile")
    Ho, Wo = (xp.shape[2] - sh) // stride + 1, (xp.shape[3] - sw) // stride + 1
    out = np.zeros((x.shape[0], F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, :, i * stride:i * stride + sh:dilation, j * stride:j * stride + sw:dilation]
            out[:, :, i, j] = np.einsum("ncuv,fcuv->nf", win, w) + b
    return out, (x, w, b)
""",
    },
    "conv_param_count": {
        "bias ignored": """
def conv_param_count(f, c_in, c_out, bias=True):
    return f * f * c_in * c_out
""",
        "a bias counted per weight": """
def conv_param_count(f, c_in, c_out, bias=True):
    weights = f * f * c_in * c_out
    return weights + (weights if bias else 0)
""",
        "input channels ignored": """
def conv_param_count(f, c_in, c_out, bias=True):
    return (f * f + (1 if bias else 0)) * c_out
""",
        "bias flag ignored": """
def conv_param_count(f, c_in, c_out, bias=True):
    return (f * f * c_in + 1) * c_out
""",
    },
}

CORRECT = {
    "output_size": {
        "closed form with divmod": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    before, after = (pad, pad) if np.ndim(pad) == 0 else pad
    span = dilation * (f - 1) + 1
    steps, left = divmod(n + before + after - span, stride)
    if span > n + before + after or left:
        raise ValueError(f"({n} + {before} + {after} - {dilation}*({f} - 1) - 1) / {stride} + 1 is not a whole number of windows")
    return steps + 1
""",
        "walk the windows": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    padded, span = n + sum(pad) if isinstance(pad, tuple) else n + 2 * pad, dilation * (f - 1) + 1
    count, start = 0, 0
    while start + span <= padded:
        count, start = count + 1, start + stride
    if count == 0 or start - stride + span != padded:
        raise ValueError(f"windows of {span} with stride {stride} do not tile {padded}")
    return count
""",
        "float division, then check it is whole": """
def output_size(n, f, stride=1, pad=0, dilation=1):
    total = float(np.sum(np.broadcast_to(pad, (2,))))
    size = (n + total - dilation * (f - 1) - 1) / stride + 1
    if size < 1 or size != int(size):
        raise ValueError(f"output size {size} is not a positive integer")
    return int(size)
""",
    },
    "pad2d": {
        "np.pad on the last two axes": """
def pad2d(x, pad, mode="zero"):
    pair = tuple(np.broadcast_to(pad, (2,)))
    widths = [(0, 0)] * (x.ndim - 2) + [pair, pair]
    return np.pad(x, widths, mode={"zero": "constant", "reflect": "reflect", "replicate": "edge"}[mode])
""",
        "index arrays, float64 buffer": """
def pad2d(x, pad, mode="zero"):
    H, W = x.shape[-2:]
    top, bottom = (pad, pad) if np.ndim(pad) == 0 else pad
    out = np.zeros(x.shape[:-2] + (H + top + bottom, W + top + bottom))
    if mode == "zero":
        out[..., top:top + H, top:top + W] = x
        return out
    def index(n):
        i = np.arange(-top, n + bottom)
        if mode == "replicate":
            return np.clip(i, 0, n - 1)
        i = np.abs(i)
        return np.where(i > n - 1, 2 * (n - 1) - i, i)
    rows, cols = index(H), index(W)
    out[...] = x[..., rows[:, None], cols[None, :]]
    return out
""",
        "concatenate strips, dtype kept": """
def pad2d(x, pad, mode="zero"):
    p, q = (pad, pad) if isinstance(pad, int) else pad
    if p == q == 0:
        return x.copy()
    def grow(a, axis):
        n = a.shape[axis]
        take = lambda idx: np.take(a, idx, axis=axis)
        if mode == "zero":
            shape = list(a.shape)
            before = np.zeros(shape[:axis] + [p] + shape[axis + 1:], dtype=a.dtype)
            after = np.zeros(shape[:axis] + [q] + shape[axis + 1:], dtype=a.dtype)
        elif mode == "replicate":
            before, after = take([0] * p), take([n - 1] * q)
        else:
            before, after = take(list(range(p, 0, -1))), take(list(range(n - 2, n - 2 - q, -1)))
        return np.concatenate([before, a, after], axis=axis)
    return grow(grow(x, x.ndim - 2), x.ndim - 1)
""",
    },
    "conv_forward_naive": {
        "loops over every index": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    top, bottom = (pad, pad) if np.ndim(pad) == 0 else pad
    Hp, Wp = H + top + bottom, W + top + bottom
    if sh > Hp or sw > Wp or (Hp - sh) % stride or (Wp - sw) % stride:
        raise ValueError(f"kernel {HH}x{WW} (dilation {dilation}) does not tile {Hp}x{Wp} with stride {stride}")
    xp = np.zeros((N, C, Hp, Wp))
    xp[:, :, top:top + H, top:top + W] = x
    Ho, Wo = (Hp - sh) // stride + 1, (Wp - sw) // stride + 1
    out = np.zeros((N, F, Ho, Wo))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    total = b[f]
                    for c in range(C):
                        for u in range(HH):
                            for v in range(WW):
                                total += xp[n, c, i * stride + u * dilation, j * stride + v * dilation] * w[f, c, u, v]
                    out[n, f, i, j] = total
    return out, (x, w, b, stride, pad, dilation)
""",
        "sliding windows and einsum, float32 kept": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    from numpy.lib.stride_tricks import sliding_window_view
    F, C, HH, WW = w.shape
    pair = tuple(np.broadcast_to(pad, (2,)))
    xp = np.pad(x, ((0, 0), (0, 0), pair, pair))
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    if sh > xp.shape[2] or sw > xp.shape[3] or (xp.shape[2] - sh) % stride or (xp.shape[3] - sw) % stride:
        raise ValueError(f"does not tile: {xp.shape[2:]} padded, kernel span {(sh, sw)}, stride {stride}")
    win = sliding_window_view(xp, (sh, sw), axis=(2, 3))[:, :, ::stride, ::stride, ::dilation, ::dilation]
    out = np.einsum("nchwuv,fcuv->nfhw", win, w) + b[None, :, None, None]
    return out, (x, w, b, stride, pad, dilation)
""",
        "spread the kernel with zeros, then a plain strided convolution": """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    F, C, HH, WW = w.shape
    big = np.zeros((F, C, dilation * (HH - 1) + 1, dilation * (WW - 1) + 1), dtype=w.dtype)
    big[:, :, ::dilation, ::dilation] = w
    before, after = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))
    sh, sw = big.shape[2:]
    if sh > xp.shape[2] or sw > xp.shape[3] or (xp.shape[2] - sh) % stride or (xp.shape[3] - sw) % stride:
        raise ValueError("the windows do not tile the padded input")
    Ho, Wo = (xp.shape[2] - sh) // stride + 1, (xp.shape[3] - sw) // stride + 1
    cols = np.empty((x.shape[0], Ho, Wo, C * sh * sw), dtype=np.result_type(x, w))
    for i in range(Ho):
        for j in range(Wo):
            cols[:, i, j] = xp[:, :, i * stride:i * stride + sh, j * stride:j * stride + sw].reshape(x.shape[0], -1)
    out = (cols @ big.reshape(F, -1).T + b).transpose(0, 3, 1, 2)
    return out, {"x": x, "w": w, "b": b}
""",
    },
    "conv_param_count": {
        "formula": """
def conv_param_count(f, c_in, c_out, bias=True):
    return f * f * c_in * c_out + (c_out if bias else 0)
""",
        "count array entries": """
def conv_param_count(f, c_in, c_out, bias=True):
    w = np.empty((c_out, c_in, f, f))
    return int(w.size + (c_out if bias else 0))
""",
    },
}
