"""Visible checks for notebook 03_padding_stride: output_size, pad2d, conv_forward_naive,
conv_param_count.

The expected answers come from independent references: output sizes by walking the windows along
the padded axis (not by the closed formula), padding by ``np.pad``, the convolutional layer by
``scipy.signal.correlate`` on the zero-padded input with a kernel spread out by the dilation, and
parameter counts by building the layer's weight and bias arrays and counting their entries. Each
case carries the answers of the usual mistakes so that a wrong result is named. Scalar answers
(output sizes, parameter counts) are named through their labels, which state the rule the case
tests, because a wrong number is judged by value.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import signal

from grader.cases import Case
from grader.checks import run_check

__all__ = [
    "CASES",
    "check_conv_forward_naive",
    "check_conv_param_count",
    "check_output_size",
    "check_pad2d",
    "conv_forward_cases",
    "conv_forward_case",
    "output_size_case",
    "output_size_cases",
    "pad2d_case",
    "pad2d_cases",
    "param_count_case",
    "param_count_cases",
]

FLOORED = "floor division instead of raising: a configuration that does not tile must raise"
NO_DILATION = "dilation is ignored: a dilated kernel spans dilation * (f - 1) + 1 positions"
PAD_ONCE = "padding counted once: pad adds `pad` positions on each side, 2 * pad in all"
DILATION_PLUS_ONE = (
    "the dilation convention is off by one: dilation=1 is an ordinary kernel "
    "(d - 1 zeros between taps, not d)"
)
SYMMETRIC = (
    "reflect repeats the edge pixel (that is np.pad's 'symmetric'): reflect mirrors around "
    "the edge pixel without repeating it"
)
REFLECT_AS_REPLICATE = "reflect mode repeats the edge pixel: that is 'replicate' (np.pad 'edge')"
REPLICATE_AS_REFLECT = "replicate mode mirrors the image: replicate repeats the edge pixel outward"
ZEROS_INSTEAD = "the border is filled with zeros: this mode copies pixels from the image"
NOT_ZERO = "the border is not zero: mode 'zero' fills the new border with zeros"
ONE_SIDE = "all the padding is on one side: add `pad` rows/columns before AND after each axis"
NO_BIAS = "the bias is missing: add b[f] to every position of output map f"
FLIPPED = "the kernel is flipped on both axes: that is convolution, not cross-correlation"
FIRST_CHANNEL = "only channel 0 is used: a filter spans all C input channels and sums over them"
CHANNEL_MEAN = "the channels are averaged: a filter sums its products over the channels"
REFLECT_PADDED = "the input is padded by reflection: conv_forward_naive pads with zeros"
BIAS_PER_CHANNEL = "the bias is added once per channel: add b[f] once per output position"
NO_BIAS_COUNT = "the biases are not counted: each filter has one bias when bias=True"
BIAS_PER_WEIGHT = "a bias is counted per weight: there is one bias per filter (per output channel)"
BIAS_PER_INPUT = "a bias is counted per input channel: there is one bias per output channel"
NO_C_IN = "the input channels are ignored: every filter spans all c_in channels"
ALWAYS_BIAS = "the biases are counted although bias=False"


def _tiles(n: int, f: int, stride: int, pad: int, dilation: int) -> int | None:
    """Number of windows along one axis, found by walking them; None when they do not tile."""
    padded, span = n + 2 * pad, dilation * (f - 1) + 1
    starts = range(0, padded - span + 1, stride)
    return len(starts) if len(starts) and starts[-1] + span == padded else None


def output_size_case(
    label: str, n: int, f: int, stride: int = 1, pad: int = 0, dilation: int = 1
) -> Case:
    """A case for output_size; ``expected`` is ValueError when the windows do not tile."""
    kwargs = {"stride": stride, "pad": pad, "dilation": dilation}
    expected = _tiles(n, f, stride, pad, dilation)
    wrong = [
        (FLOORED, (n + 2 * pad - dilation * (f - 1) - 1) // stride + 1),
        (NO_DILATION, (n + 2 * pad - f) // stride + 1),
        (PAD_ONCE, (n + pad - dilation * (f - 1) - 1) // stride + 1),
        (DILATION_PLUS_ONE, (n + 2 * pad - (dilation + 1) * (f - 1) - 1) // stride + 1),
    ]
    mistakes = tuple((why, value) for why, value in wrong if value != expected)
    if expected is None:  # the message must give the numbers that do not fit
        return Case(label, (n, f), ValueError, kwargs, mistakes, error_needs_numbers=True)
    return Case(label, (n, f), expected, kwargs, mistakes)


def output_size_cases() -> list[Case]:
    return [
        output_size_case("n=7, f=3 (defaults stride=1, pad=0, dilation=1: (7 - 3)/1 + 1)", 7, 3),
        output_size_case("n=7, f=3, stride=2: (7 - 3)/2 + 1", 7, 3, stride=2),
        output_size_case(
            "n=7, f=3, stride=3: (7 - 3)/3 + 1 = 2.33 is no integer, so this must raise "
            "ValueError (not round down)",
            7,
            3,
            stride=3,
        ),
        output_size_case(
            "n=7, f=3, pad=1: pad 1 on each side makes the input 7 + 2*1 = 9 wide", 7, 3, pad=1
        ),
        output_size_case("n=32, f=5, pad=2 ('same': 32 + 2*2 - 5 + 1)", 32, 5, pad=2),
        output_size_case(
            "n=7, f=3, dilation=2: the dilated kernel spans 2*(3 - 1) + 1 = 5", 7, 3, dilation=2
        ),
        output_size_case(
            "n=9, f=3, stride=2, pad=1, dilation=3: (9 + 2 - 3*(3 - 1) - 1)/2 + 1",
            9,
            3,
            stride=2,
            pad=1,
            dilation=3,
        ),
        output_size_case(
            "n=3, f=5: the kernel is larger than the input, so this must raise ValueError", 3, 5
        ),
        output_size_case("n=5, f=1, stride=2 (1x1 kernel, stride larger than the kernel)", 5, 1, 2),
        output_size_case(
            "n=6, f=3, stride=2, pad=1: (6 + 2 - 3)/2 + 1 = 3.5, so this must raise ValueError",
            6,
            3,
            stride=2,
            pad=1,
        ),
    ]


def pad2d_case(label: str, x: np.ndarray, pad: int, mode: str = "zero") -> Case:
    """A case for pad2d: ``np.pad`` on the last two axes only."""
    lead = [(0, 0)] * (x.ndim - 2)
    both, one_side = lead + [(pad, pad)] * 2, lead + [(0, 2 * pad)] * 2
    numpy_mode = {"zero": "constant", "reflect": "reflect", "replicate": "edge"}[mode]
    expected = np.pad(x, both, mode=numpy_mode)
    wrong = [(ONE_SIDE, np.pad(x, one_side, mode=numpy_mode))]
    if mode == "reflect":
        wrong += [
            (SYMMETRIC, np.pad(x, both, "symmetric")),
            (REFLECT_AS_REPLICATE, np.pad(x, both, "edge")),
        ]
    if mode == "replicate":
        wrong.append((REPLICATE_AS_REFLECT, np.pad(x, both, "reflect")))
    if mode == "zero":
        wrong.append((NOT_ZERO, np.pad(x, both, "edge")))
    else:
        wrong.append((ZEROS_INSTEAD, np.pad(x, both)))
    kwargs = {"mode": mode}
    return Case(label, (x, pad), expected, kwargs, tuple(wrong), rtol=0.0, atol=0.0)


def pad2d_cases() -> list[Case]:
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
    ]


def conv_forward_case(
    label: str,
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    stride: int = 1,
    pad: int = 0,
    dilation: int = 1,
) -> Case:
    """A case for conv_forward_naive, judged on ``out`` (item 0 of ``(out, cache)``)."""
    kwargs = {"stride": stride, "pad": pad, "dilation": dilation}
    (_, _, h, wd), (_, _, hh, ww) = x.shape, w.shape
    if (
        _tiles(h, hh, stride, pad, dilation) is None
        or _tiles(wd, ww, stride, pad, dilation) is None
    ):
        return Case(label, (x, w, b), ValueError, kwargs, pick=0)
    spread = np.zeros(w.shape[:2] + (dilation * (hh - 1) + 1, dilation * (ww - 1) + 1))
    spread[:, :, ::dilation, ::dilation] = w  # d - 1 zeros between taps

    def maps(xp: np.ndarray, kernels: np.ndarray) -> np.ndarray:  # (N, F, C, H', W'), no bias
        return np.array(
            [
                [
                    [
                        signal.correlate2d(xi[c], kf[c], "valid")[::stride, ::stride]
                        for c in range(len(xi))
                    ]
                    for kf in kernels
                ]
                for xi in xp
            ]
        )

    widths = ((0, 0), (0, 0), (pad, pad), (pad, pad))
    parts = maps(np.pad(x, widths), spread)
    bias = b[None, :, None, None]
    expected = parts.sum(axis=2) + bias
    wrong = [
        (NO_BIAS, expected - bias),
        (FLIPPED, maps(np.pad(x, widths), spread[:, :, ::-1, ::-1]).sum(axis=2) + bias),
    ]
    if x.shape[1] > 1:
        wrong += [
            (FIRST_CHANNEL, parts[:, :, 0] + bias),
            (CHANNEL_MEAN, parts.mean(axis=2) + bias),
            (BIAS_PER_CHANNEL, expected + (x.shape[1] - 1) * bias),
        ]
    if 0 < pad < min(h, wd):
        wrong.append(
            (REFLECT_PADDED, maps(np.pad(x, widths, "reflect"), spread).sum(axis=2) + bias)
        )
    rtol = 1e-4 if any(a.dtype == np.float32 for a in (x, w, b)) else 1e-7
    return Case(label, (x, w, b), expected, kwargs, tuple(wrong), rtol=rtol, atol=1e-6, pick=0)


def conv_forward_cases() -> list[Case]:
    rng = np.random.default_rng(30)
    x = rng.normal(size=(2, 3, 7, 7))
    w = rng.normal(size=(4, 3, 3, 3))
    b = np.array([0.5, -1.0, 2.0, 0.0])
    return [
        conv_forward_case(
            "x (2, 3, 7, 7), w (4, 3, 3, 3): stride 1, pad 0 -> (2, 4, 5, 5)", x, w, b
        ),
        conv_forward_case("same input, stride 2 -> (2, 4, 3, 3)", x, w, b, stride=2),
        conv_forward_case("same input, pad 1 (zeros) -> (2, 4, 7, 7)", x, w, b, pad=1),
        conv_forward_case(
            "same input, stride 3: does not tile, must raise ValueError", x, w, b, stride=3
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
    ]


def param_count_case(label: str, f: int, c_in: int, c_out: int, bias: bool = True) -> Case:
    """A case for conv_param_count: the entries of the layer's weight and bias arrays."""
    weights = np.zeros((c_out, c_in, f, f))
    biases = np.zeros(c_out if bias else 0)
    expected = weights.size + biases.size
    wrong = [
        (NO_BIAS_COUNT, weights.size),
        (BIAS_PER_WEIGHT, 2 * weights.size),
        (BIAS_PER_INPUT, weights.size + c_in * c_out),
        (NO_C_IN, f * f * c_out + biases.size),
        (ALWAYS_BIAS, weights.size + c_out),
    ]
    mistakes = tuple((why, value) for why, value in wrong if value != expected)
    return Case(label, (f, c_in, c_out), expected, {"bias": bias}, mistakes)


