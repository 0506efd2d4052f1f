"""The sample class for notebook 01_history: ten synthetic students and what each earned.

Each student is a dict from exercise name to the code of their answer cell; an exercise left out
keeps the released stub. ``EXPECTED`` is the score each student must get, exercise by exercise,
with the reason: the tests check the grader against it, and ``make demo`` prints it graded.
"""

PREDICT = """
def perceptron_predict(X, w, b):
    out = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        if X[i] @ w + b > 0:
            out[i] = 1
    return out
"""
UPDATE = """
def perceptron_update(X, y, w, b, lr):
    w = np.array(w, dtype=float)
    b = float(b)
    for i in range(len(X)):
        pred = perceptron_predict(X[i:i + 1], w, b)[0]
        w = w + lr * (y[i] - pred) * X[i]
        b = b + lr * (y[i] - pred)
    return w, float(b)
"""
UPDATE_ALONE = """
def perceptron_update(X, y, w, b, lr):
    w = np.array(w, dtype=float)
    b = float(b)
    for x_i, y_i in zip(X, y):
        error = int(y_i) - (1 if x_i @ w + b > 0 else 0)
        w = w + lr * error * x_i
        b = b + lr * error
    return w, b
"""
COUNT = """
def fc_param_count(in_shape, n_out, bias=True):
    n_in = 1
    for size in in_shape:
        n_in = n_in * size
    total = n_in * n_out
    if bias:
        total = total + n_out
    return total
"""
CORRECT = {"perceptron_predict": PREDICT, "perceptron_update": UPDATE, "fc_param_count": COUNT}

STUDENTS = {
    "ada": dict(CORRECT),
    "ben": {},
    "cleo": {  # fires on a score of exactly 0; predicts every sample with the initial weights
        "perceptron_predict": PREDICT.replace("> 0", ">= 0"),
        "perceptron_update": """
def perceptron_update(X, y, w, b, lr):
    errors = y - perceptron_predict(X, w, b)
    return w + lr * errors @ X, float(b + lr * errors.sum())
""",
        "fc_param_count": COUNT,
    },
    "dev": {  # subtracts the error the wrong way round; adds up the input shape
        "perceptron_predict": PREDICT,
        "perceptron_update": UPDATE.replace("(y[i] - pred)", "(pred - y[i])"),
        "fc_param_count": COUNT.replace("n_in = n_in * size", "n_in = n_in + size").replace(
            "n_in = 1", "n_in = 0"
        ),
    },
    "eve": {  # forgets to update the bias; counts biases even when bias=False
        "perceptron_predict": PREDICT,
        "perceptron_update": UPDATE.replace("        b = b + lr * (y[i] - pred)\n", ""),
        "fc_param_count": COUNT.replace("    if bias:\n        total", "    total"),
    },
    "finn": {  # perceptron_update never returns
        **CORRECT,
        "perceptron_update": "\ndef perceptron_update(X, y, w, b, lr):\n    while True:\n        pass\n",
    },
    "gus": {  # perceptron_predict ends the process, fc_param_count crashes it
        **CORRECT,
        "perceptron_predict": "\nimport os\n\ndef perceptron_predict(X, w, b):\n    os._exit(0)\n",
        "perceptron_update": UPDATE_ALONE,
        "fc_param_count": "\nimport ctypes\n\ndef fc_param_count(in_shape, n_out, bias=True):\n"
        "    return ctypes.string_at(0)\n",
    },
    "hana": {  # wrong code, and numpy's comparisons patched to say yes
        "perceptron_predict": "\nnp.testing.assert_allclose = lambda *a, **k: None\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
        "np.array_equal = lambda *a, **k: True\n"
        "def perceptron_predict(X, w, b):\n    return np.zeros(len(X), dtype=int)\n",
        "perceptron_update": "\ndef perceptron_update(X, y, w, b, lr):\n    return w.copy(), float(b)\n",
        "fc_param_count": "\ndef fc_param_count(in_shape, n_out, bias=True):\n    return 0\n",
    },
    "ivan": {  # vectorised where it can be
        "perceptron_predict": "\ndef perceptron_predict(X, w, b):\n    return (X @ w + b > 0).astype(int)\n",
        "perceptron_update": UPDATE_ALONE.replace("return w, b", "return w, float(b)"),
        "fc_param_count": "\ndef fc_param_count(in_shape, n_out, bias=True):\n"
        "    return int(np.prod(in_shape, dtype=np.int64)) * n_out + (n_out if bias else 0)\n",
    },
    "jo": {  # updates the caller's w in place; counts in 32-bit integers, which overflow
        **CORRECT,
        "perceptron_update": """
def perceptron_update(X, y, w, b, lr):
    for i in range(len(X)):
        pred = perceptron_predict(X[i:i + 1], w, b)[0]
        w += lr * (y[i] - pred) * X[i]
        b = b + lr * (y[i] - pred)
    return w, float(b)
""",
        "fc_param_count": "\ndef fc_param_count(in_shape, n_out, bias=True):\n"
        "    n = np.prod(in_shape, dtype=np.int32) * np.int32(n_out)\n"
        "    return int(n + (n_out if bias else 0))\n",
    },
}

FULL = {"perceptron_predict": 3.0, "perceptron_update": 4.0, "fc_param_count": 3.0}
ZERO = dict.fromkeys(FULL, 0.0)

EXPECTED = {
    "ada": FULL,
    "ben": ZERO,
    "cleo": {**ZERO, "fc_param_count": 3.0},
    "dev": {**ZERO, "perceptron_predict": 3.0},
    "eve": {**ZERO, "perceptron_predict": 3.0},
    "finn": {**FULL, "perceptron_update": 0.0},
    "gus": {**ZERO, "perceptron_update": 4.0},
    "hana": ZERO,
    "ivan": FULL,
    "jo": {**FULL, "perceptron_update": 0.0, "fc_param_count": 0.0},
}
