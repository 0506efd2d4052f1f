"""Grading a class in an nbgrader course directory, into nbgrader's own gradebook.

Reads ``submitted/<student>/<assignment>/<notebook>.ipynb`` (nbgrader's layout) and writes:

- the scores into nbgrader's gradebook (``gradebook.db``), as the auto scores of the test cells,
  with each exercise's message as the answer cell's auto comment, so that ``nbgrader export``,
  ``nbgrader generate_feedback`` and formgrader all see them;
- ``autograded/<student>/<assignment>/<notebook>.ipynb``: the released notebook with the student's
  answers and the verdicts as outputs of the test cells (it never holds hidden tests, so feedback
  made from it cannot leak them);
- ``.grader/<assignment>/<student>.json``: the report and the checksum of the graded submission;
- ``feedback/<student>/<assignment>/<notebook>.html`` through nbgrader's generate_feedback;
- ``grades-<assignment>.csv``: one row per student, with a status and a score per exercise.

A submission whose checksum matches its ``grader.json`` is not graded again, so a run that was
killed can be started again and grades each submission once; a changed submission is regraded.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from grader.course import NOTEBOOKS
from grader.judge import GraderError, NotebookReport, grade_notebook
from grader.notebook import InvalidNotebook, read_answers

__all__ = ["ClassResult", "grade_class"]


@dataclass
class ClassResult:
    """What :func:`grade_class` did: one report per student, and the CSV it wrote."""

    assignment: str
    reports: dict[str, NotebookReport] = field(default_factory=dict)
    regraded: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    csv_path: Path | None = None

    def table(self) -> str:
        """The gradebook as text: a row per student, a column per exercise."""
        spec = NOTEBOOKS[self.assignment]
        names = [e.name for e in spec.exercises]
        width = max([7, *(len(s) for s in self.reports)])
        head = f"{'student':<{width}}  {'status':<8} {'total':>6}  " + "  ".join(
            f"{n:>{max(len(n), 5)}}" for n in names
        )
        lines = [head, "-" * len(head)]
        for student, report in sorted(self.reports.items()):
            scores = {e.name: e for e in report.exercises}
            cells = "  ".join(f"{scores[n].score:>{max(len(n), 5)}g}" for n in names)
            lines.append(f"{student:<{width}}  {_status(report):<8} {report.score:>6g}  {cells}")
        lines.append(
            f"{len(self.reports)} submissions of {self.assignment}, {len(self.regraded)} "
            f"graded in this run; maximum {spec.max_score:g} points"
        )
        for student, why in sorted(self.failures.items()):
            lines.append(f"NOT GRADED {student}: {why}")
        return "\n".join(lines)


def _status(report: NotebookReport) -> str:
    """The submission's status column: graded, invalid, timeout or crashed."""
    if report.status == "invalid":
        return "invalid"
    kinds = {e.status for e in report.exercises}
    if "timeout" in kinds:
        return "timeout"
    if any(e.status == "error" and "the process" in e.message for e in report.exercises):
        return "crashed"
    return "graded"


def _state_file(course: Path, assignment: str, student: str) -> Path:
    """Where the report and checksum of a graded submission are kept."""
    return course / ".grader" / assignment / f"{student}.json"


def _checksum(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _course(course: Path):
    """nbgrader's CourseDirectory and API for ``course``, with its nbgrader_config.py."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config, PyFileConfigLoader

    bin_dir = str(Path(sys.executable).parent)  # nbgrader runs `alembic` from PATH
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    config = Config()
    if (course / "nbgrader_config.py").exists():
        config.merge(PyFileConfigLoader("nbgrader_config.py", str(course)).load_config())
    config.CourseDirectory.root = str(course)
    coursedir = CourseDirectory(config=config)
    return coursedir, NbGraderAPI(coursedir, config=config)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _autograded_notebook(release: Path, submission: Path, report: NotebookReport) -> str:
    """The released notebook with the student's answer cells and the verdicts as outputs."""
    import nbformat

    nb = nbformat.read(release, as_version=4)
    try:  # the answer cells exactly as they were graded
        answers = read_answers(submission, [e.name for e in report.exercises]).sources
    except InvalidNotebook:  # the released cells stay; the grader's note says why
        answers = {}
    results = {f"test_{e.name}": e for e in report.exercises}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if meta.get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
        if cell.cell_type == "code":
            cell.outputs = []
            if grade_id in results:
                e = results[grade_id]
                cell.outputs = [
                    nbformat.v4.new_output(
                        "stream",
                        name="stdout",
                        text=f"{e.name}: {e.score:g} / {e.max:g} ({e.status}): {e.message}\n",
                    )
                ]
    if report.status == "invalid" or report.notes:
        note = "**Grader notes:** " + "; ".join(report.notes)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(note))
    return nbformat.writes(nb)


def _record(
    gradebook, coursedir, assignment: str, student: str, submission: Path, report: NotebookReport
) -> None:
    """Write one report into the gradebook (scores and comments) and the autograded folder."""
    from nbgrader.utils import parse_utc

    timestamp_file = submission.parent / "timestamp.txt"
    kwargs = {}
    if timestamp_file.exists():  # written by the student's side: use it only if it parses
        try:
            kwargs["timestamp"] = parse_utc(
                timestamp_file.read_text(errors="replace")[:100].strip()
            )
        except (ValueError, OverflowError, TypeError):
            report.notes.append("timestamp.txt could not be read as a time and was ignored")
    gradebook.update_or_create_student(student)
    with warnings.catch_warnings():  # nbgrader's own calls trip SQLAlchemy autoflush warnings
        warnings.simplefilter("ignore")
        gradebook.update_or_create_submission(assignment, student, **kwargs)
    for e in report.exercises:
        grade = gradebook.find_grade(f"test_{e.name}", report.notebook, assignment, student)
        grade.auto_score = e.score
        comment = gradebook.find_comment(e.name, report.notebook, assignment, student)
        comment.auto_comment = f"{e.status}: {e.message}"
    gradebook.db.commit()
    release = Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
    out_dir = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    _write_atomic(
        out_dir / f"{report.notebook}.ipynb",
        _autograded_notebook(release / f"{report.notebook}.ipynb", submission, report),
    )
    if "timestamp" in kwargs:
        _write_atomic(out_dir / "timestamp.txt", str(kwargs["timestamp"]))


