"""Do the 03_padding_stride tests separate plausible wrong answers from every correct one?

Each wrong implementation must lose its exercise's points and each correct one must keep them,
both when graded from outside (the sandboxed judge) and in the kernel (nbgrader's hidden-test cells).
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.course import NOTEBOOKS
from grader.hidden import padding_stride as hidden
from grader.judge import grade_notebook
from implementations.padding_stride import CORRECT, WRONG

SPEC = NOTEBOOKS["03_padding_stride"]


def _variants(table: dict[str, dict[str, str]], index: int) -> dict[str, str]:
    """The index-th implementation of every exercise that has one (wrapping around)."""
    return {name: list(impls.values())[index % len(impls)] for name, impls in table.items()}


@pytest.mark.parametrize("index", range(max(len(v) for v in WRONG.values())))
def test_wrong_implementations_lose_their_points(submit, index):
    """Graded from outside, each known-wrong implementation scores zero on its exercise."""
    report = grade_notebook(submit("03_padding_stride", _variants(WRONG, index)))
    for result in report.exercises:
        label = list(WRONG[result.name])[index % len(WRONG[result.name])]
        assert result.score == 0, f"{result.name} ({label}) kept {result.score}: {result.message}"
        assert result.status in ("failed", "error"), (label, result)


@pytest.mark.parametrize("index", range(max(len(v) for v in CORRECT.values())))
def test_correct_implementations_get_full_points(submit, index):
    """Loops or vectorised, float32 kept or float64: every correct answer gets full points."""
    report = grade_notebook(submit("03_padding_stride", _variants(CORRECT, index)))
    assert report.score == SPEC.max_score, report.to_json()
    assert all(r.status == "passed" for r in report.exercises)


@pytest.mark.parametrize(
    ("exercise", "label"), [(e, label) for e, impls in WRONG.items() for label in impls]
)
def test_in_kernel_hidden_tests_reject_wrong(exercise, label):
    """nbgrader's hidden-test cells (run in the kernel) reject the same wrong implementations."""
    namespace = {"np": np}
    exec(WRONG[exercise][label], namespace)
    with pytest.raises(AssertionError):
        getattr(hidden, f"hidden_{exercise}")(namespace[exercise])


@pytest.mark.parametrize(
    ("exercise", "label"), [(e, label) for e, impls in CORRECT.items() for label in impls]
)
def test_in_kernel_hidden_tests_accept_correct(exercise, label):
    namespace = {"np": np}
    exec(CORRECT[exercise][label], namespace)
    getattr(hidden, f"hidden_{exercise}")(namespace[exercise])


def test_messages_name_the_mistake(submit):
    """Rounding down, padding on every axis, a missing bias and an uncounted bias are named."""
    answers = {
        "output_size": WRONG["output_size"]["floor division instead of raising (PyTorch's rule)"],
        "pad2d": WRONG["pad2d"]["reflect implemented as symmetric (repeats the edge)"],
        "conv_forward_naive": WRONG["conv_forward_naive"]["bias missing"],
        "conv_param_count": WRONG["conv_param_count"]["bias ignored"],
    }
    messages = {
        r.name: r.message for r in grade_notebook(submit("03_padding_stride", answers)).exercises
    }
    assert "must raise ValueError (not round down)" in messages["output_size"]
    assert "should raise ValueError" in messages["output_size"]
    assert "np.pad's 'symmetric'" in messages["pad2d"]
    assert "bias is missing" in messages["conv_forward_naive"]
    assert (
        "1 bias" in messages["conv_param_count"] and "expected 760" in messages["conv_param_count"]
    )


def test_messages_name_shape_and_mutation_mistakes(submit):
    """Padding the channel axis, mutating the input and ignoring the stride say so."""
    answers = {
        "pad2d": WRONG["pad2d"]["pads every axis, batch and channels too"],
        "conv_forward_naive": WRONG["conv_forward_naive"]["stride ignored"],
    }
    messages = {
        r.name: r.message for r in grade_notebook(submit("03_padding_stride", answers)).exercises
    }
    assert "not the channel axis" in messages["pad2d"] and "(3, 6, 7)" in messages["pad2d"]
    assert "stride 2" in messages["conv_forward_naive"]
    mutated = {"pad2d": WRONG["pad2d"]["reshapes the input in place (x.shape = ...)"]}
    report = grade_notebook(submit("03_padding_stride", mutated, name="mutates"))
    assert "modified in place" in next(r.message for r in report.exercises if r.name == "pad2d")
