"""The judging side: grades one notebook without ever running student code in this process.

It reads the submission's answer cells, starts a sandboxed worker (``grader.channel``), has a
fresh child of it run those cells and call each exercise on inputs made here, and reaches every
verdict here from the plain numbers and arrays the worker sends back (``grader.cases.verdict``).
A worker that times out, crashes or breaks the wire protocol is killed; the exercise it was on
gets what it earned so far and the next exercise starts in a fresh worker.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.cases import Case, Outcome, raised, returned, summarize, verdict
from grader.channel import STARTUP_SECONDS, GraderError, WorkerChannel, WorkerFailure
from grader.course import NOTEBOOKS, NotebookSpec
from grader.notebook import InvalidNotebook, guess_notebook, read_answers
from grader.sandbox import Limits, sandbox_available
from grader.worker import WireError, decode, encode

__all__ = ["ExerciseResult", "GraderError", "NotebookReport", "WorkerFailure", "grade_notebook"]


@dataclass
class ExerciseResult:
    name: str
    score: float
    max: float
    status: str
    message: str


@dataclass
class NotebookReport:
    """The grading contract's report: ``to_json()`` is what ``score --json`` prints."""

    notebook: str
    score: float
    max: float
    exercises: list[ExerciseResult] = field(default_factory=list)
    status: str = "graded"
    notes: list[str] = field(default_factory=list)
    sandboxed: bool = True
    hidden_tests: bool = True

    def to_json(self) -> dict:
        return {
            "notebook": self.notebook,
            "score": self.score,
            "max": self.max,
            "status": self.status,
            "sandboxed": self.sandboxed,
            "hidden_tests": self.hidden_tests,
            "notes": self.notes,
            "exercises": [vars(e) for e in self.exercises],
        }


class _Session:
    """Runs one submission's exercises, each in a fresh child forked from a sandboxed zygote.

    The zygote (started once per notebook, numpy imported) forks a child per exercise; the child
    runs the answer cells and the calls, then exits, so nothing carries over between exercises.
    A child that hangs, or breaks the protocol, takes the zygote down with it and the next
    exercise starts a new one; a cell that hangs or kills its process when it is defined is left
    out from then on, so it costs its own exercise only.
    """

    def __init__(self, sources: dict[str, str], limits: Limits, scratch: Path, sandbox: bool):
        self.sources, self.limits, self.scratch, self.sandbox = sources, limits, scratch, sandbox
        self.zygote: WorkerChannel | None = None
        self.cell_failures: dict[str, WorkerFailure] = {}
        self.cell_errors: dict[str, str] = {}

    def _begin(self) -> None:
        """Fork a child and run the answer cells in it."""
        while True:
            if self.zygote is None:
                self.zygote = WorkerChannel(self.limits, self.scratch, self.sandbox)
            try:
                header, _ = self.zygote.request({"op": "fork"}, [], STARTUP_SECONDS)
            except WorkerFailure as failure:
                self.close()
                raise GraderError(f"the grading worker could not fork ({failure})") from None
            if not header.get("ready"):
                self.close()
                raise GraderError("the grading worker could not fork")
            self.cell_errors = {}
            for name, source in self.sources.items():
                if name in self.cell_failures:
                    continue
                try:
                    header, _ = self.zygote.request(
                        {"op": "exec", "name": f"<cell {name}>", "source": source},
                        [],
                        self.limits.call_seconds,
                    )
                except WorkerFailure as failure:
                    self.cell_failures[name] = failure
                    self._end(failure)
                    break
                if not header.get("ok"):
                    error = header.get("error") or {}
                    self.cell_errors[name] = f"{error.get('type')}: {error.get('message')}"
            else:
                return

    def _end(self, failure: WorkerFailure | None = None) -> WorkerFailure | None:
        """Let the child go; after a failure of any kind, start from a new zygote next time.

        Returns the failure met on the way out when the child did not end cleanly (exit code 0
        reported by a healthy zygote): a child that killed its zygote, or hangs on exit.
        """
        if self.zygote is None:
            return None
        if failure is None:
            try:
                self.zygote.request({"op": "exit"}, [], self.limits.call_seconds)
                failure = WorkerFailure("error", "the process did not end when asked")
            except WorkerFailure as report:
                if report.exit_code == 0:
                    return None
                failure = report
            self.close()
            return failure
        self.close()
        return None

    def close(self) -> None:
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None

    def _call(self, fn: str, case: Case, seconds: float) -> Outcome:
        tree, arrays = encode((case.args, case.kwargs))
        header, answer_arrays = self.zygote.request(
            {"op": "call", "fn": fn, "args": tree["v"][0], "kwargs": tree["v"][1]}, arrays, seconds
        )
        if not header.get("ok"):
            error = header.get("error") if isinstance(header.get("error"), dict) else {}
            return raised(str(error.get("type", "?"))[:100], str(error.get("message", ""))[:500])
        try:
            value = decode(header.get("value"), answer_arrays)
        except WireError as exc:
            return returned(f"<unreadable: {exc}>")
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], tuple)):
            return returned("<unreadable answer>")
        return returned(value[0], value[1])

    def grade(
        self, name: str, points: float, visible: list[Case], hidden: list[Case]
    ) -> ExerciseResult:
        self._begin()
        if name in self.cell_failures:
            self._end()
            failure = self.cell_failures[name]
            what = "did not finish" if failure.kind == "timeout" else f"failed: {failure}"
            return ExerciseResult(
                name, 0.0, points, failure.kind, f"running the answer cell of {name} {what}"
            )
        cases = visible + hidden
        deadline = time.monotonic() + self.limits.exercise_seconds
        messages: list[str | None] = []
        failure: WorkerFailure | None = None
        for case in cases:
            seconds = min(self.limits.call_seconds, deadline - time.monotonic())
            try:
                if seconds <= 0:
                    raise WorkerFailure("timeout", "")
                messages.append(verdict(case, self._call(name, case, seconds)))
            except WorkerFailure as exc:
                failure = exc
                break
        ran = len(messages)
        stopped_at = cases[ran].label if failure else None
        messages += [f"{c.label}: not run" for c in cases[ran:]]
        status, fraction, message = summarize(messages, len(visible))
        # after a failure or an error (a fork bomb raises one), no process of this child lives on
        restart = failure or (WorkerFailure("error", "") if status == "error" else None)
        if not (failure and failure.child_gone):
            unclean = self._end(restart)
            if unclean is not None:  # e.g. the child killed its zygote: nothing it said counts
                failure, stopped_at = unclean, "when its child process was asked to end"
        if failure is not None:  # a crash or a timeout costs the whole exercise
            fraction = 0.0
        if failure is not None and stopped_at is not None:
            status = failure.kind
            detail = (
                "no answer within the time limit (an endless loop?)"
                if failure.kind == "timeout"
                else str(failure)
            )
            message = (
                f"{stopped_at}: {detail} "
                f"({messages[:ran].count(None)} of {len(cases)} cases passed)"
            )
        elif status != "passed" and name in self.cell_errors:
            message = f"the answer cell raised {self.cell_errors[name]}; {message}"
        return ExerciseResult(name, round(points * fraction, 2), points, status, message)


