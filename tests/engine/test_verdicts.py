"""Does a verdict name what is wrong with an answer, in the learner's terms, and pass a right one?"""

from __future__ import annotations

import numpy as np
import pytest

from grader.engine.cases import Case, Mistake, raised, returned
from grader.engine.compare import format_pair
from grader.engine.kernel import run_in_process
from grader.engine.verdicts import Status, Verdict, summarize, verdict

X = np.arange(6.0).reshape(2, 3)
RIGHT = X * 2


def _case(**kwargs) -> Case:
    return Case("2x3 example", (X,), RIGHT, **kwargs)


@pytest.mark.parametrize(
    ("answer", "words", "mistake"),
    [
        (RIGHT.T, "expected shape (2, 3), got (3, 2)", "axes_swapped"),
        (RIGHT.astype(int), "got dtype int64", "integer_dtype"),
        (np.full((2, 3), np.nan), "NaN", "nan"),
        (RIGHT + np.eye(2, 3), "wrong value at index (0, 0): expected 0, got 1", None),
        ([[0, 2, 4], [6, 8, 10]], "expected an array of shape (2, 3), got list", None),
        ((RIGHT, None), "got a tuple of 2 items", None),
    ],
)
def test_wrong_answers_are_described(answer, words, mistake):
    result = verdict(_case(), returned(answer, (X.copy(),)))
    assert result.status is Status.FAILED and result.case == "2x3 example"
    assert words in result.text and result.mistake == mistake


def test_a_square_transposed_output_is_called_transposed():
    square = np.arange(9.0).reshape(3, 3)
    result = verdict(Case("3x3", (square,), square), returned(square.T, (square.copy(),)))
    assert result.mistake == "transposed" and "transposed" in result.diagnosis


def test_named_mistakes_are_recognised_for_arrays_shapes_numbers_and_tuple_items():
    flipped, short = (
        Mistake("flipped_kernel", "the kernel is flipped"),
        Mistake("short", "one short"),
    )
    case = _case(mistakes=((flipped, RIGHT[:, ::-1]), (short, RIGHT[:, :2])))
    assert verdict(case, returned(RIGHT[:, ::-1], (X.copy(),))).mistake == "flipped_kernel"
    assert verdict(case, returned(RIGHT[:, :2], (X.copy(),))).diagnosis == "one short"
    number = Case("count", (), 760, mistakes=((Mistake("no_bias", "biases not counted"), 750),))
    assert verdict(number, returned(750)).text.endswith("biases not counted")
    frozen = Mistake("frozen_bias", "bias never updated")
    pair = Case("w, b", (), (RIGHT, 0.5), mistakes=((frozen, (RIGHT, 0.0)),))
    assert verdict(pair, returned((RIGHT, 0.0))).mistake == "frozen_bias"


def test_right_answers_pass_in_any_float_dtype_and_numpy_scalars_count_as_numbers():
    assert verdict(_case(), returned(RIGHT.astype(np.float32), (X.copy(),))).passed
    assert verdict(Case("count", (), 760), returned(np.array(760))).passed
    assert verdict(
        Case("out, cache", (X,), RIGHT, pick=0), returned((RIGHT, {"x": 1}), (X,))
    ).passed


def test_float32_arithmetic_gets_the_float32_tolerance_and_float64_the_tight_one():
    """A correct answer computed in float32 passes, even from float64 inputs or stored into a
    float64 buffer from float32 inputs; an error of 3e-6 passes in float32 but not in a float64
    result, and the message tells the two numbers apart, with the error and the tolerance."""
    rng = np.random.default_rng(0)
    x64 = rng.normal(size=(8, 8))
    exact = x64 @ x64
    in32 = x64.astype(np.float32) @ x64.astype(np.float32)
    case = Case("8x8 product", (x64,), exact)
    assert verdict(case, returned(in32, (x64.copy(),))).passed
    inputs32 = Case("float32 inputs", (x64.astype(np.float32),), exact)
    assert verdict(inputs32, returned(in32.astype(np.float64), (x64.astype(np.float32),))).passed
    off = exact * (1 + 3e-6)
    assert verdict(case, returned(off.astype(np.float32), (x64.copy(),))).passed
    result = verdict(case, returned(off, (x64.copy(),)))
    assert result.status is Status.FAILED
    expected, got = result.problem.split("expected ")[1].split(" (")[0].split(", got ")
    assert expected != got
    assert "relative error 3e-06, tolerance 1e-07 for float64" in result.problem


