"""The sample class for notebook 06_backprop: ten synthetic students and what each earned.

Each student is a dict from exercise name to the code of their answer cell; an exercise left out
keeps the released stub. ``EXPECTED`` is the score each student must get, exercise by exercise,
with the reason: the tests check the grader against it, and ``make demo`` prints it graded.
"""

NUMERICAL = """
def numerical_gradient(f, x, dout, h=1e-5):
    x = x.astype(np.float64)
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fx_plus = np.sum(f(x) * dout)
        x[i] = old - h
        fx_minus = np.sum(f(x) * dout)
        x[i] = old
        grad[i] = (fx_plus - fx_minus) / (2 * h)
    return grad
"""
RELU = "\ndef relu_backward(dout, cache):\n    return dout * (cache > 0)\n"
AFFINE = """
def affine_backward(dout, cache):
    x, w, b = cache
    N = x.shape[0]
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(N, -1).T @ dout
    db = np.sum(dout, axis=0)
    return dx, dw, db
"""
SOFTMAX = """
def softmax_loss(scores, y):
    N = len(y)
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.mean(log_p[np.arange(N), y])
    dscores = np.exp(log_p)
    dscores[np.arange(N), y] -= 1
    dscores /= N
    return loss, dscores
"""
CONV = """
def conv_backward(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    p1, p2 = (pad, pad) if isinstance(pad, int) else pad
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (p1, p2), (p1, p2)))
    dx_pad = np.zeros(x_pad.shape)
    dw = np.zeros(w.shape)
    for n in range(N):
        for f in range(F):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    dw[f] += dout[n, f, i, j] * window
                    dx_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += dout[n, f, i, j] * w[f]
    db = dout.sum(axis=(0, 2, 3))
    dx = dx_pad[:, :, p1:p1 + H, p1:p1 + W]
    return dx, dw, db
"""
MAXPOOL = """
def maxpool_backward(dout, cache):
    x, size, stride = cache
    N, C, H, W = x.shape
    dx = np.zeros(x.shape)
    for n in range(N):
        for c in range(C):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
                    k = np.argmax(window)
                    dx[n, c, i * stride + k // size, j * stride + k % size] += dout[n, c, i, j]
    return dx
"""
AVGPOOL = """
def avgpool_backward(dout, cache):
    x, size, stride = cache
    N, C, H, W = x.shape
    dx = np.zeros(x.shape)
    for n in range(N):
        for c in range(C):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    dx[n, c, i * stride:i * stride + size, j * stride:j * stride + size] += dout[n, c, i, j] / (size * size)
    return dx
"""
CORRECT = {
    "numerical_gradient": NUMERICAL,
    "relu_backward": RELU,
    "affine_backward": AFFINE,
    "softmax_loss": SOFTMAX,
    "conv_backward": CONV,
    "maxpool_backward": MAXPOOL,
    "avgpool_backward": AVGPOOL,
}
VECTORISED = {
    "numerical_gradient": """
def numerical_gradient(f, x, dout, h=1e-5):
    x = np.asarray(x, dtype=np.float64)
    steps = h * np.eye(x.size).reshape(x.size, *x.shape)
    return np.array([(np.sum(f(x + e) * dout) - np.sum(f(x - e) * dout)) / (2 * h) for e in steps]).reshape(x.shape)
""",
    "relu_backward": "\ndef relu_backward(dout, cache):\n    return np.where(cache > 0, dout, 0)\n",
    "affine_backward": """
def affine_backward(dout, cache):
    x, w, b = cache
    flat = x.reshape(len(x), -1)
    return np.einsum("nm,dm->nd", dout, w).reshape(x.shape), np.einsum("nd,nm->dm", flat, dout), dout.sum(0)
""",
    "softmax_loss": """
def softmax_loss(scores, y):
    z = scores - scores.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    onehot = np.eye(scores.shape[1])[y]
    return -(log_p * onehot).sum() / len(y), (np.exp(log_p) - onehot) / len(y)
""",
    "conv_backward": """
def conv_backward(dout, cache):
    x, w, b, conv = cache
    s, pad = conv["stride"], conv["pad"]
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (HH, WW), axis=(2, 3))[:, :, ::s, ::s]
    dw = np.einsum("nfij,ncijuv->fcuv", dout, win)
    shares = np.einsum("nfij,fcuv->ncijuv", dout, w)
    dxp = np.zeros(xp.shape)
    for u in range(HH):
        for v in range(WW):
            dxp[:, :, u:u + (dout.shape[2] - 1) * s + 1:s, v:v + (dout.shape[3] - 1) * s + 1:s] += shares[..., u, v]
    return dxp[:, :, p0:p0 + H, p0:p0 + W], dw, dout.sum(axis=(0, 2, 3))
""",
    "maxpool_backward": """
def maxpool_backward(dout, cache):
    x, size, stride = cache
    N, C, Ho, Wo = dout.shape
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    k = win.reshape(N, C, Ho, Wo, -1).argmax(axis=-1)
    n, c, i, j = np.indices(k.shape)
    dx = np.zeros(x.shape)
    np.add.at(dx, (n, c, i * stride + k // size, j * stride + k % size), dout)
    return dx
""",
    "avgpool_backward": """
def avgpool_backward(dout, cache):
    x, size, stride = cache
    Ho, Wo = dout.shape[2:]
    dx = np.zeros(x.shape)
    for u in range(size):
        for v in range(size):
            dx[:, :, u:u + (Ho - 1) * stride + 1:stride, v:v + (Wo - 1) * stride + 1:stride] += dout / size**2
    return dx
""",
}

