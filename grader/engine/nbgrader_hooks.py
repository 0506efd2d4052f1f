"""Preprocessors that a course's ``nbgrader_config.py`` plugs into nbgrader's own commands.

:func:`points_preprocessor` makes the preprocessor that writes each test cell's points from the
course while ``nbgrader generate_assignment`` runs, so that points are declared once, beside the
cases, and the release and the gradebook both carry them. In ``nbgrader_config.py``::

    from grader.hooks import CoursePoints
    c.GenerateAssignment.preprocessors.prepend([CoursePoints])
"""

from __future__ import annotations

from collections.abc import Callable

from nbgrader.preprocessors import NbGraderPreprocessor

from grader.engine.course import Course

__all__ = ["points_preprocessor"]


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
