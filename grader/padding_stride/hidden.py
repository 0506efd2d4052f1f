"""References and hidden cases of notebook 03_padding_stride (not in the student bundle).

The references never use the closed formula: output sizes come from walking the windows along the
padded axis, parameter counts from building the layer's weight and bias arrays and counting their
entries. The hidden cases add random configurations over several seeds (about half of them must
raise), plus the edge cases: 1x1 kernels, kernels as large as the padded input, strides larger
than the kernel, single channels, batches of one, float32 and float64. :func:`golden` computes
the stored answers of the visible cases.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from grader.engine.cases import Case
from grader.padding_stride.cases import (
    COUNT_EXAMPLES,
    MISTAKES,
    MUST_RAISE,
    SIZE_EXAMPLES,
    conv_forward_case,
    pad2d_case,
    pad_pair,
)

__all__ = ["HIDDEN", "golden", "reference_output_size", "reference_param_count"]

SEEDS = range(8)


def reference_output_size(n: int, f: int, stride: int = 1, pad=0, dilation: int = 1) -> int | None:
    """Number of windows along one axis, found by walking them; None when they do not tile.

    ``pad`` is an int or a pair ``(before, after)``: the padded axis has ``n + before + after``
    positions.
    """
    padded, span = n + sum(pad_pair(pad)), dilation * (f - 1) + 1
    starts = range(0, padded - span + 1, stride)
    return len(starts) if len(starts) and starts[-1] + span == padded else None


def reference_param_count(f: int, c_in: int, c_out: int, bias: bool = True) -> int:
    """The entries of the layer's weight array (c_out, c_in, f, f) and bias array (c_out,)."""
    return int(np.zeros((c_out, c_in, f, f)).size + np.zeros(c_out if bias else 0).size)


# -- answers: the expected value and the value of each mistake ----------------------------------


def _distinct(expected, mistakes: dict) -> dict:
    return {m: v for m, v in mistakes.items() if v != expected}


