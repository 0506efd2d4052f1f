"""Shared fixtures: the repository's paths and submissions built from the released notebooks."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "data" / "sample_class"))

from make_class import student_notebook  # noqa: E402


def released(assignment: str) -> dict:
    """The committed student version of a notebook, as JSON."""
    return json.loads((REPO / "notebooks" / assignment / f"{assignment}.ipynb").read_text())


def write_submission(folder: Path, assignment: str, answers: dict[str, str]) -> Path:
    """Write the released ``assignment`` with ``answers`` in its answer cells; return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    path.write_text(json.dumps(student_notebook(released(assignment), answers)))
    return path


@pytest.fixture
def submit(tmp_path):
    """``submit(assignment, answers, name="x")`` writes a submission under tmp_path."""

    def make(assignment: str, answers: dict[str, str], name: str = "student") -> Path:
        return write_submission(tmp_path / name, assignment, answers)

    return make
