"""Recording a graded submission where nbgrader looks: its gradebook and ``autograded/`` folder.

Scores go in as the auto scores of the test cells (``test_<exercise>``), marked as not needing a
manual grade (as nbgrader's own SaveAutoGrades does), and each exercise's message, escaped for
HTML, as the auto comment of its answer cell, so ``nbgrader export``, ``generate_feedback`` and
formgrader all see them. The autograded notebook is the released notebook with the student's
answer cells, exactly as graded, and the verdicts as outputs of the test cells: it never holds a
hidden test or a cell of the student's own, so feedback made from it can leak no test and run no
script. :func:`agrees` tells whether the gradebook still holds what a report says.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

from grader.engine.classroom.submissions import write_atomic
from grader.engine.report import NotebookReport
from grader.engine.submission import InvalidNotebook, answer_cells, parse_notebook
from grader.engine.text import for_html

__all__ = ["agrees", "autograded_notebook", "ensure_schema", "nbgrader_course", "record"]


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
    solutions = [
        c.metadata.nbgrader.grade_id
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("solution") and "grade_id" in c.metadata.nbgrader
    ]
    try:  # the answer cells exactly as they were graded (support cells too)
        answers = answer_cells(parse_notebook(data), solutions).sources
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
        note = "**Grader notes:** " + "; ".join(for_html(n) for n in report.notes)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(note))
    return nbformat.writes(nb)


def ensure_schema(db_url: str) -> None:
    """Create nbgrader's tables once, before anything else opens the gradebook.

    nbgrader creates its schema (tables, enum types, course row) whenever a Gradebook is opened
    on an empty database; two graders starting at once on a shared PostgreSQL server would both
    create it and one would fail. There the first opening is held under an advisory lock, so
    the second grader finds the schema made. SQLite files are one course's, behind its lock.
    """
    from nbgrader.api import Gradebook

    if not db_url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SCHEMA_LOCK})
            try:
                Gradebook(db_url).close()
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SCHEMA_LOCK})
    finally:
        engine.dispose()


_SCHEMA_LOCK = 0x6E62_6772  # any number the graders of one database agree on ("nbgr")


def _ensure_student(gradebook, student: str) -> None:
    """The student's gradebook row; one not on the roster gets its id as a name. Another grader
    sharing the database may add the same student at the same moment: then theirs is used."""
    from nbgrader.api import InvalidEntry, MissingEntry

    try:
        gradebook.find_student(student)
    except MissingEntry:
        try:
            gradebook.update_or_create_student(student, last_name=student, first_name="")
        except InvalidEntry:  # added meanwhile by another grader: nbgrader rolled back
            gradebook.find_student(student)


def record(
    gradebook,
    coursedir,
    assignment: str,
    student: str,
    data: bytes,
    report: NotebookReport,
    timestamp: str | None = None,
    secret: str | None = None,
) -> None:
    """Write one report into the gradebook (scores and comments) and the autograded folder.

    ``secret`` is the submission secret nbgrader's exchange gave the submission: kept beside the
    autograded notebook, it goes into the feedback folder, where ``release_feedback`` needs it.
    """
    from nbgrader.utils import parse_utc

    when = None
    if timestamp is not None:  # written by the student's side: used only if it parses
        try:
            when = parse_utc(timestamp[:100].strip())
        except (ValueError, OverflowError, TypeError):
            report.note("timestamp.txt could not be read as a time and was ignored")
    _ensure_student(gradebook, student)
    with warnings.catch_warnings():  # nbgrader's own calls trip SQLAlchemy autoflush warnings
        warnings.simplefilter("ignore")
        gradebook.update_or_create_submission(
            assignment, student, **({"timestamp": when} if when else {})
        )
    for e in report.exercises:
        grade = gradebook.find_grade(f"test_{e.name}", report.notebook, assignment, student)
        grade.auto_score = e.score
        grade.needs_manual_grade = grade.manual_score is not None
        comment = gradebook.find_comment(e.name, report.notebook, assignment, student)
        comment.auto_comment = for_html(f"{e.status}: {e.message}")
    gradebook.db.commit()
    release = Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
    out_dir = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    notebook = autograded_notebook(release / f"{report.notebook}.ipynb", data, report)
    write_atomic(out_dir / f"{report.notebook}.ipynb", notebook)
    if when is not None:
        write_atomic(out_dir / "timestamp.txt", str(when))
    if secret is not None:
        write_atomic(out_dir / "submission_secret.txt", secret)


def agrees(gradebook, coursedir, assignment: str, student: str, report: NotebookReport) -> bool:
    """Whether the gradebook and the autograded folder still hold what ``report`` says."""
    from nbgrader.api import MissingEntry

    out_dir = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    if not (out_dir / f"{report.notebook}.ipynb").is_file():
        return False
    try:
        for e in report.exercises:
            grade = gradebook.find_grade(f"test_{e.name}", report.notebook, assignment, student)
            if grade.auto_score is None or abs(grade.auto_score - e.score) > 1e-9:
                return False
            if grade.needs_manual_grade and grade.manual_score is None:
                return False
    except MissingEntry:
        return False
    return True
