"""The sample class for notebook 02_convolution: ten synthetic students and what each earned.

Each student is a dict from exercise name to the code of their answer cell; an exercise left out
keeps the released stub. ``EXPECTED`` is the score each student must get, exercise by exercise,
with the reason: the tests check the grader against it, and ``make demo`` prints it graded.
"""

CORR1D = """
def corr1d(x, k):
    n = len(x) - len(k) + 1
    out = np.zeros(n)
    for i in range(n):
        for j in range(len(k)):
            out[i] += x[i + j] * k[j]
    return out
"""
CONV1D = """
def conv1d_true(x, k):
    return corr1d(x, k[::-1])
"""
CORR2D = """
def corr2d(x, k):
    hh, ww = k.shape
    out = np.zeros((x.shape[0] - hh + 1, x.shape[1] - ww + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = (x[r:r + hh, c:c + ww] * k).sum()
    return out
"""
CONV_SINGLE = """
def conv_single(x, w, b):
    maps = []
    for f in range(w.shape[0]):
        total = b[f]
        for c in range(x.shape[0]):
            total = total + corr2d(x[c], w[f, c])
        maps.append(total)
    return np.array(maps)
"""
CONV_SINGLE_EINSUM = """
def conv_single(x, w, b):
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[2:], axis=(1, 2))
    return np.einsum("chwij,fcij->fhw", windows, w) + b[:, None, None]
"""
CORRECT = {"corr1d": CORR1D, "conv1d_true": CONV1D, "corr2d": CORR2D, "conv_single": CONV_SINGLE}

STUDENTS = {
    "ada": dict(CORRECT),
    "ben": {},
    "cleo": {  # flips kernels where she should not, and the reverse
        "corr1d": CORR1D.replace("k[j]", "k[len(k) - 1 - j]"),
        "conv1d_true": "\ndef conv1d_true(x, k):\n    return np.correlate(x, k, mode='valid')\n",
        "corr2d": CORR2D.replace("* k)", "* k[::-1, ::-1])"),
        "conv_single": CONV_SINGLE_EINSUM,
    },
    "dev": {  # off-by-one output length, transposed 2D output
        "corr1d": CORR1D.replace("n = len(x) - len(k) + 1", "n = len(x) - len(k)"),
        "conv1d_true": "\ndef conv1d_true(x, k):\n    return np.convolve(x, k, mode='valid')\n",
        "corr2d": CORR2D.replace("return out", "return out.T"),
        "conv_single": CONV_SINGLE_EINSUM,
    },
    "eve": {  # conv_single forgets the bias and uses one channel only
        **CORRECT,
        "conv_single": CONV_SINGLE.replace("total = b[f]", "total = 0").replace(
            "range(x.shape[0])", "range(1)"
        ),
    },
    "finn": {  # corr2d never returns
        **CORRECT,
        "corr2d": "\ndef corr2d(x, k):\n    while True:\n        pass\n",
        "conv_single": CONV_SINGLE_EINSUM,
    },
    "gus": {  # conv1d_true ends the process, corr2d crashes it
        **CORRECT,
        "conv1d_true": "\nimport os\n\ndef conv1d_true(x, k):\n    os._exit(0)\n",
        "corr2d": "\nimport ctypes\n\ndef corr2d(x, k):\n    return ctypes.string_at(0)\n",
        "conv_single": CONV_SINGLE_EINSUM,
    },
    "hana": {  # wrong code, and numpy's comparisons patched to say yes
        "corr1d": "\nnp.testing.assert_allclose = lambda *a, **k: None\nnp.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
        "def corr1d(x, k):\n    return np.zeros(len(x) - len(k) + 1)\n",
        "conv1d_true": "\ndef conv1d_true(x, k):\n    return np.zeros(len(x) - len(k) + 1)\n",
        "corr2d": "\ndef corr2d(x, k):\n    return np.zeros((x.shape[0] - k.shape[0] + 1, x.shape[1] - k.shape[1] + 1))\n",
        "conv_single": CONV_SINGLE_EINSUM.replace("+ b[:, None, None]", ""),
    },
    "ivan": {  # vectorised throughout
        "corr1d": "\ndef corr1d(x, k):\n    return np.lib.stride_tricks.sliding_window_view(x, len(k)) @ k\n",
        "conv1d_true": "\ndef conv1d_true(x, k):\n    return np.lib.stride_tricks.sliding_window_view(x, len(k)) @ k[::-1]\n",
        "corr2d": "\ndef corr2d(x, k):\n    return np.einsum('hwij,ij->hw', np.lib.stride_tricks.sliding_window_view(x, k.shape), k)\n",
        "conv_single": CONV_SINGLE_EINSUM,
    },
    "jo": {  # flips the kernel in place; builds an integer output
        **CORRECT,
        "conv1d_true": "\ndef conv1d_true(x, k):\n    k[:] = k[::-1]\n    return corr1d(x, k)\n",
        "corr2d": CORR2D.replace(
            "np.zeros((x.shape[0] - hh + 1, x.shape[1] - ww + 1))",
            "np.zeros((x.shape[0] - hh + 1, x.shape[1] - ww + 1), dtype=int)",
        ),
        "conv_single": CONV_SINGLE_EINSUM,
    },
}

FULL = {"corr1d": 2.0, "conv1d_true": 2.0, "corr2d": 3.0, "conv_single": 3.0}
ZERO = dict.fromkeys(FULL, 0.0)

EXPECTED = {
    "ada": FULL,
    "ben": ZERO,
    "cleo": {**ZERO, "conv_single": 3.0},
    "dev": {**ZERO, "conv1d_true": 2.0, "conv_single": 3.0},
    "eve": {**FULL, "conv_single": 0.0},
    "finn": {**FULL, "corr2d": 0.0},
    "gus": {**FULL, "conv1d_true": 0.0, "corr2d": 0.0},
    "hana": ZERO,
    "ivan": FULL,
    "jo": {**FULL, "conv1d_true": 0.0, "corr2d": 0.0},
}
