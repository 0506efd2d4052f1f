"""Is the gradebook the single truth, whatever happens between and during runs?

Concurrent runs of one course wait for each other and none crashes; a rerun repairs gradebook
rows that were lost or changed behind its back; a damaged resume state counts as absent; and a
submission replaced while it is being graded keeps the grade of the bytes that were graded, and
is graded again on the next run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import venv_env
from nbgrader.api import Gradebook

from grader.course import course
from grader.engine.classroom import grade_class, run
from make_class import make_class, students

pytestmark = pytest.mark.slow
A = "02_convolution"
EXPECTED = students(A)[1]


def _grade(folder: Path, **options):
    return grade_class(
        folder, A, course=course(), jobs=2, progress=False, feedback=False, **options
    )


def _totals(folder: Path) -> dict[str, float]:
    with Gradebook(f"sqlite:///{folder}/gradebook.db") as gb:
        return {s.student.id: s.score for s in gb.find_assignment(A).submissions}


def _expected_totals() -> dict[str, float]:
    return {s: pytest.approx(sum(p.values())) for s, p in EXPECTED.items()}


def test_three_runs_at_once_wait_for_each_other_and_agree(tmp_path):
    make_class(tmp_path, only=[A])
    env = venv_env()
    command = [
        sys.executable,
        "-m",
        "grader",
        "grade",
        A,
        "--course",
        str(tmp_path),
        "--jobs",
        "1",
        "--no-feedback",
    ]
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    outputs = [r.communicate(timeout=900) for r in runs]
    assert [r.returncode for r in runs] == [0, 0, 0], [e.decode()[-2000:] for _, e in outputs]
    assert any(b"waiting for it to finish" in e for _, e in outputs)
    assert _totals(tmp_path) == _expected_totals()


def test_a_lost_or_changed_gradebook_is_repaired_on_the_next_run(tmp_path):
    make_class(tmp_path, only=[A])
    _grade(tmp_path)
    with Gradebook(f"sqlite:///{tmp_path}/gradebook.db") as gb:  # someone edits a score
        grade = gb.find_grade("test_corr1d", A, A, "hana")
        grade.auto_score = 2.0
        gb.db.commit()
    again = _grade(tmp_path)
    assert again.regraded == [] and again.repaired == ["hana"]
    assert _totals(tmp_path) == _expected_totals()
    (tmp_path / "gradebook.db").unlink()  # the gradebook is lost
    again = _grade(tmp_path)
    assert again.regraded == [] and sorted(again.repaired) == sorted(EXPECTED)
    assert _totals(tmp_path) == _expected_totals()


def test_a_damaged_state_file_counts_as_absent(tmp_path):
    make_class(tmp_path, only=[A])
    _grade(tmp_path)
    states = tmp_path / ".grader" / A
    (states / "ada.json").write_text("{ not json")
    (states / "ben.json").write_text(json.dumps({"checksum": 3, "report": {"no": "report"}}))
    again = _grade(tmp_path)
    assert sorted(again.regraded) == ["ada", "ben"] and not again.failures
    assert _totals(tmp_path) == _expected_totals()


def test_a_submission_replaced_mid_run_keeps_the_grade_of_what_was_graded(tmp_path, monkeypatch):
    import nbformat

    make_class(tmp_path, only=[A])
    ada = tmp_path / "submitted" / "ada" / A / f"{A}.ipynb"
    graded_bytes = ada.read_bytes()
    blank = (tmp_path / "submitted" / "ben" / A / f"{A}.ipynb").read_text()
    original = run.grade_submission

    def replace_then_grade(data, *args, **kwargs):  # ada swaps her file while she is graded
        if data == graded_bytes:
            ada.write_text(blank)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(run, "grade_submission", replace_then_grade)
    first = _grade(tmp_path)
    assert first.reports["ada"].score == 10 and ada.read_text() == blank

    def corr1d(nb) -> str:
        return next(c.source for c in nb.cells if c.metadata.nbgrader.get("grade_id") == "corr1d")

    autograded = nbformat.read(tmp_path / "autograded" / "ada" / A / f"{A}.ipynb", as_version=4)
    assert corr1d(autograded).strip() == corr1d(nbformat.reads(graded_bytes, as_version=4)).strip()
    monkeypatch.setattr(run, "grade_submission", original)
    second = _grade(tmp_path)
    assert second.regraded == ["ada"] and second.reports["ada"].score == 0
