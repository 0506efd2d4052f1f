"""Do the notebooks run, release and score as the course promises?

- notebooks/ is exactly what nbgrader's generate_assignment makes from solutions/;
- every solution notebook runs top to bottom without error and scores full marks;
- every released notebook runs top to bottom: only its graded check cells fail, each with a
  message, and it scores zero;
- the points in the notebooks' nbgrader metadata are the grader's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from grader.course import NOTEBOOKS

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENTS = sorted(NOTEBOOKS)


def _path(folder: str, assignment: str) -> Path:
    return REPO / folder / assignment / f"{assignment}.ipynb"


def _execute(path: Path, allow_errors: bool) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


def _errors(nb: nbformat.NotebookNode) -> list[tuple[dict, dict]]:
    return [
        (cell, out)
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.output_type == "error"
    ]


def _score(path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "grader", "score", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.slow
def test_release_is_generated_from_solutions(tmp_path):
    """Regenerating notebooks/ with nbgrader gives exactly the committed files."""
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    bin_dir = str(Path(sys.executable).parent)
    for assignment in ASSIGNMENTS:
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            timeout=300,
            env={"PATH": bin_dir + ":/usr/bin:/bin", "HOME": str(tmp_path)},
        )
    for assignment in ASSIGNMENTS:
        fresh = (tmp_path / "notebooks" / assignment / f"{assignment}.ipynb").read_text()
        assert fresh == _path("notebooks", assignment).read_text(), (
            f"notebooks/{assignment} is stale: run `make release`"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solution_or_hidden_test(assignment):
    text = _path("notebooks", assignment).read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "grader.hidden"):
        assert marker not in text


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_notebook_points_match_the_grader(assignment):
    """Each exercise has an answer cell and a test cell worth the grader's points."""
    nb = nbformat.read(_path("solutions", assignment), as_version=4)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    points = {m["grade_id"]: m.get("points") for m in meta if m.get("grade")}
    answers = {m["grade_id"] for m in meta if m.get("solution")}
    for exercise in NOTEBOOKS[assignment].exercises:
        assert exercise.name in answers
        assert points[f"test_{exercise.name}"] == exercise.points
    assert sum(points.values()) == NOTEBOOKS[assignment].max_score


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_runs_and_scores_full_marks(assignment):
    path = _path("solutions", assignment)
    nb = _execute(path, allow_errors=False)
    assert not _errors(nb)
    report = _score(path)
    assert report["score"] == report["max"] == NOTEBOOKS[assignment].max_score, report
    assert report["sandboxed"] in (True, False) and report["hidden_tests"] is True


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_notebook_runs_and_scores_zero(assignment):
    """The stubs fail their checks with a message; no other cell fails; the kernel survives."""
    path = _path("notebooks", assignment)
    nb = _execute(path, allow_errors=True)
    failing = {
        cell.metadata["nbgrader"]["grade_id"]: out
        for cell, out in _errors(nb)
        if cell.metadata.get("nbgrader", {}).get("grade")
    }
    assert len(failing) == len(_errors(nb)), "a cell other than a check cell failed"
    assert set(failing) == {f"test_{e.name}" for e in NOTEBOOKS[assignment].exercises}
    for out in failing.values():
        assert out.ename == "AssertionError" and "not implemented yet" in out.evalue
    report = _score(path)
    assert report["score"] == 0
    assert {e["status"] for e in report["exercises"]} == {"missing"}
