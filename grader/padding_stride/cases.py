"""Exercises and visible cases of notebook 03_padding_stride: output_size, pad2d,
conv_forward_naive, conv_param_count.

Padding is checked exactly against ``np.pad`` on the last two axes, and the layer against
``scipy.signal.correlate2d`` (in float64) on the zero-padded input with the kernel spread out by
the dilation. No library computes an output size or a parameter count, and the
student bundle must not hold an implementation of them, so the answers of those visible examples
(and of the usual mistakes on them) are stored in ``golden.json``, computed by the references of
:mod:`grader.padding_stride.hidden`. Every case carries the answers of the usual mistakes, so
that a wrong result is named.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from scipy import signal

from grader.engine.cases import Case, Mistake
from grader.engine.course import Exercise, Notebook
from grader.engine.golden import Golden
from grader.padding_stride.lesson import pad_pair

__all__ = [
    "COUNT_EXAMPLES",
    "MISTAKES",
    "MUST_RAISE",
    "NOTEBOOK",
    "SIZE_EXAMPLES",
    "conv_forward_case",
    "pad2d_case",
]

MUST_RAISE = "ValueError"
"""How ``golden.json`` stores the answer "this call must raise ValueError"."""

_TEXTS = {
    # output_size (answers in golden.json)
    "rounded_down": "floor division instead of raising: a configuration that does not tile "
    "must raise",
    "pad_counted_once": "padding counted once: pad adds `pad` positions on each side, 2 * pad "
    "in all",
    "dilation_off_by_one": "the dilation convention is off by one: dilation=1 is an ordinary "
    "kernel (d - 1 zeros between taps, not d)",
    "pad_pair_doubled": "both entries of the pad pair are counted twice: pad=(before, after) adds "
    "before + after positions, not 2 * (before + after)",
    # output_size and conv_forward_naive
    "dilation_ignored": "dilation is ignored: a dilated kernel spans dilation * (f - 1) + 1 "
    "positions, tap u reading position start + u * dilation",
    # pad2d
    "one_side": "all the padding is on one side: add `pad` rows/columns before AND after each axis",
    "before_only": "the padding is only on the top and left: pad=(before, after) puts `after` "
    "zeros at the bottom and right, and an int pads every side",
    "pad_pair_as_axes": "the pair was read as (height, width): pad=(before, after) means `before` "
    "zeros at the top and left and `after` at the bottom and right",
    "pad_pair_reversed": "the pair is reversed: pad=(before, after) puts `before` zeros at the top "
    "and left, `after` at the bottom and right",
    "all_axes_padded": "every axis is padded: only the last two (H, W) grow, never the batch or "
    "channel axes",
    "symmetric_reflect": "reflect repeats the edge pixel (that is np.pad's 'symmetric'): "
    "reflect mirrors around the edge pixel without repeating it",
    "reflect_as_replicate": "reflect mode repeats the edge pixel: that is 'replicate' "
    "(np.pad 'edge')",
    "replicate_as_reflect": "replicate mode mirrors the image: replicate repeats the edge pixel "
    "outward",
    "zeros_instead": "the border is filled with zeros: this mode copies pixels from the image",
    "border_not_zero": "the border is not zero: mode 'zero' fills the new border with zeros",
    # conv_forward_naive
    "missing_bias": "the bias is missing: add b[f] to every position of output map f",
    "flipped_kernel": "the kernel is flipped on both axes: that is convolution, not "
    "cross-correlation",
    "first_channel_only": "only channel 0 is used: a filter spans all C input channels and sums "
    "over them",
    "channels_averaged": "the channels are averaged: a filter sums its products over the channels",
    "bias_per_channel": "the bias is added once per channel: add b[f] once per output position",
    "reflect_padded": "the input is padded by reflection: conv_forward_naive pads with zeros",
    "stride_ignored": "the stride is ignored: windows start every `stride` positions, not at "
    "every position",
    "padding_ignored": "the padding is ignored: pad the input with `pad` zeros on every side first",
    # conv_param_count (answers in golden.json)
    "no_bias_count": "the biases are not counted: each filter has one bias when bias=True",
    "bias_per_weight": "a bias is counted per weight: there is one bias per filter (per output "
    "channel)",
    "bias_per_input": "a bias is counted per input channel: there is one bias per output channel",
    "c_in_ignored": "the input channels are ignored: every filter spans all c_in channels",
    "bias_flag_ignored": "the biases are counted although bias=False",
}
MISTAKES = {name: Mistake(name, text) for name, text in _TEXTS.items()}
"""The usual mistakes of this notebook's exercises, by their stable id."""
_M = MISTAKES

GOLDEN = Golden(Path(__file__).with_name("golden.json"), MISTAKES)


