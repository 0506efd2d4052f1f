"""Exercises and visible cases of notebook 09_beyond: conv1x1, upsample_nearest,
conv_transpose_forward, conv1d_forward, conv3d_forward.

Every answer is computed where its case is built, never by a copy of an exercise: convolutions in
one, two and three dimensions are sums of ``scipy.signal.correlate`` over input channels on the
zero-padded input (a dilated kernel is the kernel with ``d - 1`` zeros between its taps, a stride
keeps every s-th output); the transposed convolution is ``scipy.signal.convolve`` in "full" mode
of the input with ``s - 1`` zeros between its values, cropped where the forward pass padded; the
1x1 convolution is the matrix product ``w @ x`` per pixel and nearest upsampling the Kronecker
product with a block of ones. Configurations that do not fit must raise a ValueError giving the
numbers. Each case carries the answers of the usual mistakes, so a wrong result is named.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from grader.beyond.mistakes import MISTAKES
from grader.engine.cases import Case
from grader.engine.course import Exercise, Notebook
from grader.padding_stride.lesson import pad_pair

__all__ = [
    "NOTEBOOK",
    "conv1d_case",
    "conv1x1_case",
    "conv3d_case",
    "conv_transpose_case",
    "upsample_case",
]

_M = MISTAKES


def _dilate(w: np.ndarray, d: int) -> np.ndarray:
    """w (F, C, *K) with ``d - 1`` zeros between neighbouring taps on every spatial axis."""
    spatial = w.shape[2:]
    out = np.zeros((*w.shape[:2], *((k - 1) * d + 1 for k in spatial)))
    out[(slice(None), slice(None), *(slice(None, None, d) for _ in spatial))] = w
    return out


def _correlate(x, w, b, stride: int = 1, pad=0, dilation: int = 1) -> np.ndarray | None:
    """Cross-correlation of x (N, C, *S) with w (F, C, *K) in float64, by scipy: the padded
    input correlated channel by channel, summed, every stride-th output kept. None when the
    kernel does not fit."""
    before, after = pad_pair(pad)
    x64 = np.asarray(x, dtype=np.float64)
    spatial = x64.ndim - 2
    x64 = np.pad(x64, ((0, 0), (0, 0), *((before, after),) * spatial))
    k64 = _dilate(np.asarray(w, dtype=np.float64), dilation)
    if any(n < k for n, k in zip(x64.shape[2:], k64.shape[2:], strict=True)):
        return None
    out = np.array(
        [[sum(signal.correlate(x64[n, c], k64[f, c], mode="valid") for c in range(x64.shape[1]))
          for f in range(k64.shape[0])] for n in range(x64.shape[0])]
    )  # fmt: skip
    out = out[(slice(None), slice(None), *(slice(None, None, stride),) * spatial)]
    return out + np.asarray(b, dtype=np.float64).reshape(1, -1, *(1,) * spatial)


def _fits(shape, kernel, stride: int, pad, dilation: int = 1) -> bool:
    """Whether windows tile every spatial axis exactly: (n + P - d(k - 1) - 1) / s is a whole
    number of steps, counted by listing the window starts."""
    total = sum(pad_pair(pad))
    for n, k in zip(shape, kernel, strict=True):
        span = dilation * (k - 1) + 1
        starts = range(0, n + total - span + 1, stride)
        if len(starts) == 0 or starts[-1] + span != n + total:
            return False
    return True


def _add(mistakes: list, key: str, value) -> None:
    if value is not None:
        mistakes.append((_M[key], value))


def _conv_case(label, x, w, b, stride, pad, dilation, kwargs: dict) -> Case:
    """A case for conv1d_forward or conv3d_forward (any number of spatial axes)."""
    if not _fits(x.shape[2:], w.shape[2:], stride, pad, dilation):
        return Case(label, (x, w, b), ValueError, kwargs, error_needs_numbers=True)
    expected = _correlate(x, w, b, stride, pad, dilation)
    flip = (slice(None), slice(None), *(slice(None, None, -1),) * (w.ndim - 2))
    mistakes: list = []
    _add(mistakes, "kernel_flipped", _correlate(x, w[flip], b, stride, pad, dilation))
    mistakes.append(
        (_M["bias_missing"], expected - np.asarray(b).reshape(1, -1, *(1,) * (w.ndim - 2)))
    )
    if stride > 1:  # every window, or the first L' of them
        dense = _correlate(x, w, b, 1, pad, dilation)
        _add(mistakes, "stride_ignored", dense)
        if dense is not None:
            crop = (slice(None), slice(None), *(slice(0, m) for m in expected.shape[2:]))
            mistakes.append((_M["stride_ignored"], dense[crop]))
    before, after = pad_pair(pad)
    if before or after:
        _add(mistakes, "pad_ignored", _correlate(x, w, b, stride, 0, dilation))
    if before != after:
        _add(mistakes, "pad_pair_swapped", _correlate(x, w, b, stride, (after, before), dilation))
    if x.ndim == 3 and w.shape[2] > 1:
        _add(mistakes, "dilation_off_by_one", _correlate(x, w, b, stride, pad, dilation + 1))
    if x.ndim == 5 and w.shape[2] == w.shape[3]:
        _add(mistakes, "depth_transposed", _correlate(x, w.swapaxes(2, 3), b, stride, pad))
    if x.ndim == 5 and w.shape[2] > 1:  # frame by frame with the kernel's first depth slice
        frames = _correlate(x.swapaxes(1, 2).reshape(-1, x.shape[1], *x.shape[3:]),
                            w[:, :, 0], b, stride, pad)  # fmt: skip
        if frames is not None:
            frames = frames.reshape(x.shape[0], x.shape[2], *frames.shape[1:]).swapaxes(1, 2)
            mistakes.append((_M["depth_ignored"], frames))
    if x.dtype == np.float32 and w.dtype == np.float32:
        expected = expected.astype(np.float32)
    return Case(label, (x, w, b), expected, kwargs, tuple(mistakes), pick=0)


def conv1d_case(label: str, x, w, b, stride: int = 1, pad=0, dilation: int = 1) -> Case:
    """A case for conv1d_forward: x (N, C, L), w (F, C, K); a ValueError where it does not fit."""
    kwargs = {"stride": stride, "pad": pad, "dilation": dilation}
    return _conv_case(label, x, w, b, stride, pad, dilation, kwargs)


def conv3d_case(label: str, x, w, b, stride: int = 1, pad=0) -> Case:
    """A case for conv3d_forward: x (N, C, D, H, W), w (F, C, KD, KH, KW)."""
    return _conv_case(label, x, w, b, stride, pad, 1, {"stride": stride, "pad": pad})


def conv1x1_case(label: str, x, w, b) -> Case:
    """A case for conv1x1: at every pixel, the channel vector times w (F, C), plus b."""
    n, c, h, wd = x.shape
    x64, w64, b64 = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    expected = (w64 @ x64.reshape(n, c, h * wd)).reshape(n, -1, h, wd) + b64[None, :, None, None]
    mistakes = [(_M["bias_missing"], expected - b64[None, :, None, None])]
    if w.shape[0] == c:
        wt = (w64.T @ x64.reshape(n, c, h * wd)).reshape(n, -1, h, wd) + b64[None, :, None, None]
        mistakes.append((_M["w_transposed"], wt))
    if w.shape[0] == wd:
        mistakes.append((_M["bias_wrong_axis"], expected - b64[None, :, None, None] + b64))
    mistakes.append((_M["channels_last"], expected.transpose(0, 2, 3, 1)))
    return Case(label, (x, w, b), expected, mistakes=tuple(mistakes))


def upsample_case(label: str, x, factor: int) -> Case:
    """A case for upsample_nearest: ``np.kron`` of each map with a factor x factor block of ones
    (the dtype kept), compared exactly."""
    expected = np.kron(x, np.ones((1, 1, factor, factor), dtype=x.dtype))
    n, c, h, w = x.shape
    last = np.kron(x.transpose(0, 2, 3, 1), np.ones((1, factor, factor, 1), dtype=x.dtype))
    mistakes = [
        (_M["tiled"], np.tile(x, (1, 1, factor, factor))),
        (_M["channels_interleaved"], last.reshape(expected.shape)),
        (_M["flat_repeat"], np.repeat(x, factor * factor).reshape(expected.shape)),
    ]
    return Case(label, (x, factor), expected, mistakes=tuple(mistakes), exact=True)


def _transpose(x, w, b, stride: int, pad, flip: bool = True, gaps: int | None = None):
    """Transposed convolution by scipy: the input with ``stride - 1`` zeros between values,
    fully convolved (or, with ``flip=False``, correlated) with w[c, f], summed over c, cropped
    by the pad pair, plus b. None when nothing is left after the crop."""
    before, after = pad_pair(pad)
    x64, w64 = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    gaps = stride - 1 if gaps is None else gaps
    n, c, h, wd = x64.shape
    stuffed = np.zeros((n, c, (h - 1) * (gaps + 1) + 1, (wd - 1) * (gaps + 1) + 1))
    stuffed[:, :, :: gaps + 1, :: gaps + 1] = x64
    op = signal.convolve if flip else signal.correlate
    full = np.array(
        [[sum(op(stuffed[i, k], w64[k, f], mode="full") for k in range(c))
          for f in range(w64.shape[1])] for i in range(n)]
    )  # fmt: skip
    rows, cols = full.shape[2] - before - after, full.shape[3] - before - after
    if rows < 1 or cols < 1:
        return None
    out = full[:, :, before : before + rows, before : before + cols]
    return out + np.asarray(b, dtype=np.float64)[None, :, None, None]


def conv_transpose_case(label: str, x, w, b, stride: int = 1, pad=0) -> Case:
    """A case for conv_transpose_forward: x (N, C, H, W), w (C, F, HH, WW) -> (N, F, H_out,
    W_out) with H_out = (H - 1) * stride - before - after + HH; a ValueError when that is < 1."""
    kwargs = {"stride": stride, "pad": pad}
    expected = _transpose(x, w, b, stride, pad)
    if expected is None:
        return Case(label, (x, w, b), ValueError, kwargs, error_needs_numbers=True)
    b64 = np.asarray(b, dtype=np.float64)[None, :, None, None]
    mistakes: list = []
    _add(mistakes, "not_adjoint", _transpose(x, w, b, stride, pad, flip=False))
    mistakes.append((_M["bias_missing"], expected - b64))
    before, after = pad_pair(pad)
    if before or after:
        _add(mistakes, "pad_not_cropped", _transpose(x, w, b, stride, 0))
    if before != after:
        _add(mistakes, "pad_pair_swapped", _transpose(x, w, b, stride, (after, before)))
    if stride > 1:
        _add(mistakes, "too_many_zeros", _transpose(x, w, b, stride, pad, gaps=stride))
    if w.shape[0] == w.shape[1]:
        _add(mistakes, "weight_layout", _transpose(x, w.swapaxes(0, 1), b, stride, pad))
    if x.dtype == np.float32 and w.dtype == np.float32:
        expected = expected.astype(np.float32)
    return Case(label, (x, w, b), expected, kwargs, tuple(mistakes), pick=0)


def _draw(rng, *shape: int, dtype=np.float64) -> np.ndarray:
    """Normal values with two decimals, easy to read in a message."""
    return rng.normal(size=shape).round(2).astype(dtype)


def _conv1x1_cases() -> list[Case]:
    r = np.random.default_rng(91)
    return [
        conv1x1_case("x (2, 3, 4, 3), w (3, 3): 3 channels -> 3 maps, 3 pixels wide", _draw(r, 2, 3, 4, 3), _draw(r, 3, 3), np.array([0.5, -1.0, 2.0])),
        conv1x1_case("x (2, 3, 4, 5), w (2, 3): 3 channels -> 2 maps", _draw(r, 2, 3, 4, 5), _draw(r, 2, 3), np.array([0.5, -1.0])),
        conv1x1_case("x (1, 4, 3, 3), w (4, 4): as many filters as channels", _draw(r, 1, 4, 3, 3), _draw(r, 4, 4), _draw(r, 4)),
        conv1x1_case("x (2, 2, 3, 3), w (3, 2): 3 maps as wide as the image", _draw(r, 2, 2, 3, 3), _draw(r, 3, 2), np.array([1.0, 2.0, 3.0])),
        conv1x1_case("float32 x (2, 5, 4, 4), w (10, 5)", _draw(r, 2, 5, 4, 4, dtype=np.float32), _draw(r, 10, 5, dtype=np.float32), _draw(r, 10, dtype=np.float32)),
    ]  # fmt: skip


def _upsample_cases() -> list[Case]:
    r = np.random.default_rng(92)
    return [
        upsample_case("x [[1, 2], [3, 4]] (1, 1, 2, 2), factor 2", np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), 2),
        upsample_case("x (2, 3, 2, 3), factor 3: each channel on its own", _draw(r, 2, 3, 2, 3), 3),
        upsample_case("integer x (1, 2, 3, 2), factor 2: the dtype is kept", np.arange(12).reshape(1, 2, 3, 2), 2),
        upsample_case("factor 1: a copy", _draw(r, 1, 2, 2, 2), 1),
    ]  # fmt: skip


def _conv_transpose_cases() -> list[Case]:
    r = np.random.default_rng(93)
    one = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    return [
        conv_transpose_case("x [[1, 2], [3, 4]], w 3x3 of ones, stride 2: each input paints a 3x3 block, overlaps add (5x5)", one, np.ones((1, 1, 3, 3)), np.zeros(1), 2),
        conv_transpose_case("x (2, 3, 3, 3), w (3, 2, 3, 3), stride 1: out (2, 2, 5, 5)", _draw(r, 2, 3, 3, 3), _draw(r, 3, 2, 3, 3), np.array([0.5, -0.5])),
        conv_transpose_case("x (1, 2, 3, 4), w (2, 2, 4, 4), stride 2, pad 1: out (1, 2, 6, 8), the adjoint of 4x4 stride-2 pad-1 downsampling", _draw(r, 1, 2, 3, 4), _draw(r, 2, 2, 4, 4), _draw(r, 2), 2, 1),
        conv_transpose_case("x (1, 1, 2, 2), w (1, 3, 3, 3), stride 2, pad (0, 1): out (1, 3, 4, 4)", _draw(r, 1, 1, 2, 2), _draw(r, 1, 3, 3, 3), _draw(r, 3), 2, (0, 1)),
        conv_transpose_case("float32 x (2, 2, 2, 2), w (2, 1, 2, 2), stride 2: out (2, 1, 4, 4)", _draw(r, 2, 2, 2, 2, dtype=np.float32), _draw(r, 2, 1, 2, 2, dtype=np.float32), _draw(r, 1, dtype=np.float32), 2),
        conv_transpose_case("x (1, 1, 2, 2), w (1, 1, 3, 3), stride 1, pad 2: (2 - 1) * 1 - 4 + 3 = 0 rows, must raise ValueError", _draw(r, 1, 1, 2, 2), _draw(r, 1, 1, 3, 3), np.zeros(1), 1, 2),
    ]  # fmt: skip


def _conv1d_cases() -> list[Case]:
    r = np.random.default_rng(94)
    box = np.full((1, 1, 3), 1 / 3)
    return [
        conv1d_case("x [0, 1, 2, 3, 4, 5, 6] (1, 1, 7), w [1, 2, 3]", np.arange(7.0)[None, None], np.array([[[1.0, 2.0, 3.0]]]), np.zeros(1)),
        conv1d_case("x (2, 3, 10), w (4, 3, 3), stride 1, pad 1: out (2, 4, 10)", _draw(r, 2, 3, 10), _draw(r, 4, 3, 3), _draw(r, 4), 1, 1),
        conv1d_case("x (1, 2, 11), w (2, 2, 3), stride 2: out (1, 2, 5)", _draw(r, 1, 2, 11), _draw(r, 2, 2, 3), _draw(r, 2), 2),
        conv1d_case("x (1, 1, 9), box kernel of 3, dilation 2: taps 2 apart span 5, out (1, 1, 5)", np.arange(9.0)[None, None] ** 2, box, np.zeros(1), 1, 0, 2),
        conv1d_case("x (2, 2, 12), w (3, 2, 3), stride 2, pad (1, 0), dilation 3: out (2, 3, 4)", _draw(r, 2, 2, 12), _draw(r, 3, 2, 3), _draw(r, 3), 2, (1, 0), 3),
        conv1d_case("float32 x (2, 1, 40), w (5, 1, 5), stride 2, pad (2, 1): out (2, 5, 20)", _draw(r, 2, 1, 40, dtype=np.float32), _draw(r, 5, 1, 5, dtype=np.float32), _draw(r, 5, dtype=np.float32), 2, (2, 1)),
        conv1d_case("x (1, 1, 10), w (1, 1, 3), stride 2: (10 - 3) / 2 + 1 = 4.5, must raise ValueError", _draw(r, 1, 1, 10), _draw(r, 1, 1, 3), np.zeros(1), 2),
    ]  # fmt: skip


def _conv3d_cases() -> list[Case]:
    r = np.random.default_rng(95)
    return [
        conv3d_case("x (1, 1, 3, 3, 3), w (1, 1, 2, 2, 2): out (1, 1, 2, 2, 2)", _draw(r, 1, 1, 3, 3, 3), _draw(r, 1, 1, 2, 2, 2), np.zeros(1)),
        conv3d_case("x (2, 2, 4, 5, 6), w (3, 2, 3, 3, 3), pad 1: out (2, 3, 4, 5, 6)", _draw(r, 2, 2, 4, 5, 6), _draw(r, 3, 2, 3, 3, 3), _draw(r, 3), 1, 1),
        conv3d_case("a clip x (1, 1, 6, 4, 4), w (2, 1, 3, 1, 1): a kernel along time only", _draw(r, 1, 1, 6, 4, 4), _draw(r, 2, 1, 3, 1, 1), _draw(r, 2)),
        conv3d_case("x (1, 2, 5, 5, 5), w (2, 2, 3, 3, 3), stride 2: out (1, 2, 2, 2, 2)", _draw(r, 1, 2, 5, 5, 5), _draw(r, 2, 2, 3, 3, 3), _draw(r, 2), 2),
        conv3d_case("float32 x (1, 1, 4, 6, 6), w (2, 1, 3, 3, 3), stride 1, pad (0, 2): out (1, 2, 4, 6, 6)", _draw(r, 1, 1, 4, 6, 6, dtype=np.float32), _draw(r, 2, 1, 3, 3, 3, dtype=np.float32), _draw(r, 2, dtype=np.float32), 1, (0, 2)),
        conv3d_case("x (1, 1, 4, 5, 5), w (1, 1, 2, 3, 3), stride 2: depth (4 - 2) / 2 + 1 fits, height (5 - 3) / 2 + 1 fits; x (1, 1, 5, 5, 5) would not", _draw(r, 1, 1, 4, 5, 5), _draw(r, 1, 1, 2, 3, 3), np.zeros(1), 2),
        conv3d_case("x (1, 1, 5, 6, 6), w (1, 1, 3, 3, 3), stride 2: (6 - 3) / 2 + 1 = 2.5, must raise ValueError", _draw(r, 1, 1, 5, 6, 6), _draw(r, 1, 1, 3, 3, 3), np.zeros(1), 2),
    ]  # fmt: skip


NOTEBOOK = Notebook(
    "09_beyond",
    (
        Exercise("conv1x1", 1.5, _conv1x1_cases),
        Exercise("upsample_nearest", 1.5, _upsample_cases),
        Exercise("conv_transpose_forward", 3.0, _conv_transpose_cases),
        Exercise("conv1d_forward", 2.0, _conv1d_cases),
        Exercise("conv3d_forward", 2.0, _conv3d_cases),
    ),
    support=("bring_layers",),
)
