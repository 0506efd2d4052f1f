"""Does a whole term's round trip through nbgrader's exchange work, as a course on one
JupyterHub uses it? The instructor releases an assignment; two students fetch it, answer and
submit; the instructor collects, grades with ``python -m grader grade`` and releases the
feedback; each student fetches their own feedback, with their own grade in it. The exchange is a
local folder; each student has a home of their own (nbgrader's submission cache lives there) and
is named with nbgrader's ``--student``, as a hub's user name would name them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import venv_env

from grader.course import course
from make_class import make_class, student_notebook, students

pytestmark = pytest.mark.slow
ASSIGNMENT = "01_history"
COURSE_ID = "cnn-from-scratch"


def _nbgrader(args: list[str], cwd: Path, exchange: Path) -> str:
    env = dict(venv_env(), HOME=str(cwd))
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, f"--Exchange.root={exchange}"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def test_release_fetch_submit_collect_grade_and_feedback_round_trip(tmp_path):
    instructor, exchange = tmp_path / "course", tmp_path / "exchange"
    make_class(instructor, only=[])
    exchange.mkdir(mode=0o777)
    os.chmod(exchange, 0o777)
    answers, expected = students(ASSIGNMENT)
    who = ("ada", "dev")  # two accounts: a right answer, and typical mistakes
    _nbgrader(["generate_assignment", ASSIGNMENT, "--force"], instructor, exchange)
    _nbgrader(["release_assignment", ASSIGNMENT], instructor, exchange)
    for student in who:
        home = tmp_path / "home" / student
        home.mkdir(parents=True)
        fetch = ["fetch_assignment", ASSIGNMENT, f"--course={COURSE_ID}"]
        _nbgrader(fetch, home, exchange)
        path = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        path.write_text(
            json.dumps(student_notebook(json.loads(path.read_text()), answers[student]))
        )
        _nbgrader(
            ["submit", ASSIGNMENT, f"--course={COURSE_ID}", f"--student={student}"], home, exchange
        )
    _nbgrader(["collect", ASSIGNMENT], instructor, exchange)
    graded = subprocess.run(
        [sys.executable, "-m", "grader", "grade", ASSIGNMENT, "--course", str(instructor)],
        env=venv_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert graded.returncode == 0, graded.stderr
    _nbgrader(["release_feedback", ASSIGNMENT], instructor, exchange)
    maximum = course().notebook(ASSIGNMENT).max_score
    for student in who:
        home = tmp_path / "home" / student
        fetch = ["fetch_feedback", ASSIGNMENT, f"--course={COURSE_ID}", f"--student={student}"]
        _nbgrader(fetch, home, exchange)
        pages = list((home / ASSIGNMENT / "feedback").glob("*/*.html"))
        assert len(pages) == 1, pages
        html = pages[0].read_text()
        total = sum(expected[student].values())
        assert f"Score: {float(total)} / {float(maximum)}" in html  # the notebook's total first
        assert "BEGIN HIDDEN TESTS" not in html and "check_hidden" not in html
