"""Does class grading work unchanged with the gradebook on a PostgreSQL server, as nbgrader
recommends when several graders share one, and do two grading runs of different notebooks, at
the same time, into the same database lose nothing?

The test starts its own server from Debian's ``postgresql`` package (the Makefile installs it
where it can) in a temporary directory, listening on a Unix socket only, as an unprivileged user
(``initdb`` refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import venv_env
from nbgrader.api import Gradebook

from make_class import make_class, students

pytestmark = pytest.mark.slow
pytest.importorskip("psycopg")
NOTEBOOKS = ("01_history", "04_pooling")


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres():
    """A fresh PostgreSQL server; yields the SQLAlchemy URL of an empty database."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL's server is not installed (apt-get install postgresql)")
    home = Path(tempfile.mkdtemp(prefix="pg-"))
    data, port = home / "data", 54000 + os.getpid() % 1000
    if os.geteuid() == 0:
        shutil.chown(home, "nobody")
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(_as_server_user([initdb, "-D", str(data), "-A", "trust", "-U", "grader"]), **run)
    options = f"-k {home} -p {port} -c listen_addresses=''"
    server = [pg_ctl, "-D", str(data), "-o", options, "-l", str(home / "log"), "-w"]
    subprocess.run(_as_server_user([*server, "start"]), **run)
    try:
        createdb = _pg_bin("createdb")
        subprocess.run([createdb, "-h", str(home), "-p", str(port), "-U", "grader", "gb"], **run)
        yield f"postgresql+psycopg://grader@/gb?host={home}&port={port}"
    finally:
        subprocess.run(_as_server_user([*server, "stop", "-m", "fast"]), check=False, timeout=60)
        shutil.rmtree(home, ignore_errors=True)


def _course(folder: Path, url: str, only: list[str]) -> Path:
    make_class(folder, only=only)
    with open(folder / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
    return folder


def _grade(folder: Path, assignment: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "grader", "grade", assignment, "--course", str(folder), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=venv_env(),
    )


def test_two_graders_at_once_into_one_postgres_gradebook(postgres, tmp_path):
    """Two instructors' machines (two course folders) grade different notebooks at the same
    time into one PostgreSQL gradebook; nbgrader's API then reads every grade back, nbgrader's
    own export writes them all, and the feedback pages are there."""
    folders = [_course(tmp_path / a, postgres, [a]) for a in NOTEBOOKS]
    runs = [_grade(folder, a) for folder, a in zip(folders, NOTEBOOKS, strict=True)]
    for run in runs:
        output = run.communicate(timeout=600)[0]
        assert run.returncode == 0, output
    with Gradebook(postgres) as gradebook:
        for assignment in NOTEBOOKS:
            for student, expected in students(assignment)[1].items():
                submission = gradebook.find_submission(assignment, student)
                assert submission.score == pytest.approx(sum(expected.values())), student
                for name, score in expected.items():
                    grade = gradebook.find_grade(f"test_{name}", assignment, assignment, student)
                    assert grade.score == pytest.approx(score)
                    assert not grade.needs_manual_grade
    exported = subprocess.run(
        ["nbgrader", "export"], cwd=folders[0], env=venv_env(), capture_output=True, timeout=300
    )
    assert exported.returncode == 0, exported.stderr
    rows = (folders[0] / "grades.csv").read_text().splitlines()
    assert len(rows) == 1 + sum(len(students(a)[1]) for a in NOTEBOOKS)
    for folder, assignment in zip(folders, NOTEBOOKS, strict=True):
        for student in students(assignment)[1]:
            assert (folder / "feedback" / student / assignment / f"{assignment}.html").is_file()