# label: (n, f, stride, pad, dilation) of output_size, all five passed (the last three by name);
# pad is an int or a pair (before, after)
SIZE_EXAMPLES = {
    "n=7, f=3 (defaults stride=1, pad=0, dilation=1: (7 - 3)/1 + 1)": (7, 3, 1, 0, 1),
    "n=7, f=3, stride=2: (7 - 3)/2 + 1": (7, 3, 2, 0, 1),
    "n=7, f=3, stride=3: (7 - 3)/3 + 1 = 2.33 is no integer, so this must raise ValueError "
    "(not round down)": (7, 3, 3, 0, 1),
    "n=7, f=3, pad=1: pad 1 on each side makes the input 7 + 2*1 = 9 wide": (7, 3, 1, 1, 1),
    "n=32, f=5, pad=2 ('same': 32 + 2*2 - 5 + 1)": (32, 5, 1, 2, 1),
    "n=7, f=3, dilation=2: the dilated kernel spans 2*(3 - 1) + 1 = 5": (7, 3, 1, 0, 2),
    "n=9, f=3, stride=2, pad=1, dilation=3: (9 + 2 - 3*(3 - 1) - 1)/2 + 1": (9, 3, 2, 1, 3),
    "n=3, f=5: the kernel is larger than the input, so this must raise ValueError": (3, 5, 1, 0, 1),
    "n=5, f=1, stride=2 (1x1 kernel, stride larger than the kernel)": (5, 1, 2, 0, 1),
    "n=6, f=3, stride=2, pad=1: (6 + 2 - 3)/2 + 1 = 3.5, so this must raise ValueError": (
        6,
        3,
        2,
        1,
        1,
    ),
    "n=32, f=3, stride=2, pad=1: (32 + 2 - 3)/2 + 1 = 16.5, so this must raise ValueError": (
        32,
        3,
        2,
        1,
        1,
    ),
    "n=6, f=4, pad=(1, 2) ('same' for an even kernel: (6 + 1 + 2 - 4)/1 + 1)": (6, 4, 1, (1, 2), 1),
    "n=32, f=3, stride=2, pad=(0, 1): 0 before, 1 after, (32 + 0 + 1 - 3)/2 + 1": (
        32,
        3,
        2,
        (0, 1),
        1,
    ),
}

# label: (args, kwargs) of conv_param_count
COUNT_EXAMPLES = {
    "ten 5x5 filters on 3 channels: (5*5*3 weights + 1 bias) * 10": ((5, 3, 10), {"bias": True}),
    "ten 5x5 filters on 3 channels, bias=False: weights only, 5*5*3*10": (
        (5, 3, 10),
        {"bias": False},
    ),
    "64 3x3 filters on 16 channels: each filter has 3*3*16 weights and one bias": (
        (3, 16, 64),
        {"bias": True},
    ),
    "eight 1x1 filters on 4 channels: (1*1*4 + 1) * 8": ((1, 4, 8), {"bias": True}),
}


def _size_cases() -> list[Case]:
    cases = []
    for label, (n, f, stride, pad, dilation) in SIZE_EXAMPLES.items():
        kwargs = {"stride": stride, "pad": pad, "dilation": dilation}
        case = GOLDEN.case("output_size", label, (n, f), kwargs)
        if case.expected == MUST_RAISE:  # the message must give the numbers that do not fit
            case = dataclasses.replace(case, expected=ValueError, error_needs_numbers=True)
        cases.append(case)
    return cases


def _count_cases() -> list[Case]:
    return [GOLDEN.case("conv_param_count", k, a, kw) for k, (a, kw) in COUNT_EXAMPLES.items()]


def pad2d_case(label: str, x: np.ndarray, pad, mode: str = "zero") -> Case:
    """A case for pad2d: ``np.pad`` on the last two axes only, compared exactly.

    ``pad`` is an int or a pair ``(before, after)`` applied to both axes.
    """
    numpy_mode = {"zero": "constant", "reflect": "reflect", "replicate": "edge"}[mode]
    lead = [(0, 0)] * (x.ndim - 2)
    before, after = pad_pair(pad)
    both = lead + [(before, after)] * 2
    wrong = [
        (_M["one_side"], np.pad(x, lead + [(0, before + after)] * 2, mode=numpy_mode)),
        (_M["before_only"], np.pad(x, lead + [(before, 0)] * 2, mode=numpy_mode)),
    ]
    if before != after:
        wrong += [
            (
                _M["pad_pair_as_axes"],
                np.pad(x, lead + [(before, before), (after, after)], numpy_mode),
            ),
            (_M["pad_pair_reversed"], np.pad(x, lead + [(after, before)] * 2, mode=numpy_mode)),
        ]
    if x.ndim > 2 and before == after:
        wrong.append((_M["all_axes_padded"], np.pad(x, before, mode=numpy_mode)))
    if mode == "reflect":
        wrong.append((_M["symmetric_reflect"], np.pad(x, both, "symmetric")))
        wrong.append((_M["reflect_as_replicate"], np.pad(x, both, "edge")))
    if mode == "replicate":
        wrong.append((_M["replicate_as_reflect"], np.pad(x, both, "reflect")))
    if mode == "zero":
        wrong.append((_M["border_not_zero"], np.pad(x, both, "edge")))
    else:
        wrong.append((_M["zeros_instead"], np.pad(x, both)))
    expected = np.pad(x, both, mode=numpy_mode)
    return Case(label, (x, pad), expected, {"mode": mode}, tuple(wrong), exact=True)