def param_count_cases() -> list[Case]:
    return [
        param_count_case("ten 5x5 filters on 3 channels: (5*5*3 weights + 1 bias) * 10", 5, 3, 10),
        param_count_case(
            "ten 5x5 filters on 3 channels, bias=False: weights only, 5*5*3*10", 5, 3, 10, False
        ),
        param_count_case(
            "64 3x3 filters on 16 channels: each filter has 3*3*16 weights and one bias", 3, 16, 64
        ),
        param_count_case("eight 1x1 filters on 4 channels: (1*1*4 + 1) * 8", 1, 4, 8),
    ]


CASES: dict[str, Callable[[], list[Case]]] = {
    "output_size": output_size_cases,
    "pad2d": pad2d_cases,
    "conv_forward_naive": conv_forward_cases,
    "conv_param_count": param_count_cases,
}


def check_output_size(fn: Callable) -> None:
    """Check ``output_size(n, f, stride, pad, dilation)``, including the configurations that must raise."""
    run_check("output_size", fn, CASES["output_size"]())


def check_pad2d(fn: Callable) -> None:
    """Check ``pad2d(x, pad, mode)`` on 2D, 3D and 4D arrays in all three modes."""
    run_check("pad2d", fn, CASES["pad2d"]())


def check_conv_forward_naive(fn: Callable) -> None:
    """Check ``conv_forward_naive(x, w, b, stride, pad, dilation)``: its ``out``, not its cache."""
    run_check("conv_forward_naive", fn, CASES["conv_forward_naive"]())


def check_conv_param_count(fn: Callable) -> None:
    """Check ``conv_param_count(f, c_in, c_out, bias)`` on the 760-parameter example and others."""
    run_check("conv_param_count", fn, CASES["conv_param_count"]())
