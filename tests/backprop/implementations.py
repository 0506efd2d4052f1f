"""Implementations of the 06_backprop exercises: plausible mistakes and correct variants."""

_NUMERICAL = """
def numerical_gradient(f, x, dout, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = np.sum(f(x) * dout)
        x[i] = old - h
        minus = np.sum(f(x) * dout)
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad
"""

_CONV_LOOPS = """
def conv_backward(dout, cache):
    x, w, b, conv = cache
    stride, pad = conv["stride"], conv["pad"]
    top, bottom = (pad, pad) if isinstance(pad, int) else pad
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (top, bottom), (top, bottom)))
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    for n in range(N):
        for f in range(F):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    r, c = i * stride, j * stride
                    dw[f] += dout[n, f, i, j] * xp[n, :, r:r + HH, c:c + WW]
                    dxp[n, :, r:r + HH, c:c + WW] += dout[n, f, i, j] * w[f]
    db = dout.sum(axis=(0, 2, 3))
    return dxp[:, :, top:top + H, top:top + W], dw, db
"""

_MAXPOOL_LOOPS = """
def maxpool_backward(dout, cache):
    x, size, stride = cache
    N, C = x.shape[:2]
    dx = np.zeros(x.shape)
    for n in range(N):
        for c in range(C):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
                    u, v = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + u, j * stride + v] += dout[n, c, i, j]
    return dx
"""

_AVGPOOL_LOOPS = """
def avgpool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros(x.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            share = dout[:, :, i, j] / (size * size)
            dx[:, :, i * stride:i * stride + size, j * stride:j * stride + size] += share[:, :, None, None]
    return dx
"""

_SOFTMAX = """
def softmax_loss(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1
    return loss, dscores / N
"""

_AFFINE = """
def affine_backward(dout, cache):
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    return (dout @ w.T).reshape(x.shape), x_flat.T @ dout, dout.sum(axis=0)
"""

