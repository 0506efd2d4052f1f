"""Finding a class's submissions and what was already graded (the resume state).

A submission is ``submitted/<student>/<assignment>/<notebook>.ipynb``. Its bytes are read once;
the checksum of those bytes and the report they earned are kept in
``.grader/<assignment>/<student>.json``, so a run that was killed resumes where it stopped and a
changed submission is graded again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from grader.engine.report import NotebookReport

__all__ = ["Submission", "find_submissions", "load_state", "save_state", "write_atomic"]


@dataclass
class Submission:
    """One student's file of an assignment."""

    student: str
    path: Path


def find_submissions(submitted: Path, assignment: str) -> list[Submission]:
    """Every student who submitted this assignment (a folder ``<student>/<assignment>``)."""
    if not submitted.is_dir():
        return []
    return [
        Submission(folder.name, folder / assignment / f"{assignment}.ipynb")
        for folder in sorted(submitted.iterdir())
        if (folder / assignment).is_dir()
    ]


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def state_file(course: Path, assignment: str, student: str) -> Path:
    return course / ".grader" / assignment / f"{student}.json"


def load_state(course: Path, assignment: str, student: str) -> tuple[str, NotebookReport] | None:
    """The checksum and report kept for a graded submission, or None."""
    path = state_file(course, assignment, student)
    if not path.exists():
        return None
    saved = json.loads(path.read_text())
    return saved["checksum"], NotebookReport.from_json(saved["report"])


def save_state(course: Path, assignment: str, student: str, digest: str, report: NotebookReport):
    write_atomic(
        state_file(course, assignment, student),
        json.dumps({"checksum": digest, "report": report.to_json()}),
    )


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a reader sees the old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
