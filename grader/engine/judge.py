"""The judging side: grades one notebook without ever running student code in this process.

It reads the submission's answer cells, has a sandboxed worker run them (:mod:`.session`), and
reaches every verdict here, from the plain numbers and arrays the worker sends back, on inputs
made here. The course (its notebooks, points and cases) is passed in; the engine imports none.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from grader.engine.channel import GraderError
from grader.engine.course import Course, Notebook
from grader.engine.report import ExerciseResult, NotebookReport
from grader.engine.sandbox import Limits, sandbox_available
from grader.engine.session import Session, exercise_seconds
from grader.engine.submission import (
    InvalidNotebook,
    answer_cells,
    grade_ids,
    parse_notebook,
    read_bytes,
)
from grader.engine.verdicts import Status

__all__ = [
    "GraderError",
    "grade_notebook",
    "grade_submission",
    "invalid_report",
    "notebook_of",
    "notebook_seconds",
]


def notebook_of(data: bytes, course: Course, filename: str) -> str:
    """The course notebook a submission belongs to: by its file name, else by its answer cells."""
    stem = Path(filename).stem
    if stem in course.notebooks:
        return stem
    try:
        return course.guess(grade_ids(parse_notebook(data, filename))) or stem
    except InvalidNotebook:
        return stem


def grade_notebook(
    path: Path,
    course: Course,
    *,
    name: str | None = None,
    hidden: bool = True,
    limits: Limits | None = None,
    sandbox: bool | None = None,
) -> NotebookReport:
    """Grade the notebook file at ``path`` (a submission of ``course``'s notebook ``name``).

    ``name`` defaults to the file name without ``.ipynb`` or, for a renamed file, to the course
    notebook whose exercises its answer cells hold; ``hidden=False`` runs the visible checks
    only; ``sandbox=None`` uses bubblewrap where it is available. Raises KeyError for a notebook
    the course does not have and GraderError when grading itself fails.
    """
    path = Path(path)
    try:
        data = read_bytes(path)
    except InvalidNotebook as exc:
        notebook = course.notebook(name or path.stem)
        return invalid_report(notebook, str(exc), hidden and course.hidden_installed, sandbox)
    name = name or notebook_of(data, course, path.name)
    return grade_submission(
        data, course, name=name, filename=path.name, hidden=hidden, limits=limits, sandbox=sandbox
    )


def invalid_report(
    notebook: Notebook, why: str, hidden: bool, sandbox: bool | None
) -> NotebookReport:
    report = NotebookReport(
        notebook.name,
        0.0,
        notebook.max_score,
        status="invalid",
        notes=[why],
        sandboxed=bool(sandbox),
        hidden_tests=hidden,
    )
    report.exercises = [
        ExerciseResult(e.name, 0.0, e.points, Status.ERROR, why) for e in notebook.exercises
    ]
    return report


def grade_submission(
    data: bytes,
    course: Course,
    *,
    name: str,
    filename: str = "the notebook",
    hidden: bool = True,
    limits: Limits | None = None,
    sandbox: bool | None = None,
) -> NotebookReport:
    """Grade the bytes of a submitted notebook as ``course``'s notebook ``name``."""
    notebook = course.notebook(name)
    limits = limits or Limits()
    sandbox = sandbox_available() if sandbox is None else sandbox
    hidden = hidden and course.hidden_installed
    try:
        answers = answer_cells(parse_notebook(data, filename), notebook.cells)
    except InvalidNotebook as exc:
        return invalid_report(notebook, str(exc), hidden, sandbox)
    report = NotebookReport(
        notebook.name,
        0.0,
        notebook.max_score,
        sandboxed=sandbox,
        hidden_tests=hidden,
        notes=list(answers.notes),
    )
    budget = notebook_seconds(notebook, limits)
    deadline = time.monotonic() + budget
    with tempfile.TemporaryDirectory(prefix="grader-") as scratch:
        session = Session(answers.sources, limits, Path(scratch), sandbox)
        try:
            for exercise in notebook.exercises:
                report.exercises.append(
                    _grade_exercise(
                        session, exercise, answers.problems, hidden, course, (deadline, budget)
                    )
                )
        finally:
            session.close()
    report.score = round(sum(e.score for e in report.exercises), 2)
    return report


def notebook_seconds(notebook: Notebook, limits: Limits) -> float:
    """The notebook's wall-clock budget: the limits', plus what exercises with a larger budget
    of their own need beyond the default."""
    extra = sum(
        max(0.0, exercise_seconds(e, limits)[0] - limits.exercise_seconds)
        for e in notebook.exercises
    )
    return limits.notebook_seconds + extra


def _grade_exercise(session, exercise, problems, hidden, course, time_left) -> ExerciseResult:
    if exercise.name in problems:
        return ExerciseResult(
            exercise.name, 0.0, exercise.points, Status.MISSING, problems[exercise.name]
        )
    deadline, seconds = time_left
    if time.monotonic() > deadline:
        return ExerciseResult(
            exercise.name,
            0.0,
            exercise.points,
            Status.TIMEOUT,
            f"the notebook's {seconds:.0f} s were used up before this exercise",
        )
    hidden_cases = (course.hidden_cases(exercise.name) or []) if hidden else []
    return session.grade(exercise, exercise.cases(), hidden_cases)
