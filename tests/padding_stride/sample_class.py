"""The sample class for notebook 03_padding_stride: ten synthetic students and what each earned.

Each student is a dict from exercise name to the code of their answer cell; an exercise left out
keeps the released stub. ``EXPECTED`` is the score each student must get, exercise by exercise,
with the reason: the tests check the grader against it, and ``make demo`` prints it graded.
"""

OUTPUT_SIZE = """
def output_size(n, f, stride=1, pad=0, dilation=1):
    span = dilation * (f - 1) + 1
    padded = n + 2 * pad if np.ndim(pad) == 0 else n + pad[0] + pad[1]
    if span > padded:
        raise ValueError(f"kernel span {span} is larger than the padded input {padded}")
    if (padded - span) % stride != 0:
        raise ValueError(f"({padded} - {span}) / {stride} + 1 is not an integer")
    return (padded - span) // stride + 1
"""
PAD2D = """
def pad2d(x, pad, mode="zero"):
    p, q = (pad, pad) if np.ndim(pad) == 0 else pad  # before, after
    H, W = x.shape[-2:]
    out = np.zeros(x.shape[:-2] + (H + p + q, W + p + q), dtype=x.dtype)
    out[..., p:p + H, p:p + W] = x
    if mode == "zero":
        return out
    for k in range(1, max(p, q) + 1):  # rows first, inside the image's columns
        top, bottom = (k, H - 1 - k) if mode == "reflect" else (0, H - 1)
        if k <= p:
            out[..., p - k, p:p + W] = x[..., top, :]
        if k <= q:
            out[..., p + H - 1 + k, p:p + W] = x[..., bottom, :]
    for k in range(1, max(p, q) + 1):  # then columns, over all rows: this fills the corners too
        left, right = (p + k, p + W - 1 - k) if mode == "reflect" else (p, p + W - 1)
        if k <= p:
            out[..., :, p - k] = out[..., :, left]
        if k <= q:
            out[..., :, p + W - 1 + k] = out[..., :, right]
    return out
"""
CONV = """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    Ho = output_size(H, HH, stride, pad, dilation)
    Wo = output_size(W, WW, stride, pad, dilation)
    xp = pad2d(x, pad)
    out = np.zeros((N, F, Ho, Wo))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    r, c = i * stride, j * stride
                    window = xp[n, :, r:r + dilation * (HH - 1) + 1:dilation,
                                c:c + dilation * (WW - 1) + 1:dilation]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, b, stride, pad, dilation)
"""
CONV_ALONE = """
def conv_forward_naive(x, w, b, stride=1, pad=0, dilation=1):
    from numpy.lib.stride_tricks import sliding_window_view
    F, C, HH, WW = w.shape
    p, q = (pad, pad) if np.ndim(pad) == 0 else pad
    xp = np.pad(x, ((0, 0), (0, 0), (p, q), (p, q)))
    sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1
    for size, span in ((xp.shape[2], sh), (xp.shape[3], sw)):
        if span > size or (size - span) % stride:
            raise ValueError(f"kernel span {span} with stride {stride} does not tile {size}")
    win = sliding_window_view(xp, (sh, sw), axis=(2, 3))[:, :, ::stride, ::stride, ::dilation, ::dilation]
    return np.einsum("nchwuv,fcuv->nfhw", win, w) + b[:, None, None], None
"""
PARAMS = """
def conv_param_count(f, c_in, c_out, bias=True):
    return f * f * c_in * c_out + (c_out if bias else 0)
"""
CORRECT = {
    "output_size": OUTPUT_SIZE,
    "pad2d": PAD2D,
    "conv_forward_naive": CONV,
    "conv_param_count": PARAMS,
}

