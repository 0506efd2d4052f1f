"""Does every nbgrader path grade in the sandbox and agree with ``python -m grader grade``?

nbgrader's own ``autograde`` command and formgrader's Autograde button (nbgrader's API, which the
button calls) run the course's sandboxed judge in place of the student's kernel: the sample class
gets exactly the grades ``python -m grader grade`` gives (``hana``, who patches numpy's
comparisons, 0 on every path), every graded row is marked as needing no manual grade, students
have names, and no hidden test reaches the notebook nbgrader keeps or the feedback it makes. The
XSS payloads of a hostile answer stay text in formgrader's page of that submission.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import venv_env
from nbgrader.api import Gradebook

from grader.course import course
from grader.engine.classroom import grade_class
from make_class import make_class, released, student_notebook, students

pytestmark = pytest.mark.slow
A = "02_convolution"


def _nbgrader(folder: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=folder,
        env=venv_env(),
        check=True,
        capture_output=True,
        timeout=900,
    )


def _grades(folder: Path) -> dict[str, dict]:
    with Gradebook(f"sqlite:///{folder}/gradebook.db") as gb:
        out = {}
        for sub in gb.find_assignment(A).submissions:
            grades = sub.notebooks[0].grades
            out[sub.student.id] = {
                "total": sub.score,
                "scores": {g.name: g.score for g in grades},
                "manual": [g.name for g in grades if g.needs_manual_grade],
                "name": (sub.student.first_name, sub.student.last_name),
            }
        return out


@pytest.fixture(scope="module")
def three_ways(tmp_path_factory):
    """The sample class of 02 graded by `grader grade`, `nbgrader autograde` and the API."""
    folders = {way: tmp_path_factory.mktemp(way) for way in ("ours", "command", "button")}
    for folder in folders.values():
        make_class(folder, only=[A])
    grade_class(folders["ours"], A, course=course(), jobs=2, progress=False, feedback=False)
    _nbgrader(folders["command"], "generate_assignment", A, "--force")
    _nbgrader(folders["command"], "autograde", A, "--force")
    code = (  # what formgrader's Autograde button runs, once per student
        "import sys; from nbgrader.apps import NbGraderAPI; from nbgrader.coursedir import "
        "CourseDirectory; from traitlets.config import Config, PyFileConfigLoader\n"
        "config = PyFileConfigLoader('nbgrader_config.py', '.').load_config()\n"
        "api = NbGraderAPI(CourseDirectory(config=config), config=config)\n"
        f"api.generate_assignment({A!r}, force=True)\n"
        f"for s in {sorted(students(A)[0])!r}:\n"
        f"    out = api.autograde({A!r}, s, force=True, create=True)\n"
        "    assert out['success'], out['log']\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=folders["button"],
        env=venv_env(),
        check=True,
        capture_output=True,
        timeout=900,
    )
    return {way: _grades(folder) for way, folder in folders.items()}, folders


def test_every_path_gives_the_same_grades_as_ours(three_ways):
    grades, _ = three_ways
    expected = students(A)[1]
    for way, table in grades.items():
        assert set(table) == set(expected), way
        for student, row in table.items():
            assert row["total"] == pytest.approx(sum(expected[student].values())), (way, student)
            for name, score in expected[student].items():
                assert row["scores"][f"test_{name}"] == pytest.approx(score), (way, student, name)
    assert {way: table["hana"]["total"] for way, table in grades.items()} == dict.fromkeys(
        grades, 0.0
    )


def test_no_graded_row_needs_a_manual_grade_and_students_have_names(three_ways):
    grades, _ = three_ways
    for way, table in grades.items():
        for student, row in table.items():
            assert row["manual"] == [], (way, student)
            assert None not in row["name"] and student in row["name"], (way, student)


def test_nbgraders_notebooks_and_feedback_hold_no_hidden_test(three_ways):
    _, folders = three_ways
    _nbgrader(folders["command"], "generate_feedback", A, "--force")
    for student in students(A)[0]:
        graded = folders["command"] / "autograded" / student / A / f"{A}.ipynb"
        feedback = folders["command"] / "feedback" / student / A / f"{A}.html"
        for text in (graded.read_text(), feedback.read_text()):
            assert "BEGIN HIDDEN TESTS" not in text and "check_hidden" not in text
        assert "cases passed" in feedback.read_text() or "not implemented" in feedback.read_text()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_formgraders_page_and_feedback_show_hostile_text_as_text(tmp_path):
    """Two answers carry HTML: mallory's code raises it (it reaches the comments, which feedback
    renders as Markdown) and trudy's notebook declares it as its nbformat (it reaches the
    grader's notes). formgrader's page of each submission, served by a real Jupyter server, and
    each feedback page show it escaped, never live."""
    make_class(tmp_path, only=[A])
    shutil.rmtree(tmp_path / "submitted")
    answers = {
        **students(A)[0]["ada"],
        "corr1d": "def corr1d(x, k):\n    raise ValueError('<img src=x onerror=alert(7)>')",
    }
    bodies = {
        "mallory": json.dumps(student_notebook(released(A), answers)),
        "trudy": json.dumps({"nbformat": "<img src=x onerror=alert(8)>", "cells": []}),
    }
    for student, body in bodies.items():
        folder = tmp_path / "submitted" / student / A
        folder.mkdir(parents=True)
        (folder / f"{A}.ipynb").write_text(body)
    grade_class(tmp_path, A, course=course(), jobs=1, progress=False)
    with Gradebook(f"sqlite:///{tmp_path}/gradebook.db") as gb:
        ids = {s: gb.find_submission_notebook(A, A, s).id for s in bodies}
    port, token = _free_port(), "formgrader-test"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "server",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={tmp_path}",
        ],
        cwd=tmp_path,
        env=venv_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    live = re.compile(r"<img[^>]*onerror", re.IGNORECASE)
    try:
        for student, notebook_id in ids.items():
            url = f"http://127.0.0.1:{port}/formgrader/submissions/{notebook_id}/?token={token}"
            deadline, page = time.monotonic() + 90, None
            while time.monotonic() < deadline and page is None:
                try:
                    page = urllib.request.urlopen(url, timeout=10).read().decode()
                except OSError:
                    time.sleep(0.5)
            assert page is not None and "corr1d" in page, student
            assert not live.search(page) and "&lt;img src=x onerror=alert(" in page, student
    finally:
        server.terminate()
        server.wait(timeout=30)
    for student in bodies:
        feedback = (tmp_path / "feedback" / student / A / f"{A}.html").read_text()
        assert not live.search(feedback) and "&lt;img src=x onerror=alert(" in feedback, student
