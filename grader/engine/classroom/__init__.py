"""Grading a class in an nbgrader course directory, into nbgrader's own gradebook.

Reads ``submitted/<student>/<assignment>/<notebook>.ipynb`` (nbgrader's layout) and writes the
scores into nbgrader's gradebook, the ``autograded/`` notebooks, the ``feedback/`` HTML,
``grades-<assignment>.csv`` and a resume state per submission. One module per job: finding and
resuming submissions (:mod:`.submissions`), running them (:mod:`.run`), recording them in the
gradebook (:mod:`.gradebook`) and writing the reports (:mod:`.reports`).
"""

from grader.engine.classroom.run import ClassResult, grade_class

__all__ = ["ClassResult", "grade_class"]
