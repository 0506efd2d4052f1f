"""Running a class: which submissions to grade, grading them in parallel, then the reports."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from grader.engine.channel import GraderError
from grader.engine.classroom.gradebook import nbgrader_course, record
from grader.engine.classroom.reports import stale_feedback, table, write_csv
from grader.engine.classroom.submissions import (
    Submission,
    checksum,
    find_submissions,
    load_state,
    save_state,
)
from grader.engine.course import Course
from grader.engine.judge import grade_submission
from grader.engine.report import NotebookReport
from grader.engine.submission import InvalidNotebook, read_bytes

__all__ = ["ClassResult", "grade_class"]


@dataclass
class ClassResult:
    """What :func:`grade_class` did: one report per student, and the CSV it wrote."""

    course: Course
    assignment: str
    reports: dict[str, NotebookReport] = field(default_factory=dict)
    regraded: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    csv_path: Path | None = None

    def table(self) -> str:
        """The gradebook as text: a row per student, a column per exercise."""
        notebook = self.course.notebook(self.assignment)
        return table(notebook, self.reports, len(self.regraded), self.failures)


def _ensure_released(coursedir, api, assignment: str) -> None:
    """Generate the assignment (release and gradebook entry) if nbgrader has not yet."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(coursedir.db_url) as gradebook:
        try:
            gradebook.find_assignment(assignment)
            known = True
        except MissingEntry:
            known = False
    release = Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
    if not known or not release.exists():
        outcome = api.generate_assignment(assignment, force=True, create=True)
        if not outcome.get("success"):
            raise RuntimeError(f"nbgrader generate_assignment failed:\n{outcome.get('log', '')}")


def _read(submission: Submission) -> bytes:
    """The submission's bytes (read once), or b"" when it cannot be read: graded as invalid."""
    try:
        return read_bytes(submission.path)
    except InvalidNotebook:
        return b""


def grade_class(
    course_dir: Path,
    assignment: str,
    *,
    course: Course,
    jobs: int = 0,
    sandbox: bool | None = None,
    progress: bool = True,
    force: bool = False,
    feedback: bool = True,
) -> ClassResult:
    """Grade every submission of ``assignment`` in the nbgrader course directory ``course_dir``.

    ``jobs`` submissions are graded at once (0: one per core). Submissions already graded with
    the same bytes are not graded again unless ``force``; feedback is made for every submission
    whose feedback is missing or stale, unless ``feedback`` is False.
    """
    from nbgrader.api import Gradebook

    notebook = course.notebook(assignment)
    course_dir = Path(course_dir).resolve()
    coursedir, api = nbgrader_course(course_dir)
    _ensure_released(coursedir, api, assignment)
    submitted = Path(
        coursedir.format_path(coursedir.submitted_directory, "*", assignment)
    ).parent.parent
    result = ClassResult(course, assignment)
    todo: dict[str, tuple[Submission, bytes, str]] = {}
    for submission in find_submissions(submitted, assignment):
        data = _read(submission)
        digest = checksum(data)
        kept = None if force else load_state(course_dir, assignment, submission.student)
        if kept is not None and kept[0] == digest:
            result.reports[submission.student] = kept[1]
        else:
            todo[submission.student] = (submission, data, digest)

    def grade(student: str) -> NotebookReport:
        submission, data, _ = todo[student]
        if not data:
            data = _read(submission)  # still unreadable: graded as invalid, with the reason
        return grade_submission(
            data, course, name=notebook.name, filename=submission.path.name, sandbox=sandbox
        )

    with (
        Gradebook(coursedir.db_url) as gradebook,
        ThreadPoolExecutor(jobs or os.cpu_count()) as pool,
    ):
        futures = {pool.submit(grade, student): student for student in todo}
        bar = tqdm(total=len(futures), desc="grading", unit="notebook", disable=not progress)
        for future in as_completed(futures):
            student = futures[future]
            submission, data, digest = todo[student]
            bar.update()
            try:
                report = future.result()
            except GraderError:
                raise  # the sandbox is broken: grade nobody rather than give zeros
            except Exception as exc:  # a grader bug: this submission stays ungraded, the rest go on
                result.failures[student] = f"internal grader error: {exc!r}"
                continue
            record(gradebook, coursedir, assignment, student, submission.path, data, report)
            save_state(course_dir, assignment, student, digest, report)
            result.reports[student] = report
            result.regraded.append(student)
        bar.close()

    if feedback:
        for student in stale_feedback(coursedir, assignment, result.reports):
            outcome = api.generate_feedback(assignment, student, force=True)
            if not outcome.get("success"):
                raise RuntimeError(
                    f"nbgrader generate_feedback failed for {student}:\n{outcome.get('log', '')}"
                )
    result.csv_path = course_dir / f"grades-{assignment}.csv"
    write_csv(result.csv_path, notebook, result.reports)
    return result