def grade_class(
    course: Path,
    assignment: str,
    *,
    jobs: int = 0,
    sandbox: bool | None = None,
    progress: bool = True,
    force: bool = False,
    feedback: bool = True,
) -> ClassResult:
    """Grade every submission of ``assignment`` in the nbgrader course directory ``course``.

    ``jobs`` workers grade in parallel (0: one per core). Submissions already graded with the
    same content are skipped unless ``force``; feedback is made for every submission whose
    feedback is missing or stale, unless ``feedback`` is False. Returns the reports of all
    submissions.
    """
    from nbgrader.api import Gradebook, MissingEntry

    if assignment not in NOTEBOOKS:
        raise KeyError(f"{assignment!r} is not a graded notebook of this course")
    course = Path(course).resolve()
    coursedir, api = _course(course)
    with Gradebook(coursedir.db_url) as gradebook:
        try:
            gradebook.find_assignment(assignment)
            missing = False
        except MissingEntry:
            missing = True
    if (
        missing
        or not Path(coursedir.format_path(coursedir.release_directory, ".", assignment)).exists()
    ):
        outcome = api.generate_assignment(assignment, force=True, create=True)
        if not outcome.get("success"):
            raise RuntimeError(f"nbgrader generate_assignment failed:\n{outcome.get('log', '')}")

    submitted = Path(
        coursedir.format_path(coursedir.submitted_directory, "*", assignment)
    ).parent.parent
    todo: dict[str, Path] = {}
    result = ClassResult(assignment)
    for student_dir in (
        sorted(p for p in submitted.iterdir() if p.is_dir()) if submitted.exists() else []
    ):
        path = student_dir / assignment / f"{assignment}.ipynb"
        state = _state_file(course, assignment, student_dir.name)
        if not force and state.exists():
            saved = json.loads(state.read_text())
            if saved.get("checksum") == _checksum(path):
                result.reports[student_dir.name] = _report_from_json(saved["report"])
                continue
        todo[student_dir.name] = path

    workers = jobs or os.cpu_count() or 1
    with Gradebook(coursedir.db_url) as gradebook, ThreadPoolExecutor(workers) as pool:
        futures = {
            pool.submit(grade_notebook, path, name=assignment, sandbox=sandbox): student
            for student, path in todo.items()
        }
        bar = tqdm(total=len(futures), desc="grading", unit="notebook", disable=not progress)
        for future in as_completed(futures):
            student = futures[future]
            path = todo[student]
            checksum = _checksum(path)
            try:
                report = future.result()
            except GraderError:
                raise  # the sandbox is broken: grade nobody rather than give zeros
            except Exception as exc:  # a grader bug: this submission stays ungraded, the rest go on
                result.failures[student] = f"internal grader error: {exc!r}"
                bar.update()
                continue
            _record(gradebook, coursedir, assignment, student, path, report)
            state = _state_file(course, assignment, student)
            _write_atomic(state, json.dumps({"checksum": checksum, "report": report.to_json()}))
            result.reports[student] = report
            result.regraded.append(student)
            bar.update()
        bar.close()

    if feedback:
        for student in _stale_feedback(coursedir, assignment, result.reports):
            outcome = api.generate_feedback(assignment, student, force=True)
            if not outcome.get("success"):
                raise RuntimeError(
                    f"nbgrader generate_feedback failed for {student}:\n{outcome.get('log', '')}"
                )
    result.csv_path = course / f"grades-{assignment}.csv"
    _write_csv(result)
    return result


def _stale_feedback(coursedir, assignment: str, reports: dict) -> list[str]:
    """Students whose feedback is missing or older than their autograded notebook."""
    stale = []
    for student, report in reports.items():
        graded = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
        html = Path(coursedir.format_path(coursedir.feedback_directory, student, assignment))
        notebook = graded / f"{report.notebook}.ipynb"
        page = html / f"{report.notebook}.html"
        if notebook.exists() and (
            not page.exists() or page.stat().st_mtime < notebook.stat().st_mtime
        ):
            stale.append(student)
    return sorted(stale)


def _report_from_json(data: dict) -> NotebookReport:
    from grader.judge import ExerciseResult

    report = NotebookReport(**{k: v for k, v in data.items() if k != "exercises"})
    report.exercises = [ExerciseResult(**e) for e in data["exercises"]]
    return report


def _write_csv(result: ClassResult) -> None:
    names = [e.name for e in NOTEBOOKS[result.assignment].exercises]
    header = ["student", "status", "score", "max"]
    header += [f"{n}_{what}" for n in names for what in ("score", "status")]
    lines = []
    for student, report in sorted(result.reports.items()):
        scores = {e.name: e for e in report.exercises}
        row = [student, _status(report), report.score, report.max]
        row += [v for n in names for v in (scores[n].score, scores[n].status)]
        lines.append(row)
    tmp = result.csv_path.with_suffix(".csv.tmp")
    with open(tmp, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(lines)
    os.replace(tmp, result.csv_path)
