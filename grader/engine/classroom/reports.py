"""What class grading writes for people: the gradebook table, the CSV, the feedback HTML.

The CSV (``grades-<assignment>.csv``) has a row per student: the submission's status (graded,
invalid, timeout or crashed), the total, and per exercise its score, status and diagnosed
mistake, so the columns show which exercises the class found hard and why.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.engine.classroom.submissions import write_atomic
from grader.engine.course import Notebook
from grader.engine.report import NotebookReport

__all__ = ["stale_feedback", "table", "write_csv"]


def table(
    notebook: Notebook, reports: dict[str, NotebookReport], regraded: int, failures: dict[str, str]
) -> str:
    """The gradebook as text: a row per student, a column per exercise."""
    names = notebook.names
    width = max([7, *(len(s) for s in reports)])
    head = f"{'student':<{width}}  {'status':<8} {'total':>6}  " + "  ".join(
        f"{n:>{max(len(n), 5)}}" for n in names
    )
    lines = [head, "-" * len(head)]
    for student, report in sorted(reports.items()):
        scores = {e.name: e for e in report.exercises}
        cells = "  ".join(f"{scores[n].score:>{max(len(n), 5)}g}" for n in names)
        lines.append(f"{student:<{width}}  {report.summary:<8} {report.score:>6g}  {cells}")
    lines.append(
        f"{len(reports)} submissions of {notebook.name}, {regraded} graded in this run; "
        f"maximum {notebook.max_score:g} points"
    )
    lines += [f"NOT GRADED {student}: {why}" for student, why in sorted(failures.items())]
    return "\n".join(lines)


def write_csv(path: Path, notebook: Notebook, reports: dict[str, NotebookReport]) -> None:
    names = notebook.names
    header = ["student", "status", "score", "max"]
    header += [f"{n}_{what}" for n in names for what in ("score", "status", "mistake")]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for student, report in sorted(reports.items()):
        scores = {e.name: e for e in report.exercises}
        row = [student, report.summary, report.score, report.max]
        for n in names:
            e = scores[n]
            row += [e.score, e.status.value, e.mistake or ""]
        writer.writerow(row)
    write_atomic(path, out.getvalue())


def stale_feedback(coursedir, assignment: str, reports: dict[str, NotebookReport]) -> list[str]:
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
