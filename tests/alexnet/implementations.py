"""Known-wrong and alternative-correct answers for notebook 07_alexnet's exercises.

Every WRONG answer must lose its exercise's points and every CORRECT one keep them, in the
sandbox and in the kernel (tests/test_implementations.py). The train_cnn answers are
self-contained (their own layers), so they need no support cell; the wrong ones are cheap (no
training, a constant, a lookup, hard-coded answers, a peek at the notebook's test labels), the
correct ones small networks that train in well under a second.
"""

from grader.alexnet.cases import visible_split

_FORWARD_CHECK = """
    if not 0 <= p < 1:
        raise ValueError(f"p = {p} is not a probability below 1")
"""


def _forward(body: str, check: str = _FORWARD_CHECK) -> str:
    return "\ndef dropout_forward(x, p, train, rng):" + check + body


def _hard_coded_visible() -> str:
    """train_cnn that returns the visible check's labels, written out, whatever it is given."""
    labels = visible_split()[3].tolist()
    return (
        "\nVISIBLE = np.array(" + repr(labels) + ")\n\n\n"
        "def train_cnn(X_train, y_train, X_eval, seed=0):\n"
        "    if len(X_eval) == len(VISIBLE):\n"
        "        return VISIBLE.copy()\n"
        "    return np.zeros(len(X_eval), dtype=int)\n"
    )