WRONG = {
    "numerical_gradient": {
        "one-sided differences": _NUMERICAL.replace("x[i] = old - h\n", "x[i] = old\n").replace(
            "(plus - minus) / (2 * h)", "(plus - minus) / h"
        ),
        "x not restored on the caller's array": """
def numerical_gradient(f, x, dout, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += h
        plus = np.sum(f(x) * dout)
        x[i] -= 2 * h
        minus = np.sum(f(x) * dout)
        grad[i] = (plus - minus) / (2 * h)
    return grad
""",
        "x not restored on a float64 copy": _NUMERICAL.replace("        x[i] = old\n", ""),
        "dout ignored": _NUMERICAL.replace("np.sum(f(x) * dout)", "np.sum(f(x))"),
        "divided by h, not 2h": _NUMERICAL.replace("/ (2 * h)", "/ h"),
        "h ignored": _NUMERICAL.replace("old + h", "old + 1e-5")
        .replace("old - h", "old - 1e-5")
        .replace("/ (2 * h)", "/ 2e-5"),
        "f(x) kept and summed after x changed": """
def numerical_gradient(f, x, dout, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f(x)
        x[i] = old - h
        minus = f(x)
        x[i] = old
        grad[i] = np.sum((plus - minus) * dout) / (2 * h)
    return grad
""",
        "restores by adding h back (rounding moves x)": """
def numerical_gradient(f, x, dout, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += h
        plus = np.sum(f(x) * dout)
        x[i] -= 2 * h
        minus = np.sum(f(x) * dout)
        x[i] += h
        grad[i] = (plus - minus) / (2 * h)
    return grad
""",
        "float32 x perturbed in float32": _NUMERICAL.replace(
            "x = np.array(x, dtype=np.float64)", "x = np.array(x)"
        ).replace("grad = np.zeros_like(x)", "grad = np.zeros(x.shape)"),
    },
    "relu_backward": {
        "passes where x == 0": "\ndef relu_backward(dout, cache):\n    return dout * (cache >= 0)\n",
        "passes where x < 0": "\ndef relu_backward(dout, cache):\n    return dout * (cache < 0)\n",
        "ReLU of dout": "\ndef relu_backward(dout, cache):\n    return np.maximum(dout, 0)\n",
        "the mask without dout": "\ndef relu_backward(dout, cache):\n    return (cache > 0).astype(float)\n",
        "zeroes dout in place": "\ndef relu_backward(dout, cache):\n    dout[cache <= 0] = 0\n    return dout\n",
    },
    "affine_backward": {
        "dw transposed": _AFFINE.replace("x_flat.T @ dout", "dout.T @ x_flat"),
        "dx not reshaped": _AFFINE.replace("(dout @ w.T).reshape(x.shape)", "dout @ w.T"),
        "db averaged over the batch": _AFFINE.replace("dout.sum(axis=0)", "dout.mean(axis=0)"),
        "db summed over axis 1": _AFFINE.replace("dout.sum(axis=0)", "dout.sum(axis=1)"),
        "dw divided by N": _AFFINE.replace("x_flat.T @ dout,", "x_flat.T @ dout / len(x),"),
    },
    "softmax_loss": {
        "no max shift (overflow)": _SOFTMAX.replace(
            "scores - scores.max(axis=1, keepdims=True)", "scores"
        ),
        "loss summed over the batch": _SOFTMAX.replace(
            "log_probs[np.arange(N), y].mean()", "log_probs[np.arange(N), y].sum()"
        ),
        "dscores not divided by N": _SOFTMAX.replace("dscores / N", "dscores"),
        "log of the probabilities (log 0 for a confident wrong answer)": """
def softmax_loss(scores, y):
    N = scores.shape[0]
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(N), y]).mean()
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return loss, dscores / N
""",
        "one-hot not subtracted": _SOFTMAX.replace("    dscores[np.arange(N), y] -= 1\n", ""),
        "shifts the scores in place": _SOFTMAX.replace(
            "    shifted = scores - scores.max(axis=1, keepdims=True)\n",
            "    scores -= scores.max(axis=1, keepdims=True)\n    shifted = scores\n",
        ),
    },
    "conv_backward": {
        "dw from the last image only": _CONV_LOOPS.replace(
            "    dw = np.zeros(w.shape)\n    for n in range(N):\n",
            "    for n in range(N):\n        dw = np.zeros(w.shape)\n",
        ),
        "dw averaged over the batch": _CONV_LOOPS.replace("return dxp[", "return dxp[").replace(
            ", dw, db\n", ", dw / N, db\n"
        ),
        "db summed over the wrong axes": _CONV_LOOPS.replace(
            "dout.sum(axis=(0, 2, 3))", "dout.sum(axis=(2, 3))"
        ),
        "stride ignored": _CONV_LOOPS.replace("r, c = i * stride, j * stride", "r, c = i, j"),
        "padding not cropped": _CONV_LOOPS.replace(
            "return dxp[:, :, top:top + H, top:top + W], dw, db", "return dxp, dw, db"
        ),
        "crops with [p:-p]": _CONV_LOOPS.replace(
            "return dxp[:, :, top:top + H, top:top + W], dw, db",
            "return dxp[:, :, top:-bottom, top:-bottom], dw, db",
        ),
        "a pad pair read as its first number": _CONV_LOOPS.replace(
            "top, bottom = (pad, pad) if isinstance(pad, int) else pad",
            "top = bottom = pad if isinstance(pad, int) else pad[0]",
        ),
        "dx with the kernel not flipped": """
from scipy.signal import correlate2d

def conv_backward(dout, cache):
    x, w, b, conv = cache
    stride, pad = conv["stride"], conv["pad"]
    top, bottom = (pad, pad) if isinstance(pad, int) else pad
    N, C, H, W = x.shape
    F = w.shape[0]
    up = np.zeros(dout.shape[:2] + ((dout.shape[2] - 1) * stride + 1, (dout.shape[3] - 1) * stride + 1))
    up[:, :, ::stride, ::stride] = dout
    xp = np.pad(x, ((0, 0), (0, 0), (top, bottom), (top, bottom)))
    dxp = np.array([[sum(correlate2d(up[n, f], w[f, c], "full") for f in range(F)) for c in range(C)] for n in range(N)])
    dw = np.array([[sum(correlate2d(xp[n, c], up[n, f], "valid") for n in range(N)) for c in range(C)] for f in range(F)])
    return dxp[:, :, top:top + H, top:top + W], dw, dout.sum(axis=(0, 2, 3))
""",
    },
    "maxpool_backward": {
        "routes to every tied maximum": """
def maxpool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros(x.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            mask = window == window.max(axis=(2, 3), keepdims=True)
            dx[:, :, i * stride:i * stride + size, j * stride:j * stride + size] += mask * dout[:, :, i, j, None, None]
    return dx
""",
        "splits the gradient among ties": """
def maxpool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros(x.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            mask = window == window.max(axis=(2, 3), keepdims=True)
            mask = mask / mask.sum(axis=(2, 3), keepdims=True)
            dx[:, :, i * stride:i * stride + size, j * stride:j * stride + size] += mask * dout[:, :, i, j, None, None]
    return dx
""",
        "the last maximum wins (>=)": """
def maxpool_backward(dout, cache):
    x, size, stride = cache
    N, C = x.shape[:2]
    dx = np.zeros(x.shape)
    for n in range(N):
        for c in range(C):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    best, where = -np.inf, None
                    for u in range(size):
                        for v in range(size):
                            value = x[n, c, i * stride + u, j * stride + v]
                            if value >= best:
                                best, where = value, (i * stride + u, j * stride + v)
                    dx[n, c, where[0], where[1]] += dout[n, c, i, j]
    return dx
""",
        "stride ignored": _MAXPOOL_LOOPS.replace("i * stride", "i").replace("j * stride", "j"),
        "argmax position not offset by the window start": _MAXPOOL_LOOPS.replace(
            "dx[n, c, i * stride + u, j * stride + v]", "dx[n, c, u, v]"
        ),
        "argmax over the whole map": """
def maxpool_backward(dout, cache):
    x, size, stride = cache
    N, C, H, W = x.shape
    dx = np.zeros(x.shape)
    for n in range(N):
        for c in range(C):
            r, q = np.unravel_index(np.argmax(x[n, c]), (H, W))
            dx[n, c, r, q] += dout[n, c].sum()
    return dx
""",
        "overlapping windows overwrite": """
def maxpool_backward(dout, cache):
    x, size, stride = cache
    N, C = x.shape[:2]
    dx = np.zeros(x.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].reshape(N, C, -1)
            onehot = np.arange(size * size) == window.argmax(axis=2)[..., None]
            dx[:, :, i * stride:i * stride + size, j * stride:j * stride + size] = (onehot * dout[:, :, i, j, None]).reshape(N, C, size, size)
    return dx
""",
    },
    "avgpool_backward": {
        "not divided by the window size": _AVGPOOL_LOOPS.replace(" / (size * size)", ""),
        "divided by size, not size * size": _AVGPOOL_LOOPS.replace("/ (size * size)", "/ size"),
        "stride ignored": _AVGPOOL_LOOPS.replace("i * stride", "i").replace("j * stride", "j"),
        "overlapping windows overwrite": _AVGPOOL_LOOPS.replace("] += share", "] = share"),
        "integer buffer (zeros_like of an integer x)": _AVGPOOL_LOOPS.replace(
            "np.zeros(x.shape)", "np.zeros_like(x)"
        ),
    },
}

