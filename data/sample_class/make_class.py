"""Build an nbgrader course directory holding the sample class, ready to grade.

    python data/sample_class/make_class.py build/demo

copies ``nbgrader_config.py`` and ``solutions/`` into the new course directory and, for each
graded notebook (``02_convolution`` has its students in ``convolution.py`` beside this file),
writes every student as ``submitted/<student>/<notebook>/<notebook>.ipynb``: the released
notebook with that student's answer cells. Deterministic: the same files every time.
"""

from __future__ import annotations

import importlib
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

TIMESTAMP = "2026-11-20 17:00:00.000000 UTC"


def student_notebook(released: dict, answers: dict[str, str]) -> dict:
    """The released notebook with the answer cells of ``answers`` filled in."""
    nb = json.loads(json.dumps(released))
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id].strip("\n") + "\n"
    return nb


def students(assignment: str) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, float]]]:
    """The sample class of one notebook: (answers by student, expected scores by student)."""
    module = importlib.import_module(assignment.split("_", 1)[1])
    return module.STUDENTS, module.EXPECTED


def assignments() -> list[str]:
    """The notebooks that have a sample class, in course order."""
    released = sorted(p.name for p in (REPO / "notebooks").iterdir() if p.is_dir())
    return [a for a in released if (HERE / f"{a.split('_', 1)[1]}.py").exists()]


def make_class(course: Path) -> list[str]:
    """Write the course directory; return the assignments it holds submissions for."""
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "solutions", course / "solutions", dirs_exist_ok=True)
    for assignment in assignments():
        released = json.loads((REPO / "notebooks" / assignment / f"{assignment}.ipynb").read_text())
        for student, answers in students(assignment)[0].items():
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            notebook = student_notebook(released, answers)
            (folder / f"{assignment}.ipynb").write_text(json.dumps(notebook, indent=1) + "\n")
            (folder / "timestamp.txt").write_text(TIMESTAMP)
    return assignments()


if __name__ == "__main__":
    print(" ".join(make_class(Path(sys.argv[1]))))