def conv_forward_case(
    label: str,
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    stride: int = 1,
    pad=0,
    dilation: int = 1,
    raises: bool = False,
) -> Case:
    """A case for conv_forward_naive, judged on ``out`` (item 0 of ``(out, cache)``).

    ``pad`` is an int or a pair ``(before, after)`` applied to both spatial axes.

    ``raises`` says that the windows do not tile the padded input, so the call must raise
    ValueError; the caller knows it (visible cases say so in their label, hidden cases ask the
    reference), since the correlation below would quietly round down.
    """
    kwargs = {"stride": stride, "pad": pad, "dilation": dilation}
    if raises:
        return Case(label, (x, w, b), ValueError, kwargs, pick=0)
    x64, w64, b64 = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    (_, _, h, wd), (_, _, hh, ww) = x.shape, w.shape
    spread = np.zeros(w.shape[:2] + (dilation * (hh - 1) + 1, dilation * (ww - 1) + 1))
    spread[:, :, ::dilation, ::dilation] = w64  # d - 1 zeros between taps

    def maps(xp: np.ndarray, kernels: np.ndarray, step: int = stride) -> np.ndarray:
        """(N, F, C, H', W'): each channel's valid correlation, every ``step``-th position."""
        per_channel = [
            [
                [signal.correlate2d(a, k, "valid") for a, k in zip(xi, kf, strict=True)]
                for kf in kernels
            ]
            for xi in xp
        ]
        return np.array(per_channel)[..., ::step, ::step]

    before, after = pad_pair(pad)
    widths = ((0, 0), (0, 0), (before, after), (before, after))
    padded, bias = np.pad(x64, widths), b64[None, :, None, None]
    parts = maps(padded, spread)
    expected = parts.sum(axis=2) + bias
    wrong = [
        (_M["missing_bias"], expected - bias),
        (_M["flipped_kernel"], maps(padded, spread[:, :, ::-1, ::-1]).sum(axis=2) + bias),
    ]
    if x.shape[1] > 1:
        wrong += [
            (_M["first_channel_only"], parts[:, :, 0] + bias),
            (_M["channels_averaged"], parts.mean(axis=2) + bias),
            (_M["bias_per_channel"], expected + (x.shape[1] - 1) * bias),
        ]
    if 0 < max(before, after) < min(h, wd):
        reflected = np.pad(x64, widths, "reflect")
        wrong.append((_M["reflect_padded"], maps(reflected, spread).sum(axis=2) + bias))
    if stride > 1:
        wrong.append((_M["stride_ignored"], maps(padded, spread, 1).sum(axis=2) + bias))
    if before + after > 0 and spread.shape[2] <= h and spread.shape[3] <= wd:
        wrong.append((_M["padding_ignored"], maps(x64, spread).sum(axis=2) + bias))
    if before != after:
        for mistake, sides in (
            ("before_only", ((before, 0), (before, 0))),
            ("pad_pair_as_axes", ((before, before), (after, after))),
            ("pad_pair_reversed", ((after, before), (after, before))),
        ):
            other = np.pad(x64, ((0, 0), (0, 0)) + sides)
            if all(k <= n for k, n in zip(spread.shape[2:], other.shape[2:], strict=True)):
                wrong.append((_M[mistake], maps(other, spread).sum(axis=2) + bias))
    if dilation > 1:
        wrong.append((_M["dilation_ignored"], maps(padded, w64).sum(axis=2) + bias))
    return Case(label, (x, w, b), expected, kwargs, tuple(wrong), pick=0)


