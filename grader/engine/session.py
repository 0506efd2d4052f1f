"""Running one submission's exercises, each in a fresh child of a sandboxed zygote.

The zygote (started once per notebook, numpy imported) forks a child per exercise. The child runs
the answer cells, then the calls; the judge reaches each case's verdict from what comes back. The
verdicts count only once the zygote reports that the child ended cleanly when asked: a child that
crashed, timed out, killed its zygote or wrote more than its answers earns nothing for that
exercise, whatever it answered before. Any such failure takes the zygote down with it and the
next exercise starts from a new one; a cell that hangs or kills its process while it is being
defined is left out from then on, so it costs its own exercise only.
"""

from __future__ import annotations

import time
from pathlib import Path

from grader.engine.cases import Case, Outcome, raised, returned
from grader.engine.channel import STARTUP_SECONDS, WorkerChannel, WorkerFailure
from grader.engine.course import Exercise
from grader.engine.report import ExerciseResult
from grader.engine.sandbox import Limits
from grader.engine.sandboxed.wire import WireError, decode, encode
from grader.engine.text import clean
from grader.engine.verdicts import Status, Verdict, summarize, verdict

__all__ = ["Session", "exercise_seconds"]

_TIMED_OUT = "no answer within the time limit (an endless loop?)"


def exercise_seconds(exercise: Exercise, limits: Limits) -> tuple[float, float]:
    """(all cases, one call): the exercise's own wall-clock budget, else the limits'."""
    return (
        exercise.seconds or limits.exercise_seconds,
        exercise.call_seconds or limits.call_seconds,
    )


class Session:
    """The answer cells of one submission, and a zygote to run them in."""

    def __init__(self, sources: dict[str, str], limits: Limits, scratch: Path, sandbox: bool):
        self.sources, self.limits, self.scratch, self.sandbox = sources, limits, scratch, sandbox
        self.zygote: WorkerChannel | None = None
        self.cell_failures: dict[str, WorkerFailure] = {}
        self.cell_errors: dict[str, str] = {}

    def close(self) -> None:
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None

    def _begin(self) -> None:
        """Fork a child and run the answer cells in it, leaving out cells that broke a child."""
        while True:
            if self.zygote is None:
                self.zygote = WorkerChannel(self.limits, self.scratch, self.sandbox)
            try:
                self.zygote.fork(STARTUP_SECONDS)
            except WorkerFailure:
                self.close()
                raise
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
                    self.close()
                    break
                if not header.get("ok"):
                    self.cell_errors[name] = self._error(header).error_message
            else:
                return

    def _where(self, frames: object) -> str:
        """The learner's line an error passed through last, from the worker's frame list."""
        if not isinstance(frames, list) or not frames:
            return ""
        last = frames[-1]
        if not (isinstance(last, list) and len(last) == 2 and isinstance(last[1], int)):
            return ""
        cell = str(last[0]).removeprefix("<cell ").removesuffix(">")
        lines = self.sources.get(cell, "").splitlines()
        if not 1 <= last[1] <= len(lines):
            return ""
        return clean(f"line {last[1]} of the {cell} cell: {lines[last[1] - 1].strip()}", 160)

    def _error(self, header: dict) -> Outcome:
        error = header.get("error") if isinstance(header.get("error"), dict) else {}
        message = clean(error.get("message", ""), 500)
        return raised(clean(error.get("type", "?"), 100), message, self._where(error.get("where")))

    def _call(self, name: str, case: Case, seconds: float) -> Outcome:
        tree, arrays = encode((case.args, case.kwargs))
        header, answer_arrays = self.zygote.request(
            {"op": "call", "fn": name, "args": tree["v"][0], "kwargs": tree["v"][1]},
            arrays,
            seconds,
        )
        if not header.get("ok"):
            return self._error(header)
        try:
            value = decode(header.get("value"), answer_arrays)
        except WireError as exc:
            raise WorkerFailure(
                Status.ERROR, f"the process sent an invalid answer ({exc})"
            ) from None
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], tuple)):
            raise WorkerFailure(Status.ERROR, "the process sent an invalid answer")
        return returned(value[0], value[1])

    def grade(self, exercise: Exercise, visible: list[Case], hidden: list[Case]) -> ExerciseResult:
        """Run one exercise's cases in a fresh child; its result counts only after a clean end."""
        name, points = exercise.name, exercise.points
        self._begin()
        if name in self.cell_failures:
            failure = self.cell_failures[name]
            self._finish()
            what = "did not finish" if failure.status is Status.TIMEOUT else f"failed: {failure}"
            message = f"running the answer cell of {name} {what}"
            return ExerciseResult(name, 0.0, points, failure.status, message)
        cases = visible + hidden
        budget, per_call = exercise_seconds(exercise, self.limits)
        deadline = time.monotonic() + budget
        verdicts: list[Verdict] = []
        failure: WorkerFailure | None = None
        for case in cases:
            seconds = min(per_call, deadline - time.monotonic())
            try:
                if seconds <= 0:
                    raise WorkerFailure(Status.TIMEOUT, "")
                verdicts.append(verdict(case, self._call(name, case, seconds)))
            except WorkerFailure as exc:
                failure = exc
                break
        if failure is None:
            failure, stopped_at = self._finish(), "when its process was asked to end"
        else:
            stopped_at = cases[len(verdicts)].label
            self.close()
        if failure is not None:  # a crash, a timeout or a broken protocol costs the whole exercise
            detail = _TIMED_OUT if failure.status is Status.TIMEOUT else str(failure)
            first = next((v for v in verdicts if not v.passed), None)
            earlier = f"; before that, {first.text}" if first else ""
            passed = sum(v.passed for v in verdicts)
            message = f"{stopped_at}: {detail} ({passed} of {len(cases)} cases passed{earlier})"
            return ExerciseResult(name, 0.0, points, failure.status, message)
        result = summarize(verdicts, len(visible))
        message = result.message
        if result.status is not Status.PASSED and name in self.cell_errors:
            message = f"the answer cell raised {self.cell_errors[name]}; {message}"
        score = round(points * result.fraction, 2)
        return ExerciseResult(name, score, points, result.status, message, result.mistake)

    def _finish(self) -> WorkerFailure | None:
        """End the child; the failure met on the way when it did not end cleanly."""
        if self.zygote is None:
            return None
        try:
            self.zygote.finish(self.limits.call_seconds)
        except WorkerFailure as failure:
            self.close()
            return failure
        return None
