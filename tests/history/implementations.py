"""Implementations of the 01_history exercises: plausible mistakes and correct variants."""

WRONG = {
    "perceptron_predict": {
        ">= instead of > (a score of 0 gives 1)": """
def perceptron_predict(X, w, b):
    return (X @ w + b >= 0).astype(int)
""",
        "bias ignored": """
def perceptron_predict(X, w, b):
    return (X @ w > 0).astype(int)
""",
        "returns the scores, not labels": """
def perceptron_predict(X, w, b):
    return X @ w + b
""",
        "labels -1/+1 from np.sign": """
def perceptron_predict(X, w, b):
    return np.sign(X @ w + b).astype(int)
""",
        "bias subtracted": """
def perceptron_predict(X, w, b):
    out = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        out[i] = 1 if X[i] @ w - b > 0 else 0
    return out
""",
        "labels as a column (N, 1)": """
def perceptron_predict(X, w, b):
    return (X @ w[:, None] + b > 0).astype(int)
""",
    },
    "perceptron_update": {
        "batch update (all predictions from the initial weights)": """
def perceptron_update(X, y, w, b, lr):
    pred = (X @ w + b > 0).astype(int)
    err = y - pred
    return w + lr * err @ X, float(b + lr * err.sum())
""",
        "bias never updated": """
def perceptron_update(X, y, w, b, lr):
    w = w.copy()
    for x_i, y_i in zip(X, y):
        pred = 1 if x_i @ w + b > 0 else 0
        w = w + lr * (y_i - pred) * x_i
    return w, float(b)
""",
        "sign flipped (pred - y)": """
def perceptron_update(X, y, w, b, lr):
    w = w.copy()
    for x_i, y_i in zip(X, y):
        pred = 1 if x_i @ w + b > 0 else 0
        w = w + lr * (pred - y_i) * x_i
        b = b + lr * (pred - y_i)
    return w, float(b)
""",
        "mutates w in place": """
def perceptron_update(X, y, w, b, lr):
    for x_i, y_i in zip(X, y):
        pred = 1 if x_i @ w + b > 0 else 0
        w += lr * (y_i - pred) * x_i
        b += lr * (y_i - pred)
    return w, float(b)
""",
        "learning rate ignored": """
def perceptron_update(X, y, w, b, lr):
    w = w.copy()
    for x_i, y_i in zip(X, y):
        err = y_i - (1 if x_i @ w + b > 0 else 0)
        w = w + err * x_i
        b = b + err
    return w, float(b)
""",
        ">= in the prediction": """
def perceptron_update(X, y, w, b, lr):
    w = w.copy()
    for x_i, y_i in zip(X, y):
        err = y_i - (1 if x_i @ w + b >= 0 else 0)
        w = w + lr * err * x_i
        b = b + lr * err
    return w, float(b)
""",
        "return inside the loop": """
def perceptron_update(X, y, w, b, lr):
    w = w.copy()
    for x_i, y_i in zip(X, y):
        err = y_i - (1 if x_i @ w + b > 0 else 0)
        w = w + lr * err * x_i
        b = b + lr * err
        return w, float(b)
""",
        "returns a list [w, b]": """
def perceptron_update(X, y, w, b, lr):
    w = w.copy()
    for x_i, y_i in zip(X, y):
        err = y_i - (1 if x_i @ w + b > 0 else 0)
        w = w + lr * err * x_i
        b = b + lr * err
    return [w, float(b)]
""",
    },
    "fc_param_count": {
        "bias ignored": """
def fc_param_count(in_shape, n_out, bias=True):
    return int(np.prod(in_shape)) * n_out
""",
        "bias always added": """
def fc_param_count(in_shape, n_out, bias=True):
    return int(np.prod(in_shape)) * n_out + n_out
""",
        "shape summed, not multiplied": """
def fc_param_count(in_shape, n_out, bias=True):
    return sum(in_shape) * n_out + (n_out if bias else 0)
""",
        "one bias per input": """
def fc_param_count(in_shape, n_out, bias=True):
    n_in = int(np.prod(in_shape))
    return n_in * n_out + (n_in if bias else 0)
""",
        "a single bias (int(bias))": """
def fc_param_count(in_shape, n_out, bias=True):
    return int(np.prod(in_shape)) * n_out + int(bias)
""",
        "counted in 32-bit integers (overflow)": """
def fc_param_count(in_shape, n_out, bias=True):
    n = np.prod(in_shape, dtype=np.int32) * np.int32(n_out)
    return int(n + (n_out if bias else 0))
""",
    },
}

CORRECT = {
    "perceptron_predict": {
        "vectorised, astype(int)": """
def perceptron_predict(X, w, b):
    return (X @ w + b > 0).astype(int)
""",
        "loop over samples": """
def perceptron_predict(X, w, b):
    out = np.zeros(X.shape[0], dtype=np.int64)
    for i in range(X.shape[0]):
        if np.dot(X[i], w) + b > 0:
            out[i] = 1
    return out
""",
        "np.where in float64, int8 labels": """
def perceptron_predict(X, w, b):
    scores = np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b
    return np.where(scores > 0, 1, 0).astype(np.int8)
""",
    },
    "perceptron_update": {
        "loop with a copy": """
def perceptron_update(X, y, w, b, lr):
    w = np.array(w, dtype=float)
    b = float(b)
    for i in range(len(X)):
        pred = 1 if X[i] @ w + b > 0 else 0
        w += lr * (y[i] - pred) * X[i]
        b += lr * (y[i] - pred)
    return w, float(b)
""",
        "only on mistakes, float32 kept": """
def perceptron_update(X, y, w, b, lr):
    w = w.copy()
    for x_i, y_i in zip(X, y):
        pred = int(np.dot(x_i, w) + b > 0)
        if pred != y_i:
            step = lr * (int(y_i) - pred)
            w = w + step * x_i
            b = b + step
    return w, float(b)
""",
        "python floats": """
def perceptron_update(X, y, w, b, lr):
    w = [float(v) for v in w]
    for x_i, y_i in zip(X.tolist(), y.tolist()):
        s = sum(a * c for a, c in zip(x_i, w)) + b
        err = y_i - (1 if s > 0 else 0)
        w = [wj + lr * err * xj for wj, xj in zip(w, x_i)]
        b = b + lr * err
    return np.array(w), b
""",
        "bias left a NumPy scalar (np.float64)": """
def perceptron_update(X, y, w, b, lr):
    w = w.astype(float)
    for x_i, y_i in zip(X, y):
        err = y_i - (x_i @ w + b > 0)
        w = w + lr * err * x_i
        b = b + lr * err
    return w, b
""",
    },
    "fc_param_count": {
        "np.prod in int64": """
def fc_param_count(in_shape, n_out, bias=True):
    n_in = int(np.prod(in_shape, dtype=np.int64))
    return n_in * n_out + (n_out if bias else 0)
""",
        "loop in Python ints": """
def fc_param_count(in_shape, n_out, bias=True):
    n_in = 1
    for s in in_shape:
        n_in *= s
    weights = n_in * n_out
    if bias:
        weights += n_out
    return weights
""",
        "math.prod, (inputs + 1) per output": """
def fc_param_count(in_shape, n_out, bias=True):
    import math
    return (math.prod(in_shape) + (1 if bias else 0)) * n_out
""",
        "a NumPy int64 scalar": """
def fc_param_count(in_shape, n_out, bias=True):
    return np.prod(in_shape, dtype=np.int64) * n_out + (n_out if bias else 0)
""",
    },
}