def grade_notebook(
    path: Path,
    *,
    name: str | None = None,
    hidden: bool = True,
    limits: Limits | None = None,
    sandbox: bool | None = None,
) -> NotebookReport:
    """Grade the notebook at ``path`` (a submission of course notebook ``name``).

    Reads the file and nothing else of the course; student code runs only in the worker.
    ``name`` defaults to the file name without ``.ipynb`` or, for a renamed file, to the course
    notebook whose exercises its answer cells hold; ``hidden=False`` runs the visible
    checks only; ``sandbox=None`` uses bubblewrap where it is available.
    """
    path = Path(path)
    limits = limits or Limits()
    name = name or (path.stem if path.stem in NOTEBOOKS else guess_notebook(path, NOTEBOOKS))
    if name not in NOTEBOOKS:
        known = ", ".join(sorted(NOTEBOOKS))
        raise KeyError(f"{name!r} is not a graded notebook of this course (known: {known})")
    spec: NotebookSpec = NOTEBOOKS[name]
    sandbox = sandbox_available() if sandbox is None else sandbox
    from grader.course import hidden_tests_installed

    report = NotebookReport(
        name,
        0.0,
        spec.max_score,
        sandboxed=sandbox,
        hidden_tests=hidden and hidden_tests_installed(),
    )
    names = [e.name for e in spec.exercises]
    try:
        answers = read_answers(path, names)
    except InvalidNotebook as exc:
        report.status = "invalid"
        report.notes.append(str(exc))
        report.exercises = [
            ExerciseResult(e.name, 0.0, e.points, "error", str(exc)) for e in spec.exercises
        ]
        return report
    report.notes.extend(answers.notes)
    deadline = time.monotonic() + limits.notebook_seconds
    with tempfile.TemporaryDirectory(prefix="grader-") as scratch:
        session = _Session(answers.sources, limits, Path(scratch), sandbox)
        try:
            for exercise in spec.exercises:
                if exercise.name in answers.problems:
                    result = ExerciseResult(
                        exercise.name,
                        0.0,
                        exercise.points,
                        "missing",
                        answers.problems[exercise.name],
                    )
                elif time.monotonic() > deadline:
                    result = ExerciseResult(
                        exercise.name,
                        0.0,
                        exercise.points,
                        "timeout",
                        f"the notebook's {limits.notebook_seconds:.0f} s "
                        "were used up before this exercise",
                    )
                else:
                    result = session.grade(
                        exercise.name, exercise.points, *spec.cases(exercise.name, hidden)
                    )
                report.exercises.append(result)
        finally:
            session.close()
    report.score = round(sum(e.score for e in report.exercises), 2)
    return report
