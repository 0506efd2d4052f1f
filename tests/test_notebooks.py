"""Do the notebooks run, release, validate and score as the course promises?

- notebooks/ is exactly what nbgrader's generate_assignment makes from solutions/, and carries
  the points declared beside each exercise's cases (the solutions declare none);
- every solution notebook runs top to bottom without error, its checks all pass, and it scores
  full marks;
- every released notebook runs to its last cell without error: each check shows a "not
  implemented yet" verdict, nothing else fails, and it scores zero;
- nbgrader's Validate (what the button in JupyterLab runs) fails a released notebook on each of
  its checks, with our verdict as the reason, and passes a solved one.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grader.course import course
from kernels import SteadyClient, ipc_config
from make_class import student_notebook, students

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENTS = sorted(course().notebooks)


def _path(folder: str, assignment: str) -> Path:
    return REPO / folder / assignment / f"{assignment}.ipynb"


def _execute(path: Path) -> nbformat.NotebookNode:
    """Run a notebook as "Run All" does, stopping at the first error (there must be none)."""
    nb = nbformat.read(path, as_version=4)
    client = SteadyClient(
        nb,
        timeout=300,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


def _streams(cell, name: str) -> str:
    return "".join(o.text for o in cell.get("outputs", []) if o.get("name") == name)


def _grade_id(cell) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


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
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "check_hidden"):
        assert marker not in text


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_points_are_declared_once_beside_the_cases(assignment):
    """Each exercise has an answer cell and a test cell; the release's test cells carry the
    course's points, the solution's carry none (nbgrader's generate_assignment fills them in)."""
    notebook = course().notebook(assignment)
    for folder, expected in (("solutions", None), ("notebooks", "course")):
        cells = nbformat.read(_path(folder, assignment), as_version=4).cells
        meta = [c.metadata.get("nbgrader", {}) for c in cells]
        answers = {m["grade_id"] for m in meta if m.get("solution")}
        points = {m["grade_id"]: m.get("points") for m in meta if m.get("grade")}
        for exercise in notebook.exercises:
            assert exercise.name in answers
            want = exercise.points if expected else None
            assert points[f"test_{exercise.name}"] == want, (folder, exercise.name)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_runs_passes_its_checks_and_scores_full_marks(assignment):
    path = _path("solutions", assignment)
    nb = _execute(path)
    checks = [c for c in nb.cells if _grade_id(c).startswith("test_")]
    assert checks and all(
        "✔" in _streams(c, "stdout") and not _streams(c, "stderr") for c in checks
    )
    report = _score(path)
    assert report["score"] == report["max"] == course().notebook(assignment).max_score, report
    assert report["hidden_tests"] is True


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_notebook_runs_to_its_last_cell_and_scores_zero(assignment):
    """Run All reaches the end: no cell raises; every check shows its verdict on stderr; the
    last cell shows the score of the saved file."""
    path = _path("notebooks", assignment)
    nb = _execute(path)
    names = course().notebook(assignment).names
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        stderr = _streams(cell, "stderr")
        if _grade_id(cell).startswith("test_"):
            assert "not implemented yet" in stderr, _grade_id(cell)
        else:
            assert not stderr, (_grade_id(cell), stderr)
    assert _grade_id(nb.cells[-1]) == "score"
    assert f"{assignment} as saved at" in _streams(nb.cells[-1], "stdout")
    report = _score(path)
    assert report["score"] == 0 and [e["status"] for e in report["exercises"]] == ["missing"] * len(
        names
    )


def _validate(path: Path) -> dict:
    """nbgrader's Validate (what its button runs), its kernel on IPC sockets (see kernels.py)."""
    from nbgrader.validator import Validator

    sockets = path.parent / "sockets"
    sockets.mkdir()
    return Validator(config=ipc_config(sockets)).validate(str(path))


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nbgrader_validate_fails_the_release_on_each_check_and_passes_a_solved_one(
    assignment, tmp_path
):
    release = json.loads(_path("notebooks", assignment).read_text())
    blank = tmp_path / "blank" / f"{assignment}.ipynb"
    solved = tmp_path / "solved" / f"{assignment}.ipynb"
    for path, answers in ((blank, {}), (solved, students(assignment)[0]["ada"])):
        path.parent.mkdir()
        path.write_text(json.dumps(student_notebook(release, answers)))
    failed = _validate(blank).get("failed", [])
    names = course().notebook(assignment).names
    assert len(failed) == len(names)
    for cell, name in zip(failed, names, strict=True):
        assert f'check("{name}", {name})' in cell["source"]
        assert "not implemented yet" in cell["raw_error"] and "Traceback" not in cell["raw_error"]
    result = _validate(solved)
    assert result == {}, result  # nbgrader's way of saying every cell passed


# Notebooks revised to the course's length standard (issue 12); the others still exceed it a little.
SHORT = ("01_history", "02_convolution", "03_padding_stride", "04_pooling")
PROMPT = "**Predict, then run.**"


@pytest.mark.parametrize("assignment", SHORT)
def test_the_notebook_is_short_and_asks_for_one_prediction_per_section(assignment):
    """At most 3,000 words of prose (whitespace-separated tokens of the markdown cells, tables
    and formulas included, code excluded), no markdown cell over 200 words, at most 7 numbered
    sections ("## 1 · ..."), and one "Predict, then run." prompt in each of them."""
    cells = [c for c in nbformat.read(_path("solutions", assignment), 4).cells]
    prose = [(_grade_id(c), c.source) for c in cells if c.cell_type == "markdown"]
    assert sum(len(text.split()) for _, text in prose) <= 3000
    long = [(gid, len(text.split())) for gid, text in prose if len(text.split()) > 200]
    assert not long, long
    prompts: dict[str, int] = {}
    section = None
    for _, text in prose:
        if text.startswith("## "):  # a numbered section, or the summary or score after them
            section = text.splitlines()[0] if re.match(r"## \d+ ·", text) else None
            if section:
                prompts[section] = 0
        if section:
            prompts[section] += text.count(PROMPT)
    assert 1 <= len(prompts) <= 7 and set(prompts.values()) == {1}, prompts


def test_every_notebook_has_a_row_in_the_readme():
    readme = (REPO / "README.md").read_text()
    for assignment in ASSIGNMENTS:
        names = ", ".join(f"`{name}`" for name in course().notebook(assignment).names)
        assert f"| `{assignment}` |" in readme and names in readme, assignment
