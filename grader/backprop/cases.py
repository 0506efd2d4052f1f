"""Exercises and visible cases of notebook 06_backprop: numerical_gradient, relu_backward,
affine_backward, softmax_loss, conv_backward, maxpool_backward, avgpool_backward.

The references are never a backward pass written out. The numerical gradient is judged on
functions whose centred differences are worked out by hand (a cube gives exactly 3x**2 + h**2).
The gradient of a convolution with respect to its input is a full convolution of ``dout`` (spread
out by the stride) with each kernel, and with respect to the kernel a valid correlation of the
padded input with it: both are computed with ``scipy.signal`` in float64, and average pooling is
the same with a constant kernel. Softmax cross-entropy comes from ``scipy.special``. No library
computes the ReLU, affine and max-pooling gradients, and the student bundle must not hold an
implementation of them, so those visible answers (and the usual mistakes' answers) are stored in
``golden.json``, computed by the references of :mod:`grader.backprop.hidden`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import signal, special

from grader.backprop import examples
from grader.backprop.mistakes import MISTAKES
from grader.engine.cases import Case, Code
from grader.engine.course import Exercise, Notebook
from grader.engine.golden import Golden
from grader.padding_stride.lesson import pad_pair

__all__ = ["GOLDEN", "NOTEBOOK", "avgpool_case", "conv_case", "softmax_case"]

_M = MISTAKES
GOLDEN = Golden(Path(__file__).with_name("golden.json"), MISTAKES)


def _spread(dout: np.ndarray, stride: int) -> np.ndarray:
    """(N, F, H', W') -> (N, F, (H'-1)*stride + 1, (W'-1)*stride + 1): stride - 1 zeros between
    neighbouring values, so that each sits where its window starts."""
    n, f, h, w = dout.shape
    out = np.zeros((n, f, (h - 1) * stride + 1, (w - 1) * stride + 1))
    out[:, :, ::stride, ::stride] = dout
    return out


def _per_pair(a: np.ndarray, b: np.ndarray, op, mode: str) -> np.ndarray:
    """``sum_f op(a[n, f], b[f, c], mode)`` for every (n, c): a is (N, F, ...), b is (F, C, ...)."""
    return np.array(
        [[sum(op(a[n, f], b[f, c], mode) for f in range(a.shape[1])) for c in range(b.shape[1])]
         for n in range(a.shape[0])]
    )  # fmt: skip


def _slide(spread: np.ndarray, image: np.ndarray, mode: str) -> np.ndarray:
    """dw's part from one image and one filter: the image correlated with the spread dout."""
    return signal.correlate2d(image, spread, mode)


def conv_case(label: str, x, w, b, dout, stride: int = 1, pad=0) -> Case:
    """A case for conv_backward: ``(dout, cache)`` with the cache of conv_forward_naive.

    ``pad`` is an int or a pair ``(before, after)``; the windows must tile the padded input.
    """
    before, after = pad_pair(pad)
    x64, w64, d64 = (np.asarray(a, dtype=np.float64) for a in (x, w, dout))
    n, _, h, wd = x.shape
    padded = np.pad(x64, ((0, 0), (0, 0), (before, after), (before, after)))
    spread = _spread(d64, stride)
    dxp = _per_pair(spread, w64, signal.convolve2d, "full")  # (N, C, Hp, Wp)
    if dxp.shape != padded.shape:
        raise ValueError(f"{label}: the windows do not tile the padded input {padded.shape}")
    dw = _per_pair(spread.swapaxes(0, 1), padded, _slide, "valid")  # (F, C, HH, WW)

    def crop(a):
        return a[:, :, before : before + h, before : before + wd]

    db = d64.sum(axis=(0, 2, 3))
    wrong = [
        (_M["kernel_not_flipped"], (crop(_per_pair(spread, w64, signal.correlate2d, "full")),)),
        (_M["db_wrong_axes"], (None, None, d64.sum(axis=(2, 3)))),
        (_M["db_wrong_axes"], (None, None, d64.sum(axis=0))),
        (_M["db_wrong_axes"], (None, None, d64.sum(axis=(1, 2, 3)))),
    ]
    if before or after:
        wrong.append((_M["dx_not_cropped"], (dxp, None, None)))
    if after == 0:
        wrong.append((_M["empty_crop"], (dxp[:, :, before:-after, before:-after], None, None)))
    if n > 1:
        last = _per_pair(spread[-1:].swapaxes(0, 1), padded[-1:], _slide, "valid")
        wrong += [
            (_M["dw_last_sample"], (None, last, None)),
            (_M["dw_averaged"], (None, dw / n, None)),
            (_M["db_averaged"], (None, None, db / n)),
        ]
    if stride > 1:  # every window taken to start at (i, j): the reach of dout shrinks
        near = _per_pair(d64, w64, signal.convolve2d, "full")
        moved = np.zeros_like(padded)
        moved[:, :, : near.shape[2], : near.shape[3]] = near
        top = padded[:, :, : near.shape[2], : near.shape[3]]
        dw_near = _per_pair(d64.swapaxes(0, 1), top, _slide, "valid")
        wrong.append((_M["stride_ignored"], (crop(moved), dw_near, db)))
    wrong = [(m, v + (None,) * (3 - len(v))) for m, v in wrong]
    cache = (x, w, b, {"stride": int(stride), "pad": pad, "dilation": 1})
    return Case(label, (dout, cache), (crop(dxp), dw, db), mistakes=tuple(wrong))


