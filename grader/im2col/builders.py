"""The usual mistakes of notebook 05_im2col's exercises, and the case builders that compute
answers with libraries: im2col's columns from NumPy's ``sliding_window_view`` of the zero-padded
input (``np.pad``), the layer from ``scipy.signal.correlate`` in float64.

The layout: row ``(c * HH + u) * WW + v`` of the column matrix holds tap ``(u, v)`` of channel
``c`` (the order of ``w.reshape(F, -1)``); column ``(n * H' + i) * W' + j`` holds window
``(i, j)`` of image ``n``. ``pad`` is an int or a pair ``(before, after)`` applied to both
spatial axes. A builder returns a :class:`Case` (inputs, answer, the answers of the usual
mistakes), never a bare result.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal

from grader.engine.cases import Case, Mistake
from grader.padding_stride.lesson import pad_pair

__all__ = ["MISTAKES", "conv_case", "im2col_case"]

_TEXTS = {
    # conv_layer_cost (answers in golden.json)
    "flops_as_macs": "macs counts FLOPs: one multiply-add per weight per output value; the FLOP "
    "count is 2 * macs",
    "batch_ignored": "the batch is ignored: each of the N images costs the same again",
    "bias_not_counted": "params leaves out the biases: one per filter",
    "bias_in_macs": "the bias additions are counted as multiply-adds: they are additions only, "
    "and macs leaves them out",
    "input_positions": "macs counts input positions: each filter is applied at the H' x W' "
    "output positions, which stride and padding change",
    "channels_ignored": "the input channels are ignored: each output value takes C * HH * WW "
    "multiply-adds",
    "out_shape_channels": "out_shape has C channels: the output has one map per filter (F)",
    # im2col, col2im and conv_forward_im2col
    "row_order": "the rows are in (kernel row, kernel column, channel) order: they go channel "
    "first, then kernel row, then kernel column, the order of w.reshape(F, -1)",
    "kernel_transposed": "kernel rows and columns are swapped: row (c*HH + u)*WW + v holds tap "
    "(u, v) of channel c",
    "columns_batch_last": "the columns are in (output row, output column, image) order: they go "
    "image first, then output row, then output column",
    "columns_transposed": "output rows and columns are swapped: column (n*H' + i)*W' + j holds "
    "window (i, j) of image n",
    "stride_ignored": "the stride is ignored: windows start every `stride` positions",
    "padding_ignored": "the padding is ignored: pad the input with zeros first",
    "pad_before_only": "the padding is only on the top and left: pad=(before, after) puts `after` "
    "zeros at the bottom and right, and an int pads every side",
    "pad_pair_as_axes": "the pair was read as (height, width): pad=(before, after) means `before` "
    "zeros at the top and left and `after` at the bottom and right",
    "pad_pair_reversed": "the pair is reversed: pad=(before, after) puts `before` zeros at the top "
    "and left, `after` at the bottom and right",
    "rounded_down": "the windows do not tile the padded input, so this must raise ValueError, "
    "not round down",
    # col2im (answers in golden.json)
    "overwritten": "overlapping windows overwrite each other: add (+=) every window into the "
    "image, since a pixel read by several windows collects from all of them",
    "overwritten_by_slices": "each shifted slice overwrites the previous ones: add (+=) the "
    "slices, since a pixel read by several windows collects from all of them",
    "not_added": "overlapping windows are not added up: a pixel that k windows read collects "
    "all k values (+=), not one of them or their average",
    "averaged": "overlapping windows are averaged: col2im adds them (the adjoint of a copy is "
    "a sum)",
    "not_cropped": "the padding is not cropped: return the (N, C, H, W) image without the border",
    # conv_forward_im2col
    "missing_bias": "the bias is missing: add b[f] to every position of output map f",
    "flipped_kernel": "the kernel is flipped: a network's convolution is cross-correlation",
    "weights_rows_mismatch": "the weights and the columns are flattened in different orders: "
    "w.reshape(F, -1) flattens (c, u, v), and im2col's rows must follow it",
    "reshape_without_transpose": "the product (F, N*H'*W') was reshaped straight to "
    "(N, F, H', W'): reshape it to (F, N, H', W') first, then move the axes",
}
MISTAKES = {name: Mistake(name, text) for name, text in _TEXTS.items()}
"""The usual mistakes of this notebook's exercises, by their stable id."""
_M = MISTAKES


def _padded(x: np.ndarray, top: int, bottom: int, left: int, right: int) -> np.ndarray:
    return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))


