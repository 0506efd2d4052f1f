"""nbgrader configuration of the course: solutions/ is the source, notebooks/ the release."""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.course_id = "cnn-from-scratch"
# A deleted test cell must not silently score zero: nbgrader puts it back when it autogrades.
c.OverwriteCells.add_missing_cells = True
