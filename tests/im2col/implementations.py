"""Implementations of the 05_im2col exercises: plausible mistakes and correct variants.

Each source is self-contained (it defines the helpers it calls), so that it can be judged alone,
as the in-kernel tests do, and in a submission whatever the other answers are.
"""

import re

# helpers the sources share: the pad pair and the output size that must tile
_SIZES = """
def _sides(pad):
    return (pad, pad) if np.ndim(pad) == 0 else tuple(pad)

def _out(n, k, stride, pad):
    before, after = _sides(pad)
    extra = n + before + after - k
    if extra < 0 or extra % stride:
        raise ValueError(f"({n} + {before} + {after} - {k}) / {stride} + 1 is no integer")
    return extra // stride + 1
"""
_FLOOR = _SIZES.replace(
    "if extra < 0 or extra % stride:", "if extra < 0:"
)  # rounds down instead of raising

COST = (
    _SIZES
    + """
def conv_layer_cost(x_shape, w_shape, stride=1, pad=0):
    N, C, H, W = x_shape
    F, _, HH, WW = w_shape
    Ho, Wo = _out(H, HH, stride, pad), _out(W, WW, stride, pad)
    return {"out_shape": (N, F, Ho, Wo), "params": F * C * HH * WW + F,
            "macs": N * F * Ho * Wo * C * HH * WW}
"""
)

IM2COL_LOOPS = (
    _SIZES
    + """
def im2col(x, hh, ww, stride=1, pad=0):
    N, C, H, W = x.shape
    Ho, Wo = _out(H, hh, stride, pad), _out(W, ww, stride, pad)
    before, after = _sides(pad)
    xp = np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))
    cols = np.zeros((C * hh * ww, N * Ho * Wo), dtype=x.dtype)
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                r, c = i * stride, j * stride
                cols[:, (n * Ho + i) * Wo + j] = xp[n, :, r:r + hh, c:c + ww].reshape(-1)
    return cols
"""
)

IM2COL_VIEW = (
    _SIZES
    + """
def im2col(x, hh, ww, stride=1, pad=0):
    N, C, H, W = x.shape
    Ho, Wo = _out(H, hh, stride, pad), _out(W, ww, stride, pad)
    before, after = _sides(pad)
    xp = np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (hh, ww), axis=(2, 3))[:, :, ::stride, ::stride]
    return win.transpose(1, 4, 5, 0, 2, 3).reshape(C * hh * ww, -1)
"""
)

COL2IM_LOOPS = (
    _SIZES
    + """
def col2im(cols, x_shape, hh, ww, stride=1, pad=0):
    N, C, H, W = x_shape
    Ho, Wo = _out(H, hh, stride, pad), _out(W, ww, stride, pad)
    before, after = _sides(pad)
    xp = np.zeros((N, C, H + before + after, W + before + after))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                r, c = i * stride, j * stride
                xp[n, :, r:r + hh, c:c + ww] += cols[:, (n * Ho + i) * Wo + j].reshape(C, hh, ww)
    return xp[:, :, before:before + H, before:before + W]
"""
)

CONV_WITH_IM2COL = (
    IM2COL_VIEW
    + """
def conv_forward_im2col(x, w, b, stride=1, pad=0):
    F, C, HH, WW = w.shape
    N, H, W = x.shape[0], x.shape[2], x.shape[3]
    Ho, Wo = _out(H, HH, stride, pad), _out(W, WW, stride, pad)
    out = w.reshape(F, -1) @ im2col(x, HH, WW, stride, pad)
    out = out.reshape(F, N, Ho, Wo).transpose(1, 0, 2, 3) + b[None, :, None, None]
    return out, (x, w, b, {"stride": stride, "pad": pad, "dilation": 1})
"""
)

