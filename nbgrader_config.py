"""nbgrader configuration of the course: solutions/ is the source, notebooks/ the release."""

from grader.hooks import CoursePoints

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.course_id = "cnn-from-scratch"
# Points are declared once, beside each exercise's cases (grader/<topic>/cases.py).
c.GenerateAssignment.preprocessors.prepend([CoursePoints])
# A deleted test cell must not silently score zero: nbgrader puts it back when it autogrades.
c.OverwriteCells.add_missing_cells = True
