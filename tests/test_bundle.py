"""Is the student bundle free of solutions and hidden tests, and does grading still work in it?"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.bundle import build_bundle
from grader.course import NOTEBOOKS

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return build_bundle(REPO, tmp_path_factory.mktemp("handout") / "bundle")


def _solution_lines() -> set[str]:
    """Distinctive lines of every solution block of every solution notebook."""
    lines = set()
    for path in (REPO / "solutions").glob("*/*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            inside = False
            for line in source.splitlines():
                if "BEGIN SOLUTION" in line or "BEGIN HIDDEN TESTS" in line:
                    inside = True
                elif "END SOLUTION" in line or "END HIDDEN TESTS" in line:
                    inside = False
                elif inside and len(line.strip()) > 30:
                    lines.add(line.strip())
    return lines


def test_bundle_has_no_hidden_tests_solutions_or_sample_class(bundle):
    files = [p for p in bundle.rglob("*") if p.is_file()]
    names = {str(p.relative_to(bundle)) for p in files}
    assert any(n.startswith("notebooks/") for n in names)
    assert not any(n.startswith(("solutions", "grader/hidden", "data/sample_class")) for n in names)
    solution_lines = _solution_lines()
    assert len(solution_lines) > 20
    for path in files:
        text = path.read_text(errors="replace")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, path
        leaked = [line for line in solution_lines if line in text]
        assert not leaked, f"{path} holds solution lines: {leaked[:3]}"


def _score(bundle: Path, notebook: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(bundle))
    result = subprocess.run(
        [sys.executable, "-m", "grader", "score", str(notebook), "--json"],
        cwd=bundle,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("assignment", sorted(NOTEBOOKS))
def test_grading_in_the_bundle_runs_visible_checks_only(bundle, assignment):
    released = bundle / "notebooks" / assignment / f"{assignment}.ipynb"
    report = _score(bundle, released)
    assert report["hidden_tests"] is False and report["score"] == 0
    solved = _score(bundle, REPO / "solutions" / assignment / f"{assignment}.ipynb")
    assert solved["hidden_tests"] is False and solved["score"] == solved["max"]
