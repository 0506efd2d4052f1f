"""Does grading the sample class give every student exactly what they earned, in nbgrader's
gradebook, with feedback that hides the hidden tests, and can it be run again safely?"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import venv_env
from nbgrader.api import Gradebook

from grader.course import course
from grader.engine.classroom import grade_class
from make_class import assignments, make_class, students

REPO = Path(__file__).resolve().parents[2]


def _grade(course_dir: Path, assignment: str, **options):
    return grade_class(course_dir, assignment, course=course(), jobs=2, progress=False, **options)


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    make_class(course)
    results = {a: _grade(course, a) for a in assignments()}
    return course, results


@pytest.mark.parametrize("assignment", assignments())
def test_each_student_gets_what_they_earned(graded, assignment):
    course, results = graded
    expected = students(assignment)[1]
    got = {
        s: {e.name: e.score for e in r.exercises} for s, r in results[assignment].reports.items()
    }
    assert got == expected


@pytest.mark.parametrize("assignment", assignments())
def test_scores_are_in_nbgraders_gradebook(graded, assignment):
    """nbgrader's own API reads back every score, so export and formgrader see them."""
    course, results = graded
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        for student, expected in students(assignment)[1].items():
            submission = gb.find_submission(assignment, student)
            assert submission.score == pytest.approx(sum(expected.values()))
            for name, score in expected.items():
                grade = gb.find_grade(f"test_{name}", assignment, assignment, student)
                assert grade.score == pytest.approx(score)


@pytest.mark.parametrize("assignment", assignments())
def test_feedback_has_verdicts_and_no_hidden_tests(graded, assignment):
    course, _ = graded
    for student in students(assignment)[0]:
        html = (course / "feedback" / student / assignment / f"{assignment}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "check_hidden" not in html
        assert "cases passed" in html or "not implemented yet" in html


@pytest.mark.parametrize("assignment", assignments())
def test_csv_has_a_row_and_status_per_student(graded, assignment):
    course, results = graded
    with open(course / f"grades-{assignment}.csv") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(students(assignment)[0])
    for student, row in rows.items():
        assert float(row["score"]) == pytest.approx(sum(students(assignment)[1][student].values()))
        assert row["status"] in ("graded", "timeout", "crashed", "invalid")
        for exercise, score in students(assignment)[1][student].items():
            assert float(row[f"{exercise}_score"]) == pytest.approx(score)
            assert row[f"{exercise}_status"] in (
                "passed",
                "failed",
                "error",
                "timeout",
                "missing",
                "crashed",
            )


def test_regrading_is_idempotent_and_picks_up_changes(graded):
    """A second run grades nothing again; a changed submission is regraded, the rest untouched."""
    course, results = graded
    assignment = assignments()[0]
    again = _grade(course, assignment)
    assert again.regraded == []
    assert {s: r.score for s, r in again.reports.items()} == {
        s: r.score for s, r in results[assignment].reports.items()
    }
    ada = course / "submitted" / "ada" / assignment / f"{assignment}.ipynb"
    blank = course / "submitted" / "ben" / assignment / f"{assignment}.ipynb"
    ada.write_text(blank.read_text())
    changed = _grade(course, assignment)
    assert changed.regraded == ["ada"]
    assert changed.reports["ada"].score == 0
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        assert gb.find_submission(assignment, "ada").score == 0
        assert (
            gb.find_submission(assignment, "ivan").score
            == results[assignment].reports["ivan"].score
        )
    state = json.loads((course / ".grader" / assignment / "ada.json").read_text())
    assert state["report"]["score"] == 0


def test_kill_9_mid_batch_then_rerun_grades_each_submission_once(tmp_path):
    """After `kill -9` in the middle of a class, the same command finishes the job: every
    submission graded exactly once more at most, and the gradebook holds the right totals."""
    assignment = assignments()[0]
    make_class(tmp_path)
    submitted = tmp_path / "submitted"
    for copy in range(3):  # 40 submissions in all, so the kill lands mid-batch
        for student in students(assignment)[0]:
            if student in ("finn", "gus"):
                continue
            src = submitted / student / assignment
            shutil.copytree(src, submitted / f"{student}{copy}" / assignment)
    total = len([p for p in submitted.iterdir() if p.is_dir()])
    command = [
        sys.executable,
        "-m",
        "grader",
        "grade",
        assignment,
        "--course",
        str(tmp_path),
        "--quiet",
        "--no-feedback",
        "--jobs",
        "2",
    ]
    env = venv_env()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    states = tmp_path / ".grader" / assignment
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(states.glob("*.json"))) < 5:
        time.sleep(0.05)
    process.kill()
    process.wait()
    done_before = {p.stem for p in states.glob("*.json")}
    assert 5 <= len(done_before) < total, "the kill did not land mid-batch"

    result = _grade(tmp_path, assignment, feedback=False)
    assert set(result.regraded) == {p.name for p in submitted.iterdir()} - done_before
    expected = students(assignment)[1]
    with Gradebook(f"sqlite:///{tmp_path}/gradebook.db") as gb:
        submissions = gb.find_assignment(assignment).submissions
        assert len(submissions) == total
        for submission in submissions:
            base = submission.student.id.rstrip("0123456789")
            assert submission.score == pytest.approx(sum(expected[base].values()))


