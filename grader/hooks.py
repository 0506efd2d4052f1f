"""nbgrader plug-ins bound to this course; ``nbgrader_config.py`` names them."""

from grader.course import course
from grader.engine import nbgrader_hooks

__all__ = ["CoursePoints", "SandboxedGrade", "autograde_preprocessors"]

CoursePoints = nbgrader_hooks.points_preprocessor(course)
SandboxedGrade = nbgrader_hooks.sandboxed_grade_preprocessor(course)


def autograde_preprocessors() -> list[type]:
    """nbgrader's autograde steps, grading in the sandbox instead of the student's kernel."""
    return nbgrader_hooks.autograde_preprocessors(SandboxedGrade)
