"""Do the 01_history tests separate plausible wrong answers from every correct one?

Each wrong implementation must lose its exercise's points and each correct one must keep them,
both when graded from outside (the sandboxed judge) and in the kernel (nbgrader's hidden-test cells).
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.checks import history as checks
from grader.course import NOTEBOOKS
from grader.hidden import history as hidden
from grader.judge import grade_notebook
from implementations.history import CORRECT, WRONG

SPEC = NOTEBOOKS["01_history"]


def _variants(table: dict[str, dict[str, str]], index: int) -> dict[str, str]:
    """The index-th implementation of every exercise that has one (wrapping around)."""
    return {name: list(impls.values())[index % len(impls)] for name, impls in table.items()}


@pytest.mark.parametrize("index", range(max(len(v) for v in WRONG.values())))
def test_wrong_implementations_lose_their_points(submit, index):
    """Graded from outside, each known-wrong implementation scores nothing on its exercise."""
    report = grade_notebook(submit("01_history", _variants(WRONG, index)))
    for result in report.exercises:
        label = list(WRONG[result.name])[index % len(WRONG[result.name])]
        assert result.score == 0, f"{result.name} ({label}) kept {result.score}: {result.message}"
        assert result.status in ("failed", "error"), (label, result)


@pytest.mark.parametrize("index", range(max(len(v) for v in CORRECT.values())))
def test_correct_implementations_get_full_points(submit, index):
    """Loops or vectorised, float32 kept or float64: every correct answer gets full points."""
    report = grade_notebook(submit("01_history", _variants(CORRECT, index)))
    assert report.score == SPEC.max_score, report.to_json()
    assert all(r.status == "passed" for r in report.exercises)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # the int32 count
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
    getattr(checks, f"check_{exercise}")(namespace[exercise])  # the visible checks in the kernel
    getattr(hidden, f"hidden_{exercise}")(namespace[exercise])


def test_messages_name_the_mistake(submit):
    """The messages of `>=`, a batch update, a frozen bias, a flipped sign, an input changed in
    place, a forgotten bias count and a summed shape say what went wrong."""
    answers = {
        "perceptron_predict": WRONG["perceptron_predict"][">= instead of > (a score of 0 gives 1)"],
        "perceptron_update": WRONG["perceptron_update"][
            "batch update (all predictions from the initial weights)"
        ],
        "fc_param_count": WRONG["fc_param_count"]["bias ignored"],
    }
    messages = {r.name: r.message for r in grade_notebook(submit("01_history", answers)).exercises}
    assert "not >=" in messages["perceptron_predict"]
    assert "batch update" in messages["perceptron_update"]
    assert "expected 30730, got 30720: the biases are missing" in messages["fc_param_count"]

    update = WRONG["perceptron_update"]
    expectations = {
        "bias never updated": "bias is never updated",
        "sign flipped (pred - y)": "wrong sign",
        "mutates w in place": "modified in place",
        "learning rate ignored": "learning rate is ignored",
        ">= in the prediction": "not >=",
        "return inside the loop": "indented inside the loop",
    }
    count = WRONG["fc_param_count"]
    expectations_count = {
        "bias always added": "counted although bias=False",
        "shape summed, not multiplied": "shape was summed",
        "one bias per input": "one bias per input",
        "a single bias (int(bias))": "a single bias",
    }
    for n, (label, phrase) in enumerate(expectations.items()):
        other = list(expectations_count)[n % len(expectations_count)]
        answers = {"perceptron_update": update[label], "fc_param_count": count[other]}
        report = grade_notebook(submit("01_history", answers, f"s{n}"))
        got = {r.name: r.message for r in report.exercises}
        assert phrase in got["perceptron_update"], (label, got["perceptron_update"])
        assert expectations_count[other] in got["fc_param_count"], (other, got["fc_param_count"])


def test_score_of_zero_is_judged_by_a_strict_comparison():
    """A visible case and a hidden case have scores of exactly 0, so `>=` is caught in both."""
    for cases in (checks.CASES["perceptron_predict"](), hidden.CASES["perceptron_predict"]()):
        assert any(
            np.any(
                np.asarray(c.args[0], dtype=float) @ np.asarray(c.args[1], float) + c.args[2] == 0
            )
            for c in cases
        )