def test_numbers_show_enough_digits_to_differ():
    assert format_pair(-1.8526541, -1.8526467) == ("-1.852654", "-1.852647")
    assert format_pair(1.0, 1.0 + 1e-12) == ("1", "1.000000000001")


def test_mutated_input_is_reported():
    result = verdict(_case(), returned(RIGHT, (X * 0,)))
    assert "modified in place" in result.problem and result.mistake == "mutated_input"


def test_expected_errors_and_their_messages():
    case = Case("7x7, stride 3", (), ValueError, error_needs_numbers=True)
    assert verdict(case, raised("ValueError", "(7 - 3) / 3 + 1 is not an integer")).passed
    assert verdict(case, raised("ValueError", "does not fit")).mistake == "error_without_numbers"
    assert verdict(case, returned(2)).mistake == "should_raise"
    assert verdict(case, raised("NotImplementedError")).status is Status.MISSING
    other = verdict(case, raised("IndexError", "index 7 is out of bounds"))
    assert other.status is Status.ERROR and "should raise ValueError" in other.problem


def test_an_error_is_an_error_whatever_its_message_says():
    """A student exception whose message says "should raise" is still an error, not a fail."""
    result = verdict(_case(), raised("RuntimeError", "it should raise ValueError here"))
    assert result.status is Status.ERROR
    assert summarize([result]).status is Status.ERROR


def test_in_process_run_copies_inputs_catches_errors_and_finds_the_learners_line():
    def mutating(x):
        out = x * 2
        x[0, 0] = 99.0
        return out

    def failing(x):
        return x[5, 5]  # the learner's line

    case = _case()
    assert verdict(case, run_in_process(mutating, case)).mistake == "mutated_input"
    assert X[0, 0] == 0.0  # the case's own input is untouched
    outcome = run_in_process(failing, case)
    assert outcome.error_type == "IndexError"
    assert outcome.where.startswith("line ") and "of failing: return x[5, 5]" in outcome.where


def test_summary_gates_points_on_the_visible_cases():
    ok, bad = Verdict(Status.PASSED), Verdict(Status.FAILED, "b", "wrong")
    assert summarize([ok] * 4, n_visible=2).fraction == 1.0
    partial = summarize([ok, ok, ok, bad], n_visible=2)
    assert (partial.status, partial.fraction) == (Status.FAILED, 0.5)
    assert "3 of 4 cases passed" in partial.message
    assert summarize([bad, ok, ok, ok], n_visible=2).fraction == 0.0
    missing = Verdict(Status.MISSING, problem="not implemented yet")
    assert summarize([missing] * 3, n_visible=1).status is Status.MISSING


def test_a_mistake_that_gives_nan_is_named_and_none_items_name_nothing():
    overflow = Mistake("no_max_shift", "subtract each row's maximum first")
    case = Case("huge scores", (X,), RIGHT, mistakes=((overflow, np.full((2, 3), np.nan)),))
    result = verdict(case, returned(np.full((2, 3), np.nan), (X.copy(),)))
    assert result.mistake == "no_max_shift"
    other = verdict(case, returned(np.where(RIGHT > 4, np.nan, RIGHT), (X.copy(),)))
    assert other.mistake == "nan" and "overflow" in other.diagnosis
    loss = Mistake("loss_summed", "the loss is summed, not averaged")
    pair = Case("(loss, dscores)", (), (2.0, RIGHT), mistakes=((loss, (8.0, None)),))
    assert verdict(pair, returned((8.0, RIGHT))).mistake == "loss_summed"
    assert verdict(pair, returned((2.0, RIGHT + 1))).mistake is None


def test_dicts_compare_key_by_key_and_name_the_mistake():
    flops = Mistake("flops_as_macs", "that is FLOPs (2 per multiply-add), not multiply-adds")
    expected = {"out_shape": (1, 4, 5, 5), "params": 112, "macs": 2700}
    case = Case("cost", (), expected, mistakes=((flops, dict(expected, macs=5400)),))
    assert verdict(case, returned(dict(expected))).passed
    wrong = verdict(case, returned(dict(expected, macs=5400)))
    assert wrong.mistake == "flops_as_macs" and "'macs': expected 2700, got 5400" in wrong.problem
    assert "expected a dict with the keys" in verdict(case, returned({"macs": 2700})).problem
