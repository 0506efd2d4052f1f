"""Do the 02_convolution tests separate plausible wrong answers from every correct one?

Each wrong implementation must lose its exercise's points and each correct one must keep them,
both when graded from outside (the sandboxed judge) and in the kernel (nbgrader's hidden-test cells).
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.course import NOTEBOOKS
from grader.hidden import convolution as hidden
from grader.judge import grade_notebook
from implementations.convolution import CORRECT, WRONG

SPEC = NOTEBOOKS["02_convolution"]


def _variants(table: dict[str, dict[str, str]], index: int) -> dict[str, str]:
    """The index-th implementation of every exercise that has one (wrapping around)."""
    return {name: list(impls.values())[index % len(impls)] for name, impls in table.items()}


@pytest.mark.parametrize("index", range(max(len(v) for v in WRONG.values())))
def test_wrong_implementations_lose_their_points(submit, index):
    """Graded from outside, each known-wrong implementation scores below its exercise's points."""
    report = grade_notebook(submit("02_convolution", _variants(WRONG, index)))
    for result in report.exercises:
        label = list(WRONG[result.name])[index % len(WRONG[result.name])]
        assert result.score == 0, f"{result.name} ({label}) kept {result.score}: {result.message}"
        assert result.status in ("failed", "error"), (label, result)


@pytest.mark.parametrize("index", range(max(len(v) for v in CORRECT.values())))
def test_correct_implementations_get_full_points(submit, index):
    """Loops or vectorised, float32 kept or float64: every correct answer gets full points."""
    report = grade_notebook(submit("02_convolution", _variants(CORRECT, index)))
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
    """The message of a flipped kernel, a transposed output and a missing bias says so."""
    answers = {
        "corr1d": WRONG["corr1d"]["flipped kernel (true convolution)"],
        "corr2d": WRONG["corr2d"]["output transposed"],
        "conv_single": WRONG["conv_single"]["bias missing"],
        "conv1d_true": WRONG["conv1d_true"]["flips the kernel in place"],
    }
    messages = {
        r.name: r.message for r in grade_notebook(submit("02_convolution", answers)).exercises
    }
    assert "flipped" in messages["corr1d"]
    assert "transposed" in messages["corr2d"] or "axes look swapped" in messages["corr2d"]
    assert "bias is missing" in messages["conv_single"]
    assert "modified in place" in messages["conv1d_true"]
