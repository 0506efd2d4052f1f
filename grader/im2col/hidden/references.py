"""Independent references of notebook 05_im2col, and the answers of the usual mistakes.

They never use the output-size formula: window positions come from walking them along the padded
axis, a layer's cost from counting the entries of arrays of its shapes, and col2im from adding
each window's block back into a zero image, one window at a time.
"""

from __future__ import annotations

import math

import numpy as np

from grader.im2col.cases import MUST_RAISE
from grader.padding_stride.lesson import pad_pair

__all__ = [
    "col2im_answers",
    "cost_answers",
    "reference_col2im",
    "reference_cost",
    "window_starts",
]


def window_starts(n: int, k: int, stride: int, before: int, after: int, strict: bool = True):
    """Start of every window along one padded axis; None when they do not tile (``strict``)."""
    padded = n + before + after
    starts = list(range(0, padded - k + 1, stride))
    if strict and not (starts and starts[-1] + k == padded):
        return None
    return starts


def reference_cost(x_shape, w_shape, stride: int = 1, pad=0):
    """out_shape, params and macs of a layer by counting array entries; None if it does not tile."""
    (n, _, h, w), (f, _, hh, ww), (before, after) = x_shape, w_shape, pad_pair(pad)
    rows, cols = (
        window_starts(h, hh, stride, before, after),
        window_starts(w, ww, stride, before, after),
    )
    if rows is None or cols is None:
        return None
    out_shape = (n, f, len(rows), len(cols))
    weights, biases = np.zeros(w_shape, dtype=np.int8), np.zeros(f, dtype=np.int8)
    per_output = weights[0].size  # one multiply-add per weight of the filter
    return {
        "out_shape": out_shape,
        "params": int(weights.size + biases.size),
        "macs": int(math.prod(out_shape) * per_output),
    }


def reference_col2im(cols, x_shape, hh, ww, stride=1, pad=0, strict=True, assign=False):
    """The padded image (N, C, H + 2P, W + 2P) that col2im crops, built one window at a time.

    ``assign=True`` writes each window instead of adding it (a mistake); None where the windows
    do not tile and ``strict``.
    """
    (n, c, h, w), (before, after) = x_shape, pad_pair(pad)
    rows = window_starts(h, hh, stride, before, after, strict)
    starts = window_starts(w, ww, stride, before, after, strict)
    if rows is None or starts is None:
        return None
    blocks = np.asarray(cols, dtype=np.float64).reshape(c, hh, ww, n, len(rows), len(starts))
    image = np.zeros((n, c, h + before + after, w + before + after))
    for b in range(n):
        for i, r in enumerate(rows):
            for j, s in enumerate(starts):
                if assign:
                    image[b, :, r : r + hh, s : s + ww] = blocks[:, :, :, b, i, j]
                else:
                    image[b, :, r : r + hh, s : s + ww] += blocks[:, :, :, b, i, j]
    return image


# -- answers: the expected value and the value of each mistake ----------------------------------


def _distinct(expected, mistakes: dict) -> dict:
    def same(a, b):
        return np.shape(a) == np.shape(b) and bool(np.all(np.asarray(a) == np.asarray(b)))

    if isinstance(expected, dict):
        return {m: v for m, v in mistakes.items() if v is not None and v != expected}
    return {m: v for m, v in mistakes.items() if v is not None and not same(v, expected)}