CORRECT = {
    "numerical_gradient": {
        "loop over np.ndindex on a float64 copy": _NUMERICAL,
        "one-hot steps, x never written": """
def numerical_gradient(f, x, dout, h=1e-5):
    x = np.asarray(x, dtype=np.float64)
    grad = np.zeros(x.size)
    for k in range(x.size):
        step = np.zeros(x.size)
        step[k] = h
        step = step.reshape(x.shape)
        grad[k] = (np.sum(f(x + step) * dout) - np.sum(f(x - step) * dout)) / (2 * h)
    return grad.reshape(x.shape)
""",
        "np.nditer over the caller's x, restored exactly (CS231n style)": """
def numerical_gradient(f, x, dout, h=1e-5):
    work = x.astype(np.float64)
    grad = np.zeros_like(work)
    it = np.nditer(work, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = work[ix]
        work[ix] = oldval + h
        pos = np.copy(f(work))
        work[ix] = oldval - h
        neg = np.copy(f(work))
        work[ix] = oldval
        grad[ix] = np.sum((pos - neg) * dout) / (2 * h)
        it.iternext()
    return grad
""",
    },
    "relu_backward": {
        "np.where": "\ndef relu_backward(dout, cache):\n    return np.where(cache > 0, dout, 0.0)\n",
        "mask times dout, float32 kept": "\ndef relu_backward(dout, cache):\n    return dout * (cache > 0).astype(dout.dtype)\n",
        "copy, then zero where x <= 0": "\ndef relu_backward(dout, cache):\n    dx = np.array(dout, dtype=float)\n    dx[cache <= 0] = 0\n    return dx\n",
    },
    "affine_backward": {
        "matrix products": _AFFINE,
        "einsum in float64": """
def affine_backward(dout, cache):
    x, w, b = cache
    x_flat = x.reshape(len(x), -1).astype(np.float64)
    dx = np.einsum("nm,dm->nd", dout, w).reshape(x.shape)
    return dx, np.einsum("nd,nm->dm", x_flat, dout), np.einsum("nm->m", dout)
""",
        "tensordot, loops over samples for dw": """
def affine_backward(dout, cache):
    x, w, b = cache
    dx = np.tensordot(dout, w, axes=([1], [1])).reshape(x.shape)
    dw = np.zeros(w.shape, dtype=np.result_type(x, dout))
    for n in range(len(x)):
        dw += np.outer(x[n].ravel(), dout[n])
    return dx, dw, np.sum(dout, axis=0)
""",
    },
    "softmax_loss": {
        "log-softmax, vectorised": _SOFTMAX,
        "a loop over samples with np.logaddexp": """
def softmax_loss(scores, y):
    N = len(scores)
    loss = 0.0
    dscores = np.zeros(scores.shape)
    for n in range(N):
        log_z = np.logaddexp.reduce(scores[n].astype(np.float64))
        loss += log_z - scores[n, y[n]]
        dscores[n] = np.exp(scores[n] - log_z)
        dscores[n, y[n]] -= 1
    return loss / N, dscores / N
""",
        "float32 kept": """
def softmax_loss(scores, y):
    N = scores.shape[0]
    z = scores - np.max(scores, axis=1, keepdims=True)
    log_sum = np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    p = np.exp(z - log_sum)
    onehot = np.zeros_like(p)
    onehot[np.arange(N), y] = 1
    return float(np.mean(log_sum[:, 0] - z[np.arange(N), y])), ((p - onehot) / N).astype(scores.dtype)
""",
    },
    "conv_backward": {
        "loops over images, filters and positions": _CONV_LOOPS,
        "tensordot per output position, float32 kept": """
def conv_backward(dout, cache):
    x, w, b, conv = cache
    s, pad = conv["stride"], conv["pad"]
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    H, W = x.shape[2:]
    HH, WW = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            g = dout[:, :, i, j]
            dw += np.tensordot(g, xp[:, :, i * s:i * s + HH, j * s:j * s + WW], axes=([0], [0]))
            dxp[:, :, i * s:i * s + HH, j * s:j * s + WW] += np.tensordot(g, w, axes=([1], [0]))
    return dxp[:, :, p0:p0 + H, p0:p0 + W], dw, dout.sum(axis=(0, 2, 3))
""",
        "im2col with as_strided and one matrix product": """
def conv_backward(dout, cache):
    x, w, b, conv = cache
    s, pad = conv["stride"], conv["pad"]
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    Ho, Wo = dout.shape[2:]
    xp = np.ascontiguousarray(np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1))))
    sn, sc, sh, sw = xp.strides
    windows = np.lib.stride_tricks.as_strided(xp, (N, Ho, Wo, C, HH, WW), (sn, sh * s, sw * s, sc, sh, sw))
    cols = windows.reshape(N * Ho * Wo, C * HH * WW)
    d = dout.transpose(0, 2, 3, 1).reshape(N * Ho * Wo, F)
    dw = (d.T @ cols).reshape(w.shape)
    dcols = (d @ w.reshape(F, -1)).reshape(N, Ho, Wo, C, HH, WW)
    dxp = np.zeros(xp.shape, dtype=dcols.dtype)
    for i in range(Ho):
        for j in range(Wo):
            dxp[:, :, i * s:i * s + HH, j * s:j * s + WW] += dcols[:, i, j]
    return dxp[:, :, p0:p0 + H, p0:p0 + W], dw, d.sum(axis=0)
""",
        "full convolution with the flipped kernel (einsum on windows)": """
def conv_backward(dout, cache):
    x, w, b, conv = cache
    s, pad = conv["stride"], conv["pad"]
    p0, p1 = (pad, pad) if np.ndim(pad) == 0 else pad
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    Ho, Wo = dout.shape[2:]
    up = np.zeros((N, F, (Ho - 1) * s + 1, (Wo - 1) * s + 1))
    up[:, :, ::s, ::s] = dout
    xp = np.pad(x, ((0, 0), (0, 0), (p0, p1), (p0, p1))).astype(np.float64)
    view = np.lib.stride_tricks.sliding_window_view
    dw = np.einsum("nchwuv,nfuv->fchw", view(xp, up.shape[2:], axis=(2, 3)), up)
    framed = np.pad(up, ((0, 0), (0, 0), (HH - 1, HH - 1), (WW - 1, WW - 1)))
    flipped = w[:, :, ::-1, ::-1]
    dxp = np.einsum("nfhwuv,fcuv->nchw", view(framed, (HH, WW), axis=(2, 3)), flipped)
    return dxp[:, :, p0:p0 + H, p0:p0 + W], dw, dout.sum(axis=(0, 2, 3))
""",
    },
    "maxpool_backward": {
        "loops with np.argmax per window": _MAXPOOL_LOOPS,
        "sliding windows, argmax and np.add.at, float32 kept": """
def maxpool_backward(dout, cache):
    x, size, stride = cache
    N, C = x.shape[:2]
    Ho, Wo = dout.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    first = win.reshape(N, C, Ho, Wo, -1).argmax(axis=-1)
    n, c, i, j = np.indices((N, C, Ho, Wo))
    dx = np.zeros(x.shape, dtype=dout.dtype)
    np.add.at(dx, (n, c, i * stride + first // size, j * stride + first % size), dout)
    return dx
""",
        "as_strided windows, strict > scan": """
def maxpool_backward(dout, cache):
    x, size, stride = cache
    x = np.ascontiguousarray(x)
    N, C, H, W = x.shape
    Ho, Wo = dout.shape[2:]
    sn, sc, sh, sw = x.strides
    win = np.lib.stride_tricks.as_strided(x, (N, C, Ho, Wo, size, size), (sn, sc, sh * stride, sw * stride, sh, sw))
    dx = np.zeros(x.shape)
    best = win[..., 0, 0].copy()
    pos = np.zeros((N, C, Ho, Wo), dtype=int)
    for k in range(1, size * size):
        value = win[..., k // size, k % size]
        better = value > best
        best = np.where(better, value, best)
        pos = np.where(better, k, pos)
    for i in range(Ho):
        for j in range(Wo):
            for n in range(N):
                for c in range(C):
                    k = pos[n, c, i, j]
                    dx[n, c, i * stride + k // size, j * stride + k % size] += dout[n, c, i, j]
    return dx
""",
    },
    "avgpool_backward": {
        "loops over windows": _AVGPOOL_LOOPS,
        "sum of shifted strided slices, float32 kept": """
def avgpool_backward(dout, cache):
    x, size, stride = cache
    Ho, Wo = dout.shape[2:]
    dx = np.zeros(x.shape, dtype=np.result_type(dout, 1.0))
    share = dout / (size * size)
    for u in range(size):
        for v in range(size):
            dx[:, :, u:u + (Ho - 1) * stride + 1:stride, v:v + (Wo - 1) * stride + 1:stride] += share
    return dx
""",
        "np.add.at over every tap": """
def avgpool_backward(dout, cache):
    x, size, stride = cache
    N, C, Ho, Wo = dout.shape
    n, c, i, j, u, v = np.indices((N, C, Ho, Wo, size, size), sparse=True)
    dx = np.zeros(x.shape)
    np.add.at(dx, (n, c, i * stride + u, j * stride + v), np.broadcast_to(dout[..., None, None] / size**2, (N, C, Ho, Wo, size, size)))
    return dx
""",
    },
}
