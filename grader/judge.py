"""The judging side: grades one notebook without ever running student code in this process.

It reads the submission's answer cells, starts a sandboxed worker (``grader.sandbox``), has it run
those cells and call each exercise on inputs made here, and reaches every verdict here from the
plain numbers and arrays the worker sends back (``grader.cases.verdict``). A worker that times
out, crashes or breaks the wire protocol is killed; the exercise it was on gets what it earned so
far and the next exercise starts in a fresh worker.
"""

from __future__ import annotations

import os
import select
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader.cases import Case, Outcome, raised, returned, summarize, verdict
from grader.course import NOTEBOOKS, NotebookSpec
from grader.notebook import InvalidNotebook, read_answers
from grader.sandbox import Limits, sandbox_available, start_worker
from grader.worker import WireError, decode, encode, frame_lengths, pack_message, unpack_message

__all__ = ["ExerciseResult", "GraderError", "NotebookReport", "WorkerFailure", "grade_notebook"]

STARTUP_SECONDS = 60.0

STATUSES = ("passed", "failed", "error", "timeout", "missing")


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


class GraderError(RuntimeError):
    """Grading itself failed (the worker could not start): no score may be given."""


class WorkerFailure(Exception):
    """The worker did not answer properly: ``kind`` is "timeout" or "error"."""

    def __init__(self, kind: str, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.exit_code = exit_code  # set when the zygote reported its child's end

    @property
    def child_gone(self) -> bool:
        """The child ended and the zygote, still healthy, said so."""
        return self.exit_code is not None


class _Worker:
    """One running worker process and the two pipes to it."""

    def __init__(self, limits: Limits, scratch: Path, sandbox: bool) -> None:
        self.log = scratch / "worker.log"
        self.sandboxed = sandbox
        self.process, self.cmd, self.out = start_worker(limits, self.log, sandbox)
        os.set_blocking(self.cmd, False)
        try:  # no student code has run yet: a worker that cannot say "ready" is our failure
            header, _ = self._read(time.monotonic() + STARTUP_SECONDS)
            if not header.get("ready"):
                raise WorkerFailure("error", "the worker did not report ready")
        except WorkerFailure as failure:
            self.close()
            raise GraderError(
                f"the grading worker could not start ({failure}{_tail(self.log)})"
            ) from None

    def request(self, header: dict, arrays: list[np.ndarray], seconds: float) -> tuple[dict, list]:
        deadline = time.monotonic() + seconds
        self._send(header, arrays, deadline)
        answer = self._read(deadline)
        if "child_exit" in answer[0]:
            code = answer[0]["child_exit"]
            code = code if isinstance(code, int) else None
            raise WorkerFailure("error", _exit_text(code) + _tail(self.log), exit_code=code)
        return answer

    def _read(self, deadline: float) -> tuple[dict, list]:
        prefix = self._receive(8, deadline)
        try:
            head_len, body_len = frame_lengths(prefix)
            return unpack_message(
                self._receive(head_len, deadline), self._receive(body_len, deadline)
            )
        except WireError as exc:
            raise WorkerFailure("error", f"the process sent an invalid answer ({exc})") from None

    def _send(self, header: dict, arrays: list[np.ndarray], deadline: float) -> None:
        view = memoryview(pack_message(header, arrays))
        while view:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [self.cmd], [], left)[1]:
                raise WorkerFailure("timeout", "")
            try:
                view = view[os.write(self.cmd, view) :]
            except OSError:
                raise WorkerFailure("error", self._death()) from None

    def _receive(self, n: int, deadline: float) -> bytes:
        chunks, remaining = [], n
        while remaining:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.out], [], [], left)[0]:
                raise WorkerFailure("timeout", "")
            chunk = os.read(self.out, min(remaining, 2**20))
            if not chunk:
                raise WorkerFailure("error", self._death())
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _death(self) -> str:
        try:
            code = self.process.wait(timeout=5)
        except Exception:
            code = None
        if code is not None and code > 128 and self.sandboxed:
            code = 128 - code  # bubblewrap reports its child's death by signal N as 128 + N
        return _exit_text(code) + ("" if code is not None and code < 0 else _tail(self.log))

    def close(self) -> None:
        for fd in (self.cmd, self.out):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()


def _exit_text(code: int | None) -> str:
    """How a process ended, from its exit code (negative: killed by that signal)."""
    if code is None or code >= 0:
        return f"the process exited with code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    why = {
        "SIGXCPU": " (CPU time limit)",
        "SIGXFSZ": " (output size limit)",
        "SIGKILL": " (CPU time or memory exhausted)",
    }.get(name, "")
    return f"the process was killed by {name}{why}"


def _tail(log: Path, limit: int = 300) -> str:
    try:
        text = log.read_bytes()[-limit:].decode("utf-8", "replace")
    except OSError:
        return ""
    text = "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in text).strip()
    return f"; its last output: ...{text[-limit:]}" if text else ""


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
        self.zygote: _Worker | None = None
        self.cell_failures: dict[str, WorkerFailure] = {}
        self.cell_errors: dict[str, str] = {}

    def _begin(self) -> None:
        """Fork a child and run the answer cells in it."""
        while True:
            if self.zygote is None:
                self.zygote = _Worker(self.limits, self.scratch, self.sandbox)
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

    def _end(self, failure: WorkerFailure | None = None) -> None:
        """Let the child go; after a failure of any kind, start from a new zygote next time."""
        if self.zygote is None:
            return
        if failure is None:
            try:
                self.zygote.request({"op": "exit"}, [], self.limits.call_seconds)
            except WorkerFailure as report:
                if report.exit_code == 0:
                    return
        self.close()

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
        stopped_at = cases[ran] if failure else None
        messages += [f"{c.label}: not run" for c in cases[ran:]]
        status, fraction, message = summarize(messages, len(visible))
        # after a failure or an error (a fork bomb raises one), no process of this child lives on
        restart = failure or (WorkerFailure("error", "") if status == "error" else None)
        if not (failure and failure.child_gone):
            self._end(restart)
        if failure is not None and stopped_at is not None:
            status = failure.kind
            detail = (
                "no answer within the time limit (an endless loop?)"
                if failure.kind == "timeout"
                else str(failure)
            )
            message = (
                f"{stopped_at.label}: {detail} "
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
    ``name`` defaults to the file name without ``.ipynb``; ``hidden=False`` runs the visible
    checks only; ``sandbox=None`` uses bubblewrap where it is available.
    """
    path = Path(path)
    limits = limits or Limits()
    name = name or path.stem
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