def _pad2d_cases() -> list[Case]:
    x = np.arange(1.0, 13.0).reshape(3, 4)
    rng = np.random.default_rng(3)
    img = rng.normal(size=(3, 4, 5))
    batch = rng.normal(size=(2, 3, 4, 4)).astype(np.float32)
    return [
        pad2d_case("3x4 array of 1..12, pad 1, mode 'zero' (expect shape (5, 6))", x, 1),
        pad2d_case("3x4 array of 1..12, pad 2, mode 'reflect'", x, 2, "reflect"),
        pad2d_case("3x4 array of 1..12, pad 2, mode 'replicate'", x, 2, "replicate"),
        pad2d_case(
            "one image (3, 4, 5), pad 1, mode 'zero': pad H and W only, not the channel axis",
            img,
            1,
        ),
        pad2d_case(
            "float32 batch (2, 3, 4, 4), pad 2, mode 'reflect': only the last two axes grow",
            batch,
            2,
            "reflect",
        ),
        pad2d_case("one image (3, 4, 5), pad 3, mode 'replicate'", img, 3, "replicate"),
        pad2d_case("3x4 array, pad 0 (a copy, unchanged)", x, 0, "reflect"),
        pad2d_case(
            "3x4 array, pad=(0, 1), mode 'zero': 0 before, 1 after, on both axes "
            "(expect shape (4, 5))",
            x,
            (0, 1),
        ),
        pad2d_case(
            "float32 batch (2, 3, 4, 4), pad=(2, 1), mode 'reflect': 2 at the top and left, "
            "1 at the bottom and right",
            batch,
            (2, 1),
            "reflect",
        ),
    ]


def _conv_forward_cases() -> list[Case]:
    rng = np.random.default_rng(30)
    x = rng.normal(size=(2, 3, 7, 7))
    w = rng.normal(size=(4, 3, 3, 3))
    b = np.array([0.5, -1.0, 2.0, 0.0])
    x8, w8, b8 = rng.normal(size=(1, 2, 8, 8)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    x5, w4 = rng.normal(size=(1, 2, 5, 5)), rng.normal(size=(2, 2, 4, 4))
    return [
        conv_forward_case(
            "x (2, 3, 7, 7), w (4, 3, 3, 3): stride 1, pad 0 -> (2, 4, 5, 5)", x, w, b
        ),
        conv_forward_case("same input, stride 2 -> (2, 4, 3, 3)", x, w, b, stride=2),
        conv_forward_case("same input, pad 1 (zeros) -> (2, 4, 7, 7)", x, w, b, pad=1),
        conv_forward_case(
            "same input, stride 3: (7 - 3)/3 + 1 = 2.33 does not tile, must raise ValueError",
            x,
            w,
            b,
            stride=3,
            raises=True,
        ),
        conv_forward_case(
            "same input, dilation 2 (kernel spans 5) -> (2, 4, 3, 3)", x, w, b, dilation=2
        ),
        conv_forward_case(
            "x (1, 2, 6, 9), w (3, 2, 2, 3), stride 2, pad 1 (non-square kernel and input)",
            rng.normal(size=(1, 2, 6, 9)),
            rng.normal(size=(3, 2, 2, 3)),
            rng.normal(size=3),
            stride=2,
            pad=1,
        ),
        conv_forward_case(
            "single channel, 1x1 kernel, stride 2: x (1, 1, 5, 5), w (2, 1, 1, 1)",
            rng.normal(size=(1, 1, 5, 5)),
            rng.normal(size=(2, 1, 1, 1)),
            np.array([1.0, -1.0]),
            stride=2,
        ),
        conv_forward_case(
            "kernel as large as the padded input: x (1, 3, 3, 3), w (2, 3, 5, 5), pad 1 -> 1x1",
            rng.normal(size=(1, 3, 3, 3)),
            rng.normal(size=(2, 3, 5, 5)),
            rng.normal(size=2),
            pad=1,
        ),
        conv_forward_case(
            "x (1, 2, 5, 5), w (2, 2, 4, 4), pad=(1, 2): 'same' for an even kernel -> 5x5",
            x5,
            w4,
            b[:2],
            pad=(1, 2),
        ),
        conv_forward_case(
            "x (1, 2, 8, 8), w (3, 2, 3, 3), stride 2, pad=(0, 1): 0 before, 1 after -> 4x4",
            x8,
            w8,
            b8,
            stride=2,
            pad=(0, 1),
        ),
        conv_forward_case(
            "same input, stride 2, pad 1: (8 + 2 - 3)/2 + 1 = 4.5 does not tile, must raise "
            "ValueError",
            x8,
            w8,
            b8,
            stride=2,
            pad=1,
            raises=True,
        ),
    ]


NOTEBOOK = Notebook(
    "03_padding_stride",
    (
        Exercise("output_size", 2.0, _size_cases),
        Exercise("pad2d", 2.0, _pad2d_cases),
        Exercise("conv_forward_naive", 4.0, _conv_forward_cases),
        Exercise("conv_param_count", 2.0, _count_cases),
    ),
)
