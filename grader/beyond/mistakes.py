"""The usual mistakes of notebook 09_beyond's exercises, each with a stable id and what the
learner reads when a result matches it."""

from __future__ import annotations

from grader.engine.cases import Mistake

__all__ = ["MISTAKES"]

_TEXTS = {
    # shared
    "bias_missing": "the bias is missing: add b[f] to every output of filter f",
    "kernel_flipped": "the kernel is flipped: a layer of a network correlates (no flip), "
    "w[..., k] meets x[..., i * stride + k * dilation]",
    "stride_ignored": "the stride is ignored: output i starts at input i * stride",
    "pad_ignored": "the padding is ignored: pad the spatial axes with zeros first",
    "pad_pair_swapped": "the pad pair is read the wrong way round: (before, after) puts "
    "`before` zeros at the start of each spatial axis and `after` at its end",
    # conv1x1
    "w_transposed": "w is used transposed: w has shape (F, C), so out[n, f] = sum_c w[f, c] "
    "* x[n, c]",
    "channels_last": "the output is channels-last (N, H, W, F): put the filters on axis 1, "
    "(N, F, H, W)",
    "bias_wrong_axis": "the bias is added along the last axis (the width): reshape it to "
    "(1, F, 1, 1) so that it runs along the filter axis",
    # upsample_nearest
    "tiled": "the whole image is repeated (np.tile): nearest upsampling repeats each pixel "
    "into a factor x factor block",
    "channels_interleaved": "channels and pixels are interleaved: the repeat was done on a "
    "channels-last (N, H, W, C) array and reshaped, not transposed, back to (N, C, H, W)",
    "flat_repeat": "np.repeat without an axis flattens the array: repeat along axis 2, then "
    "along axis 3",
    # conv_transpose_forward
    "not_adjoint": "the kernel is not flipped where it should be: the transposed convolution "
    "*scatters* x[i] * w[k] to output i * stride + k (a full convolution of the zero-stuffed "
    "input); correlating the stuffed input is not the adjoint of the forward pass",
    "pad_not_cropped": "the padding is not cropped: the forward pass added `pad` zeros, so its "
    "adjoint drops `before` rows and columns at the start and `after` at the end",
    "too_many_zeros": "stride zeros were inserted between inputs: a stride s puts s - 1 zeros "
    "between neighbours (inputs land s apart)",
    "weight_layout": "w is read as (F, C_in, HH, WW): a transposed convolution's weight has "
    "shape (C_in, F, HH, WW), the same array as the forward convolution it is the adjoint of",
    # conv1d_forward
    "dilation_off_by_one": "the taps are dilation + 1 apart: dilation d puts d - 1 zeros "
    "between taps, so tap k reads x[i * stride + k * d] (dilation 1 is an ordinary kernel)",
    # conv3d_forward
    "depth_transposed": "the kernel's depth and height axes are swapped: w has shape "
    "(F, C, KD, KH, KW) and its axis 2 runs along x's depth axis 2",
    "depth_ignored": "the depth axis is ignored: each frame is correlated on its own with one "
    "depth slice of the kernel; a 3D kernel spans KD frames and the output depth is "
    "(D + 2P - KD) // S + 1",
}
MISTAKES = {name: Mistake(name, text) for name, text in _TEXTS.items()}
"""The usual mistakes of this notebook's exercises, by their stable id."""
