"""Does class grading hold when students control their folder names, their files and every
string their code produces? Each hostile student gets what they earned with a clear status, and
every honest student's grade, feedback and gradebook row are right; no string reaches the
instructor's browser, spreadsheet or terminal live.

One class of 02_convolution is built: the ten students of the sample class and, beside them,
students who submit links, FIFOs, hard links and huge files, students whose ids nbgrader cannot
carry, and students whose code raises or returns HTML, surrogates and megabytes of text. It is
graded once, through the command line, and each test reads what that run left.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import venv_env
from nbgrader.api import Gradebook

from make_class import make_class, released, student_notebook, students

pytestmark = pytest.mark.slow
A = "02_convolution"
HONEST, EXPECTED = students(A)
RIGHT = HONEST["ada"]
FULL = {"corr1d": 2.0, "conv1d_true": 2.0, "corr2d": 3.0, "conv_single": 3.0}
XSS = "<img src=x onerror=alert({})>"


def _notebook(answers: dict[str, str]) -> dict:
    return student_notebook(released(A), answers)


def _put(submitted: Path, student: str | bytes, content: bytes | None = None) -> Path:
    folder = os.path.join(os.fsencode(submitted), os.fsencode(student), os.fsencode(A))
    os.makedirs(folder)
    if content is not None:
        Path(os.fsdecode(folder), f"{A}.ipynb").write_bytes(content)
    return Path(os.fsdecode(folder))


def _json(nb: dict) -> bytes:
    return json.dumps(nb).encode()


# student -> (points per exercise, status of the submission, words its report must contain)
def _hostile(course: Path) -> dict[str, tuple[dict, str, str]]:
    submitted = course / "submitted"
    solution = course / "solutions" / A / f"{A}.ipynb"
    ada = submitted / "ada" / A / f"{A}.ipynb"
    zero = dict.fromkeys(FULL, 0.0)
    out = {}

    def link(name: str, target: Path, words: str) -> None:
        (_put(submitted, name) / f"{A}.ipynb").symlink_to(target)
        out[name] = (zero, "invalid", words)

    link("link_solution", solution, "symbolic link")
    link("link_other", ada, "symbolic link")
    link("link_devzero", Path("/dev/zero"), "symbolic link")
    os.mkfifo(_put(submitted, "fifo") / f"{A}.ipynb")
    out["fifo"] = (zero, "invalid", "not a regular file")
    os.link(ada, _put(submitted, "hardlink") / f"{A}.ipynb")  # a copy of ada's work, flagged
    out["hardlink"] = (FULL, "graded", "same file as the submission of ada")
    (submitted / "linked_folder").symlink_to(submitted / "ada")
    out["linked_folder"] = (zero, "invalid", "symbolic link")
    for name, make in (("fifo_stamp", os.mkfifo), ("dir_stamp", os.mkdir)):
        make(_put(submitted, name, _json(_notebook(RIGHT))) / "timestamp.txt")
        out[name] = (FULL, "graded", "timestamp.txt")
    with open(
        _put(submitted, "sparse_stamp", _json(_notebook(RIGHT))) / "timestamp.txt", "wb"
    ) as f:
        f.truncate(10 * 2**30)  # 10 GiB of nothing
    out["sparse_stamp"] = (FULL, "graded", "timestamp.txt")

    def answers(name: str, corr1d: str, points: dict, words: str) -> None:
        _put(submitted, name, _json(_notebook({**RIGHT, "corr1d": corr1d})))
        out[name] = (points, "graded", words)

    wrong = {**FULL, "corr1d": 0.0, "conv1d_true": 0.0}  # ada's conv1d_true calls corr1d
    answers(
        "xss_error",
        f"def corr1d(x, k):\n    raise ValueError({XSS.format(1)!r})",
        wrong,
        "ValueError",
    )
    answers(
        "xss_repr",
        "class Evil:\n    def __repr__(self):\n"
        f"        return {XSS.format(2)!r}\n\ndef corr1d(x, k):\n    return Evil()",
        wrong,
        "Evil",
    )
    answers(
        "surrogates",
        "def corr1d(x, k):\n    raise ValueError('\\udcff\\ud800 bad')  # \udcff",
        wrong,
        "ValueError",
    )
    answers(
        "forged_8mb",
        "import os, sys, json, struct\nOUT = [int(a) for a in sys.argv[1:] "
        "if a.isdigit()][1]\n\ndef corr1d(x, k):\n    head = json.dumps({'ok': False, 'error':"
        " {'type': 'E', 'message': 'x' * 8_000_000}, 'arrays': []}).encode()\n"
        "    os.write(OUT, struct.pack('<II', len(head), 0) + head)\n"
        "    return np.zeros(len(x) - len(k) + 1)",
        wrong,
        "corr1d",
    )
    # its 8 MB messages, one per call, fill the pipe: the child stops answering, as it wished
    out["forged_8mb"] = (wrong, "timeout", "no answer within the time limit")
    answers(
        "huge_answer",
        "x = 1  # " + "y" * 16 * 2**20 + "\n" + RIGHT["corr1d"],
        wrong,
        "over the 64 KiB limit",
    )
    nb = _notebook(RIGHT)
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "corr1d":
            cell["cell_type"] = XSS.format(3)
            cell.pop("outputs", None)
    _put(submitted, "xss_celltype", _json(nb))
    out["xss_celltype"] = (wrong, "graded", "is now a")
    _put(submitted, "xss_nbformat", _json({"nbformat": XSS.format(5), "cells": []}))
    out["xss_nbformat"] = (zero, "invalid", "Unsupported nbformat")
    nb = _notebook(RIGHT)
    empty = {
        "cell_type": "code",
        "source": "",
        "metadata": {"nbgrader": {"grade_id": "corr1d"}},
        "outputs": [],
        "execution_count": None,
    }
    nb["cells"] += [empty] * 119_000  # a legal-size notebook of 119k answer cells
    _put(submitted, "dup_cells", _json(nb))
    out["dup_cells"] = (wrong, "graded", "more than one answer cell")
    return out


BAD_IDS = [
    "star*",
    " lead",
    "new\nline",
    b"bytes\xffname",
    "x" * 250,
    "=1+1",
    "\x1b[31mred\x1b[0m",
    "[ab]",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    course = tmp_path_factory.mktemp("hostile")
    make_class(course, only=[A])
    expected = _hostile(course)
    for bad in BAD_IDS:
        _put(course / "submitted", bad, _json(_notebook(RIGHT)))
    env = venv_env()
    start = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "grader", "grade", A, "--course", str(course), "--jobs", "2"],
        capture_output=True,
        timeout=1200,
        env=env,
    )
    seconds = time.monotonic() - start
    return course, expected, run, seconds


def test_the_run_finishes_and_exits_non_zero_only_for_what_it_could_not_grade(hostile):
    course, expected, run, seconds = hostile
    out = run.stdout.decode()
    assert run.returncode == 1, run.stderr.decode()[-3000:]
    assert out.count("NOT GRADED") == len(BAD_IDS)
    assert f"{len(EXPECTED) + len(expected)} submissions of {A}" in out


def test_each_student_gets_what_they_earned_in_the_gradebook(hostile):
    course, expected, run, _ = hostile
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        for student, points in {**EXPECTED, **{s: p for s, (p, _, _) in expected.items()}}.items():
            submission = gb.find_submission(A, student)
            assert submission.score == pytest.approx(sum(points.values())), student
            for name, score in points.items():
                grade = gb.find_grade(f"test_{name}", A, A, student)
                assert grade.score == pytest.approx(score) and not grade.needs_manual_grade
        assert len(gb.find_assignment(A).submissions) == len(EXPECTED) + len(expected)


def test_hostile_students_have_a_clear_status(hostile):
    course, expected, _, _ = hostile
    with open(course / f"grades-{A}.csv", newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    for student, (_, status, words) in expected.items():
        state = json.loads((course / ".grader" / A / f"{student}.json").read_text())["report"]
        assert rows[student]["status"] == status, student
        text = " ".join([*state["notes"], *(e["message"] for e in state["exercises"])])
        assert words in text, (student, text[:500])
        assert len(json.dumps(state)) < 20_000, student  # capped, whatever the student sent
    refused = [r for r in rows.values() if r["status"] == "not graded"]
    assert len(refused) == len(BAD_IDS)


LIVE = re.compile(r"<img[^>]*onerror", re.IGNORECASE)


def _rendered_as_html(notebook: dict) -> list[str]:
    """What a renderer shows as HTML as it stands: markdown sources and HTML outputs (stream
    outputs and code are escaped by the renderer, as the feedback pages show)."""
    texts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            texts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("data", {}).get("text/html", "")))
    return texts


def test_no_student_string_is_live_in_feedback_or_notebooks(hostile):
    course, expected, _, _ = hostile
    for student in expected:
        for page in (course / "feedback" / student).rglob("*.html"):
            assert not LIVE.search(page.read_text()), page
            assert page.stat().st_size < 2 * 2**20, page
        for path in (course / "autograded" / student).rglob("*.ipynb"):
            assert not any(LIVE.search(t) for t in _rendered_as_html(json.loads(path.read_text())))
            assert path.stat().st_size < 2 * 2**20, path
    page = (course / "feedback" / "xss_error" / A / f"{A}.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # shown, as text


def test_csv_cells_are_no_formulas_and_the_table_no_terminal_escapes(hostile):
    course, _, run, _ = hostile
    with open(course / f"grades-{A}.csv", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    printed = run.stdout.decode() + run.stderr.decode()
    assert "\x1b" not in run.stdout.decode() and "\x1b[31m" not in printed


def test_honest_feedback_is_untouched(hostile):
    course, _, _, _ = hostile
    for student in HONEST:
        html = (course / "feedback" / student / A / f"{A}.html").read_text()
        assert "cases passed" in html or "not implemented yet" in html
        assert "BEGIN HIDDEN TESTS" not in html and "check_hidden" not in html


def test_the_hostile_class_costs_little_more_than_the_honest_one(hostile, tmp_path):
    """The honest class alone, graded the same way, for the run-time ratio (printed)."""
    _, expected, _, hostile_seconds = hostile
    make_class(tmp_path, only=[A])
    env = venv_env()
    start = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "grade",
            A,
            "--course",
            str(tmp_path),
            "--jobs",
            "2",
            "--quiet",
        ],
        check=True,
        capture_output=True,
        timeout=600,
        env=env,
    )
    honest_seconds = time.monotonic() - start
    per_honest = honest_seconds / len(HONEST)
    per_hostile = hostile_seconds / (len(HONEST) + len(expected) + len(BAD_IDS))
    print(
        f"\nhonest class: {honest_seconds:.1f} s for {len(HONEST)}; hostile class: "
        f"{hostile_seconds:.1f} s for {len(HONEST) + len(expected) + len(BAD_IDS)}"
    )
    assert per_hostile < 4 * per_honest
