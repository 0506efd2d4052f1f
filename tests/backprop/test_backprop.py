"""Does each check of 06_backprop name the mistake it sees, and are its references right? (The
separation of wrong from correct answers is proven for every notebook in
tests/test_implementations.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import define
from numpy.lib.stride_tricks import sliding_window_view

from grader.backprop.cases import NOTEBOOK
from grader.backprop.hidden import HIDDEN
from grader.engine.kernel import run_cases
from grader.engine.verdicts import Status
from make_class import topic_module

WRONG = topic_module("06_backprop", "implementations").WRONG
AGREE = 1e-7  # float64 references against centred differences, relative to the largest value


def test_messages_name_the_mistake(graded):
    """Graded in the sandbox, the main mistakes of every exercise are named in the message and
    carried as data next to it."""
    got = graded(
        "06_backprop",
        {
            "numerical_gradient": WRONG["numerical_gradient"]["one-sided differences"],
            "relu_backward": WRONG["relu_backward"]["passes where x == 0"],
            "affine_backward": WRONG["affine_backward"]["dw transposed"],
            "softmax_loss": WRONG["softmax_loss"]["no max shift (overflow)"],
            "conv_backward": WRONG["conv_backward"]["stride ignored"],
            "maxpool_backward": WRONG["maxpool_backward"]["routes to every tied maximum"],
            "avgpool_backward": WRONG["avgpool_backward"]["not divided by the window size"],
        },
    )
    expected = {
        "numerical_gradient": ("one_sided", "centred"),
        "relu_backward": ("passes_at_zero", "x >= 0"),
        "affine_backward": ("dw_transposed", "dw is transposed"),
        "softmax_loss": ("no_max_shift", "subtract each row's largest score"),
        "conv_backward": ("stride_ignored", "i * stride"),
        "maxpool_backward": ("all_ties", "first maximum"),
        "avgpool_backward": ("not_divided", "size * size"),
    }
    for name, (mistake, text) in expected.items():
        result = got[name]
        assert result.status is Status.FAILED and result.score == 0, result
        assert result.mistake == mistake and text in result.message, result


def test_messages_name_batch_padding_and_mutation_mistakes(graded):
    """A perturbed x left behind, dout zeroed in place, a summed loss, dw of the last image, an
    empty crop, a forgotten window offset and a size-only division say so."""
    got = graded(
        "06_backprop",
        {
            "numerical_gradient": WRONG["numerical_gradient"]["x not restored on a float64 copy"],
            "relu_backward": WRONG["relu_backward"]["zeroes dout in place"],
            "affine_backward": WRONG["affine_backward"]["dx not reshaped"],
            "softmax_loss": WRONG["softmax_loss"]["loss summed over the batch"],
            "conv_backward": WRONG["conv_backward"]["crops with [p:-p]"],
            "maxpool_backward": WRONG["maxpool_backward"][
                "argmax position not offset by the window start"
            ],
            "avgpool_backward": WRONG["avgpool_backward"]["divided by size, not size * size"],
        },
        "more",
    )
    expected = {
        "numerical_gradient": ("not_restored", "x[i] = old"),
        "relu_backward": ("mutated_input", "modified in place"),
        "affine_backward": ("dx_not_reshaped", "reshape it"),
        "softmax_loss": ("loss_summed", "mean over the"),
        "conv_backward": ("empty_crop", "x[p:-p] is empty"),
        "maxpool_backward": ("window_offset_missing", "window's start"),
        "avgpool_backward": ("divided_by_size", "not size * size"),
    }
    for name, (mistake, text) in expected.items():
        assert got[name].mistake == mistake and text in got[name].message, got[name]


NAMED = [
    ("numerical_gradient", "x not restored on the caller's array", "mutated_input"),
    ("numerical_gradient", "dout ignored", "dout_ignored"),
    ("numerical_gradient", "divided by h, not 2h", "not_halved"),
    ("numerical_gradient", "h ignored", "step_ignored"),
    ("numerical_gradient", "f(x) kept and summed after x changed", "view_kept"),
    ("numerical_gradient", "float32 x perturbed in float32", "float32_steps"),
    ("relu_backward", "ReLU of dout", "relu_of_dout"),
    ("relu_backward", "passes where x < 0", "wrong_side"),
    ("relu_backward", "the mask without dout", "mask_only"),
    ("affine_backward", "db averaged over the batch", "db_averaged"),
    ("affine_backward", "db summed over axis 1", "db_wrong_axes"),
    ("affine_backward", "dw divided by N", "dw_averaged"),
    ("softmax_loss", "dscores not divided by N", "dscores_not_divided"),
    ("softmax_loss", "log of the probabilities (log 0 for a confident wrong answer)", "log_of_probs"),
    ("softmax_loss", "one-hot not subtracted", "onehot_not_subtracted"),
    ("softmax_loss", "shifts the scores in place", "mutated_input"),
    ("conv_backward", "dw from the last image only", "dw_last_sample"),
    ("conv_backward", "dw averaged over the batch", "dw_averaged"),
    ("conv_backward", "db summed over the wrong axes", "db_wrong_axes"),
    ("conv_backward", "padding not cropped", "dx_not_cropped"),
    ("conv_backward", "dx with the kernel not flipped", "kernel_not_flipped"),
    ("maxpool_backward", "splits the gradient among ties", "split_ties"),
    ("maxpool_backward", "the last maximum wins (>=)", "last_tie"),
    ("maxpool_backward", "stride ignored", "stride_ignored"),
    ("maxpool_backward", "argmax over the whole map", "whole_map"),
    ("maxpool_backward", "overlapping windows overwrite", "overlap_overwritten"),
    ("avgpool_backward", "stride ignored", "stride_ignored"),
]  # fmt: skip


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(("exercise", "label", "mistake"), NAMED)
def test_visible_check_names_the_mistake(exercise, label, mistake):
    """The visible check of each exercise (run in the kernel) names every usual mistake."""
    fn = define(WRONG[exercise][label], exercise)
    result = run_cases(fn, next(e for e in NOTEBOOK.exercises if e.name == exercise).cases())
    assert result.status is Status.FAILED and result.mistake == mistake, result


def test_ties_go_to_the_first_maximum_in_row_major_order():
    """The visible tie case routes each window's gradient to its first maximum, worked by hand."""
    maxpool = next(e for e in NOTEBOOK.exercises if e.name == "maxpool_backward")
    case = next(c for c in maxpool.cases() if c.label.startswith("ties"))
    (x, size, stride), dout = case.args[1], case.args[0]
    assert (size, stride) == (2, 2)
    want = np.zeros((4, 4))
    want[0, 0], want[0, 3], want[2, 0], want[2, 2] = dout[0, 0].ravel()
    assert x[0, 0, 0, 3] == x[0, 0, 1, 2] == 2.0  # window (0, 1) ties: (0, 3) comes first
    np.testing.assert_array_equal(case.expected[0, 0], want)


