"""Recording a graded submission where nbgrader looks: its gradebook and ``autograded/`` folder.

Scores go in as the auto scores of the test cells (``test_<exercise>``) and each exercise's
message as the auto comment of its answer cell, so ``nbgrader export``, ``generate_feedback`` and
formgrader all see them. The autograded notebook is the released notebook with the student's
answer cells, exactly as graded, and the verdicts as outputs of the test cells: it never holds a
hidden test, so feedback made from it cannot leak one.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

from grader.engine.classroom.submissions import write_atomic
from grader.engine.report import NotebookReport
from grader.engine.submission import InvalidNotebook, answer_cells, parse_notebook

__all__ = ["nbgrader_course", "record"]


def nbgrader_course(course: Path):
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


def autograded_notebook(release: Path, data: bytes, report: NotebookReport) -> str:
    """The released notebook with the student's answer cells and the verdicts as outputs."""
    import nbformat

    nb = nbformat.read(release, as_version=4)
    try:  # the answer cells exactly as they were graded
        answers = answer_cells(parse_notebook(data), [e.name for e in report.exercises]).sources
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
                text = f"{e.name}: {e.score:g} / {e.max:g} ({e.status}): {e.message}\n"
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    if report.status == "invalid" or report.notes:
        note = "**Grader notes:** " + "; ".join(report.notes)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(note))
    return nbformat.writes(nb)


def _timestamp(submission: Path, report: NotebookReport):
    """The submission time from ``timestamp.txt`` (student-side data: used only if it parses)."""
    from nbgrader.utils import parse_utc

    path = submission.parent / "timestamp.txt"
    if not path.exists():
        return None
    try:
        return parse_utc(path.read_text(errors="replace")[:100].strip())
    except (ValueError, OverflowError, TypeError):
        report.notes.append("timestamp.txt could not be read as a time and was ignored")
        return None


def record(
    gradebook,
    coursedir,
    assignment: str,
    student: str,
    submission: Path,
    data: bytes,
    report: NotebookReport,
) -> None:
    """Write one report into the gradebook (scores and comments) and the autograded folder."""
    timestamp = _timestamp(submission, report)
    gradebook.update_or_create_student(student)
    with warnings.catch_warnings():  # nbgrader's own calls trip SQLAlchemy autoflush warnings
        warnings.simplefilter("ignore")
        extra = {"timestamp": timestamp} if timestamp is not None else {}
        gradebook.update_or_create_submission(assignment, student, **extra)
    for e in report.exercises:
        grade = gradebook.find_grade(f"test_{e.name}", report.notebook, assignment, student)
        grade.auto_score = e.score
        comment = gradebook.find_comment(e.name, report.notebook, assignment, student)
        comment.auto_comment = f"{e.status}: {e.message}"
    gradebook.db.commit()
    release = Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
    out_dir = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    notebook = autograded_notebook(release / f"{report.notebook}.ipynb", data, report)
    write_atomic(out_dir / f"{report.notebook}.ipynb", notebook)
    if timestamp is not None:
        write_atomic(out_dir / "timestamp.txt", str(timestamp))
