"""The sample class for notebook 05_im2col: ten synthetic students and what each earned.

Each student is a dict from exercise name to the code of their answer cell; an exercise left out
keeps the released stub. ``EXPECTED`` is the score each student must get, exercise by exercise,
with the reason: the tests check the grader against it, and ``make demo`` prints it graded.
The answer cells of a submission run in one namespace, in notebook order, so a later answer may
call an earlier one (``im2col`` calling ``conv_layer_cost``), as in the notebook.
"""

COST = """
def conv_layer_cost(x_shape, w_shape, stride=1, pad=0):
    N, C, H, W = x_shape
    F, _, HH, WW = w_shape
    before, after = (pad, pad) if np.ndim(pad) == 0 else pad
    sizes = []
    for n, k in ((H, HH), (W, WW)):
        if (n + before + after - k) % stride or n + before + after < k:
            raise ValueError(f"({n} + {before} + {after} - {k}) / {stride} + 1 is not a whole number")
        sizes.append((n + before + after - k) // stride + 1)
    return {"out_shape": (N, F, *sizes), "params": F * C * HH * WW + F,
            "macs": N * F * sizes[0] * sizes[1] * C * HH * WW}
"""
IM2COL = """
def im2col(x, hh, ww, stride=1, pad=0):
    N, C, H, W = x.shape
    _, _, Ho, Wo = conv_layer_cost(x.shape, (1, C, hh, ww), stride, pad)["out_shape"]
    before, after = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))
    cols = np.zeros((C * hh * ww, N * Ho * Wo), dtype=x.dtype)
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                window = xp[n, :, i * stride:i * stride + hh, j * stride:j * stride + ww]
                cols[:, (n * Ho + i) * Wo + j] = window.reshape(-1)
    return cols
"""
CONV = """
def conv_forward_im2col(x, w, b, stride=1, pad=0):
    F, C, HH, WW = w.shape
    N, _, Ho, Wo = conv_layer_cost(x.shape, w.shape, stride, pad)["out_shape"]
    product = w.reshape(F, -1) @ im2col(x, HH, WW, stride, pad)
    out = product.reshape(F, N, Ho, Wo).transpose(1, 0, 2, 3) + b.reshape(1, F, 1, 1)
    return out, (x, w, b, {"stride": stride, "pad": pad, "dilation": 1})
"""
COL2IM = """
def col2im(cols, x_shape, hh, ww, stride=1, pad=0):
    N, C, H, W = x_shape
    _, _, Ho, Wo = conv_layer_cost(x_shape, (1, C, hh, ww), stride, pad)["out_shape"]
    before, after = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.zeros((N, C, H + before + after, W + before + after))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                block = cols[:, (n * Ho + i) * Wo + j].reshape(C, hh, ww)
                xp[n, :, i * stride:i * stride + hh, j * stride:j * stride + ww] += block
    return xp[:, :, before:before + H, before:before + W]
"""
IM2COL_VIEW = """
def im2col(x, hh, ww, stride=1, pad=0):
    C = x.shape[1]
    conv_layer_cost(x.shape, (1, C, hh, ww), stride, pad)      # raises where it does not tile
    before, after = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (hh, ww), axis=(2, 3))[:, :, ::stride, ::stride]
    return win.transpose(1, 4, 5, 0, 2, 3).reshape(C * hh * ww, -1)
"""
COL2IM_ADD_AT = """
def col2im(cols, x_shape, hh, ww, stride=1, pad=0):
    N, C, H, W = x_shape
    _, _, Ho, Wo = conv_layer_cost(x_shape, (1, C, hh, ww), stride, pad)["out_shape"]
    before, after = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.zeros((N, C, H + before + after, W + before + after))
    c, u, v = np.meshgrid(np.arange(C), np.arange(hh), np.arange(ww), indexing="ij")
    n, i, j = np.meshgrid(np.arange(N), np.arange(Ho), np.arange(Wo), indexing="ij")
    rows = u.reshape(-1, 1) + stride * i.reshape(1, -1)
    columns = v.reshape(-1, 1) + stride * j.reshape(1, -1)
    np.add.at(xp, (n.reshape(1, -1), c.reshape(-1, 1), rows, columns), cols)
    return xp[:, :, before:before + H, before:before + W]
"""
# A self-contained im2col: it works even where conv_layer_cost does not.
IM2COL_ALONE = IM2COL_VIEW.replace(
    "    conv_layer_cost(x.shape, (1, C, hh, ww), stride, pad)      # raises where it does not tile\n",
    "",
).replace(
    "    xp = np.pad(",
    "    for n, k in ((x.shape[2], hh), (x.shape[3], ww)):\n"
    "        if (n + before + after - k) % stride or n + before + after < k:\n"
    "            raise ValueError(f'({n} + {before} + {after} - {k}) / {stride} + 1 is no integer')\n"
    "    xp = np.pad(",
)
CORRECT = {"conv_layer_cost": COST, "im2col": IM2COL, "conv_forward_im2col": CONV, "col2im": COL2IM}