WRONG = {
    "dropout_forward": {
        "kept units not rescaled": _forward("""
    if not train:
        return x.copy(), (None, p, False)
    mask = rng.random(x.shape) >= p
    return x * mask, (mask, p, True)
"""),
        "rescaled at test time (the original paper's dropout, half inverted)": _forward("""
    if not train:
        return x * (1 - p), (None, p, False)
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), (mask, p, True)
"""),
        "p read as the keep probability": _forward("""
    if not train:
        return x.copy(), (None, p, False)
    mask = rng.random(x.shape) < p
    return x * mask / p, (mask, p, True)
"""),
        "one mask drawn once and reused": "\n_MASKS = {}\n"
        + _forward("""
    if not train:
        return x.copy(), (None, p, False)
    if x.shape not in _MASKS:
        _MASKS[x.shape] = rng.random(x.shape) >= p
    mask = _MASKS[x.shape]
    return x * mask / (1 - p), (mask, p, True)
"""),
        "mask from np.random, not from rng": _forward("""
    if not train:
        return x.copy(), (None, p, False)
    mask = np.random.rand(*x.shape) >= p
    return x * mask / (1 - p), (mask, p, True)
"""),
        "units dropped at test time too": _forward("""
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), (mask, p, train)
"""),
        "no ValueError for p = 1": _forward(
            """
    if not train:
        return x.copy(), (None, p, False)
    mask = rng.random(x.shape) >= p
    with np.errstate(all="ignore"):
        return x * mask / (1 - p), (mask, p, True)
""",
            check="",
        ),
    },
    "dropout_backward": {
        "not rescaled": """
def dropout_backward(dout, cache):
    mask, p, train = cache
    return dout * mask if train else dout.copy()
""",
        "mask ignored": """
def dropout_backward(dout, cache):
    mask, p, train = cache
    return dout / (1 - p) if train else dout.copy()
""",
        "p read as the keep probability": """
def dropout_backward(dout, cache):
    mask, p, train = cache
    return dout * mask / p if train else dout.copy()
""",
        "rescaled at test time": """
def dropout_backward(dout, cache):
    mask, p, train = cache
    return dout * mask / (1 - p) if train else dout * (1 - p)
""",
        "mask applied after a test pass (mask is None)": """
def dropout_backward(dout, cache):
    mask, p, train = cache
    return dout * mask / (1 - p)
""",
    },
    "alexnet_param_counts": {
        "biases forgotten": """
def alexnet_param_counts():
    return {"conv1": 96 * 11 * 11 * 3, "conv2": 256 * 5 * 5 * 48, "conv3": 384 * 3 * 3 * 256,
            "conv4": 384 * 3 * 3 * 192, "conv5": 256 * 3 * 3 * 192, "fc6": 9216 * 4096,
            "fc7": 4096 * 4096, "fc8": 4096 * 1000}
""",
        "the two-GPU grouping ignored (every filter sees all channels)": """
def alexnet_param_counts():
    def conv(f, k, c):
        return f * (k * k * c + 1)
    return {"conv1": conv(96, 11, 3), "conv2": conv(256, 5, 96), "conv3": conv(384, 3, 256),
            "conv4": conv(384, 3, 384), "conv5": conv(256, 3, 384), "fc6": 4096 * 9217,
            "fc7": 4096 * 4097, "fc8": 1000 * 4097}
""",
        "each GPU's half counted as a whole layer (double-counted)": """
def alexnet_param_counts():
    def conv(f, k, c):
        return f * (k * k * c + 1)
    one_gpu = {"conv1": conv(96, 11, 3), "conv2": conv(256, 5, 48), "conv3": conv(384, 3, 256),
               "conv4": conv(384, 3, 192), "conv5": conv(256, 3, 192), "fc6": 4096 * 9217,
               "fc7": 4096 * 4097, "fc8": 1000 * 4097}
    return {name: 2 * count for name, count in one_gpu.items()}
""",
        "CONV3 grouped like its neighbours": """
def alexnet_param_counts():
    def conv(f, k, c):
        return f * (k * k * c + 1)
    return {"conv1": conv(96, 11, 3), "conv2": conv(256, 5, 48), "conv3": conv(384, 3, 128),
            "conv4": conv(384, 3, 192), "conv5": conv(256, 3, 192), "fc6": 4096 * 9217,
            "fc7": 4096 * 4097, "fc8": 1000 * 4097}
""",
        "FC6 fed by CONV5 before pool5 (13 x 13 x 256)": """
def alexnet_param_counts():
    def conv(f, k, c):
        return f * (k * k * c + 1)
    return {"conv1": conv(96, 11, 3), "conv2": conv(256, 5, 48), "conv3": conv(384, 3, 256),
            "conv4": conv(384, 3, 192), "conv5": conv(256, 3, 192),
            "fc6": 4096 * (13 * 13 * 256 + 1), "fc7": 4096 * 4097, "fc8": 1000 * 4097}
""",
    },
    "train_cnn": {
        "no training: the starting weights predict": """
def train_cnn(X_train, y_train, X_eval, seed=0):
    w = np.random.default_rng(seed).normal(size=(64, 10))
    return (X_eval.reshape(len(X_eval), -1) @ w).argmax(axis=1)
""",
        "a constant: the most common training label": """
def train_cnn(X_train, y_train, X_eval, seed=0):
    return np.full(len(X_eval), np.bincount(y_train).argmax())
""",
        "labels looked up in scikit-learn's digits": """
def train_cnn(X_train, y_train, X_eval, seed=0):
    from sklearn.datasets import load_digits

    digits = load_digits()
    known = {(image / 16.0).tobytes(): label for image, label in zip(digits.images, digits.target)}
    return np.array([known.get(image[0].tobytes(), 0) for image in X_eval])
""",
        "the visible check's answers written out": _hard_coded_visible(),
        "peeks at the notebook's test labels": """
def train_cnn(X_train, y_train, X_eval, seed=0):
    return y_test[:len(X_eval)]
""",
        "scores instead of labels": """
def train_cnn(X_train, y_train, X_eval, seed=0):
    w = np.linalg.lstsq(X_train.reshape(len(X_train), -1), np.eye(10)[y_train], rcond=None)[0]
    return X_eval.reshape(len(X_eval), -1) @ w
""",
    },
}

