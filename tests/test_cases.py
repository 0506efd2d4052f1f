"""Does a verdict name what is wrong with an answer, in the learner's terms, and pass a right one?"""

from __future__ import annotations

import numpy as np
import pytest

from grader.cases import Case, raised, returned, run_in_process, summarize, verdict

X = np.arange(6.0).reshape(2, 3)
RIGHT = X * 2


def _case(**kwargs) -> Case:
    return Case("2x3 example", (X,), RIGHT, **kwargs)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (RIGHT.T, "expected shape (2, 3), got (3, 2)"),
        (RIGHT.astype(int), "floating-point"),
        (np.full((2, 3), np.nan), "NaN"),
        (RIGHT + np.eye(2, 3), "wrong value at index (0, 0): expected 0, got 1"),
        ([[0, 2, 4], [6, 8, 10]], "expected an array of shape (2, 3), got list"),
        ((RIGHT, None), "got a tuple of 2 items"),
    ],
)
def test_wrong_answers_are_described(answer, words):
    message = verdict(_case(), returned(answer, (X.copy(),)))
    assert message is not None and words in message and message.startswith("2x3 example")


def test_a_square_transposed_output_is_called_transposed():
    square = np.arange(9.0).reshape(3, 3)
    message = verdict(Case("3x3", (square,), square), returned(square.T, (square.copy(),)))
    assert "transposed" in message


def test_named_mistakes_are_recognised_for_arrays_shapes_numbers_and_tuple_items():
    flipped = RIGHT[:, ::-1]
    case = _case(mistakes=(("the kernel is flipped", flipped), ("one short", RIGHT[:, :2])))
    assert verdict(case, returned(flipped, (X.copy(),))).endswith("the kernel is flipped")
    assert verdict(case, returned(RIGHT[:, :2], (X.copy(),))).endswith("one short")
    number = Case("count", (), 760, mistakes=(("biases not counted", 750),))
    assert verdict(number, returned(750)).endswith("biases not counted")
    pair = Case("w, b", (), (RIGHT, 0.5), mistakes=(("bias never updated", (RIGHT, 0.0)),))
    assert verdict(pair, returned((RIGHT, 0.0))).endswith("bias never updated")


def test_right_answers_pass_in_any_float_dtype_and_numpy_scalars_count_as_numbers():
    assert verdict(_case(), returned(RIGHT.astype(np.float32), (X.copy(),))) is None
    assert verdict(Case("count", (), 760), returned(np.array(760))) is None
    assert (
        verdict(Case("out, cache", (X,), RIGHT, pick=0), returned((RIGHT, {"x": 1}), (X,))) is None
    )


def test_mutated_input_is_reported():
    message = verdict(_case(), returned(RIGHT, (X * 0,)))
    assert "modified in place" in message


def test_expected_errors_and_their_messages():
    case = Case("7x7, stride 3", (), ValueError, error_needs_numbers=True)
    assert verdict(case, raised("ValueError", "(7 - 3) / 3 + 1 is not an integer")) is None
    assert "should give the numbers" in verdict(case, raised("ValueError", "does not fit"))
    assert "should raise ValueError" in verdict(case, returned(2))
    assert "not implemented yet" in verdict(case, raised("NotImplementedError"))


def test_in_process_run_copies_inputs_and_catches_errors():
    def mutating(x):
        out = x * 2
        x[0, 0] = 99.0
        return out

    case = _case()
    assert "modified in place" in verdict(case, run_in_process(mutating, case))
    assert X[0, 0] == 0.0  # the case's own input is untouched
    assert "raised ZeroDivisionError" in verdict(case, run_in_process(lambda x: 1 / 0, case))


def test_summary_gates_points_on_the_visible_cases():
    assert summarize([None, None, None, None], n_visible=2) == ("passed", 1.0, "all 4 cases passed")
    status, fraction, message = summarize([None, None, None, "b: wrong"], n_visible=2)
    assert (status, fraction) == ("failed", 0.5) and "3 of 4 cases passed" in message
    assert summarize(["a: wrong", None, None, None], n_visible=2)[1] == 0.0
    assert summarize(["not implemented yet (...)"] * 3, n_visible=1)[0] == "missing"
