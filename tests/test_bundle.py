"""Is the student bundle free of solutions, hidden tests and working implementations of the
graded functions, and does grading still work in it?"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.__main__ import BUNDLE_README
from grader.course import course
from grader.engine.bundle import build_bundle
from grader.engine.sandbox import sandbox_available
from make_class import topic_module

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return build_bundle(REPO, tmp_path_factory.mktemp("handout") / "bundle", BUNDLE_README)


def _solution_lines() -> set[str]:
    """Distinctive lines of every solution block of every solution notebook."""
    lines = set()
    for path in (REPO / "solutions").glob("*/*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            inside = False
            for line in "".join(cell["source"]).splitlines():
                if "BEGIN SOLUTION" in line or "BEGIN HIDDEN TESTS" in line:
                    inside = True
                elif "END SOLUTION" in line or "END HIDDEN TESTS" in line:
                    inside = False
                elif inside and len(line.strip()) > 30:
                    lines.add(line.strip())
    return lines


def test_bundle_has_no_hidden_cases_solutions_or_tests(bundle):
    files = [p for p in bundle.rglob("*") if p.is_file()]
    names = {str(p.relative_to(bundle)) for p in files}
    assert any(n.startswith("notebooks/") for n in names)
    assert not any(
        n.startswith(("solutions", "tests")) or "hidden" in Path(n).parts or n.endswith("hidden.py")
        for n in names
    )
    hidden = [*(REPO / "grader").glob("*/hidden.py"), *(REPO / "grader").glob("*/hidden/")]
    assert {p.parent.name for p in hidden} == set(
        topic
        for topic in (p.parent.name for p in (REPO / "grader").glob("*/cases.py"))
        if topic != "engine"
    )  # every topic has hidden cases, and the one rule drops them all
    solution_lines = _solution_lines()
    assert len(solution_lines) > 20
    for path in files:
        text = path.read_text(errors="replace")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, path
        leaked = [line for line in solution_lines if line in text]
        assert not leaked, f"{path} holds solution lines: {leaked[:3]}"


def _score(bundle: Path, notebook: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "grader", "score", str(notebook), "--json"],
        cwd=bundle,
        env=dict(os.environ, PYTHONPATH=str(bundle)),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("assignment", sorted(course().notebooks))
def test_grading_in_the_bundle_runs_visible_checks_only(bundle, assignment):
    released = bundle / "notebooks" / assignment / f"{assignment}.ipynb"
    report = _score(bundle, released)
    assert report["hidden_tests"] is False and report["score"] == 0
    solved = _score(bundle, REPO / "solutions" / assignment / f"{assignment}.ipynb")
    assert solved["hidden_tests"] is False and solved["score"] == solved["max"]


def _sweep(bundle: Path, tmp_path: Path, *control: str) -> dict:
    """Run tests/bundle_sweep.py in a throw-away sandbox: every file read-only but ``tmp_path``,
    its own PID namespace, and the sweep as its init."""
    bwrap = shutil.which("bwrap")
    fence = [
        bwrap,
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--bind",
        str(tmp_path),
        str(tmp_path),  # the only writable place
        "--unshare-pid",
        "--as-pid-1",
        "--unshare-net",
        "--die-with-parent",
        "--new-session",
    ]
    out = tmp_path / "sweep.json"
    script = REPO / "tests" / "bundle_sweep.py"
    command = [
        *fence,
        "/bin/sh",
        "-c",
        f'exec "$@" 3>"{out}"',
        "sh",
        sys.executable,
        str(script),
        str(bundle),
        *control,
    ]
    env = dict(
        os.environ,
        MPLBACKEND="Agg",
        OPENBLAS_NUM_THREADS="1",
        MPLCONFIGDIR=str(tmp_path),
        TMPDIR=str(tmp_path),
    )
    run = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=900, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(out.read_text())


needs_sandbox = pytest.mark.skipif(not sandbox_available(), reason="bubblewrap is not available")


@pytest.mark.slow
@needs_sandbox
def test_no_function_of_the_bundle_passes_any_graded_exercise(bundle, tmp_path):
    """Every function and class of the bundled package, called as each graded exercise, fails
    that exercise's hidden cases; and the sweep does find a correct answer when there is one."""
    control = tmp_path / "control.py"
    control.write_text(
        topic_module("02_convolution", "implementations").CORRECT["corr2d"]["einsum over windows"]
    )
    result = _sweep(bundle, tmp_path, str(control), "corr2d")
    assert result["swept"] > 100 and result["exercises"] == sum(
        len(nb.exercises) for nb in course().notebooks.values()
    )
    assert result["passing"] == [["control", "corr2d"]]