STUDENTS = {
    "ada": dict(CORRECT),
    "ben": {},
    "cleo": {  # one-sided differences, the ReLU gradient passed at 0, no max shift, every tie
        **CORRECT,
        "numerical_gradient": NUMERICAL.replace("x[i] = old - h\n", "x[i] = old\n").replace(
            "/ (2 * h)", "/ h"
        ),
        "relu_backward": RELU.replace("cache > 0", "cache >= 0"),
        "softmax_loss": SOFTMAX.replace("scores - np.max(scores, axis=1, keepdims=True)", "scores"),
        "maxpool_backward": MAXPOOL.replace(
            "                    k = np.argmax(window)\n"
            "                    dx[n, c, i * stride + k // size, j * stride + k % size] += dout[n, c, i, j]\n",
            "                    mask = window == window.max()\n"
            "                    dx[n, c, i * stride:i * stride + size, j * stride:j * stride + size] += mask * dout[n, c, i, j]\n",
        ),
    },
    "dev": {  # dw transposed, the loss summed, the stride ignored, the window size not divided
        **VECTORISED,
        "affine_backward": AFFINE.replace("x.reshape(N, -1).T @ dout", "dout.T @ x.reshape(N, -1)"),
        "softmax_loss": SOFTMAX.replace("-np.mean(", "-np.sum("),
        "conv_backward": CONV.replace("i * stride", "i").replace("j * stride", "j"),
        "avgpool_backward": AVGPOOL.replace(" / (size * size)", ""),
    },
    "eve": {  # dout ignored, dw of the last image only, pooling stride ignored, divided by size
        **CORRECT,
        "numerical_gradient": NUMERICAL.replace("np.sum(f(x) * dout)", "np.sum(f(x))"),
        "conv_backward": CONV.replace(
            "    dw = np.zeros(w.shape)\n    for n in range(N):\n",
            "    for n in range(N):\n        dw = np.zeros(w.shape)\n",
        ),
        "maxpool_backward": MAXPOOL.replace("i * stride", "i").replace("j * stride", "j"),
        "avgpool_backward": AVGPOOL.replace("/ (size * size)", "/ size"),
    },
    "finn": {  # conv_backward never returns
        **CORRECT,
        "conv_backward": "\ndef conv_backward(dout, cache):\n    while True:\n        pass\n",
    },
    "gus": {  # maxpool_backward ends the process, avgpool_backward crashes it
        **CORRECT,
        "maxpool_backward": "\nimport os\n\ndef maxpool_backward(dout, cache):\n    os._exit(0)\n",
        "avgpool_backward": "\nimport ctypes\n\ndef avgpool_backward(dout, cache):\n    return ctypes.string_at(0)\n",
    },
    "hana": {  # wrong code, and numpy's comparisons patched to say yes
        "numerical_gradient": "\nnp.testing.assert_allclose = lambda *a, **k: None\nnp.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\nnp.array_equal = lambda *a, **k: True\n"
        "def numerical_gradient(f, x, dout, h=1e-5):\n    return np.zeros(np.shape(x))\n",
        "relu_backward": "\ndef relu_backward(dout, cache):\n    return dout\n",
        "affine_backward": "\ndef affine_backward(dout, cache):\n    x, w, b = cache\n    return np.zeros(x.shape), np.zeros(w.shape), np.zeros(b.shape)\n",
        "softmax_loss": "\ndef softmax_loss(scores, y):\n    return 0.0, np.zeros(scores.shape)\n",
        "conv_backward": "\ndef conv_backward(dout, cache):\n    x, w, b, _ = cache\n    return np.zeros(x.shape), np.zeros(w.shape), np.zeros(b.shape)\n",
        "maxpool_backward": "\ndef maxpool_backward(dout, cache):\n    return np.zeros(cache[0].shape)\n",
        "avgpool_backward": "\ndef avgpool_backward(dout, cache):\n    return np.ones(cache[0].shape)\n",
    },
    "ivan": dict(VECTORISED),
    "jo": {  # x left perturbed, dout and scores changed in place, an integer dx for integer x
        **CORRECT,
        "numerical_gradient": """
def numerical_gradient(f, x, dout, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += h
        fx_plus = np.sum(f(x) * dout)
        x[i] -= 2 * h
        fx_minus = np.sum(f(x) * dout)
        grad[i] = (fx_plus - fx_minus) / (2 * h)
    return grad
""",
        "relu_backward": "\ndef relu_backward(dout, cache):\n    dout[cache <= 0] = 0\n    return dout\n",
        "softmax_loss": SOFTMAX.replace(
            "    shifted = scores - np.max(scores, axis=1, keepdims=True)\n",
            "    scores -= np.max(scores, axis=1, keepdims=True)\n    shifted = scores\n",
        ),
        "avgpool_backward": AVGPOOL.replace("np.zeros(x.shape)", "np.zeros_like(x)"),
    },
}