# -- the references against numerical gradients ----------------------------------------------------


# The references are checked against centred differences of sum(f(x) * dout) in float64: the
# correct numerical_gradient the wrong implementations are derived from, not a copy of it.
_numeric = define(topic_module("06_backprop", "implementations")._NUMERICAL, "numerical_gradient")


def _close(got, want, rtol=AGREE) -> None:
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    scale = max(1.0, float(np.abs(want).max(initial=0.0)))
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * scale)


def _windows(x, size, stride):
    return sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]


def _conv(x, w, b, stride, pad):
    before, after = (pad, pad) if np.ndim(pad) == 0 else pad
    padded = np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))
    win = sliding_window_view(padded, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("ncijuv,fcuv->nfij", win, w) + b[None, :, None, None]


def _cases(name: str) -> list:
    exercise = next(e for e in NOTEBOOK.exercises if e.name == name)
    return [c for c in exercise.cases() + HIDDEN[name]() if not c.expects_error]


def _float64(case) -> bool:
    dout, (x, w, b, _) = case.args
    return all(a.dtype == np.float64 for a in (dout, x, w, b))


def _check_conv(case) -> None:
    dout, (x, w, b, conv) = case.args
    s, p = conv["stride"], conv["pad"]
    dx, dw, db = case.expected
    _close(dx, _numeric(lambda v: _conv(v, w, b, s, p), x, dout))
    _close(dw, _numeric(lambda v: _conv(x, v, b, s, p), w, dout))
    _close(db, _numeric(lambda v: _conv(x, w, v, s, p), b, dout))


def _check_pool(case, reduce) -> bool:
    """False when a max-pooling case has ties (a tie is a kink: no numerical gradient there)."""
    dout, (x, size, stride) = case.args
    top = np.sort(_windows(x, size, stride).reshape(*dout.shape, -1), axis=-1)
    if reduce is np.max and size > 1 and (np.diff(top[..., -2:]) < 1e-3).any():
        return False
    forward = lambda v: reduce(_windows(v, size, stride), axis=(4, 5))  # noqa: E731
    _close(case.expected, _numeric(forward, x, dout), rtol=1e-6)
    return True


def _check_affine(case) -> None:
    dout, (x, w, b) = case.args
    dx, dw, db = case.expected
    flat = x.reshape(len(x), -1)
    _close(dx, _numeric(lambda v: v.reshape(len(x), -1) @ w + b, x, dout), rtol=1e-6)
    _close(dw, _numeric(lambda v: flat @ v + b, w, dout), rtol=1e-6)
    _close(db, _numeric(lambda v: flat @ w + v, b, dout), rtol=1e-6)


def _check_softmax(case) -> None:
    scores, y = case.args

    def loss(s):
        z = s - s.max(axis=1, keepdims=True)
        return -np.mean(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1)))

    _close(case.expected[0], loss(np.asarray(scores, dtype=np.float64)), rtol=1e-6)
    _close(case.expected[1], _numeric(loss, scores, 1.0), rtol=1e-6)