STUDENTS = {
    "ada": dict(CORRECT),
    "ben": {},
    "cleo": {  # rounds down like PyTorch; reflect repeats the edge; her conv uses both
        "output_size": "\ndef output_size(n, f, stride=1, pad=0, dilation=1):\n"
        "    return (n + 2 * pad - dilation * (f - 1) - 1) // stride + 1\n",
        "pad2d": "\ndef pad2d(x, pad, mode='zero'):\n"
        "    widths = [(0, 0)] * (x.ndim - 2) + [(pad, pad)] * 2\n"
        "    modes = {'zero': 'constant', 'reflect': 'symmetric', 'replicate': 'edge'}\n"
        "    return np.pad(x, widths, mode=modes[mode])\n",
        "conv_forward_naive": CONV,
        "conv_param_count": PARAMS,
    },
    "dev": {  # counts the padding once, flips the kernel, forgets the biases
        "output_size": OUTPUT_SIZE.replace("2 * pad", "pad"),
        "pad2d": PAD2D,
        "conv_forward_naive": CONV_ALONE.replace("win, w)", "win, w[:, :, ::-1, ::-1])"),
        "conv_param_count": "\ndef conv_param_count(f, c_in, c_out, bias=True):\n"
        "    return f * f * c_in * c_out\n",
    },
    "eve": {  # pads every axis, batch and channels included; ignores dilation in her conv
        **CORRECT,
        "pad2d": "\ndef pad2d(x, pad, mode='zero'):\n"
        "    modes = {'zero': 'constant', 'reflect': 'reflect', 'replicate': 'edge'}\n"
        "    return np.pad(x, pad, mode=modes[mode])\n",
        "conv_forward_naive": CONV_ALONE.replace(", ::dilation, ::dilation]", "]").replace(
            "sh, sw = dilation * (HH - 1) + 1, dilation * (WW - 1) + 1", "sh, sw = HH, WW"
        ),
    },
    "finn": {  # pad2d never returns; his conv pads with np.pad, so it is unaffected
        **CORRECT,
        "pad2d": "\ndef pad2d(x, pad, mode='zero'):\n    while True:\n        pass\n",
        "conv_forward_naive": CONV_ALONE,
    },
    "gus": {  # conv_param_count ends the process, pad2d crashes it
        **CORRECT,
        "pad2d": "\nimport ctypes\n\ndef pad2d(x, pad, mode='zero'):\n    return ctypes.string_at(0)\n",
        "conv_forward_naive": CONV_ALONE,
        "conv_param_count": "\nimport os\n\ndef conv_param_count(f, c_in, c_out, bias=True):\n"
        "    os._exit(0)\n",
    },
    "hana": {  # wrong code, and numpy's comparisons patched to say yes
        "output_size": "\nnp.testing.assert_allclose = lambda *a, **k: None\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
        "np.array_equal = lambda *a, **k: True\n"
        "def output_size(n, f, stride=1, pad=0, dilation=1):\n    return (n - f) // stride + 1\n",
        "pad2d": "\ndef pad2d(x, pad, mode='zero'):\n    return np.zeros(x.shape[:-2] + "
        "(x.shape[-2] + 2 * pad, x.shape[-1] + 2 * pad))\n",
        "conv_forward_naive": CONV_ALONE.replace(" + b[:, None, None]", ""),
        "conv_param_count": "\ndef conv_param_count(f, c_in, c_out, bias=True):\n"
        "    return (f * f + 1) * c_out\n",
    },
    "ivan": {  # vectorised throughout
        "output_size": "\ndef output_size(n, f, stride=1, pad=0, dilation=1):\n"
        "    steps, left = divmod(n + int(np.sum(np.broadcast_to(pad, 2))) - dilation * (f - 1) - 1,"
        " stride)\n"
        "    if steps < 0 or left:\n"
        "        raise ValueError(f'n={n}, f={f}, stride={stride}, pad={pad}, dilation={dilation}"
        " do not tile')\n"
        "    return steps + 1\n",
        "pad2d": "\ndef pad2d(x, pad, mode='zero'):\n"
        "    widths = [(0, 0)] * (x.ndim - 2) + [tuple(np.broadcast_to(pad, 2))] * 2\n"
        "    modes = {'zero': 'constant', 'reflect': 'reflect', 'replicate': 'edge'}\n"
        "    return np.pad(x, widths, mode=modes[mode])\n",
        "conv_forward_naive": CONV_ALONE,
        "conv_param_count": "\ndef conv_param_count(f, c_in, c_out, bias=True):\n"
        "    return int(np.prod([f, f, c_in, c_out])) + bias * c_out\n",
    },
    "jo": {  # reshapes the input in place inside pad2d; builds an integer conv output
        **CORRECT,
        "pad2d": "\ndef pad2d(x, pad, mode='zero'):\n"
        "    lead = x.shape[:-2]\n"
        "    x.shape = (-1,) + x.shape[-2:]\n"
        "    modes = {'zero': 'constant', 'reflect': 'reflect', 'replicate': 'edge'}\n"
        "    out = np.pad(x, [(0, 0), (pad, pad), (pad, pad)], mode=modes[mode])\n"
        "    return out.reshape(lead + out.shape[-2:])\n",
        "conv_forward_naive": CONV.replace(
            "xp = pad2d(x, pad)", "xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))"
        ).replace("np.zeros((N, F, Ho, Wo))", "np.zeros((N, F, Ho, Wo), dtype=int)"),
    },
}

FULL = {"output_size": 2.0, "pad2d": 2.0, "conv_forward_naive": 4.0, "conv_param_count": 2.0}
ZERO = dict.fromkeys(FULL, 0.0)

EXPECTED = {
    "ada": FULL,
    "ben": ZERO,
    "cleo": {**ZERO, "conv_param_count": 2.0},  # her conv relies on her output_size: no ValueError
    "dev": {**ZERO, "pad2d": 2.0},
    "eve": {**FULL, "pad2d": 0.0, "conv_forward_naive": 0.0},
    "finn": {**FULL, "pad2d": 0.0},
    "gus": {**FULL, "pad2d": 0.0, "conv_param_count": 0.0},
    "hana": ZERO,
    "ivan": FULL,
    "jo": {**FULL, "pad2d": 0.0, "conv_forward_naive": 0.0},
}
