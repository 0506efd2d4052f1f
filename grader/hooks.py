"""nbgrader plug-ins bound to this course; ``nbgrader_config.py`` names them."""

from grader.course import course
from grader.engine.nbgrader_hooks import points_preprocessor

__all__ = ["CoursePoints"]

CoursePoints = points_preprocessor(course)
