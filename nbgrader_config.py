"""nbgrader configuration of the course: solutions/ is the source, notebooks/ the release.

Every nbgrader path that grades (``nbgrader autograde``, formgrader's Autograde button) runs the
course's sandboxed judge instead of the student's kernel; ``python -m grader grade`` runs the same
judge on the whole class in parallel.
"""

from grader.hooks import CoursePoints, autograde_preprocessors

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.course_id = "cnn-from-scratch"
# Points are declared once, beside each exercise's cases (grader/<topic>/cases.py).
c.GenerateAssignment.preprocessors.prepend([CoursePoints])
# Grade in the sandbox, never in the student's kernel.
c.Autograde.autograde_preprocessors = autograde_preprocessors()
# A deleted test cell must not silently score zero: nbgrader puts it back when it autogrades.
c.OverwriteCells.add_missing_cells = True
