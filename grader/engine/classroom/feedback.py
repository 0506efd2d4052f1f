"""Feedback pages for a class, made by nbgrader's own ``generate_feedback``, several at a time.

nbgrader makes one student's page at a time (about 0.7 s each, most of it nbconvert). Its
application objects are not safe to share between threads, so the students are dealt out in
small batches to worker processes, each of which loads the course's nbgrader configuration once
and calls nbgrader's API for each student of its batch, exactly as ``nbgrader generate_feedback``
does. With one worker (or few students) it runs in this process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from grader.engine.text import clean

__all__ = ["generate_feedback"]

BATCH = 4  # students per task: small enough to spread the work, large enough to be cheap
_API = {}


def _api(course_dir: str):
    """This process's nbgrader API for the course (made once per worker)."""
    if course_dir not in _API:
        from grader.engine.classroom.gradebook import nbgrader_course

        _API[course_dir] = nbgrader_course(Path(course_dir))[1]
    return _API[course_dir]


def _batch(course_dir: str, assignment: str, students: list[str]) -> dict[str, str]:
    """Make the feedback of ``students``; the ones nbgrader failed, with its log."""
    api, failed = _api(course_dir), {}
    for student in students:
        outcome = api.generate_feedback(assignment, student, force=True)
        if not outcome.get("success"):
            failed[student] = clean(outcome.get("log", ""), 300)
    return failed


def generate_feedback(
    course_dir: Path,
    assignment: str,
    students: Iterable[str],
    *,
    jobs: int = 1,
    advance: Callable[[int], None] = lambda n: None,
) -> dict[str, str]:
    """nbgrader's generate_feedback for each of ``students``, ``jobs`` processes at a time.

    Writes ``feedback/<student>/<assignment>/`` under ``course_dir``; calls ``advance(n)`` as n
    more pages are done. Returns the students whose feedback failed, with nbgrader's log.
    """
    students = sorted(students)
    batches = [students[i : i + BATCH] for i in range(0, len(students), BATCH)]
    folder = str(Path(course_dir).resolve())
    if jobs <= 1 or len(batches) <= 1:
        failed = {}
        for batch in batches:
            failed.update(_batch(folder, assignment, batch))
            advance(len(batch))
        return failed
    failed = {}
    # Forked workers start at once with nbgrader already imported; this runs after the grading
    # threads have ended and the gradebook is closed, so nothing is forked mid-flight.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(min(jobs, len(batches)), mp_context=context) as pool:
        futures = {pool.submit(_batch, folder, assignment, batch): batch for batch in batches}
        for future in as_completed(futures):
            failed.update(future.result())
            advance(len(futures[future]))
    return failed
