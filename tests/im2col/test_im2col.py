"""Does each check of 05_im2col name the mistake it sees, and are its cases and references sound?
(The separation of wrong from correct answers is proven for every notebook in
tests/test_implementations.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from grader.course import course
from grader.engine.judge import grade_notebook
from grader.engine.kernel import run_cases
from grader.engine.verdicts import Status
from grader.im2col.builders import im2col_case
from grader.im2col.hidden import HIDDEN
from grader.im2col.hidden.references import col2im_answers, reference_cost
from make_class import topic_module

WRONG = topic_module("05_im2col", "implementations").WRONG


def _verdict(exercise: str, label: str):
    namespace = {"np": np}
    exec(WRONG[exercise][label], namespace)
    return run_cases(namespace[exercise], course().exercise(exercise)[1].cases())


def test_graded_messages_name_the_mistake(submit):
    """Graded from outside, rows in the wrong order, a misread product and overwriting windows
    say so, and the mistake is carried as data next to the message."""
    answers = {
        "im2col": WRONG["im2col"]["rows in (u, v, c) order"],
        "conv_forward_im2col": WRONG["conv_forward_im2col"][
            "product reshaped straight to (N, F, H', W')"
        ],
        "col2im": WRONG["col2im"]["padding not cropped"],
    }
    report = grade_notebook(submit("05_im2col", answers), course())
    got = {r.name: r for r in report.exercises}
    assert got["im2col"].mistake == "row_order"
    assert "order of w.reshape(F, -1)" in got["im2col"].message
    assert got["conv_forward_im2col"].mistake == "reshape_without_transpose"
    assert "(F, N, H', W') first" in got["conv_forward_im2col"].message
    assert got["col2im"].mistake == "not_cropped"
    assert got["conv_layer_cost"].status is Status.MISSING


@pytest.mark.parametrize(
    ("exercise", "label", "mistake", "words"),
    [
        ("im2col", "columns in (i, j, n) order (CS231n's layout)", "columns_batch_last", "image first"),
        ("im2col", "stride ignored", "stride_ignored", "every `stride` positions"),
        ("im2col", "padding only before", "pad_before_only", "top and left"),
        ("im2col", "pad pair read as (height, width)", "pad_pair_as_axes", "(height, width)"),
        ("im2col", "rounds down instead of raising", "rounded_down", "must raise ValueError"),
        ("conv_forward_im2col", "bias missing", "missing_bias", "bias is missing"),
        ("conv_forward_im2col", "weights flattened (u, v, c) against rows (c, u, v)",
         "weights_rows_mismatch", "different orders"),
        ("conv_forward_im2col", "reshapes w in place", "mutated_input", "modified in place"),
        ("conv_forward_im2col", "kernel flipped (true convolution)", "flipped_kernel", "flipped"),
        ("col2im", "windows overwrite (=) instead of adding", "not_added", "not added up"),
        ("col2im", "overlapping windows averaged", "not_added", "not added up"),
        ("col2im", "pad pair reversed when cropping", "pad_pair_reversed", "reversed"),
        ("col2im", "accumulates into the columns it was given", "mutated_input", "modified in place"),
    ],
)  # fmt: skip
def test_visible_checks_name_the_mistake(exercise, label, mistake, words):
    result = _verdict(exercise, label)
    assert result.status is Status.FAILED, result.message
    assert result.mistake == mistake and words in result.message, result.message


@pytest.mark.parametrize(
    ("label", "mistake"),
    [("windows overwrite (=) instead of adding", "overwritten"), ("overlapping windows averaged", "averaged")],
)  # fmt: skip
def test_hidden_cases_tell_overwriting_from_averaging(label, mistake):
    """Columns of ones cannot tell them apart (both give ones); random columns can."""
    namespace = {"np": np}
    exec(WRONG["col2im"][label], namespace)
    assert run_cases(namespace["col2im"], course().hidden_cases("col2im")).mistake == mistake


def test_cost_check_names_the_wrong_count():
    """A wrong cost names the key, both counts, and the mistake (dicts compare key by key)."""
    result = _verdict("conv_layer_cost", "FLOPs counted as MACs")
    assert result.status is Status.FAILED and result.mistake == "flops_as_macs"
    assert "'macs': expected 3888, got 7776" in result.message


@pytest.mark.parametrize("seed", range(6))
def test_hidden_col2im_reference_is_the_adjoint_of_im2col(seed):
    """<im2col(x), c> = <x, col2im(c)> for the references: NumPy's windows for im2col, the
    window-by-window sum for col2im; random shapes, strides and pads (int and pair)."""
    rng = np.random.default_rng([505, seed])
    hh, ww, stride = (int(v) for v in rng.integers(1, 4, size=3))
    before, after = (int(v) for v in rng.integers(0, 3, size=2))
    pad = (before, after) if seed % 2 else before
    before, after = (before, before) if seed % 2 == 0 else (before, after)
    h_out, w_out = (int(v) for v in rng.integers(1, 5, size=2))
    h = max((h_out - 1) * stride + hh - before - after, 1)
    w = max((w_out - 1) * stride + ww - before - after, 1)
    x = rng.normal(size=(2, 3, h, w))
    case = im2col_case("adjoint", x, hh, ww, stride, pad)
    cols = case.expected
    c = rng.normal(size=cols.shape)
    back, _ = col2im_answers(c, x.shape, hh, ww, stride, pad)
    assert np.isclose(np.vdot(cols, c), np.vdot(x, back), rtol=1e-12)


@pytest.mark.parametrize("exercise", ["conv_layer_cost", "im2col", "conv_forward_im2col", "col2im"])
def test_hidden_cases_raise_exactly_where_the_windows_do_not_tile(exercise):
    """A hidden case expects ValueError exactly when the reference's walk finds no tiling; and
    every exercise has some of each."""
    raising = 0
    for case in HIDDEN[exercise]():
        if exercise == "conv_layer_cost":
            x_shape, w_shape = case.args
        elif exercise == "col2im":
            x_shape, w_shape = case.args[1], (1, case.args[1][1], *case.args[2:4])
        elif exercise == "im2col":
            x_shape, w_shape = case.args[0].shape, (1, case.args[0].shape[1], *case.args[1:3])
        else:
            x_shape, w_shape = case.args[0].shape, case.args[1].shape
        tiles = reference_cost(x_shape, w_shape, **case.kwargs) is not None
        assert case.expects_error is not tiles, case.label
        raising += case.expects_error
    assert 3 <= raising < len(HIDDEN[exercise]()) / 2
