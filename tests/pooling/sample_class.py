"""The sample class for notebook 04_pooling: ten synthetic students and what each earned.

Each student is a dict from exercise name to the code of their answer cell; an exercise left out
keeps the released stub. ``EXPECTED`` is the score each student must get, exercise by exercise,
with the reason: the tests check the grader against it, and ``make demo`` prints it graded.
"""

MAXPOOL = """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if size > H or size > W or (H - size) % stride or (W - size) % stride:
        raise ValueError(f"{size}x{size} windows, stride {stride} do not tile {H}x{W}")
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
                    out[n, c, i, j] = window.max()
    return out, (x, size, stride)
"""
AVGPOOL = MAXPOOL.replace("maxpool_forward", "avgpool_forward").replace(
    "window.max()", "window.mean()"
)
RECEPTIVE_FIELD = """
def receptive_field(layers):
    r, jump = 1, 1
    for k, s, d in layers:
        r += (k - 1) * d * jump
        jump *= s
    return r
"""
MAXPOOL_WINDOWS = """
def maxpool_forward(x, size=2, stride=2):
    H, W = x.shape[2:]
    if size > min(H, W) or (H - size) % stride or (W - size) % stride:
        raise ValueError(f"({H} - {size}) / {stride} + 1 or ({W} - {size}) / {stride} + 1 is no integer")
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
    return windows[:, :, ::stride, ::stride].max(axis=(4, 5)), (x, size, stride)
"""
AVGPOOL_WINDOWS = MAXPOOL_WINDOWS.replace("maxpool_forward", "avgpool_forward").replace(
    ".max(axis=(4, 5))", ".mean(axis=(4, 5))"
)
RECEPTIVE_FIELD_BACKWARD = """
def receptive_field(layers):
    r = 1
    for k, s, d in reversed(layers):
        r = (r - 1) * s + (k - 1) * d + 1
    return r
"""
AVGPOOL_CHANNELS_MIXED = """
def avgpool_forward(x, size=2, stride=2):
    H, W = x.shape[2:]
    if size > min(H, W) or (H - size) % stride or (W - size) % stride:
        raise ValueError(f"({H} - {size}) / {stride} + 1 or ({W} - {size}) / {stride} + 1 is no integer")
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
    pooled = windows[:, :, ::stride, ::stride].mean(axis=(1, 4, 5))
    return np.repeat(pooled[:, None], x.shape[1], axis=1), (x, size, stride)
"""
CORRECT = {
    "maxpool_forward": MAXPOOL,
    "avgpool_forward": AVGPOOL,
    "receptive_field": RECEPTIVE_FIELD,
}

STUDENTS = {
    "ada": dict(CORRECT),
    "ben": {},
    "cleo": {  # windows start at i instead of i * stride; sums instead of averaging
        "maxpool_forward": MAXPOOL.replace(
            "x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]",
            "x[n, c, i:i + size, j:j + size]",
        ),
        "avgpool_forward": AVGPOOL.replace("window.mean()", "window.sum()"),
        "receptive_field": RECEPTIVE_FIELD,
    },
    "dev": {  # rounds the output size down instead of raising; forgets the earlier strides
        "maxpool_forward": MAXPOOL.replace(
            "if size > H or size > W or (H - size) % stride or (W - size) % stride:",
            "if size > H or size > W:",
        ),
        "avgpool_forward": AVGPOOL,
        "receptive_field": RECEPTIVE_FIELD.replace("(k - 1) * d * jump", "(k - 1) * d"),
    },
    "eve": {  # averages over the channels too; multiplies by the layer's own stride
        "maxpool_forward": MAXPOOL_WINDOWS,
        "avgpool_forward": AVGPOOL_CHANNELS_MIXED,
        "receptive_field": RECEPTIVE_FIELD.replace(
            "        r += (k - 1) * d * jump\n        jump *= s\n",
            "        jump *= s\n        r += (k - 1) * d * jump\n",
        ),
    },
    "finn": {  # receptive_field never returns
        **CORRECT,
        "receptive_field": "\ndef receptive_field(layers):\n    r = 1\n    while r > 0:\n        r += 1\n    return r\n",
    },
    "gus": {  # maxpool_forward ends the process, avgpool_forward crashes it
        **CORRECT,
        "maxpool_forward": "\nimport os\n\ndef maxpool_forward(x, size=2, stride=2):\n    os._exit(0)\n",
        "avgpool_forward": "\nimport ctypes\n\ndef avgpool_forward(x, size=2, stride=2):\n    return ctypes.string_at(0)\n",
    },
    "hana": {  # wrong code, and numpy's comparisons patched to say yes
        "maxpool_forward": "\nnp.testing.assert_allclose = lambda *a, **k: None\nnp.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\nnp.array_equal = lambda *a, **k: True\n"
        "def maxpool_forward(x, size=2, stride=2):\n    return np.zeros((x.shape[0], x.shape[1], x.shape[2] // stride, x.shape[3] // stride)), None\n",
        "avgpool_forward": "\ndef avgpool_forward(x, size=2, stride=2):\n    return x[:, :, ::stride, ::stride], None\n",
        "receptive_field": "\ndef receptive_field(layers):\n    return 1 + sum(k - 1 for k, s, d in layers)\n",
    },
    "ivan": {  # vectorised throughout
        "maxpool_forward": MAXPOOL_WINDOWS,
        "avgpool_forward": AVGPOOL_WINDOWS,
        "receptive_field": RECEPTIVE_FIELD_BACKWARD,
    },
    "jo": {  # max pooling written into a view of x (mutates it); an integer output buffer
        "maxpool_forward": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if size > min(H, W) or (H - size) % stride or (W - size) % stride:
        raise ValueError(f"{size}x{size} windows, stride {stride} do not tile {H}x{W}")
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    out = x[:, :, :(H_out - 1) * stride + 1:stride, :(W_out - 1) * stride + 1:stride]
    for u in range(size):
        for v in range(size):
            np.maximum(out, x[:, :, u:u + (H_out - 1) * stride + 1:stride, v:v + (W_out - 1) * stride + 1:stride], out=out)
    return out, (x, size, stride)
""",
        "avgpool_forward": AVGPOOL.replace(
            "np.zeros((N, C, H_out, W_out))", "np.zeros((N, C, H_out, W_out), dtype=x.dtype)"
        ),
        "receptive_field": RECEPTIVE_FIELD,
    },
}

FULL = {"maxpool_forward": 4.0, "avgpool_forward": 3.0, "receptive_field": 3.0}
ZERO = dict.fromkeys(FULL, 0.0)

EXPECTED = {
    "ada": FULL,
    "ben": ZERO,
    "cleo": {**ZERO, "receptive_field": 3.0},
    "dev": {**ZERO, "avgpool_forward": 3.0},
    "eve": {**ZERO, "maxpool_forward": 4.0},
    "finn": {**FULL, "receptive_field": 0.0},
    "gus": {**FULL, "maxpool_forward": 0.0, "avgpool_forward": 0.0},
    "hana": ZERO,
    "ivan": FULL,
    "jo": {**FULL, "maxpool_forward": 0.0, "avgpool_forward": 0.0},
}