def cost_answers(x_shape, w_shape, stride: int = 1, pad=0) -> tuple:
    """(expected, mistakes) of conv_layer_cost; expected is MUST_RAISE when it does not tile."""
    cost = reference_cost(x_shape, w_shape, stride, pad)
    if cost is None:
        (_, _, h, w), (_, _, hh, ww), (before, after) = x_shape, w_shape, pad_pair(pad)
        floor = [(s + before + after - k) // stride + 1 for s, k in ((h, hh), (w, ww))]
        out = (x_shape[0], w_shape[0], *floor)
        params = math.prod(w_shape) + w_shape[0]
        rounded = {
            "out_shape": out,
            "params": params,
            "macs": math.prod(out) * math.prod(w_shape[1:]),
        }
        return MUST_RAISE, {} if min(floor) < 1 else {"rounded_down": rounded}
    (n, c, h, w), (f, _, hh, ww) = x_shape, w_shape
    _, _, h_out, w_out = cost["out_shape"]
    macs, params = cost["macs"], cost["params"]
    return cost, _distinct(
        cost,
        {
            "flops_as_macs": {**cost, "macs": 2 * macs},
            "batch_ignored": {**cost, "macs": macs // n},
            "bias_not_counted": {**cost, "params": params - f},
            "bias_in_macs": {**cost, "macs": macs + n * f * h_out * w_out},
            "input_positions": {**cost, "macs": n * f * h * w * c * hh * ww},
            "channels_ignored": {**cost, "macs": macs // c},
            "out_shape_channels": {**cost, "out_shape": (n, c, h_out, w_out)},
        },
    )


def col2im_answers(cols, x_shape, hh, ww, stride=1, pad=0) -> tuple:
    """(expected, mistakes) of col2im; expected is MUST_RAISE when the windows do not tile."""
    (n, c, h, w), (before, after) = x_shape, pad_pair(pad)

    def crop(image, top=before):
        return None if image is None else image[:, :, top : top + h, top : top + w]

    summed = reference_col2im(cols, x_shape, hh, ww, stride, pad)
    if summed is None:
        rounded = crop(reference_col2im(cols, x_shape, hh, ww, stride, pad, strict=False))
        return MUST_RAISE, {} if rounded is None else {"rounded_down": rounded}
    blocks = np.asarray(cols, dtype=np.float64).reshape(c, hh, ww, n, -1)
    h_out = (summed.shape[2] - hh) // stride + 1
    counts = reference_col2im(np.ones_like(blocks), x_shape, hh, ww, stride, pad)
    return crop(summed), _merge_unadded(
        _distinct(
            crop(summed),
            {
                "overwritten": crop(
                    reference_col2im(cols, x_shape, hh, ww, stride, pad, assign=True)
                ),
                "overwritten_by_slices": crop(
                    _slices_overwrite(blocks, summed.shape, stride, h_out)
                ),
                "averaged": crop(
                    np.divide(summed, counts, out=np.zeros_like(summed), where=counts > 0)
                ),
                "not_cropped": summed if before or after else None,
                "pad_pair_reversed": crop(summed, after),
                "row_order": crop(
                    reference_col2im(
                        blocks.reshape(hh, ww, c, -1).transpose(2, 0, 1, 3),
                        x_shape,
                        hh,
                        ww,
                        stride,
                        pad,
                    )
                ),
                "columns_batch_last": crop(
                    reference_col2im(
                        blocks.reshape(c, hh, ww, -1, n).swapaxes(3, 4),
                        x_shape,
                        hh,
                        ww,
                        stride,
                        pad,
                    )
                ),
            },
        )
    )


def _merge_unadded(mistakes: dict) -> dict:
    """One mistake, "not added", where writing and averaging give the same answer (columns of
    ones give ones either way), so that the message does not guess between them."""
    kinds = ("overwritten", "overwritten_by_slices", "averaged")
    values = [mistakes.get(k) for k in kinds]
    if values[2] is None or not any(
        v is not None and np.array_equal(v, values[2]) for v in values[:2]
    ):
        return mistakes
    merged = {
        k: v for k, v in mistakes.items() if k not in kinds or not np.array_equal(v, values[2])
    }
    return {"not_added": values[2], **merged}


def _slices_overwrite(blocks, padded_shape, stride, h_out) -> np.ndarray:
    """The padded image when each of the HH*WW shifted slices is written over the last."""
    c, hh, ww, n = blocks.shape[:4]
    grid = blocks.reshape(c, hh, ww, n, h_out, -1)
    image = np.zeros(padded_shape)
    for u in range(hh):
        for v in range(ww):
            rows, cols = (
                slice(u, u + stride * h_out, stride),
                slice(v, v + stride * grid.shape[5], stride),
            )
            image[:, :, rows, cols] = grid[:, u, v].transpose(1, 0, 2, 3)
    return image
