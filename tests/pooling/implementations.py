"""Implementations of the 04_pooling exercises: plausible mistakes and correct variants."""

WRONG = {
    "maxpool_forward": {
        "max over the channels too": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            out[:, :, i, j] = win.max(axis=(1, 2, 3))[:, None]
    return out, (x, size, stride)
""",
        "windows start at i, not i * stride": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = x[:, :, i:i + size, j:j + size].max(axis=(2, 3))
    return out, (x, size, stride)
""",
        "output size computed with stride 1": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
    return win.max(axis=(4, 5)), (x, size, stride)
""",
        "output has W' and H' swapped": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
    out = win[:, :, ::stride, ::stride].max(axis=(4, 5))
    return out.transpose(0, 1, 3, 2), (x, size, stride)
""",
        "floors the output size instead of raising": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            out[:, :, i, j] = win.max(axis=(2, 3))
    return out, (x, size, stride)
""",
        "takes the first element of each window": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    return x[:, :, ::stride, ::stride][:, :, :Ho, :Wo].copy(), (x, size, stride)
""",
        "running max starts at 0": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, Ho, Wo))
    for u in range(size):
        for v in range(size):
            part = x[:, :, u:u + (Ho - 1) * stride + 1:stride, v:v + (Wo - 1) * stride + 1:stride]
            out = np.maximum(out, part)
    return out, (x, size, stride)
""",
        "accumulates into a view of the input (mutates x)": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = x[:, :, :(Ho - 1) * stride + 1:stride, :(Wo - 1) * stride + 1:stride]
    for u in range(size):
        for v in range(size):
            part = x[:, :, u:u + (Ho - 1) * stride + 1:stride, v:v + (Wo - 1) * stride + 1:stride]
            np.maximum(out, part, out=out)
    return out, (x, size, stride)
""",
    },
    "avgpool_forward": {
        "sum instead of mean": """
def avgpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
    return win[:, :, ::stride, ::stride].sum(axis=(4, 5)).astype(float), (x, size, stride)
""",
        "divides by size, not size * size": """
def avgpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            out[:, :, i, j] = win.sum(axis=(2, 3)) / size
    return out, (x, size, stride)
""",
        "divides by stride * stride": """
def avgpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            out[:, :, i, j] = win.sum(axis=(2, 3)) / stride**2
    return out, (x, size, stride)
""",
        "integer output buffer (zeros_like)": """
def avgpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros_like(x[:, :, :Ho, :Wo])
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            out[:, :, i, j] = win.mean(axis=(2, 3))
    return out, (x, size, stride)
""",
        "floor division by the count": """
def avgpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
    total = win[:, :, ::stride, ::stride].sum(axis=(4, 5))
    return (total // (size * size)).astype(float), (x, size, stride)
""",
        "mean over the channels too": """
def avgpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if (H - size) % stride or (W - size) % stride or size > min(H, W):
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
    out = win[:, :, ::stride, ::stride].mean(axis=(1, 4, 5), keepdims=True)[..., 0, 0]
    return np.broadcast_to(out, (N, C) + out.shape[2:]).astype(float), (x, size, stride)
""",
    },
    "receptive_field": {
        "strides of earlier layers ignored": """
def receptive_field(layers):
    r = 1
    for k, s, d in layers:
        r += (k - 1) * d
    return r
""",
        "multiplies by the layer's own stride": """
def receptive_field(layers):
    r, jump = 1, 1
    for k, s, d in layers:
        jump *= s
        r += (k - 1) * d * jump
    return r
""",
        "dilation ignored": """
def receptive_field(layers):
    r, jump = 1, 1
    for k, s, d in layers:
        r += (k - 1) * jump
        jump *= s
    return r
""",
        "dilation counted as gaps (off by one)": """
def receptive_field(layers):
    r, jump = 1, 1
    for k, s, d in layers:
        r += (k - 1) * (d + 1) * jump
        jump *= s
    return r
""",
        "kernels added without subtracting 1": """
def receptive_field(layers):
    r, jump = 0, 1
    for k, s, d in layers:
        r += k * d * jump
        jump *= s
    return r
""",
        "kernel sizes multiplied": """
def receptive_field(layers):
    r = 1
    for k, s, d in layers:
        r *= (k - 1) * d + 1
    return r
""",
    },
}