def avgpool_case(label: str, x, dout, size: int = 2, stride: int = 2) -> Case:
    """A case for avgpool_backward: each window spreads dout / size**2 over its inputs, a full
    convolution of the spread-out dout with a constant kernel, channel by channel."""
    d64 = np.asarray(dout, dtype=np.float64)
    box = np.full((1, 1, size, size), 1.0 / size**2)
    n, c = d64.shape[:2]

    def spread_back(maps):  # (N, C, h, w) -> each channel fully convolved with the box
        out = _per_pair(maps.reshape(n * c, 1, *maps.shape[2:]), box, signal.convolve2d, "full")
        return out.reshape(n, c, *out.shape[2:])

    dx = spread_back(_spread(d64, stride))
    if dx.shape != np.shape(x):
        raise ValueError(f"{label}: the windows do not tile x {np.shape(x)}")
    wrong = [(_M["not_divided"], dx * size**2)]
    if size > 1:
        wrong.append((_M["divided_by_size"], dx * size))
    if stride != 1:
        near = spread_back(d64)
        moved = np.zeros_like(dx)
        moved[:, :, : near.shape[2], : near.shape[3]] = near
        wrong.append((_M["stride_ignored"], moved))
    return Case(label, (dout, (x, size, stride)), dx, mistakes=tuple(wrong))


def softmax_case(label: str, scores, y) -> Case:
    """A case for softmax_loss: the mean cross-entropy and its gradient, from scipy.special."""
    s = np.asarray(scores, dtype=np.float64)
    n, rows = len(y), np.arange(len(y))
    log_p, p = special.log_softmax(s, axis=1), special.softmax(s, axis=1)
    loss = float(-log_p[rows, y].mean())
    onehot = np.zeros_like(p)
    onehot[rows, y] = 1.0
    dscores = (p - onehot) / n
    wrong = [(_M["onehot_not_subtracted"], (loss, p / n))]
    if n > 1:
        wrong += [
            (_M["loss_summed"], (loss * n, dscores)),
            (_M["dscores_not_divided"], (loss, dscores * n)),
        ]
    if np.any(s.max(axis=1) - s[rows, y] > 745):  # exp(-745) is the smallest double above 0
        wrong.append((_M["log_of_probs"], (np.inf, None)))
    if np.abs(s).max() > 709:  # exp(710) overflows a double
        wrong.append((_M["no_max_shift"], (np.inf, None)))
    return Case(label, (scores, y), (loss, dscores), mistakes=tuple(wrong))


def _numerical_gradient_cases() -> list[Case]:
    return [
        Case(label, (Code(source), x, dout), expected, kwargs, tuple((_M[m], v) for m, v in wrong))
        for label, source, x, dout, kwargs, expected, wrong in examples.gradient_examples()
    ]


def _golden(exercise: str, table: dict) -> list[Case]:
    return [GOLDEN.case(exercise, label, args) for label, args in table.items()]


def _conv_cases() -> list[Case]:
    return [conv_case(label, *args) for label, args in examples.CONV.items()]


def _avgpool_cases() -> list[Case]:
    return [avgpool_case(label, *args) for label, args in examples.AVGPOOL.items()]


def _softmax_cases() -> list[Case]:
    return [softmax_case(label, *args) for label, args in examples.SOFTMAX.items()]


NOTEBOOK = Notebook(
    "06_backprop",
    (
        Exercise("numerical_gradient", 1.5, _numerical_gradient_cases),
        Exercise("relu_backward", 1.0, lambda: _golden("relu_backward", examples.RELU)),
        Exercise("affine_backward", 1.5, lambda: _golden("affine_backward", examples.AFFINE)),
        Exercise("softmax_loss", 1.5, _softmax_cases),
        Exercise("conv_backward", 2.0, _conv_cases),
        Exercise("maxpool_backward", 1.5, lambda: _golden("maxpool_backward", examples.MAXPOOL)),
        Exercise("avgpool_backward", 1.0, _avgpool_cases),
    ),
)
