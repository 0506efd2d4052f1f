"""Can a course give an exercise what the default grading does not: code the learner pastes for
it to call (support cells), more time than the default limits, and a verdict by property rather
than by one right answer? A tiny course defined here is graded in the sandbox."""

from __future__ import annotations

import json

import numpy as np

from grader.engine.cases import Case, Mistake
from grader.engine.compare import Problem
from grader.engine.course import Course, Exercise, Notebook
from grader.engine.judge import grade_submission, notebook_seconds
from grader.engine.kernel import run_cases
from grader.engine.sandbox import Limits
from grader.engine.verdicts import Status

X = np.arange(12.0).reshape(3, 4)
LABELS = np.array([0, 1, 2])  # what the learner's code never sees
GUESSED = Mistake("guessed", "every label is the same: nothing was learned")


def _accuracy(y_hidden: np.ndarray, at_least: float):
    """A judge: the predicted labels must match ``y_hidden`` on at least that fraction."""

    def judge(got) -> Problem | None:
        got = np.asarray(got)
        if got.shape != y_hidden.shape:
            return Problem(f"expected {y_hidden.shape[0]} labels, got shape {got.shape}")
        accuracy = float(np.mean(got == y_hidden))
        if accuracy >= at_least:
            return None
        mistake = GUESSED if len(np.unique(got)) == 1 else None
        return Problem(f"accuracy {accuracy:.0%} is under {at_least:.0%}", mistake)

    return judge


def _classify_cases() -> list[Case]:
    return [Case("three rows", (X,), None, judge=_accuracy(LABELS, 0.6))]


def _slow_cases() -> list[Case]:
    return [Case("after a long wait", (), 1.0)]


TINY = Course(
    [
        Notebook(
            "98_options",
            (
                Exercise("classify", 1.0, _classify_cases),
                Exercise("slow", 1.0, _slow_cases, seconds=30.0, call_seconds=8.0),
            ),
            support=("helpers",),
        )
    ]
)

HELPERS = "def row_sum(x):\n    return x.sum(axis=1)\n"
CLASSIFY = "def classify(x):\n    return (row_sum(x) // 16).astype(int)\n"
SLOW = "import time\n\ndef slow():\n    time.sleep(6.5)\n    return 1.0\n"


def _notebook(cells: dict[str, str]) -> bytes:
    nb_cells = [
        {
            "cell_type": "code",
            "source": source,
            "metadata": {"nbgrader": {"grade_id": name, "solution": True}},
            "outputs": [],
            "execution_count": None,
        }
        for name, source in cells.items()
    ]
    return json.dumps(
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": nb_cells}
    ).encode()


def _grade(cells: dict[str, str]) -> dict:
    report = grade_submission(_notebook(cells), TINY, name="98_options")
    return {e.name: e for e in report.exercises}


def test_support_cells_run_before_the_exercises_and_a_slow_exercise_gets_its_own_budget():
    """The answer calls a function of the support cell; a call of 6.5 s, over the default 5 s
    per call, passes in an exercise whose own limit is 8 s."""
    got = _grade({"helpers": HELPERS, "classify": CLASSIFY, "slow": SLOW})
    assert got["classify"].status is Status.PASSED, got["classify"].message
    assert got["slow"].status is Status.PASSED, got["slow"].message


def test_without_its_support_cell_an_answer_fails_on_its_own_merits():
    got = _grade({"classify": CLASSIFY, "slow": "def slow():\n    return 1.0\n"})
    assert got["classify"].status is Status.ERROR
    assert "row_sum" in got["classify"].message
    assert got["slow"].status is Status.PASSED


def test_an_exercise_budget_is_still_a_limit():
    got = _grade({"slow": "import time\n\ndef slow():\n    time.sleep(60)\n    return 1.0\n"})
    assert got["slow"].status is Status.TIMEOUT


def test_a_judge_names_the_mistake_and_junk_fails_without_crashing_the_grader():
    got = _grade({"classify": "def classify(x):\n    return np.zeros(3, dtype=int)\n"})
    assert got["classify"].status is Status.FAILED
    assert got["classify"].mistake == "guessed" and "33%" in got["classify"].message
    got = _grade({"classify": "def classify(x):\n    return 'zero, one, two'\n"})
    assert got["classify"].status is Status.FAILED
    got = _grade({"classify": "def classify(x):\n    return {'labels': [0, 1, 2]}\n"})
    assert got["classify"].status is Status.FAILED


def test_a_judge_gives_the_same_verdict_in_the_learners_kernel():
    namespace = {"np": np}
    exec(HELPERS + CLASSIFY, namespace)
    assert run_cases(namespace["classify"], _classify_cases()).status is Status.PASSED
    assert run_cases(lambda x: np.ones(3, int), _classify_cases()).mistake == "guessed"


def test_the_notebook_budget_grows_by_what_an_exercise_needs_beyond_the_default():
    limits = Limits()
    assert notebook_seconds(TINY.notebook("98_options"), limits) == limits.notebook_seconds + 10