def test_conv_references_agree_with_numerical_gradients():
    """scipy's dx, dw, db (float64 cases) against centred differences of a convolution written
    here with sliding windows."""
    cases = [c for c in _cases("conv_backward") if _float64(c)]
    assert len(cases) > 10
    for case in cases:
        _check_conv(case)


def test_pool_references_agree_with_numerical_gradients():
    """Max pooling where no window ties, average pooling everywhere."""
    checked = [_check_pool(c, np.max) for c in _cases("maxpool_backward")]
    checked += [_check_pool(c, np.mean) for c in _cases("avgpool_backward")]
    assert sum(checked) > 20


def test_layer_references_agree_with_numerical_gradients():
    """ReLU (away from its kink), affine, and softmax cross-entropy where the scores are small
    enough for a step of 1e-5 to count."""
    for case in _cases("relu_backward"):
        dout, x = case.args
        away = np.abs(x) > 1e-3
        _close(case.expected[away], _numeric(lambda v: np.maximum(v, 0), x, dout)[away])
    for case in _cases("affine_backward"):
        _check_affine(case)
    for case in _cases("softmax_loss"):
        if np.abs(case.args[0]).max() < 100:
            _check_softmax(case)


def test_numerical_gradient_answers_are_centred_differences():
    """Every expected answer of numerical_gradient (worked out by hand, or elementwise) is what
    centred differences of sum(f(x) * dout) give, computed here entry by entry."""
    for case in _cases("numerical_gradient"):
        f, x, dout = case.args[0].build(), case.args[1], case.args[2]
        _close(case.expected, _numeric(f, x, dout, case.kwargs.get("h", 1e-5)), rtol=1e-6)
