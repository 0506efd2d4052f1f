"""Shared fixtures: the repository's paths, the course, submissions built from the releases.

Tests mirror the package: ``tests/engine/`` for the grading engine, ``tests/<topic>/`` for each
notebook (its known-wrong and correct implementations, its sample class, its message tests), and
course-wide tests here that run over every topic they find.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from make_class import released, student_notebook  # noqa: E402


def pytest_addoption(parser):
    parser.addoption(
        "--refresh-golden",
        action="store_true",
        help="rewrite the stored expected values (grader/<topic>/golden.json) from the references",
    )


def venv_env() -> dict[str, str]:
    """This environment with the venv first on PATH, as the Makefile runs commands (nbgrader
    starts ``alembic`` and ``jupyter`` from PATH)."""
    return dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


def write_submission(folder: Path, assignment: str, answers: dict[str, str]) -> Path:
    """Write the released ``assignment`` with ``answers`` in its answer cells; return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    path.write_text(json.dumps(student_notebook(released(assignment), answers)))
    return path


@pytest.fixture
def submit(tmp_path):
    """``submit(assignment, answers, name="x")`` writes a submission under tmp_path."""

    def make(assignment: str, answers: dict[str, str], name: str = "student") -> Path:
        return write_submission(tmp_path / name, assignment, answers)

    return make


@pytest.fixture
def graded(submit):
    """``graded(assignment, answers, name="student")``: each exercise's result, graded in the
    sandbox, of the release with those answer cells."""
    from grader.course import course
    from grader.engine.judge import grade_notebook

    def grade(assignment: str, answers: dict[str, str], name: str = "student") -> dict:
        report = grade_notebook(submit(assignment, answers, name), course())
        return {result.name: result for result in report.exercises}

    return grade


def define(source: str, name: str):
    """The function ``name`` that an answer cell's ``source`` defines (numpy as ``np``)."""
    import numpy as np

    namespace = {"np": np}
    exec(source, namespace)
    return namespace[name]


@pytest.fixture(scope="session")
def course():
    from grader.course import course

    return course()
