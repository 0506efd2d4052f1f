"""Preprocessors that a course's ``nbgrader_config.py`` plugs into nbgrader's own commands.

- :func:`points_preprocessor` writes each test cell's points from the course while ``nbgrader
  generate_assignment`` runs, so that points are declared once, beside the cases.
- :func:`sandboxed_grade_preprocessor` takes the place of nbgrader's ``Execute`` in ``nbgrader
  autograde`` (and so in formgrader's Autograde button): the submission is graded by the sandboxed
  judge, never run in a kernel, and each test cell gets the verdict as its output and its score
  as an ``execute_result``, which nbgrader's SaveAutoGrades reads as partial credit. The
  notebook nbgrader keeps holds the course's cells only, with the answer cells as graded and no
  hidden test, like the one ``python -m grader grade`` writes.

In ``nbgrader_config.py``::

    from grader.hooks import CoursePoints, autograde_preprocessors
    c.GenerateAssignment.preprocessors.prepend([CoursePoints])
    c.Autograde.autograde_preprocessors = autograde_preprocessors()
"""

from __future__ import annotations

from collections.abc import Callable

import nbformat
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor

from grader.engine.course import Course
from grader.engine.judge import grade_submission
from grader.engine.submission import answer_cells, parse_notebook

__all__ = ["autograde_preprocessors", "points_preprocessor", "sandboxed_grade_preprocessor"]


def points_preprocessor(course: Callable[[], Course]) -> type:
    """An nbgrader preprocessor class that sets ``test_<exercise>`` cells' points from ``course``."""

    class CoursePoints(NbGraderPreprocessor):
        """Set the points of each exercise's test cell from the course (grader/<topic>/cases.py)."""

        def preprocess(self, nb, resources):
            notebook = course().notebooks.get(resources.get("unique_key", ""))
            if notebook is None:
                return nb, resources
            points = {f"test_{e.name}": e.points for e in notebook.exercises}
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("grade") and meta.get("grade_id") in points:
                    meta["points"] = points[meta["grade_id"]]
            return nb, resources

    return CoursePoints


def sandboxed_grade_preprocessor(course: Callable[[], Course]) -> type:
    """An nbgrader preprocessor class that grades with the sandboxed judge instead of a kernel."""

    class SandboxedGrade(NbGraderPreprocessor):
        """Grade the submission in the sandbox; write verdicts and scores into the test cells."""

        def preprocess(self, nb, resources):
            name = resources["nbgrader"]["notebook"]
            _name_from_id(resources["nbgrader"])
            data = nbformat.writes(nb).encode("utf-8", "replace")
            report = grade_submission(data, course(), name=name, filename=f"{name}.ipynb")
            exercises = course().notebook(report.notebook).cells  # support cells too
            graded = answer_cells(parse_notebook(data), exercises)
            results = {f"test_{e.name}": e for e in report.exercises}
            hidden = ClearHiddenTests(config=self.config).begin_test_delimeter
            nb.cells = [cell for cell in nb.cells if "nbgrader" in cell.metadata]
            for cell in nb.cells:
                grade_id = cell.metadata.nbgrader.get("grade_id")
                if cell.metadata.nbgrader.get("solution") and grade_id in exercises:
                    cell.source = graded.sources.get(grade_id, graded.problems.get(grade_id, ""))
                if cell.cell_type != "code":
                    continue
                lines = cell.source.splitlines()  # the hidden tests go, and what follows them
                cut = next((i for i, line in enumerate(lines) if hidden in line), len(lines))
                cell.source = "\n".join(lines[:cut]).rstrip("\n")
                cell.outputs = []
                if grade_id in results:
                    e = results[grade_id]
                    text = f"{e.name}: {e.score:g} / {e.max:g} ({e.status}): {e.message}\n"
                    cell.outputs = [
                        nbformat.v4.new_output("stream", name="stdout", text=text),
                        nbformat.v4.new_output(
                            "execute_result",
                            data={"text/plain": repr(float(e.score))},
                            execution_count=1,
                        ),
                    ]
            return nb, resources

    return SandboxedGrade


def _name_from_id(info: dict) -> None:
    """A student nbgrader created without a name (not on the roster) gets the id as a name."""
    from nbgrader.api import Gradebook

    with Gradebook(info["db_url"]) as gradebook:
        student = gradebook.find_student(info["student"])
        if student.first_name is None and student.last_name is None:
            student.first_name, student.last_name = "", info["student"]
            gradebook.db.commit()


def autograde_preprocessors(grade: type) -> list[type]:
    """nbgrader's autograde steps with ``grade`` in place of its in-kernel ``Execute``."""
    from nbgrader.converters import Autograde

    steps = Autograde.class_traits()["autograde_preprocessors"].default()
    return [grade if step is Execute else step for step in steps]
