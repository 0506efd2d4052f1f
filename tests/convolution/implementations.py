"""Implementations of the 02_convolution exercises: plausible mistakes and correct variants."""

WRONG = {
    "corr1d": {
        "flipped kernel (true convolution)": """
def corr1d(x, k):
    return np.convolve(x, k, mode="valid")
""",
        "one output short (range(L - K))": """
def corr1d(x, k):
    return np.array([x[i:i + len(k)] @ k for i in range(len(x) - len(k))])
""",
        "full mode instead of valid": """
def corr1d(x, k):
    return np.correlate(x, k, mode="full")
""",
        "integer output buffer": """
def corr1d(x, k):
    out = np.zeros(len(x) - len(k) + 1, dtype=int)
    for i in range(len(out)):
        out[i] = x[i:i + len(k)] @ k
    return out
""",
        "output is a view of the input (aliasing)": """
def corr1d(x, k):
    out = x[:len(x) - len(k) + 1]
    for i in range(len(out)):
        out[i] = x[i:i + len(k)] @ k
    return out
""",
    },
    "conv1d_true": {
        "kernel not flipped": """
def conv1d_true(x, k):
    return np.correlate(x, k, mode="valid")
""",
        "signal flipped instead of kernel": """
def conv1d_true(x, k):
    return np.correlate(x[::-1], k, mode="valid")
""",
        "same mode instead of valid": """
def conv1d_true(x, k):
    return np.convolve(x, k, mode="same")
""",
        "flips the kernel in place": """
def conv1d_true(x, k):
    k[:] = k[::-1].copy()
    return np.correlate(x, k, mode="valid")
""",
    },
    "corr2d": {
        "kernel flipped on both axes": """
def corr2d(x, k):
    from numpy.lib.stride_tricks import sliding_window_view
    return np.einsum("hwij,ij->hw", sliding_window_view(x, k.shape), k[::-1, ::-1])
""",
        "output transposed": """
def corr2d(x, k):
    from numpy.lib.stride_tricks import sliding_window_view
    return np.einsum("hwij,ij->wh", sliding_window_view(x, k.shape), k)
""",
        "kernel transposed": """
def corr2d(x, k):
    hh, ww = k.shape
    out = np.zeros((x.shape[0] - hh + 1, x.shape[1] - ww + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + ww, j:j + hh] * k.T)
    return out
""",
        "square output assumed (uses H for both sizes)": """
def corr2d(x, k):
    n = x.shape[0] - k.shape[0] + 1
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            out[i, j] = np.sum(x[i:i + k.shape[0], j:j + k.shape[1]] * k)
    return out
""",
        "stops one row and column early": """
def corr2d(x, k):
    out = np.zeros((x.shape[0] - k.shape[0], x.shape[1] - k.shape[1]))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + k.shape[0], j:j + k.shape[1]] * k)
    return out
""",
    },
    "conv_single": {
        "bias missing": """
def conv_single(x, w, b):
    from numpy.lib.stride_tricks import sliding_window_view
    return np.einsum("chwij,fcij->fhw", sliding_window_view(x, w.shape[2:], axis=(1, 2)), w)
""",
        "channels ignored (first channel only)": """
def conv_single(x, w, b):
    from numpy.lib.stride_tricks import sliding_window_view
    win = sliding_window_view(x[0], w.shape[2:])
    return np.einsum("hwij,fij->fhw", win, w[:, 0]) + b[:, None, None]
""",
        "channels averaged instead of summed": """
def conv_single(x, w, b):
    from numpy.lib.stride_tricks import sliding_window_view
    win = sliding_window_view(x, w.shape[2:], axis=(1, 2))
    return np.einsum("chwij,fcij->fhw", win, w) / x.shape[0] + b[:, None, None]
""",
        "filters flipped": """
def conv_single(x, w, b):
    from numpy.lib.stride_tricks import sliding_window_view
    win = sliding_window_view(x, w.shape[2:], axis=(1, 2))
    return np.einsum("chwij,fcij->fhw", win, w[:, :, ::-1, ::-1]) + b[:, None, None]
""",
        "output axes in (H', W', F) order": """
def conv_single(x, w, b):
    from numpy.lib.stride_tricks import sliding_window_view
    win = sliding_window_view(x, w.shape[2:], axis=(1, 2))
    return np.einsum("chwij,fcij->hwf", win, w) + b
""",
    },
}

CORRECT = {
    "corr1d": {
        "double loop": """
def corr1d(x, k):
    out = np.zeros(len(x) - len(k) + 1, dtype=np.result_type(x, k, 1.0))
    for i in range(len(out)):
        for j in range(len(k)):
            out[i] += x[i + j] * k[j]
    return out
""",
        "sliding windows, float32 kept": """
def corr1d(x, k):
    return np.lib.stride_tricks.sliding_window_view(x, len(k)) @ k
""",
        "sum of shifted copies, float64": """
def corr1d(x, k):
    n = len(x) - len(k) + 1
    return sum(np.float64(k[j]) * x[j:j + n].astype(np.float64) for j in range(len(k)))
""",
    },
    "conv1d_true": {
        "loop with reversed index": """
def conv1d_true(x, k):
    K = len(k)
    out = np.zeros(len(x) - K + 1)
    for i in range(len(out)):
        for j in range(K):
            out[i] += x[i + j] * k[K - 1 - j]
    return out
""",
        "np.convolve": """
def conv1d_true(x, k):
    return np.convolve(x, k, mode="valid")
""",
    },
    "corr2d": {
        "double loop": """
def corr2d(x, k):
    hh, ww = k.shape
    out = np.zeros((x.shape[0] - hh + 1, x.shape[1] - ww + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + hh, j:j + ww] * k)
    return out
""",
        "sum over kernel taps, float32 kept": """
def corr2d(x, k):
    hh, ww = k.shape
    H, W = x.shape[0] - hh + 1, x.shape[1] - ww + 1
    out = np.zeros((H, W), dtype=np.result_type(x, k))
    for u in range(hh):
        for v in range(ww):
            out += k[u, v] * x[u:u + H, v:v + W]
    return out
""",
        "einsum over windows": """
def corr2d(x, k):
    win = np.lib.stride_tricks.sliding_window_view(x, k.shape)
    return np.einsum("hwij,ij->hw", win, k)
""",
    },
    "conv_single": {
        "quadruple loop": """
def conv_single(x, w, b):
    F, C, hh, ww = w.shape
    out = np.zeros((F, x.shape[1] - hh + 1, x.shape[2] - ww + 1))
    for f in range(F):
        for i in range(out.shape[1]):
            for j in range(out.shape[2]):
                out[f, i, j] = np.sum(x[:, i:i + hh, j:j + ww] * w[f]) + b[f]
    return out
""",
        "one matrix product (im2col)": """
def conv_single(x, w, b):
    F, C, hh, ww = w.shape
    win = np.lib.stride_tricks.sliding_window_view(x, (hh, ww), axis=(1, 2))
    H, W = win.shape[1:3]
    cols = win.transpose(1, 2, 0, 3, 4).reshape(H * W, C * hh * ww)
    return (cols @ w.reshape(F, -1).T + b).T.reshape(F, H, W)
""",
    },
}
