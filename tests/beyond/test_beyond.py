"""Does each check of 09_beyond name the mistake it sees, are its references right, and do the
backward passes and data its training cells rely on hold? (The separation of wrong from correct
answers is proven for every notebook in tests/test_implementations.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import define
from numpy.lib.stride_tricks import sliding_window_view

from grader.beyond import lesson, nets
from grader.beyond.cases import NOTEBOOK
from grader.beyond.hidden import HIDDEN
from grader.engine.kernel import run_cases
from grader.engine.verdicts import Status
from grader.padding_stride.lesson import pad_pair
from make_class import topic_module

IMPL = topic_module("09_beyond", "implementations")
WRONG, CORRECT = IMPL.WRONG, IMPL.CORRECT


def test_messages_name_the_mistake(graded):
    """Graded in the sandbox, the mistakes the issue lists are named in the message and carried
    as data next to it."""
    got = graded(
        "09_beyond",
        {
            "conv1x1": WRONG["conv1x1"]["channels-last output"],
            "upsample_nearest": WRONG["upsample_nearest"][
                "channels interleaved (channels-last reshape)"
            ],
            "conv_transpose_forward": WRONG["conv_transpose_forward"][
                "not the adjoint: the stuffed input correlated, not convolved"
            ],
            "conv1d_forward": WRONG["conv1d_forward"][
                "dilation off by one (taps dilation + 1 apart)"
            ],
            "conv3d_forward": WRONG["conv3d_forward"][
                "depth axis ignored (each frame with the kernel's first slice)"
            ],
        },
    )
    expected = {
        "conv1x1": ("channels_last", "(N, F, H, W)"),
        "upsample_nearest": ("channels_interleaved", "channels-last"),
        "conv_transpose_forward": ("not_adjoint", "adjoint"),
        "conv1d_forward": ("dilation_off_by_one", "d - 1 zeros"),
        "conv3d_forward": ("depth_ignored", "depth axis is ignored"),
    }
    for name, (mistake, text) in expected.items():
        result = got[name]
        assert result.status is Status.FAILED and result.score == 0, result
        assert result.mistake == mistake and text in result.message, result


NAMED = [
    ("conv1x1", "bias missing", "bias_missing"),
    ("conv1x1", "w used transposed", "w_transposed"),
    ("conv1x1", "bias added along the width", "bias_wrong_axis"),
    ("upsample_nearest", "tiles the whole image", "tiled"),
    ("upsample_nearest", "np.repeat without an axis", "flat_repeat"),
    ("conv_transpose_forward", "padding not cropped", "pad_not_cropped"),
    ("conv_transpose_forward", "stride zeros between inputs (lands stride + 1 apart)", "too_many_zeros"),
    ("conv_transpose_forward", "bias missing", "bias_missing"),
    ("conv_transpose_forward", "pad pair read the wrong way round", "pad_pair_swapped"),
    ("conv1d_forward", "kernel flipped", "kernel_flipped"),
    ("conv1d_forward", "stride ignored", "stride_ignored"),
    ("conv1d_forward", "pad pair swapped", "pad_pair_swapped"),
    ("conv1d_forward", "no error for windows that do not tile (crops silently)", "should_raise"),
    ("conv3d_forward", "kernel depth and height swapped", "depth_transposed"),
    ("conv3d_forward", "kernel flipped", "kernel_flipped"),
    ("conv3d_forward", "bias missing", "bias_missing"),
]  # fmt: skip


@pytest.mark.parametrize(("exercise", "label", "mistake"), NAMED)
def test_visible_check_names_the_mistake(exercise, label, mistake):
    """The visible check of each exercise (run in the kernel) names every usual mistake."""
    fn = define(WRONG[exercise][label], exercise)
    result = run_cases(fn, next(e for e in NOTEBOOK.exercises if e.name == exercise).cases())
    assert result.status is Status.FAILED and result.mistake == mistake, result


# -- the references against independent computations ------------------------------------------


def _cases(name: str) -> list:
    exercise = next(e for e in NOTEBOOK.exercises if e.name == name)
    return exercise.cases() + HIDDEN[name]()


def _conv(x, w, b, stride=1, pad=0, dilation=1) -> np.ndarray:
    """Cross-correlation in any number of spatial axes from NumPy's sliding windows (not scipy,
    which the references use)."""
    before, after = pad_pair(pad)
    spatial = x.ndim - 2
    padded = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), *((before, after),) * spatial))
    spans = [dilation * (k - 1) + 1 for k in w.shape[2:]]
    win = sliding_window_view(padded, spans, axis=tuple(range(2, 2 + spatial)))
    win = win[(..., *(slice(None, None, dilation),) * spatial)]
    win = win[(slice(None), slice(None), *(slice(None, None, stride),) * spatial)]
    letters = "ijk"[:spatial]
    kernel = "uvy"[:spatial]
    out = np.einsum(f"nc{letters}{kernel},fc{kernel}->nf{letters}", win, np.asarray(w, float))
    return out + np.asarray(b, float).reshape(1, -1, *(1,) * spatial)


def _close(got, want, rtol=1e-9) -> None:
    scale = max(1.0, float(np.abs(want).max(initial=0.0)))
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * scale)


@pytest.mark.parametrize("name", ["conv1d_forward", "conv3d_forward"])
def test_convolution_references_agree_with_sliding_windows(name):
    """scipy's answers (float64 cases) against NumPy's sliding windows and einsum; every case
    that must raise is one whose windows do not tile, by the output-size formula."""
    checked = 0
    for case in _cases(name):
        x, w, b = case.args
        kw = case.kwargs
        total, d = sum(pad_pair(kw["pad"])), kw.get("dilation", 1)
        steps = [(n + total - d * (k - 1) - 1) / kw["stride"] for n, k in zip(x.shape[2:], w.shape[2:], strict=True)]  # fmt: skip
        fits = all(s >= 0 and s == int(s) for s in steps)
        assert case.expects_error == (not fits), case.label
        if fits:
            _close(case.expected, _conv(x, w, b, kw["stride"], kw["pad"], d), rtol=1e-5)
            checked += 1
    assert checked > 15


def test_transposed_convolution_is_the_adjoint_of_the_convolution():
    """<conv(y), x> == <y, conv_T(x) - b> for a random y, with conv from sliding windows, on
    every case; its output size is (H - 1) * stride - before - after + HH."""
    rng = np.random.default_rng(0)
    checked = 0
    for case in _cases("conv_transpose_forward"):
        x, w, b = case.args
        stride, pad = case.kwargs["stride"], case.kwargs["pad"]
        size = [
            (n - 1) * stride - sum(pad_pair(pad)) + k
            for n, k in zip(x.shape[2:], w.shape[2:], strict=True)
        ]
        assert case.expects_error == (min(size) < 1), case.label
        if case.expects_error:
            continue
        assert case.expected.shape == (x.shape[0], w.shape[1], *size)
        y = rng.normal(size=case.expected.shape)
        left = np.sum(_conv(y, w, np.zeros(w.shape[0]), stride, pad) * x)
        right = np.sum(y * (case.expected - np.asarray(b, float)[None, :, None, None]))
        _close(left, right, rtol=1e-5)
        checked += 1
    assert checked > 15


def test_conv1x1_and_upsampling_references():
    """A 1x1 convolution is a convolution with (F, C, 1, 1) kernels; nearest upsampling reads
    x[i // factor, j // factor]."""
    for case in _cases("conv1x1"):
        x, w, b = case.args
        _close(case.expected, _conv(x, w[:, :, None, None], b), rtol=1e-9)
    for case in _cases("upsample_nearest"):
        x, factor = case.args
        rows = np.arange(x.shape[2] * factor) // factor
        cols = np.arange(x.shape[3] * factor) // factor
        np.testing.assert_array_equal(case.expected, x[:, :, rows][:, :, :, cols])
        assert case.expected.dtype == x.dtype


# -- what the training cells rely on -------------------------------------------------------------


_numeric = define(topic_module("06_backprop", "implementations")._NUMERICAL, "numerical_gradient")
_conv1d = define(CORRECT["conv1d_forward"]["index array and einsum"], "conv1d_forward")
_conv3d = define(CORRECT["conv3d_forward"]["sliding windows and einsum"], "conv3d_forward")
_relu = define(
    "def relu_backward(dout, cache):\n    return np.where(cache > 0, dout, 0.0)\n", "relu_backward"
)
_softmax = define(topic_module("06_backprop", "implementations")._SOFTMAX, "softmax_loss")


def test_training_backward_passes_agree_with_numerical_gradients():
    """nets' 1D and 3D convolution gradients, with stride, pad pairs and dilation."""
    rng = np.random.default_rng(1)
    x, w, b = rng.normal(size=(2, 3, 12)), rng.normal(size=(4, 3, 3)), np.zeros(4)
    kw = {"stride": 2, "pad": (2, 1), "dilation": 2}
    dout = rng.normal(size=_conv1d(x, w, b, **kw)[0].shape)
    dx, dw, db = nets.conv1d_grads(dout, x, w, **kw)
    _close(dx, _numeric(lambda v: _conv1d(v, w, b, **kw)[0], x, dout), rtol=1e-7)
    _close(dw, _numeric(lambda v: _conv1d(x, v, b, **kw)[0], w, dout), rtol=1e-7)
    _close(db, dout.sum(axis=(0, 2)))
    x, w, b = rng.normal(size=(2, 2, 4, 3, 5)), rng.normal(size=(3, 2, 3, 2, 3)), np.zeros(3)
    dout = rng.normal(size=_conv3d(x, w, b, 1, 1)[0].shape)
    dx, dw, _ = nets.conv3d_grads(dout, x, w, 1, 1)
    _close(dx, _numeric(lambda v: _conv3d(v, w, b, 1, 1)[0], x, dout), rtol=1e-7)
    _close(dw, _numeric(lambda v: _conv3d(x, v, b, 1, 1)[0], w, dout), rtol=1e-7)


def test_data_recipes_are_seeded_and_shaped():
    images, masks = lesson.shapes(4, seed=3)
    assert images.shape == (4, 1, 32, 32) and masks.shape == (4, 32, 32)
    assert set(np.unique(masks)) <= {0, 1, 2}
    np.testing.assert_array_equal(images, lesson.shapes(4, seed=3)[0])
    x, labels = lesson.context_sequences(5, seed=2)
    assert x.shape == (5, 1, 64) and labels.shape == (5, 64)
    clips, directions = lesson.moving_blobs(6, frames=6, size=12, seed=1)
    assert clips.shape == (6, 1, 6, 12, 12) and set(directions) <= {0, 1, 2, 3}
    x, y, x_test, y_test = lesson.mnist1d()  # generated offline: the network is not needed
    assert x.shape == (4000, 1, 40) and x_test.shape == (1000, 1, 40)
    shuffled = lesson.mnist1d(shuffle=True)[0]
    np.testing.assert_array_equal(np.sort(shuffled, axis=2), np.sort(x, axis=2))


def test_dilation_context_and_gridding():
    """Equal rates (2, 2, 2) reach 13 inputs but depend on 7; growing rates (1, 2, 4) depend on
    all 15; on the context task at equal weights, (1, 2, 4) beats (1, 1, 1) and (2, 2, 2)."""
    counts = {}
    for rates in ((1, 1, 1), (1, 2, 4), (2, 2, 2)):
        h = np.eye(33)[:, None, :]
        for d in rates:
            h = _conv1d(h, np.ones((1, 1, 3)), np.zeros(1), 1, d, d)[0]
        counts[rates] = lesson.influence_counts(h[:, 0, 16])
    assert counts == {(1, 1, 1): (7, 7), (1, 2, 4): (15, 15), (2, 2, 2): (13, 7)}
    fns = {"conv1d_forward": _conv1d, "relu_backward": _relu, "softmax_loss": _softmax}
    x, y = lesson.context_sequences(600, seed=0)
    x_test, y_test = lesson.context_sequences(200, seed=1)
    accuracy = {}
    for rates in ((1, 1, 1), (1, 2, 4)):
        params, _ = nets.adam(
            nets.dilated_init(rates, seed=0),
            lambda p, a, t: nets.dilated_loss(p, a, t, fns),
            x,
            y,
            steps=400,
            batch=32,
        )
        accuracy[rates] = np.mean(nets.dilated_predict(params, x_test, fns) == y_test)
    assert accuracy[(1, 2, 4)] > 0.93 and accuracy[(1, 1, 1)] < 0.85, accuracy
