"""Does the engine grade any course it is handed? A two-exercise course defined here, not in the
package, is graded in the sandbox; its cases pass arguments the wire cannot carry as data (a
function, a seeded random generator) as code the sandbox builds, and the judge refuses code
coming back."""

from __future__ import annotations

import json

import numpy as np
import pytest

from grader.engine.cases import Case, Code
from grader.engine.course import Course, Exercise, Notebook
from grader.engine.judge import grade_submission
from grader.engine.kernel import run_cases
from grader.engine.sandboxed.wire import WireError, decode, encode
from grader.engine.verdicts import Status

X = np.linspace(-1.0, 1.0, 5)


def _apply_cases() -> list[Case]:
    return [Case("f = tanh", (Code("lambda x: np.tanh(x)"), X), np.tanh(X))]


def _noise_cases() -> list[Case]:
    expected = np.random.default_rng(7).normal(size=4)
    return [Case("seeded generator", (Code("np.random.default_rng(7)"), 4), expected)]


def _hidden() -> dict:
    return {
        "apply": lambda: [Case("f = square", (Code("lambda x: x * x"), X), X * X)],
        "noise": lambda: [],
    }


TINY = Course(
    [
        Notebook(
            "99_tiny",
            (Exercise("apply", 1.0, _apply_cases), Exercise("noise", 1.0, _noise_cases)),
            _hidden(),
        )
    ]
)


def _notebook(answers: dict[str, str]) -> bytes:
    cells = [
        {
            "cell_type": "code",
            "source": source,
            "metadata": {"nbgrader": {"grade_id": name}},
            "outputs": [],
            "execution_count": None,
        }
        for name, source in answers.items()
    ]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}).encode()


RIGHT = {
    "apply": "def apply(f, x):\n    return f(x)",
    "noise": "def noise(rng, n):\n    return rng.normal(size=n)",
}


@pytest.mark.parametrize("sandbox", [True, False], ids=["bubblewrap", "limits only"])
def test_a_course_handed_to_the_engine_is_graded(sandbox):
    from grader.engine.sandbox import sandbox_available

    if sandbox and not sandbox_available():
        pytest.skip("bubblewrap is not available")
    report = grade_submission(_notebook(RIGHT), TINY, name="99_tiny", sandbox=sandbox)
    assert report.score == 2.0 and report.max == 2.0, report.to_json()
    wrong = {
        "apply": "def apply(f, x):\n    return f(x + 1)",
        "noise": "def noise(rng, n):\n    return np.random.default_rng(0).normal(size=n)",
    }
    report = grade_submission(_notebook(wrong), TINY, name="99_tiny", sandbox=sandbox)
    assert [e.status for e in report.exercises] == [Status.FAILED, Status.FAILED]


def test_code_arguments_are_built_in_the_learners_kernel_too():
    apply = {}
    exec(RIGHT["apply"], apply)
    assert run_cases(apply["apply"], _apply_cases() + _hidden()["apply"]()).status is Status.PASSED


def test_the_judge_refuses_code_in_an_answer():
    tree, arrays = encode((Code("__import__('os').system('true')"), 1))
    assert decode(tree, arrays, code=True)[0] == Code("__import__('os').system('true')")
    with pytest.raises(WireError):
        decode(tree, arrays)
