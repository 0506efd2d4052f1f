"""Build an nbgrader course directory holding the sample class, ready to grade.

    python tests/make_class.py build/demo

copies ``nbgrader_config.py`` and ``solutions/`` into the new course directory and, for every
notebook whose topic folder here has a ``sample_class.py`` (``02_convolution`` has its students
in ``tests/convolution/sample_class.py``), writes each student as
``submitted/<student>/<notebook>/<notebook>.ipynb``: the committed release with that student's
answer cells. It prints the notebooks it built, in course order. Deterministic: the same files
every time. A release whose answer cells were edited (someone worked in ``notebooks/``) is
refused, so that a learner's work never becomes the blank student's answer.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

TIMESTAMP = "2026-11-20 17:00:00.000000 UTC"

__all__ = ["assignments", "make_class", "student_notebook", "students", "topic_module"]


def topic_module(assignment: str, kind: str) -> ModuleType:
    """``tests/<topic>/<kind>.py`` of a notebook (``02_convolution`` -> ``convolution``)."""
    topic = assignment.split("_", 1)[1]
    path = TESTS / topic / f"{kind}.py"
    name = f"course_tests.{topic}.{kind}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


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
    module = topic_module(assignment, "sample_class")
    return module.STUDENTS, module.EXPECTED


def assignments() -> list[str]:
    """The released notebooks that have a sample class, in course order."""
    released = sorted(p.name for p in (REPO / "notebooks").iterdir() if p.is_dir())
    return [a for a in released if (TESTS / a.split("_", 1)[1] / "sample_class.py").exists()]


def released(assignment: str, root: Path = REPO) -> dict:
    """The committed release of a notebook, refused if its answer cells were edited."""
    import nbformat
    from nbgrader.utils import compute_checksum

    text = (root / "notebooks" / assignment / f"{assignment}.ipynb").read_text()
    for cell in nbformat.reads(text, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and compute_checksum(cell) != meta.get("checksum"):
            raise SystemExit(
                f"notebooks/{assignment}: the answer cell {meta['grade_id']} was edited. "
                "notebooks/ is the release: work in work/ (make lab), and restore it with "
                f"`git checkout notebooks/{assignment}` or `make release`."
            )
    return json.loads(text)


def make_class(course: Path, only: list[str] | None = None) -> list[str]:
    """Write the course directory (for every assignment, or ``only`` those); return the
    assignments it holds submissions for."""
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "solutions", course / "solutions", dirs_exist_ok=True)
    chosen = [a for a in assignments() if only is None or a in only]
    for assignment in chosen:
        release = released(assignment)
        for student, answers in students(assignment)[0].items():
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            notebook = student_notebook(release, answers)
            (folder / f"{assignment}.ipynb").write_text(json.dumps(notebook, indent=1) + "\n")
            (folder / "timestamp.txt").write_text(TIMESTAMP)
    return chosen


if __name__ == "__main__":
    print(" ".join(make_class(Path(sys.argv[1]))))
