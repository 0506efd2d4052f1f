"""Running a class: find and read the submissions, grade what changed, repair what the gradebook
lost, write feedback and the CSV; one student's failure costs that student only."""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from grader.engine.channel import GraderError
from grader.engine.classroom.difficulties import difficulties, mistake_texts, summary
from grader.engine.classroom.feedback import generate_feedback
from grader.engine.classroom.gradebook import agrees, ensure_schema, nbgrader_course, record
from grader.engine.classroom.remote import DaskGrading
from grader.engine.classroom.reports import stale_feedback, table, write_csv
from grader.engine.classroom.submissions import (
    Submission,
    find_submissions,
    load_state,
    read,
    read_small,
    save_state,
)
from grader.engine.course import Course
from grader.engine.judge import grade_submission, invalid_report
from grader.engine.report import NotebookReport
from grader.engine.text import clean

__all__ = ["ClassResult", "grade_class"]


@dataclass
class ClassResult:
    """What :func:`grade_class` did: a report per graded student, and who could not be graded."""

    course: Course
    assignment: str
    reports: dict[str, NotebookReport] = field(default_factory=dict)
    regraded: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    csv_path: Path | None = None

    def table(self) -> str:
        """The gradebook as text: a row per student, a column per exercise."""
        notebook = self.course.notebook(self.assignment)
        return table(notebook, self.reports, len(self.regraded), self.failures)

    def difficulties(self) -> str:
        """What the class found hard: per exercise, the spread and the commonest mistakes."""
        notebook = self.course.notebook(self.assignment)
        return summary(difficulties(notebook, self.reports), mistake_texts(notebook))


@contextmanager
def course_lock(course_dir: Path, say: Callable[[str], None]):
    """Hold the course for one grading run at a time (other runs wait, none crashes)."""
    folder = course_dir / ".grader"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            say("another grading run holds this course: waiting for it to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _ensure_released(coursedir, api, assignment: str, say) -> None:
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
        say(f"releasing {assignment} with nbgrader generate_assignment")
        outcome = api.generate_assignment(assignment, force=True, create=True)
        if not outcome.get("success"):
            raise RuntimeError(f"nbgrader generate_assignment failed:\n{outcome.get('log', '')}")


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
    scheduler: str | None = None,
    loader: Callable[[], Course] | None = None,
) -> ClassResult:
    """Grade every submission of ``assignment`` in the nbgrader course directory ``course_dir``.

    Reads ``submitted/<student>/<assignment>/``; writes the gradebook, ``autograded/``,
    ``feedback/``, ``grades-<assignment>.csv`` and ``.grader/`` (the resume state). ``jobs``
    submissions are graded at once (0: one per core). Submissions whose bytes were graded before
    are not graded again unless ``force``, but their gradebook rows are repaired if missing or
    different. Students who cannot be graded (an id nbgrader cannot carry, a grader bug) are
    listed in ``failures``; everyone else is graded.

    With ``scheduler`` (a Dask scheduler's address, ``tcp://HOST:8786``) the submissions are
    graded on that cluster's workers, which load the course by calling ``loader`` (a module-level
    function such as ``grader.course.course``); this process still reads them and writes
    everything.
    """
    course.notebook(assignment)  # KeyError for a notebook the course does not have
    course_dir = Path(course_dir).resolve()
    result = ClassResult(course, assignment)
    remote = None
    if scheduler:
        if loader is None:
            raise ValueError("grading on a Dask cluster needs the function that loads the course")
        remote = DaskGrading(scheduler, loader, sandbox=sandbox, hidden=course.hidden_installed)
        jobs = jobs or remote.slots
        if progress:
            print(
                f"grading on the Dask cluster at {scheduler}: {remote.slots} worker threads",
                file=sys.stderr,
                flush=True,
            )
    try:
        _grade_class(
            course_dir,
            result,
            grade=remote,
            jobs=jobs,
            sandbox=sandbox,
            force=force,
            feedback=feedback,
            progress=progress,
        )
    finally:
        if remote is not None:
            remote.close()
    return result