WRONG = {
    "conv_layer_cost": {
        "FLOPs counted as MACs": COST.replace('"macs": N', '"macs": 2 * N'),
        "batch ignored": COST.replace('"macs": N * F', '"macs": F'),
        "biases not counted": COST.replace("F * C * HH * WW + F", "F * C * HH * WW"),
        "rounds down instead of raising": _FLOOR + COST[len(_SIZES) :],
        "pad pair read as (height, width)": COST.replace(
            "Ho, Wo = _out(H, HH, stride, pad), _out(W, WW, stride, pad)",
            "ph, pw = _sides(pad)\n    Ho, Wo = _out(H, HH, stride, ph), _out(W, WW, stride, pw)",
        ),
    },
    "im2col": {
        "rows in (u, v, c) order": IM2COL_VIEW.replace("(1, 4, 5, 0, 2, 3)", "(4, 5, 1, 0, 2, 3)"),
        "columns in (i, j, n) order (CS231n's layout)": IM2COL_VIEW.replace(
            "(1, 4, 5, 0, 2, 3)", "(1, 4, 5, 2, 3, 0)"
        ),
        "stride ignored": IM2COL_LOOPS.replace("r, c = i * stride, j * stride", "r, c = i, j"),
        "padding only before": IM2COL_VIEW.replace(
            "(before, after), (before, after)))", "(before, 0), (before, 0)))"
        ).replace("Ho, Wo = _out(H, hh, stride, pad), _out(W, ww, stride, pad)", "")
        + "",
        "rounds down instead of raising": _FLOOR + IM2COL_VIEW[len(_SIZES) :],
        "pad pair read as (height, width)": IM2COL_VIEW.replace(
            "(before, after), (before, after)))", "(before, before), (after, after)))"
        ).replace("Ho, Wo = _out(H, hh, stride, pad), _out(W, ww, stride, pad)", ""),
    },
    "conv_forward_im2col": {
        "bias missing": CONV_WITH_IM2COL.replace(" + b[None, :, None, None]", ""),
        "product reshaped straight to (N, F, H', W')": CONV_WITH_IM2COL.replace(
            "out.reshape(F, N, Ho, Wo).transpose(1, 0, 2, 3)", "out.reshape(N, F, Ho, Wo)"
        ),
        "weights flattened (u, v, c) against rows (c, u, v)": CONV_WITH_IM2COL.replace(
            "w.reshape(F, -1) @", "w.transpose(0, 2, 3, 1).reshape(F, -1) @"
        ),
        "reshapes w in place": CONV_WITH_IM2COL.replace(
            "out = w.reshape(F, -1) @", "w.shape = (F, -1)\n    out = w @"
        ),
        "kernel flipped (true convolution)": CONV_WITH_IM2COL.replace(
            "out = w.reshape(F, -1) @", "out = w[:, :, ::-1, ::-1].reshape(F, -1) @"
        ),
    },
    "col2im": {
        "windows overwrite (=) instead of adding": COL2IM_LOOPS.replace(
            "xp[n, :, r:r + hh, c:c + ww] +=", "xp[n, :, r:r + hh, c:c + ww] ="
        ),
        "overlapping windows averaged": COL2IM_LOOPS.replace(
            "    return xp[",
            "    seen = np.zeros_like(xp)\n"
            "    for i in range(Ho):\n"
            "        for j in range(Wo):\n"
            "            seen[:, :, i * stride:i * stride + hh, j * stride:j * stride + ww] += 1\n"
            "    xp = xp / np.maximum(seen, 1)\n"
            "    return xp[",
        ),
        "padding not cropped": COL2IM_LOOPS.replace(
            "return xp[:, :, before:before + H, before:before + W]", "return xp"
        ),
        "pad pair reversed when cropping": COL2IM_LOOPS.replace(
            "return xp[:, :, before:before + H, before:before + W]",
            "return xp[:, :, after:after + H, after:after + W]",
        ),
        "accumulates into the columns it was given": COL2IM_LOOPS.replace(
            "    return xp[", "    cols *= 0\n    return xp["
        ),
    },
}

