"""Is a learner's work safe? ``make lab`` works in work/, a copy of notebooks/ made once per
notebook that nothing regenerates; and the sample class is never built from a release that
someone edited (so a learner's answers never become the blank student's)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from make_class import released

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def course_copy(tmp_path):
    shutil.copy(REPO / "Makefile", tmp_path)
    shutil.copytree(
        REPO / "notebooks" / "02_convolution", tmp_path / "notebooks" / "02_convolution"
    )
    return tmp_path


def _make_work(folder: Path) -> None:
    subprocess.run(
        ["make", "--no-print-directory", "work"],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_make_work_copies_once_and_never_overwrites(course_copy):
    _make_work(course_copy)
    mine = course_copy / "work" / "02_convolution" / "02_convolution.ipynb"
    assert (
        mine.read_text()
        == (course_copy / "notebooks/02_convolution/02_convolution.ipynb").read_text()
    )
    mine.write_text('{"my": "work"}')
    shutil.copytree(
        course_copy / "notebooks" / "02_convolution", course_copy / "notebooks" / "05_im2col"
    )
    _make_work(course_copy)
    assert mine.read_text() == '{"my": "work"}'
    assert (course_copy / "work" / "05_im2col").is_dir()
    assert "work/" in (REPO / ".gitignore").read_text().split()


def test_the_sample_class_refuses_an_edited_release(course_copy):
    path = course_copy / "notebooks" / "02_convolution" / "02_convolution.ipynb"
    assert released("02_convolution", root=course_copy)["cells"]
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "corr1d":
            cell["source"] = "def corr1d(x, k):\n    return np.correlate(x, k, 'valid')\n"
    path.write_text(json.dumps(nb))
    with pytest.raises(SystemExit, match="answer cell corr1d was edited"):
        released("02_convolution", root=course_copy)
