"""Do the 04_pooling tests separate plausible wrong answers from every correct one?

Each wrong implementation must lose its exercise's points and each correct one must keep them,
both when graded from outside (the sandboxed judge) and in the kernel (nbgrader's hidden-test cells).
The receptive-field reference itself is checked against the closed formula on random chains.
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.checks import pooling as checks
from grader.course import NOTEBOOKS
from grader.hidden import pooling as hidden
from grader.judge import grade_notebook
from implementations.pooling import CORRECT, WRONG

SPEC = NOTEBOOKS["04_pooling"]


def _variants(table: dict[str, dict[str, str]], index: int) -> dict[str, str]:
    """The index-th implementation of every exercise that has one (wrapping around)."""
    return {name: list(impls.values())[index % len(impls)] for name, impls in table.items()}


def _function(source: str, name: str):
    namespace = {"np": np}
    exec(source, namespace)
    return namespace[name]


@pytest.mark.parametrize("index", range(max(len(v) for v in WRONG.values())))
def test_wrong_implementations_lose_their_points(submit, index):
    """Graded from outside, each known-wrong implementation scores zero on its exercise."""
    report = grade_notebook(submit("04_pooling", _variants(WRONG, index)))
    for result in report.exercises:
        label = list(WRONG[result.name])[index % len(WRONG[result.name])]
        assert result.score == 0, f"{result.name} ({label}) kept {result.score}: {result.message}"
        assert result.status in ("failed", "error"), (label, result)


@pytest.mark.parametrize("index", range(max(len(v) for v in CORRECT.values())))
def test_correct_implementations_get_full_points(submit, index):
    """Loops or vectorised, float32 kept or float64: every correct answer gets full points."""
    report = grade_notebook(submit("04_pooling", _variants(CORRECT, index)))
    assert report.score == SPEC.max_score, report.to_json()
    assert all(r.status == "passed" for r in report.exercises)


@pytest.mark.parametrize(
    ("exercise", "label"), [(e, label) for e, impls in WRONG.items() for label in impls]
)
def test_in_kernel_hidden_tests_reject_wrong(exercise, label):
    """nbgrader's hidden-test cells (run in the kernel) reject the same wrong implementations."""
    with pytest.raises(AssertionError):
        getattr(hidden, f"hidden_{exercise}")(_function(WRONG[exercise][label], exercise))


@pytest.mark.parametrize(
    ("exercise", "label"), [(e, label) for e, impls in CORRECT.items() for label in impls]
)
def test_in_kernel_hidden_tests_accept_correct(exercise, label):
    getattr(hidden, f"hidden_{exercise}")(_function(CORRECT[exercise][label], exercise))


def test_messages_name_the_mistake(submit):
    """Pooling across channels, summing instead of averaging and ignoring the stride say so."""
    answers = {
        "maxpool_forward": WRONG["maxpool_forward"]["max over the channels too"],
        "avgpool_forward": WRONG["avgpool_forward"]["sum instead of mean"],
    }
    messages = {r.name: r.message for r in grade_notebook(submit("04_pooling", answers)).exercises}
    assert "over the channels too" in messages["maxpool_forward"]
    assert "summed, not averaged" in messages["avgpool_forward"]

    more = {
        "maxpool_forward": WRONG["maxpool_forward"]["windows start at i, not i * stride"],
        "avgpool_forward": WRONG["avgpool_forward"]["integer output buffer (zeros_like)"],
    }
    report = grade_notebook(submit("04_pooling", more, name="more"))
    messages = {r.name: r.message for r in report.exercises}
    assert "not by the stride" in messages["maxpool_forward"]
    assert "floating-point" in messages["avgpool_forward"]


def test_messages_name_raising_and_mutation_mistakes(submit):
    """Rounding the output size down and writing into the input are named."""
    answers = {
        "maxpool_forward": WRONG["maxpool_forward"]["floors the output size instead of raising"],
    }
    report = grade_notebook(submit("04_pooling", answers))
    message = next(r.message for r in report.exercises if r.name == "maxpool_forward")
    assert "should raise ValueError" in message and "do not tile" in message
    mutates = {
        "maxpool_forward": WRONG["maxpool_forward"][
            "accumulates into a view of the input (mutates x)"
        ]
    }
    report = grade_notebook(submit("04_pooling", mutates, name="mutates"))
    assert "modified in place" in next(r.message for r in report.exercises)


@pytest.mark.parametrize(
    ("label", "diagnosis"),
    [
        ("strides of earlier layers ignored", "strides of earlier layers are ignored"),
        ("multiplies by the layer's own stride", "its own stride"),
        ("dilation ignored", "dilation is ignored"),
        ("dilation counted as gaps (off by one)", "number of gaps"),
        ("kernels added without subtracting 1", "without subtracting 1"),
        ("kernel sizes multiplied", "multiplied"),
    ],
)
def test_receptive_field_check_names_the_mistake(label, diagnosis):
    """The visible check of receptive_field (an int, not an array) still names the mistake."""
    fn = _function(WRONG["receptive_field"][label], "receptive_field")
    with pytest.raises(AssertionError, match="This looks like") as failure:
        checks.check_receptive_field(fn)
    assert diagnosis in str(failure.value)


@pytest.mark.parametrize("seed", range(20))
def test_brute_force_receptive_field_agrees_with_the_formula(seed):
    """The perturbation experiment that judges receptive_field agrees with the closed formula."""
    rng = np.random.default_rng([4, seed])
    layers = [tuple(int(v) for v in rng.integers(1, 5, size=3)) for _ in range(rng.integers(0, 6))]
    r, jump = 1, 1
    for k, s, d in layers:
        r, jump = r + (k - 1) * d * jump, jump * s
    assert checks.receptive_field_brute_force(layers) == r, layers