def size_answers(n: int, f: int, stride: int = 1, pad=0, dilation: int = 1) -> tuple:
    """(expected, mistakes) of output_size; expected is MUST_RAISE when the windows do not tile.

    The mistakes' answers are the usual wrong formulas, rounded down.
    """
    size = reference_output_size(n, f, stride, pad, dilation)
    expected = MUST_RAISE if size is None else size
    before, after = pad_pair(pad)
    both = before + after
    mistakes = {
        "rounded_down": (n + both - dilation * (f - 1) - 1) // stride + 1,
        "dilation_ignored": (n + both - f) // stride + 1,
        "pad_counted_once": (n + both // 2 - dilation * (f - 1) - 1) // stride + 1,
        "dilation_off_by_one": (n + both - (dilation + 1) * (f - 1) - 1) // stride + 1,
    }
    if before != after:
        del mistakes["pad_counted_once"]  # a pair is counted once by design
        mistakes["pad_pair_as_axes"] = _or_raise(n + 2 * before, f, stride, dilation)
        mistakes["pad_pair_doubled"] = _or_raise(n + 2 * both, f, stride, dilation)
    kept = {m: v for m, v in mistakes.items() if v != MUST_RAISE}  # a raise is judged as such
    return expected, _distinct(expected, kept)


def _or_raise(padded: int, f: int, stride: int, dilation: int):
    """What a correct rule gives on an axis of ``padded`` positions (MUST_RAISE: it raises)."""
    size = reference_output_size(padded, f, stride, 0, dilation)
    return MUST_RAISE if size is None else size


def count_answers(f: int, c_in: int, c_out: int, bias: bool = True) -> tuple:
    """(expected, mistakes) of conv_param_count."""
    expected = reference_param_count(f, c_in, c_out, bias)
    weights = reference_param_count(f, c_in, c_out, bias=False)
    return expected, _distinct(
        expected,
        {
            "no_bias_count": weights,
            "bias_per_weight": 2 * weights,
            "bias_per_input": weights + c_in * c_out,
            "c_in_ignored": reference_param_count(f, 1, c_out, bias),
            "bias_flag_ignored": weights + c_out,
        },
    )


def golden() -> dict:
    """The stored answers of the visible cases (``grader/padding_stride/golden.json``)."""

    def entry(answers):
        return {"expected": answers[0], "mistakes": answers[1]}

    return {
        "output_size": {k: entry(size_answers(*config)) for k, config in SIZE_EXAMPLES.items()},
        "conv_param_count": {
            k: entry(count_answers(*a, **kw)) for k, (a, kw) in COUNT_EXAMPLES.items()
        },
    }


def _case(label: str, args: tuple, kwargs: dict, answers: tuple) -> Case:
    expected, mistakes = answers
    named = tuple((MISTAKES[m], v) for m, v in mistakes.items())
    case = Case(label, args, expected, kwargs, named)
    if expected == MUST_RAISE:
        return dataclasses.replace(case, expected=ValueError, error_needs_numbers=True)
    return case


def _size_case(label: str, n: int, f: int, stride=1, pad=0, dilation=1) -> Case:
    """An output_size case; ``pad`` is an int or a pair."""
    kwargs = {"stride": stride, "pad": pad, "dilation": dilation}
    return _case(label, (n, f), kwargs, size_answers(n, f, **kwargs))


def _count_case(label: str, f: int, c_in: int, c_out: int, bias: bool = True) -> Case:
    return _case(label, (f, c_in, c_out), {"bias": bias}, count_answers(f, c_in, c_out, bias))


def _conv_case(label: str, x, w, b, stride: int = 1, pad=0, dilation: int = 1) -> Case:
    """A conv_forward_naive case that must raise exactly when either axis does not tile."""
    (_, _, h, wd), (_, _, hh, ww) = x.shape, w.shape
    raises = any(
        reference_output_size(n, k, stride, pad, dilation) is None for n, k in ((h, hh), (wd, ww))
    )
    return conv_forward_case(label, x, w, b, stride, pad, dilation, raises=raises)


# -- hidden cases ---------------------------------------------------------------------------------


def _random_config(rng: np.random.Generator, fits: bool, pair: bool = False) -> tuple:
    """(n, f, stride, pad, dilation) whose windows tile exactly, or miss by a few positions.

    With ``pair`` the padding is a pair ``(before, after)`` (possibly uneven).
    """
    f, stride, dilation = int(rng.integers(1, 6)), int(rng.integers(1, 5)), int(rng.integers(1, 4))
    n_out, span = int(rng.integers(1, 9)), dilation * (f - 1) + 1
    padded = (n_out - 1) * stride + span
    if pair:
        total = int(rng.integers(1, min(5, padded - 1) + 1)) if padded > 1 else 0
        before = int(rng.integers(0, total + 1))
        pad = (before, total - before)
    else:
        pad = int(rng.integers(0, min(3, (padded - 1) // 2) + 1))
    n = padded - sum(pad_pair(pad))
    if not fits:
        n += int(rng.integers(1, stride)) if stride > 1 else 0
        if stride == 1:  # nothing is left over at stride 1: make the kernel too large instead
            n = max(1, span - sum(pad_pair(pad)) - int(rng.integers(1, 3)))
    return n, f, stride, pad, dilation


def _output_size() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([103, seed])
        for fits in (True, False):
            n, f, s, p, d = _random_config(rng, fits, pair=seed % 3 == 1)
            label = f"n={n}, f={f}, stride={s}, pad={p}, dilation={d}"
            cases.append(_size_case(label, n, f, s, p, d))
    cases += [
        _size_case("n=1, f=1 (one pixel, 1x1 kernel)", 1, 1),
        _size_case("n=5, f=5 (kernel as large as the input)", 5, 5),
        _size_case("n=3, f=5, pad=1 (kernel as large as the padded input)", 3, 5, pad=1),
        _size_case("n=3, f=3, dilation=2 (dilated kernel spans 5 > 3)", 3, 3, dilation=2),
        _size_case("n=8, f=2, stride=3 (stride larger than the kernel)", 8, 2, 3),
        _size_case("n=9, f=2, stride=3 ((9 - 2)/3 + 1 = 3.33)", 9, 2, 3),
        _size_case("n=227, f=11, stride=4 (AlexNet's first layer)", 227, 11, 4),
        _size_case("n=224, f=11, stride=4 ((224 - 11)/4 + 1 = 54.25)", 224, 11, 4),
        _size_case("n=56, f=3, stride=2, pad=1 ((56 + 2 - 3)/2 + 1 = 28.5)", 56, 3, 2, 1),
        _size_case("n=64, f=3, pad=4, dilation=4 ('same' with dilation 4)", 64, 3, 1, 4, 4),
        _size_case("n=10, f=1, pad=2 (1x1 kernel on a padded input)", 10, 1, 1, 2),
        _size_case("n=16, f=4, stride=4 (non-overlapping windows)", 16, 4, 4),
        _size_case("n=224, f=3, stride=2, pad=(0, 1) (ResNet-style halving)", 224, 3, 2, (0, 1)),
        _size_case("n=224, f=3, stride=2, pad=(1, 0)", 224, 3, 2, (1, 0)),
        _size_case("n=224, f=3, stride=2, pad=1 ((224 + 2 - 3)/2 + 1 = 112.5)", 224, 3, 2, 1),
        _size_case("n=7, f=2, pad=(0, 1) ('same' for a 2-tap kernel)", 7, 2, 1, (0, 1)),
        _size_case("n=5, f=3, pad=(2, 2) (a pair of equal pads, as pad=2)", 5, 3, 1, (2, 2)),
        _size_case("n=3, f=7, pad=(3, 0) (too little padding after)", 3, 7, 1, (3, 0)),
        _size_case("n=8, f=3, stride=3, dilation=2, pad=(3, 0)", 8, 3, 3, (3, 0), 2),
    ]
    return cases


def _pad2d() -> list[Case]:
    cases = []
    modes = ("zero", "reflect", "replicate")
    for seed in SEEDS:
        rng = np.random.default_rng([203, seed])
        lead = tuple(int(v) for v in rng.integers(1, 4, size=int(rng.integers(0, 3))))
        h, w = (int(v) for v in rng.integers(2, 9, size=2))
        mode = modes[seed % 3]
        pad = int(rng.integers(0, min(h, w)))  # reflect needs pad < size
        if seed % 2:  # a pair (before, after), uneven
            pad = (pad, int(rng.integers(0, min(h, w))))
        dtype = np.float32 if seed % 4 == 3 else np.float64
        x = rng.normal(size=lead + (h, w)).astype(dtype)
        label = f"random {x.shape}, pad {pad}, mode {mode!r}, {np.dtype(dtype)}"
        cases.append(pad2d_case(label, x, pad, mode))
    rng = np.random.default_rng(2030)
    cases += [
        pad2d_case("integer image (4, 5), pad 2, mode 'zero'", np.arange(20).reshape(4, 5), 2),
        pad2d_case("one pixel (1, 1), pad 3, mode 'replicate'", np.array([[7.0]]), 3, "replicate"),
        pad2d_case(
            "2x2 array, pad 1, mode 'reflect'", np.array([[1.0, 2.0], [3.0, 4.0]]), 1, "reflect"
        ),
        pad2d_case(
            "one row (1, 6), pad 2, mode 'replicate'", rng.normal(size=(1, 6)), 2, "replicate"
        ),
        pad2d_case(
            "batch of one (1, 1, 3, 3), pad 1, mode 'reflect'",
            rng.normal(size=(1, 1, 3, 3)),
            1,
            "reflect",
        ),
        pad2d_case(
            "5D array (2, 1, 2, 3, 4), pad 1, mode 'zero'", rng.normal(size=(2, 1, 2, 3, 4)), 1
        ),
        pad2d_case(
            "(3, 4) array, pad=(0, 2), mode 'replicate'",
            rng.normal(size=(3, 4)),
            (0, 2),
            "replicate",
        ),
        pad2d_case("(2, 3, 5) image, pad=(1, 0), mode 'zero'", rng.normal(size=(2, 3, 5)), (1, 0)),
        pad2d_case(
            "(1, 2, 4, 6) batch, pad=(2, 3), mode 'reflect'",
            rng.normal(size=(1, 2, 4, 6)),
            (2, 3),
            "reflect",
        ),
        pad2d_case(
            "(3, 3) array, pad=(1, 1) (a pair of equal pads)", rng.normal(size=(3, 3)), (1, 1)
        ),
    ]
    return cases


def _conv_forward() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([303, seed])
        big_n, c, f = (int(v) for v in rng.integers(1, 4, size=3))
        hh, ww = (int(v) for v in rng.integers(1, 5, size=2))
        stride, pad = int(rng.integers(1, 4)), int(rng.integers(0, 3))
        dilation = int(rng.integers(1, 3))
        if seed % 4 in (1, 2):  # a pair (before, after)
            pad = (pad, int(rng.integers(0, 3)))
        both = sum(pad_pair(pad))
        # choose output sizes, then the input sizes that give them (every other seed misses by one)
        h_out, w_out = (int(v) for v in rng.integers(1, 6, size=2))
        h = (h_out - 1) * stride + dilation * (hh - 1) + 1 - both
        w = (w_out - 1) * stride + dilation * (ww - 1) + 1 - both
        if h < 1 or w < 1:
            pad, h, w = 0, h + both, w + both
        if seed % 2 and stride > 1:
            w += 1
        dtype = np.float32 if seed % 3 == 2 else np.float64
        x = rng.normal(size=(big_n, c, h, w)).astype(dtype)
        kernels = rng.normal(size=(f, c, hh, ww)).astype(dtype)
        bias = rng.normal(size=f).astype(dtype)
        label = (
            f"x {x.shape}, w {kernels.shape}, stride {stride}, pad {pad}, dilation {dilation}, "
            f"{np.dtype(dtype)}"
        )
        cases.append(_conv_case(label, x, kernels, bias, stride, pad, dilation))
    rng = np.random.default_rng(3030)
    x, r = rng.normal(size=(1, 2, 5, 5)), rng.normal
    cases += [
        _conv_case(
            "pad=(0, 1), stride 2 on an even map: x (2, 2, 8, 8), 3x3 -> 4x4",
            r(size=(2, 2, 8, 8)),
            r(size=(2, 2, 3, 3)),
            r(size=2),
            stride=2,
            pad=(0, 1),
        ),
        _conv_case(
            "pad=(1, 0), stride 2: x (1, 2, 6, 6), 3x3 -> 3x3",
            r(size=(1, 2, 6, 6)),
            r(size=(3, 2, 3, 3)),
            r(size=3),
            stride=2,
            pad=(1, 0),
        ),
        _conv_case(
            "pad=(1, 2), 'same' for a 4x4 kernel, float32",
            r(size=(1, 1, 5, 5)).astype(np.float32),
            r(size=(2, 1, 4, 4)).astype(np.float32),
            r(size=2).astype(np.float32),
            pad=(1, 2),
        ),
        _conv_case("1x1 kernels, pad 1: x (1, 2, 5, 5)", x, r(size=(3, 2, 1, 1)), r(size=3), pad=1),
        _conv_case("kernel as large as the input", x, r(size=(2, 2, 5, 5)), r(size=2)),
        _conv_case(
            "kernel as large as the padded input (7x7, pad 1)",
            x,
            r(size=(1, 2, 7, 7)),
            np.array([0.5]),
            pad=1,
        ),
        _conv_case(
            "stride 4 larger than the 3x3 kernel, pad 1 (out 2x2)",
            x,
            r(size=(2, 2, 3, 3)),
            np.zeros(2),
            stride=4,
            pad=1,
        ),
        _conv_case(
            "single channel, dilation 2, pad 2 ('same')",
            x[:, :1],
            r(size=(2, 1, 3, 3)),
            np.ones(2),
            pad=2,
            dilation=2,
        ),
        _conv_case(
            "x (1, 2, 5, 5), 2x2 kernel, stride 2: does not tile",
            x,
            r(size=(1, 2, 2, 2)),
            np.zeros(1),
            stride=2,
        ),
        _conv_case(
            "dilated kernel larger than the input: must raise",
            x,
            r(size=(1, 2, 3, 3)),
            np.zeros(1),
            dilation=3,
        ),
        _conv_case(
            "batch of three, float32, stride 2, pad 1, dilation 2",
            r(size=(3, 2, 7, 9)).astype(np.float32),
            r(size=(2, 2, 3, 3)).astype(np.float32),
            r(size=2).astype(np.float32),
            stride=2,
            pad=1,
            dilation=2,
        ),
    ]
    return cases


def _param_count() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([403, seed])
        f, c_in, c_out = (
            int(rng.integers(1, 8)),
            int(rng.integers(1, 65)),
            int(rng.integers(1, 129)),
        )
        bias = bool(seed % 3)
        label = f"{c_out} {f}x{f} filters on {c_in} channels, bias={bias}"
        cases.append(_count_case(label, f, c_in, c_out, bias))
    cases += [
        _count_case("AlexNet CONV1: 96 11x11 filters on 3 channels", 11, 3, 96),
        _count_case("one 1x1 filter on one channel", 1, 1, 1),
        _count_case("one 1x1 filter on one channel, bias=False", 1, 1, 1, False),
        _count_case("512 3x3 filters on 512 channels (a VGG layer)", 3, 512, 512),
    ]
    return cases


HIDDEN = {
    "output_size": _output_size,
    "pad2d": _pad2d,
    "conv_forward_naive": _conv_forward,
    "conv_param_count": _param_count,
}
