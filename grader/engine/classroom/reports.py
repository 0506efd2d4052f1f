"""What class grading writes for people: the gradebook table, the CSV, the feedback HTML.

The CSV (``grades-<assignment>.csv``) has a row per student: the submission's status (graded,
invalid, timeout, crashed, or refused for an id nbgrader cannot carry), the total, and per
exercise its score, status, diagnosed mistake and message, so the columns show which exercises
the class found hard and why. Every text cell is made safe for spreadsheets, every line of the
table safe for the terminal: student ids and messages are the students' own text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.engine.classroom.submissions import write_atomic
from grader.engine.course import Notebook
from grader.engine.report import NotebookReport
from grader.engine.text import for_csv, for_terminal

__all__ = ["stale_feedback", "table", "write_csv"]


def table(
    notebook: Notebook, reports: dict[str, NotebookReport], regraded: int, failures: dict[str, str]
) -> str:
    """The gradebook as text: a row per student, a column per exercise, then what was not
    graded and why."""
    names = notebook.names
    ids = {student: for_terminal(student, 64) for student in reports}
    width = max([7, *(len(s) for s in ids.values())])
    head = f"{'student':<{width}}  {'status':<8} {'total':>6}  " + "  ".join(
        f"{n:>{max(len(n), 5)}}" for n in names
    )
    lines = [head, "-" * len(head)]
    for student, report in sorted(reports.items()):
        scores = {e.name: e for e in report.exercises}
        cells = "  ".join(f"{scores[n].score:>{max(len(n), 5)}g}" for n in names)
        lines.append(f"{ids[student]:<{width}}  {report.summary:<8} {report.score:>6g}  {cells}")
    lines.append(
        f"{len(reports)} submissions of {notebook.name}, {regraded} graded in this run; "
        f"maximum {notebook.max_score:g} points"
    )
    for student, why in sorted(failures.items()):
        lines.append(f"NOT GRADED {for_terminal(ascii(student), 80)}: {for_terminal(why, 300)}")
    return "\n".join(lines)


def write_csv(
    path: Path, notebook: Notebook, reports: dict[str, NotebookReport], failures: dict[str, str]
) -> None:
    names = notebook.names
    header = ["student", "status", "score", "max"]
    header += [f"{n}_{what}" for n in names for what in ("score", "status", "mistake", "message")]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for student, report in sorted(reports.items()):
        scores = {e.name: e for e in report.exercises}
        row = [student, report.summary, report.score, report.max]
        for n in names:
            e = scores[n]
            row += [e.score, e.status.value, e.mistake or "", e.message]
        writer.writerow([for_csv(cell, 500) for cell in row])
    for student, why in sorted(failures.items()):
        row = [ascii(student), "not graded", "", notebook.max_score]
        row += ["", "", "", why] + ["", "", "", ""] * (len(names) - 1)
        writer.writerow([for_csv(cell, 500) for cell in row])
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