FULL = {
    "numerical_gradient": 1.5,
    "relu_backward": 1.0,
    "affine_backward": 1.5,
    "softmax_loss": 1.5,
    "conv_backward": 2.0,
    "maxpool_backward": 1.5,
    "avgpool_backward": 1.0,
}
ZERO = dict.fromkeys(FULL, 0.0)

EXPECTED = {
    "ada": FULL,
    "ben": ZERO,
    "cleo": {
        **FULL,
        "numerical_gradient": 0.0,
        "relu_backward": 0.0,
        "softmax_loss": 0.0,
        "maxpool_backward": 0.0,
    },
    "dev": {**ZERO, "numerical_gradient": 1.5, "relu_backward": 1.0, "maxpool_backward": 1.5},
    "eve": {**ZERO, "relu_backward": 1.0, "affine_backward": 1.5, "softmax_loss": 1.5},
    "finn": {**FULL, "conv_backward": 0.0},
    "gus": {**FULL, "maxpool_backward": 0.0, "avgpool_backward": 0.0},
    "hana": ZERO,
    "ivan": FULL,
    "jo": {
        **FULL,
        "numerical_gradient": 0.0,
        "relu_backward": 0.0,
        "softmax_loss": 0.0,
        "avgpool_backward": 0.0,
    },
}