CORRECT = {
    "maxpool_forward": {
        "loops over output positions": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if size > H or size > W or (H - size) % stride or (W - size) % stride:
        raise ValueError(f"{size}x{size} windows with stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.empty((N, C, Ho, Wo), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    r, q = i * stride, j * stride
                    out[n, c, i, j] = np.max(x[n, c, r:r + size, q:q + size])
    return out, (x, size, stride)
""",
        "sliding windows, float32 kept": """
def maxpool_forward(x, size=2, stride=2):
    H, W = x.shape[2:]
    for n in (H, W):
        if n < size or (n - size) % stride:
            raise ValueError(f"({n} - {size}) / {stride} + 1 is not a positive integer")
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
    return win[:, :, ::stride, ::stride].max(axis=(-2, -1)), (x, size, stride)
""",
        "running max over window offsets, float64": """
def maxpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if size > min(H, W) or (H - size) % stride or (W - size) % stride:
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.full((N, C, Ho, Wo), -np.inf)
    for u in range(size):
        for v in range(size):
            part = x[:, :, u:u + (Ho - 1) * stride + 1:stride, v:v + (Wo - 1) * stride + 1:stride]
            out = np.maximum(out, part.astype(np.float64))
    return out, (x, size, stride)
""",
    },
    "avgpool_forward": {
        "loops over output positions": """
def avgpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if size > H or size > W or (H - size) % stride or (W - size) % stride:
        raise ValueError(f"{size}x{size} windows with stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.empty((N, C, Ho, Wo), dtype=np.result_type(x, 1.0))
    for i in range(Ho):
        for j in range(Wo):
            r, q = i * stride, j * stride
            out[:, :, i, j] = x[:, :, r:r + size, q:q + size].mean(axis=(2, 3))
    return out, (x, size, stride)
""",
        "sum of shifted slices, float32 kept": """
def avgpool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    if size > min(H, W) or (H - size) % stride or (W - size) % stride:
        raise ValueError(f"size {size}, stride {stride} do not tile {H}x{W}")
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, Ho, Wo), dtype=np.result_type(x, 1.0))
    for u in range(size):
        for v in range(size):
            out += x[:, :, u:u + (Ho - 1) * stride + 1:stride, v:v + (Wo - 1) * stride + 1:stride]
    return out / (size * size), (x, size, stride)
""",
        "einsum over windows, float64": """
def avgpool_forward(x, size=2, stride=2):
    H, W = x.shape[2:]
    for n in (H, W):
        if n < size or (n - size) % stride:
            raise ValueError(f"({n} - {size}) / {stride} + 1 is not a positive integer")
    win = np.lib.stride_tricks.sliding_window_view(x.astype(np.float64), (size, size), axis=(2, 3))
    kernel = np.full((size, size), 1.0 / (size * size))
    return np.einsum("ncijuv,uv->ncij", win[:, :, ::stride, ::stride], kernel), None
""",
    },
    "receptive_field": {
        "forward with the jump": """
def receptive_field(layers):
    r, jump = 1, 1
    for k, s, d in layers:
        r += (k - 1) * d * jump
        jump *= s
    return r
""",
        "backward recurrence from the output": """
def receptive_field(layers):
    r = 1
    for k, s, d in reversed(layers):
        r = (r - 1) * s + (k - 1) * d + 1
    return r
""",
        "index propagation with numpy, converted to int": """
def receptive_field(layers):
    positions = np.array([0])
    for k, s, d in reversed(list(layers)):
        positions = np.unique(positions[:, None] * s + np.arange(k)[None, :] * d)
    return int(positions.max() - positions.min() + 1)
""",
    },
}