STUDENTS = {
    "ada": dict(CORRECT),
    "ben": {},
    "cleo": {  # counts FLOPs as MACs; im2col rows (u, v, c), so her layer is wrong too
        "conv_layer_cost": COST.replace('"macs": N', '"macs": 2 * N'),
        "im2col": IM2COL_VIEW.replace("(1, 4, 5, 0, 2, 3)", "(4, 5, 1, 0, 2, 3)"),
        "conv_forward_im2col": CONV,
        "col2im": COL2IM,
    },
    "dev": {  # CS231n's column order (i, j, n), read back consistently in his layer; col2im writes
        "conv_layer_cost": COST,
        "im2col": IM2COL_VIEW.replace("(1, 4, 5, 0, 2, 3)", "(1, 4, 5, 2, 3, 0)"),
        "conv_forward_im2col": CONV.replace(
            "product.reshape(F, N, Ho, Wo).transpose(1, 0, 2, 3)",
            "product.reshape(F, Ho, Wo, N).transpose(3, 0, 1, 2)",
        ),
        "col2im": COL2IM.replace("+= block", "= block"),
    },
    "eve": {  # pads only before in im2col; her layer forgets the bias
        **CORRECT,
        "im2col": IM2COL_VIEW.replace(
            "(before, after), (before, after)))", "(before, 0), (before, 0)))"
        ).replace("    conv_layer_cost(x.shape, (1, C, hh, ww), stride, pad)", "    pass"),
        "conv_forward_im2col": CONV.replace(" + b.reshape(1, F, 1, 1)", ""),
    },
    "finn": {
        **CORRECT,
        "col2im": "\ndef col2im(cols, x_shape, hh, ww, stride=1, pad=0):\n    while True:\n        pass\n",
    },
    "gus": {  # conv_layer_cost ends the process, conv_forward_im2col crashes it
        "conv_layer_cost": "\nimport os\n\ndef conv_layer_cost(x_shape, w_shape, stride=1, pad=0):\n    os._exit(0)\n",
        "im2col": IM2COL_ALONE,
        "conv_forward_im2col": "\nimport ctypes\n\ndef conv_forward_im2col(x, w, b, stride=1, pad=0):\n"
        "    return ctypes.string_at(0)\n",
        "col2im": COL2IM,
    },
    "hana": {  # wrong code, and numpy's comparisons patched to say yes
        "conv_layer_cost": "\nnp.testing.assert_allclose = lambda *a, **k: None\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
        "np.array_equal = lambda *a, **k: True\n"
        "def conv_layer_cost(x_shape, w_shape, stride=1, pad=0):\n"
        "    return {'out_shape': (1, 1, 1, 1), 'params': 0, 'macs': 0}\n",
        "im2col": "\ndef im2col(x, hh, ww, stride=1, pad=0):\n    return np.zeros((x.shape[1] * hh * ww, 1))\n",
        "conv_forward_im2col": CONV,
        "col2im": "\ndef col2im(cols, x_shape, hh, ww, stride=1, pad=0):\n    return np.zeros(x_shape)\n",
    },
    "ivan": {  # vectorised throughout
        "conv_layer_cost": COST,
        "im2col": IM2COL_VIEW,
        "conv_forward_im2col": CONV,
        "col2im": COL2IM_ADD_AT,
    },
    "jo": {  # her layer reshapes w in place; her col2im averages overlapping windows
        **CORRECT,
        "conv_forward_im2col": CONV.replace(
            "product = w.reshape(F, -1) @", "w.shape = (F, -1)\n    product = w @"
        ),
        "col2im": COL2IM.replace(
            "    return xp[",
            "    seen = np.zeros_like(xp)\n"
            "    for i in range(Ho):\n"
            "        for j in range(Wo):\n"
            "            seen[:, :, i * stride:i * stride + hh, j * stride:j * stride + ww] += 1\n"
            "    xp = xp / np.maximum(seen, 1)\n"
            "    return xp[",
        ),
    },
}

FULL = {"conv_layer_cost": 2.0, "im2col": 3.0, "conv_forward_im2col": 3.0, "col2im": 2.0}
ZERO = dict.fromkeys(FULL, 0.0)

EXPECTED = {
    "ada": FULL,
    "ben": ZERO,
    # her col2im (loops, adding) is right: the layout of her im2col does not enter it
    "cleo": {**ZERO, "col2im": 2.0},
    # consistent with himself, his layer is right although his columns are not the course's
    "dev": {**ZERO, "conv_layer_cost": 2.0, "conv_forward_im2col": 3.0},
    "eve": {**FULL, "im2col": 0.0, "conv_forward_im2col": 0.0},
    "finn": {**FULL, "col2im": 0.0},
    # everything that calls his conv_layer_cost ends its process too: only im2col stands alone
    "gus": {**ZERO, "im2col": 3.0},
    "hana": ZERO,
    "ivan": FULL,
    "jo": {**FULL, "conv_forward_im2col": 0.0, "col2im": 0.0},
}