CORRECT = {
    "conv_layer_cost": {
        "closed formula": COST,
        "walks the windows": """
def conv_layer_cost(x_shape, w_shape, stride=1, pad=0):
    before, after = (pad, pad) if isinstance(pad, int) else pad
    sizes = []
    for n, k in zip(x_shape[2:], w_shape[2:]):
        starts = list(range(0, n + before + after - k + 1, stride))
        if not starts or starts[-1] + k != n + before + after:
            raise ValueError(f"windows of {k} at stride {stride} do not tile {n} + {before} + {after}")
        sizes.append(len(starts))
    out_shape = (x_shape[0], w_shape[0], *sizes)
    return {"out_shape": out_shape, "params": int(np.prod(w_shape)) + w_shape[0],
            "macs": int(np.prod(out_shape)) * int(np.prod(w_shape[1:]))}
""",
        "NumPy arithmetic, np.int64 values": """
def conv_layer_cost(x_shape, w_shape, stride=1, pad=0):
    before, after = np.broadcast_to(pad, 2)
    x_shape, w_shape = np.array(x_shape), np.array(w_shape)
    extra = x_shape[2:] + before + after - w_shape[2:]
    if (extra < 0).any() or (extra % stride).any():
        raise ValueError(f"{extra} / {stride} + 1 is not whole")
    out = np.array([x_shape[0], w_shape[0], *(extra // stride + 1)])
    return {"out_shape": tuple(out), "params": np.prod(w_shape) + w_shape[0],
            "macs": np.prod(out) * np.prod(w_shape[1:])}
""",
    },
    "im2col": {
        "loops over windows": IM2COL_LOOPS,
        "sliding_window_view": IM2COL_VIEW,
        "as_strided": _SIZES
        + """
def im2col(x, hh, ww, stride=1, pad=0):
    N, C, H, W = x.shape
    Ho, Wo = _out(H, hh, stride, pad), _out(W, ww, stride, pad)
    before, after = _sides(pad)
    xp = np.ascontiguousarray(np.pad(x, ((0, 0), (0, 0), (before, after), (before, after))))
    sn, sc, sh, sw = xp.strides
    view = np.lib.stride_tricks.as_strided(
        xp, (C, hh, ww, N, Ho, Wo), (sc, sh, sw, sn, sh * stride, sw * stride), writeable=False)
    return view.reshape(C * hh * ww, N * Ho * Wo).copy()
""",
        "fancy indexing, computed in float64": _SIZES
        + """
def im2col(x, hh, ww, stride=1, pad=0):
    N, C, H, W = x.shape
    Ho, Wo = _out(H, hh, stride, pad), _out(W, ww, stride, pad)
    before, after = _sides(pad)
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (before, after), (before, after)))
    c, u, v = np.meshgrid(np.arange(C), np.arange(hh), np.arange(ww), indexing="ij")
    n, i, j = np.meshgrid(np.arange(N), np.arange(Ho), np.arange(Wo), indexing="ij")
    rows = u.reshape(-1, 1) + stride * i.reshape(1, -1)
    cols = v.reshape(-1, 1) + stride * j.reshape(1, -1)
    return xp[n.reshape(1, -1), c.reshape(-1, 1), rows, cols]
""",
    },
    "conv_forward_im2col": {
        "im2col and one matrix product": CONV_WITH_IM2COL,
        "einsum over windows, float32 kept": _SIZES
        + """
def conv_forward_im2col(x, w, b, stride=1, pad=0):
    F, C, HH, WW = w.shape
    _out(x.shape[2], HH, stride, pad), _out(x.shape[3], WW, stride, pad)
    before, after = _sides(pad)
    xp = np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.einsum("ncijuv,fcuv->nfij", win, w) + b[None, :, None, None]
    return out, (x, w, b, {"stride": stride, "pad": pad, "dilation": 1})
""",
        "tensordot per image": IM2COL_LOOPS
        + """
def conv_forward_im2col(x, w, b, stride=1, pad=0):
    F, C, HH, WW = w.shape
    N, H, W = x.shape[0], x.shape[2], x.shape[3]
    Ho, Wo = _out(H, HH, stride, pad), _out(W, WW, stride, pad)
    cols = im2col(x, HH, WW, stride, pad).reshape(C * HH * WW, N, Ho, Wo)
    out = np.stack([np.tensordot(w.reshape(F, -1), cols[:, n], axes=1) for n in range(N)])
    return out + b.reshape(1, F, 1, 1), (x, w, b, {"stride": stride, "pad": pad, "dilation": 1})
""",
    },
    "col2im": {
        "loops over windows": COL2IM_LOOPS,
        "np.add.at with index arrays": _SIZES
        + """
def col2im(cols, x_shape, hh, ww, stride=1, pad=0):
    N, C, H, W = x_shape
    Ho, Wo = _out(H, hh, stride, pad), _out(W, ww, stride, pad)
    before, after = _sides(pad)
    xp = np.zeros((N, C, H + before + after, W + before + after), dtype=cols.dtype)
    c, u, v = np.meshgrid(np.arange(C), np.arange(hh), np.arange(ww), indexing="ij")
    n, i, j = np.meshgrid(np.arange(N), np.arange(Ho), np.arange(Wo), indexing="ij")
    rows = u.reshape(-1, 1) + stride * i.reshape(1, -1)
    cs = v.reshape(-1, 1) + stride * j.reshape(1, -1)
    np.add.at(xp, (n.reshape(1, -1), c.reshape(-1, 1), rows, cs), cols)
    return xp[:, :, before:before + H, before:before + W]
""",
        "shifted slices added": _SIZES
        + """
def col2im(cols, x_shape, hh, ww, stride=1, pad=0):
    N, C, H, W = x_shape
    Ho, Wo = _out(H, hh, stride, pad), _out(W, ww, stride, pad)
    before, after = _sides(pad)
    blocks = cols.reshape(C, hh, ww, N, Ho, Wo)
    xp = np.zeros((N, C, H + before + after, W + before + after))
    for u in range(hh):
        for v in range(ww):
            xp[:, :, u:u + stride * Ho:stride, v:v + stride * Wo:stride] += blocks[:, u, v].transpose(1, 0, 2, 3)
    return xp[:, :, before:before + H, before:before + W].copy()
""",
    },
}


def _own_helpers(table: dict[str, dict[str, str]]) -> None:
    """Give each exercise's helpers names of its own: the answer cells of a submission share one
    namespace, and a helper redefined by a later cell must not change an earlier answer."""
    for exercise, sources in table.items():
        tag = {"conv_layer_cost": "cost", "im2col": "i2c", "conv_forward_im2col": "conv"}.get(
            exercise, "c2i"
        )
        for label, source in sources.items():
            source = re.sub(r"(?<!\w)_sides\(", f"_sides_{tag}(", source)
            source = re.sub(r"(?<!\w)_out\(", f"_out_{tag}(", source)
            if exercise != "im2col":
                source = re.sub(r"(?<!\w)im2col\(", f"_im2col_{tag}(", source)
            sources[label] = source


_own_helpers(WRONG)
_own_helpers(CORRECT)
