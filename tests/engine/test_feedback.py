"""Is a class's feedback made by nbgrader's own generate_feedback in parallel worker processes,
with the same pages as one at a time, and does a page nbgrader cannot make cost that student
only?"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.course import course
from grader.engine.classroom import grade_class
from grader.engine.classroom.feedback import generate_feedback
from make_class import make_class, students

pytestmark = pytest.mark.slow
ASSIGNMENT = "02_convolution"


def _page(folder: Path, student: str) -> Path:
    return folder / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"


def test_parallel_feedback_matches_serial_and_a_broken_notebook_costs_one_student(tmp_path):
    make_class(tmp_path, only=[ASSIGNMENT])
    grade_class(tmp_path, ASSIGNMENT, course=course(), jobs=2, progress=False, feedback=False)
    class_ = sorted(students(ASSIGNMENT)[0])
    broken = tmp_path / "autograded" / "gus" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    broken.write_text("{ not a notebook")
    done = []
    failed = generate_feedback(tmp_path, ASSIGNMENT, class_, jobs=2, advance=done.append)
    assert set(failed) == {"gus"} and failed["gus"]
    assert sum(done) == len(class_)
    parallel = {s: _page(tmp_path, s).read_text() for s in class_ if s != "gus"}
    assert not _page(tmp_path, "gus").exists()
    for student in parallel:
        _page(tmp_path, student).unlink()
    assert set(generate_feedback(tmp_path, ASSIGNMENT, class_, jobs=1)) == {"gus"}
    for student, html in parallel.items():
        assert _page(tmp_path, student).read_text() == html
        assert "cases passed" in html or "not implemented yet" in html