def _grade_class(
    course_dir: Path,
    result: ClassResult,
    *,
    grade: Callable[[bytes, str, str], NotebookReport] | None,
    jobs: int,
    sandbox: bool | None,
    force: bool,
    feedback: bool,
    progress: bool,
) -> None:
    """grade_class's work, into ``result``; ``grade`` grades elsewhere (None: here)."""
    from nbgrader.api import Gradebook

    course, assignment = result.course, result.assignment
    notebook = course.notebook(assignment)

    def say(text: str) -> None:
        if progress:
            print(text, file=sys.stderr, flush=True)

    with course_lock(course_dir, say):
        coursedir, api = nbgrader_course(course_dir)
        ensure_schema(coursedir.db_url)
        _ensure_released(coursedir, api, assignment, say)
        submitted_glob = coursedir.format_path(coursedir.submitted_directory, "*", assignment)
        submitted = Path(submitted_glob).parent.parent
        submissions = find_submissions(submitted, assignment)
        for sub in submissions:
            if sub.refused:
                result.failures[sub.student] = sub.refused
        todo = [sub for sub in submissions if not sub.refused]
        say(
            f"{assignment}: {len(todo)} submissions to read and grade where they changed, "
            f"{len(result.failures)} refused"
        )

        def work(sub: Submission) -> tuple[NotebookReport, bool]:
            """Read the submission once; grade it unless these bytes were graded before."""
            read(submitted, sub, assignment)
            kept = None if force else load_state(course_dir, assignment, sub.student)
            if kept is not None and kept[0] == sub.digest:
                return kept[1], False
            if sub.problem:  # unreadable: an invalid submission, with the reason
                return invalid_report(notebook, sub.problem, course.hidden_installed, sandbox), True
            if grade is not None:
                return grade(sub.data, notebook.name, sub.notebook), True
            report = grade_submission(
                sub.data, course, name=notebook.name, filename=sub.notebook, sandbox=sandbox
            )
            return report, True

        def keep(gradebook, sub: Submission, report: NotebookReport) -> None:
            stamp, ignored = read_small(submitted, sub, assignment, "timestamp.txt")
            secret, unread = read_small(submitted, sub, assignment, "submission_secret.txt")
            for note in [*sub.notes, *(n for n in (ignored, unread) if n)]:
                report.note(note)
            record(gradebook, coursedir, assignment, sub.student, sub.data, report, stamp, secret)

        with (
            Gradebook(coursedir.db_url) as gradebook,
            ThreadPoolExecutor(jobs or os.cpu_count()) as pool,
        ):
            futures = {pool.submit(work, sub): sub for sub in todo}
            bar = tqdm(total=len(futures), desc="grading", unit="notebook", disable=not progress)
            for future in as_completed(futures):
                sub = futures[future]
                bar.update()
                try:
                    report, fresh = future.result()
                    if fresh:
                        keep(gradebook, sub, report)
                        save_state(course_dir, assignment, sub.student, sub.digest, report)
                        result.regraded.append(sub.student)
                    elif not agrees(gradebook, coursedir, assignment, sub.student, report):
                        keep(gradebook, sub, report)  # the gradebook is the truth: repair it
                        result.repaired.append(sub.student)
                except GraderError:
                    raise  # the sandbox is broken: grade nobody rather than give zeros
                except Exception as exc:  # a grader bug: this student stays ungraded
                    gradebook.db.rollback()
                    result.failures[sub.student] = f"internal grader error: {clean(exc, 300)}"
                    continue
                finally:
                    sub.data = b""  # at most a few submissions' bytes are held at once
                result.reports[sub.student] = report
            bar.close()
        if result.repaired:
            say(f"repaired the gradebook rows of {len(result.repaired)} unchanged submissions")
        if feedback:
            _feedback(course_dir, coursedir, assignment, result, jobs, progress)
        result.csv_path = course_dir / f"grades-{assignment}.csv"
        write_csv(result.csv_path, notebook, result.reports, result.failures)
        say(f"wrote {result.csv_path}")


def _feedback(
    course_dir: Path, coursedir, assignment: str, result: ClassResult, jobs: int, progress: bool
) -> None:
    """nbgrader's generate_feedback for each student whose feedback is missing or stale."""
    stale = stale_feedback(coursedir, assignment, result.reports)
    with tqdm(total=len(stale), desc="feedback", unit="student", disable=not progress) as bar:
        failed = generate_feedback(
            course_dir, assignment, stale, jobs=jobs or os.cpu_count() or 1, advance=bar.update
        )
    for student, why in failed.items():
        result.failures[student] = f"graded, but nbgrader generate_feedback failed: {why}"
