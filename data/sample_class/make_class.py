"""Build an nbgrader course directory holding the sample class, ready to grade.

    python data/sample_class/make_class.py build/demo

copies ``nbgrader_config.py`` and ``solutions/`` into the new course directory and writes each
student of ``students.py`` as ``submitted/<student>/02_convolution/02_convolution.ipynb``: the
released notebook with that student's answer cells. Deterministic: the same files every time.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from students import STUDENTS  # noqa: E402

ASSIGNMENT = "02_convolution"
TIMESTAMP = "2026-11-20 17:00:00.000000 UTC"


def student_notebook(released: dict, answers: dict[str, str]) -> dict:
    """The released notebook with the answer cells of ``answers`` filled in."""
    nb = json.loads(json.dumps(released))
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id].strip("\n") + "\n"
    return nb


def make_class(course: Path) -> list[str]:
    """Write the course directory; return the student ids."""
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "solutions", course / "solutions", dirs_exist_ok=True)
    released = json.loads((REPO / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    for student, answers in STUDENTS.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        notebook = student_notebook(released, answers)
        (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(notebook, indent=1) + "\n")
        (folder / "timestamp.txt").write_text(TIMESTAMP)
    return list(STUDENTS)


if __name__ == "__main__":
    make_class(Path(sys.argv[1]))