CORRECT = {
    "dropout_forward": {
        "the notebook's solution": """
def dropout_forward(x, p, train, rng):
    if not 0 <= p < 1:
        raise ValueError(f"the drop probability p must be in [0, 1); got p = {p}")
    if not train:
        return np.array(x, copy=True), (None, p, False)
    mask = rng.random(np.shape(x)) >= p
    return x * mask / (1 - p), (mask, p, True)
""",
        "binomial mask, float32 stays float32": """
def dropout_forward(x, p, train, rng):
    if p < 0 or p >= 1:
        raise ValueError("p must be in [0, 1), got " + str(p))
    if not train:
        return x + 0, (None, p, train)
    keep = rng.binomial(1, 1 - p, size=x.shape).astype(bool)
    out = np.where(keep, x / x.dtype.type(1 - p), x.dtype.type(0))
    return out, (keep, p, train)
""",
        "a loop over the units": """
def dropout_forward(x, p, train, rng):
    if not (0 <= p < 1):
        raise ValueError(f"dropout needs 0 <= p < 1, got {p}")
    out = np.array(x, dtype=float)
    if not train:
        return out, (None, p, False)
    u = rng.random(x.shape)
    mask = np.zeros(x.shape, dtype=bool)
    for i in np.ndindex(x.shape):
        mask[i] = u[i] >= p
        out[i] = out[i] / (1 - p) if mask[i] else 0.0
    return out, (mask, p, True)
""",
    },
    "dropout_backward": {
        "where": """
def dropout_backward(dout, cache):
    mask, p, train = cache
    if not train:
        return dout.copy()
    return np.where(mask, dout / (1 - p), 0 * dout)
""",
        "a loop, float64": """
def dropout_backward(dout, cache):
    mask, p, train = cache
    dx = np.array(dout, dtype=np.float64)
    if train:
        for i in np.ndindex(dx.shape):
            dx[i] = dx[i] / (1 - p) if mask[i] else 0.0
    return dx
""",
    },
    "alexnet_param_counts": {
        "written out": """
def alexnet_param_counts():
    return {
        "conv1": 96 * 11 * 11 * 3 + 96,
        "conv2": 256 * 5 * 5 * 48 + 256,
        "conv3": 384 * 3 * 3 * 256 + 384,
        "conv4": 384 * 3 * 3 * 192 + 384,
        "conv5": 256 * 3 * 3 * 192 + 256,
        "fc6": 6 * 6 * 256 * 4096 + 4096,
        "fc7": 4096 * 4096 + 4096,
        "fc8": 4096 * 1000 + 1000,
    }
""",
        "two GPUs, each half counted once": """
def alexnet_param_counts():
    per_gpu = {  # filters on one GPU, kernel size, channels each filter sees
        "conv1": (48, 11, 3), "conv2": (128, 5, 48), "conv3": (192, 3, 256),
        "conv4": (192, 3, 192), "conv5": (128, 3, 192),
    }
    counts = {name: 2 * f * (k * k * c + 1) for name, (f, k, c) in per_gpu.items()}
    for name, (n_in, n_out) in {"fc6": (9216, 4096), "fc7": (4096, 4096),
                                "fc8": (4096, 1000)}.items():
        counts[name] = np.int64(n_in * n_out + n_out)
    return counts
""",
    },
    "train_cnn": {
        "one conv layer, windows as a matrix, max pooling": """
def train_cnn(X_train, y_train, X_eval, seed=0):
    rng = np.random.default_rng(seed)
    F = 12

    def windows(x):                                  # (N, C, 8, 8) -> (N, 8, 8, C * 9)
        padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
        w = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))
        return w.transpose(0, 2, 3, 1, 4, 5).reshape(x.shape[0], 8, 8, -1)

    def forward(p, x):
        cols = windows(x)
        h = cols @ p["k"] + p["c"]                   # (N, 8, 8, F)
        a = np.maximum(h, 0)
        blocks = a.reshape(len(x), 4, 2, 4, 2, F)
        pooled = blocks.max(axis=(2, 4))             # (N, 4, 4, F)
        flat = pooled.reshape(len(x), -1)
        return flat @ p["w"] + p["b"], (cols, h, a, blocks, pooled, flat)

    def backward(p, cache, dscores):
        cols, h, a, blocks, pooled, flat = cache
        g = {"w": flat.T @ dscores, "b": dscores.sum(axis=0)}
        dpooled = (dscores @ p["w"].T).reshape(pooled.shape)
        winner = blocks == pooled[:, :, None, :, None, :]
        first = winner & (np.cumsum(np.cumsum(winner, axis=2), axis=4) == 1)
        da = (first * dpooled[:, :, None, :, None, :]).reshape(a.shape)
        dh = da * (h > 0)
        g["k"] = cols.reshape(-1, cols.shape[-1]).T @ dh.reshape(-1, F)
        g["c"] = dh.sum(axis=(0, 1, 2))
        return g

    x = X_train - 0.3
    p = {"k": rng.normal(0, np.sqrt(2 / 9), (9, F)), "c": np.zeros(F),
         "w": rng.normal(0, np.sqrt(1 / (16 * F)), (16 * F, 10)), "b": np.zeros(10)}
    v = {k: np.zeros_like(val) for k, val in p.items()}
    steps, step = 10 * int(np.ceil(len(x) / 32)), 0
    for epoch in range(10):
        order = rng.permutation(len(x))
        for s in range(0, len(x), 32):
            idx = order[s:s + 32]
            scores, cache = forward(p, x[idx])
            e = np.exp(scores - scores.max(axis=1, keepdims=True))
            prob = e / e.sum(axis=1, keepdims=True)
            prob[np.arange(len(idx)), y_train[idx]] -= 1
            g = backward(p, cache, prob / len(idx))
            rate = 0.1 * 0.5 * (1 + np.cos(np.pi * step / steps))
            step += 1
            for k in p:
                v[k] = 0.9 * v[k] - rate * (g[k] + 1e-4 * p[k])
                p[k] = p[k] + v[k]
    return forward(p, X_eval - 0.3)[0].argmax(axis=1)
""",
        "float32, convolution by shifted copies, average pooling": """
def train_cnn(X_train, y_train, X_eval, seed=0):
    # float32 throughout; convolution as a sum of shifted copies; average pooling
    rng = np.random.default_rng(seed)
    f32 = np.float32
    F = 16

    def conv(x, k):                                   # x (N, 8, 8), k (3, 3, F) -> (N, 8, 8, F)
        padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
        out = np.zeros(x.shape + (F,), f32)
        for u in range(3):
            for v in range(3):
                out += padded[:, u:u + 8, v:v + 8, None] * k[u, v]
        return out

    def forward(p, x):
        h = conv(x, p["k"]) + p["c"]
        a = np.maximum(h, 0)
        pooled = a.reshape(len(x), 4, 2, 4, 2, F).mean(axis=(2, 4))
        flat = pooled.reshape(len(x), -1)
        return flat @ p["w"] + p["b"], (x, h, flat)

    x_all = ((X_train[:, 0] - 0.3) / 0.4).astype(f32)
    p = {"k": (rng.normal(size=(3, 3, F)) * 0.47).astype(f32), "c": np.zeros(F, f32),
         "w": (rng.normal(size=(16 * F, 10)) * 0.1).astype(f32), "b": np.zeros(10, f32)}
    mom = {k: np.zeros_like(val) for k, val in p.items()}
    for epoch in range(12):
        rate = f32(0.05 if epoch < 8 else 0.01)
        order = rng.permutation(len(x_all))
        for s in range(0, len(x_all), 32):
            idx = order[s:s + 32]
            x = x_all[idx]
            scores, (x, h, flat) = forward(p, x)
            e = np.exp(scores - scores.max(axis=1, keepdims=True))
            d = e / e.sum(axis=1, keepdims=True)
            d[np.arange(len(idx)), y_train[idx]] -= 1
            d /= len(idx)
            g = {"w": flat.T @ d, "b": d.sum(axis=0)}
            dpool = (d @ p["w"].T).reshape(len(idx), 4, 1, 4, 1, F) / 4
            dh = np.broadcast_to(dpool, (len(idx), 4, 2, 4, 2, F)).reshape(h.shape) * (h > 0)
            padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
            g["k"] = np.stack([np.stack([np.einsum("nij,nijf->f", padded[:, u:u + 8, v:v + 8], dh)
                                         for v in range(3)]) for u in range(3)])
            g["c"] = dh.sum(axis=(0, 1, 2))
            for k in p:
                mom[k] = f32(0.9) * mom[k] - rate * g[k].astype(f32)
                p[k] = p[k] + mom[k]
    x_eval = ((X_eval[:, 0] - 0.3) / 0.4).astype(f32)
    return forward(p, x_eval)[0].argmax(axis=1)
""",
    },
}