def test_a_forged_timestamp_is_ignored_not_fatal(tmp_path):
    """timestamp.txt comes from the student's side: garbage in it costs a note, not the batch."""
    assignment = "02_convolution"
    make_class(tmp_path)
    (tmp_path / "submitted" / "ada" / assignment / "timestamp.txt").write_text("'; DROP TABLE --")
    result = _grade(tmp_path, assignment, feedback=False)
    assert result.reports["ada"].score == 10 and not result.failures
    assert any("timestamp" in note for note in result.reports["ada"].notes)
    assert len(result.reports) == len(students(assignment)[0])


@pytest.mark.parametrize("assignment", assignments())
def test_report_shows_what_the_class_found_hard(graded, assignment):
    """``python -m grader report`` reads what grading kept: its credit and mistake counts
    match those of grades-<A>.csv (written by another path, and changed by the regrading test
    for the first notebook), and it writes the table and the figure."""
    folder, _ = graded
    for kind in ("csv", "png"):
        (folder / f"difficulties-{assignment}.{kind}").unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "grader", "report", assignment, "--course", str(folder)],
        capture_output=True,
        text=True,
        env=venv_env(),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    maxima = {e.name: e.points for e in course().notebook(assignment).exercises}
    with open(folder / f"difficulties-{assignment}.csv") as handle:
        rows = list(csv.DictReader(handle))
    with open(folder / f"grades-{assignment}.csv") as handle:
        grades = list(csv.DictReader(handle))
    assert len(grades) == len(students(assignment)[1])
    for exercise, top in maxima.items():
        scores = [float(g[f"{exercise}_score"]) for g in grades]
        head = next(r for r in rows if r["exercise"] == exercise and not r["mistake"])
        assert int(head["students"]) == len(scores)
        assert int(head["full"]) == sum(s >= top for s in scores)
        assert int(head["zero"]) == sum(s <= 0 for s in scores)
        counted = {
            r["mistake"]: int(r["count"])
            for r in rows
            if r["exercise"] == exercise and r["mistake"]
        }
        lost = [g for g in grades if float(g[f"{exercise}_score"]) < top]
        diagnosed = [g[f"{exercise}_mistake"] for g in lost if g[f"{exercise}_mistake"]]
        assert counted == {m: diagnosed.count(m) for m in set(diagnosed)}
        assert exercise in done.stdout
    png = (folder / f"difficulties-{assignment}.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


def test_grade_prints_what_the_class_found_hard(graded):
    """The summary names each diagnosed mistake in the words of its exercise, with its count."""
    _, results = graded
    text = results["02_convolution"].difficulties()
    assert "1 of 10: the kernel is flipped on both axes" in text  # corr2d's words
    assert "1 of 10: the kernel is flipped: that is true convolution" in text  # corr1d's