def im2col_case(
    label: str, x: np.ndarray, hh: int, ww: int, stride: int = 1, pad=0, raises: bool = False
) -> Case:
    """A case for im2col, compared exactly (the columns are copies of input values).

    ``raises`` says that the windows do not tile the padded input, so the call must raise
    ValueError with the numbers; the rounded-down columns are then the mistake to name.
    """
    before, after = pad_pair(pad)
    xp = _padded(x, before, after, before, after)

    def columns(xp: np.ndarray, step: int = stride, order=(1, 4, 5, 0, 2, 3), first=None):
        """(C*HH*WW, N*H'*W') in the axis order given, from the windows of ``xp``; ``first``
        keeps only that many windows per axis."""
        view = sliding_window_view(xp, (hh, ww), axis=(2, 3))[:, :, ::step, ::step]
        view = view if first is None else view[:, :, : first[0], : first[1]]
        arranged = view.transpose(order)  # (N, C, H', W', HH, WW) -> rows, then columns
        return arranged.reshape(int(np.prod(arranged.shape[:3])), -1)

    kwargs = {"stride": stride, "pad": pad}
    if raises:
        rounded = _attempt([("rounded_down", lambda: columns(xp))])
        return Case(label, (x, hh, ww), ValueError, kwargs, rounded, error_needs_numbers=True)
    expected = columns(xp)
    expected_grid = sliding_window_view(xp, (hh, ww), axis=(2, 3))[:, :, ::stride, ::stride].shape[
        2:4
    ]
    wrong = _attempt(
        [
            ("row_order", lambda: columns(xp, order=(4, 5, 1, 0, 2, 3))),
            ("kernel_transposed", lambda: columns(xp, order=(1, 5, 4, 0, 2, 3))),
            ("columns_batch_last", lambda: columns(xp, order=(1, 4, 5, 2, 3, 0))),
            ("columns_transposed", lambda: columns(xp, order=(1, 4, 5, 0, 3, 2))),
            ("stride_ignored", lambda: columns(xp, step=1)),
            # the right number of windows, but starting at (i, j) instead of (i*S, j*S)
            ("stride_ignored", lambda: columns(xp, step=1, first=expected_grid)),
            ("padding_ignored", lambda: columns(x)),
            ("pad_before_only", lambda: columns(_padded(x, before, 0, before, 0))),
            ("pad_pair_as_axes", lambda: columns(_padded(x, before, before, after, after))),
            ("pad_pair_reversed", lambda: columns(_padded(x, after, before, after, before))),
        ]
    )
    return Case(label, (x, hh, ww), expected, kwargs, _distinct(expected, wrong), exact=True)


def _attempt(makers: list) -> tuple:
    """``(Mistake, answer)`` for each mistake whose answer exists (its windows fit at all)."""
    wrong = []
    for mistake, make in makers:
        try:
            wrong.append((_M[mistake], make()))
        except ValueError:
            pass
    return tuple(wrong)


def _distinct(expected: np.ndarray, wrong: tuple) -> tuple:
    """The mistakes whose answer differs from the expected one."""
    return tuple(
        (m, v) for m, v in wrong if v.shape != expected.shape or not np.array_equal(v, expected)
    )


def conv_case(label: str, x, w, b, stride: int = 1, pad=0, raises: bool = False) -> Case:
    """A case for conv_forward_im2col, judged on ``out`` (item 0 of ``(out, cache)``)."""
    kwargs = {"stride": stride, "pad": pad}
    if raises:
        return Case(label, (x, w, b), ValueError, kwargs, pick=0, error_needs_numbers=True)
    x64, w64, b64 = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    (before, after), (f, c, hh, ww), bias = pad_pair(pad), w64.shape, b64[None, :, None, None]

    def layer(kernels: np.ndarray = w64, sides=(before, after, before, after), step=stride):
        """(N, F, H', W'): SciPy's valid correlation over all channels, plus the bias."""
        xp = _padded(x64, *sides)
        maps = [[signal.correlate(xn, k, mode="valid")[0] for k in kernels] for xn in xp]
        return np.array(maps)[:, :, ::step, ::step] + bias

    expected = layer()
    flat = w64.reshape(f, -1)
    wrong = _attempt(
        [
            ("missing_bias", lambda: expected - bias),
            ("flipped_kernel", lambda: layer(w64[:, :, ::-1, ::-1])),
            # weights flattened (u, v, c) against columns (c, u, v), and the reverse
            (
                "weights_rows_mismatch",
                lambda: layer(flat.reshape(f, hh, ww, c).transpose(0, 3, 1, 2)),
            ),
            ("weights_rows_mismatch", lambda: layer(w64.transpose(0, 2, 3, 1).reshape(w64.shape))),
            (
                "reshape_without_transpose",
                lambda: (expected - bias).transpose(1, 0, 2, 3).reshape(expected.shape) + bias,
            ),
            ("stride_ignored", lambda: layer(step=1)),
            ("padding_ignored", lambda: layer(sides=(0, 0, 0, 0))),
            ("pad_before_only", lambda: layer(sides=(before, 0, before, 0))),
            ("pad_pair_as_axes", lambda: layer(sides=(before, before, after, after))),
        ]
    )
    return Case(label, (x, w, b), expected, kwargs, _distinct(expected, wrong), pick=0)
