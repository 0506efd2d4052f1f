"""Do each notebook's tests separate plausible wrong answers from every correct one?

For every graded notebook, ``tests/<topic>/implementations.py`` holds known-wrong and
alternative-correct answers. Each wrong one must lose its exercise's points and each correct one
(loops or vectorised, float32 or float64) must keep them, both when graded from outside (the
sandboxed judge) and in the kernel (nbgrader's hidden-test cells, as ``check_hidden`` runs them).
"""

from __future__ import annotations

import pytest
from conftest import define

from grader.course import course
from grader.engine.judge import grade_notebook
from grader.engine.kernel import run_cases
from grader.engine.verdicts import Status
from make_class import topic_module

NOTEBOOKS = sorted(course().notebooks)


def _table(assignment: str, kind: str) -> dict[str, dict[str, str]]:
    return getattr(topic_module(assignment, "implementations"), kind)


def _rounds(kind: str) -> list[tuple[str, int]]:
    """(notebook, i): round i gives every exercise its i-th implementation (wrapping around)."""
    return [(a, i) for a in NOTEBOOKS for i in range(max(len(v) for v in _table(a, kind).values()))]


def _each(kind: str) -> list[tuple[str, str, str]]:
    return [
        (a, e, label) for a in NOTEBOOKS for e, impls in _table(a, kind).items() for label in impls
    ]


def _variants(table: dict[str, dict[str, str]], index: int) -> dict[str, str]:
    return {name: list(impls.values())[index % len(impls)] for name, impls in table.items()}


@pytest.mark.parametrize(("assignment", "index"), _rounds("WRONG"))
def test_wrong_implementations_lose_their_points(submit, assignment, index):
    """Graded from outside, each known-wrong implementation scores zero on its exercise."""
    table = _table(assignment, "WRONG")
    report = grade_notebook(submit(assignment, _variants(table, index)), course())
    for result in report.exercises:
        label = list(table[result.name])[index % len(table[result.name])]
        assert result.score == 0, f"{result.name} ({label}) kept {result.score}: {result.message}"
        assert result.status in (Status.FAILED, Status.ERROR), (label, result)


@pytest.mark.parametrize(("assignment", "index"), _rounds("CORRECT"))
def test_correct_implementations_get_full_points(submit, assignment, index):
    report = grade_notebook(
        submit(assignment, _variants(_table(assignment, "CORRECT"), index)), course()
    )
    assert report.score == course().notebook(assignment).max_score, report.to_json()
    assert all(r.status is Status.PASSED for r in report.exercises)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # wrong answers may overflow or divide by 0
@pytest.mark.parametrize(("assignment", "exercise", "label"), _each("WRONG"))
def test_in_kernel_hidden_tests_reject_wrong(assignment, exercise, label):
    """nbgrader's hidden-test cells (run in the kernel) reject the same wrong implementations."""
    fn = define(_table(assignment, "WRONG")[exercise][label], exercise)
    visible = run_cases(fn, course().exercise(exercise)[1].cases())
    hidden = run_cases(fn, course().hidden_cases(exercise))
    assert visible.status is not Status.PASSED or hidden.status is not Status.PASSED


@pytest.mark.parametrize(("assignment", "exercise", "label"), _each("CORRECT"))
def test_in_kernel_hidden_tests_accept_correct(assignment, exercise, label):
    fn = define(_table(assignment, "CORRECT")[exercise][label], exercise)
    assert run_cases(fn, course().hidden_cases(exercise)).status is Status.PASSED


def test_every_exercise_has_three_wrong_and_two_correct_answers():
    for assignment in NOTEBOOKS:
        for exercise in course().notebook(assignment).exercises:
            assert len(_table(assignment, "WRONG")[exercise.name]) >= 3, (assignment, exercise)
            assert len(_table(assignment, "CORRECT")[exercise.name]) >= 2, (assignment, exercise)


def test_every_notebook_is_worth_the_same():
    assert {course().notebook(a).max_score for a in NOTEBOOKS} == {10.0}
