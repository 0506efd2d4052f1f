"""Grading a class's submissions on a Dask cluster: many machines, one gradebook writer.

Each submission's bytes go to a Dask worker, which grades them in its own sandbox exactly as
:func:`grader.engine.judge.grade_submission` does locally and sends back the report as plain
JSON. Everything else (reading the submissions, the gradebook, the autograded notebooks, the
feedback, the CSV, the resume state) stays with the client that ran ``grade``: the only writer.
A worker that dies mid-task loses nothing: the scheduler gives its task to another worker.

A worker needs what a grading machine needs: this package with the course and its hidden tests
installed (the same version as the client), numpy, and bubblewrap for the sandbox. The client
sends the function that loads the course (a module-level function, which Dask pickles by its
name), and the worker calls it.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.engine.channel import GraderError
from grader.engine.course import Course
from grader.engine.report import NotebookReport

__all__ = ["DaskGrading", "grade_on_worker"]


def grade_on_worker(
    loader: Callable[[], Course],
    data: bytes,
    name: str,
    filename: str,
    sandbox: bool | None,
    hidden: bool,
) -> dict:
    """Runs on a Dask worker: grade one submission's bytes; the report as JSON."""
    from grader.engine.judge import grade_submission

    course = loader()
    if hidden and not course.hidden_installed:
        raise GraderError("this worker has the course without its hidden tests: install them")
    return grade_submission(data, course, name=name, filename=filename, sandbox=sandbox).to_json()


class DaskGrading:
    """Grades submissions on the Dask cluster whose scheduler is at ``address``.

    ``loader`` is a module-level function that returns the course (``grader.course.course``),
    called on each worker; ``hidden`` whether the client grades with hidden tests, which every
    worker must then have too.
    """

    def __init__(
        self, address: str, loader: Callable[[], Course], *, sandbox: bool | None, hidden: bool
    ):
        from distributed import Client

        self.client = Client(address, timeout=60)
        self.loader, self.sandbox, self.hidden = loader, sandbox, hidden

    @property
    def slots(self) -> int:
        """How many submissions the cluster grades at once (its worker threads)."""
        return max(1, sum(self.client.nthreads().values()))

    def __call__(self, data: bytes, name: str, filename: str) -> NotebookReport:
        future = self.client.submit(
            grade_on_worker,
            self.loader,
            data,
            name,
            filename,
            self.sandbox,
            self.hidden,
            pure=False,
        )
        return NotebookReport.from_json(future.result())

    def close(self) -> None:
        self.client.close()
