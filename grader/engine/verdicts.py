"""Verdicts: what a call earned on a case, and what an exercise earned on all its cases.

A :class:`Verdict` is reached where the comparison is made and carries its :class:`Status` and the
diagnosed mistake as typed fields; its message is for people and is never read back. The same
code judges a call made in the learner's own kernel (the visible checks) and a call made in the
sandboxed worker (the authoritative score), so both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from grader.engine.cases import Case, Outcome
from grader.engine.compare import BUILTIN, Problem, compare, describe, named_mistake

__all__ = ["ExerciseVerdict", "Status", "Verdict", "summarize", "verdict"]


class Status(StrEnum):
    """How an exercise (or one case of it) went."""

    PASSED = "passed"
    FAILED = "failed"  # a wrong result
    ERROR = "error"  # the learner's code raised, or broke the protocol
    TIMEOUT = "timeout"  # no answer within the time limit
    MISSING = "missing"  # not written yet, or its answer cell is gone
    CRASHED = "crashed"  # the process running it ended (killed, exited, killed its parent)

    @property
    def contract(self) -> str:
        """The status of the grading contract's JSON report (a crash is reported as an error)."""
        return Status.ERROR.value if self is Status.CRASHED else self.value


@dataclass(frozen=True)
class Verdict:
    """The verdict on one case."""

    status: Status
    case: str = ""
    problem: str = ""
    diagnosis: str = ""
    mistake: str | None = None
    where: str = ""

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    @property
    def text(self) -> str:
        """One line: the case, what is wrong, the mistake it looks like."""
        parts = [p for p in (self.case, self.problem, self.diagnosis) if p]
        return ": ".join(parts) + (f" ({self.where})" if self.where else "")


PASSED = Verdict(Status.PASSED)
NOT_WRITTEN = "not implemented yet (the function still raises NotImplementedError)"


def _raised(case: Case, outcome: Outcome) -> Verdict:
    error = f"{outcome.error_type}: {outcome.error_message}".rstrip(": ")
    if outcome.error_type == "NotImplementedError":
        return Verdict(Status.MISSING, problem=NOT_WRITTEN, mistake="not_implemented")
    if case.expects_error and outcome.error_type == case.expected.__name__:
        if case.error_needs_numbers and not any(ch.isdigit() for ch in outcome.error_message):
            return Verdict(
                Status.FAILED,
                case.label,
                f"the {outcome.error_type} is right, but its message "
                f"{outcome.error_message!r} should give the numbers that do not fit",
                mistake="error_without_numbers",
            )
        return PASSED
    wanted = f"it should raise {case.expected.__name__}, but " if case.expects_error else ""
    return Verdict(
        Status.ERROR, case.label, f"{wanted}your code raised {error}", where=outcome.where
    )


def _mutated(case: Case, outcome: Outcome) -> int | None:
    """The 1-based position of an array argument the call changed in place, if any."""
    for i, (before, after) in enumerate(zip(case.args, outcome.args_after, strict=False)):
        if isinstance(before, np.ndarray) and not (
            isinstance(after, np.ndarray)
            and after.shape == before.shape
            and np.array_equal(after, before, equal_nan=True)
        ):
            return i + 1
    return None


def _judged(case: Case, value: object) -> Problem | None:
    """The case's own judgement of a result; a result it cannot judge fails with a description."""
    try:
        return case.judge(value)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError):
        return Problem(f"cannot judge {describe(value)}: see the docstring for what to return")


def verdict(case: Case, outcome: Outcome) -> Verdict:
    """The verdict on one call of ``case`` that did ``outcome``."""
    if outcome.error_type is not None:
        return _raised(case, outcome)
    if case.expects_error:
        named = named_mistake(case, outcome.value)
        return Verdict(
            Status.FAILED,
            case.label,
            f"should raise {case.expected.__name__}, but returned {describe(outcome.value)}",
            named.text if named else "",
            named.id if named else "should_raise",
        )
    value = outcome.value
    if case.pick is not None:
        if not isinstance(value, tuple) or len(value) <= case.pick:
            return Verdict(
                Status.FAILED, case.label, f"expected a tuple (out, cache), got {describe(value)}"
            )
        value = value[case.pick]
    problem = _judged(case, value) if case.judge else compare(case, case.expected, value)
    if problem is not None:
        named = problem.mistake
        return Verdict(
            Status.FAILED,
            case.label,
            problem.text,
            named.text if named else "",
            named.id if named else None,
        )
    moved = _mutated(case, outcome)
    if moved is not None:
        mutated = BUILTIN["mutated_input"]
        return Verdict(
            Status.FAILED,
            case.label,
            f"argument {moved} was modified in place",
            mutated.text,
            mutated.id,
        )
    return PASSED


@dataclass(frozen=True)
class ExerciseVerdict:
    """What an exercise earned: its status, the fraction of its points, the first problem."""

    status: Status
    fraction: float
    message: str
    mistake: str | None = None
    first: Verdict | None = None
    passed: int = 0
    total: int = 0


def summarize(verdicts: list[Verdict], n_visible: int | None = None) -> ExerciseVerdict:
    """Fold the verdicts of an exercise's cases (visible ones first) into one.

    Nothing is earned until every visible case passes; then the fraction is that of the hidden
    cases passed (all of it when there are none). The status and message are those of the first
    case that did not pass, with the count of cases that did.
    """
    total = len(verdicts)
    n_visible = total if n_visible is None else n_visible
    passed = sum(v.passed for v in verdicts)
    hidden = verdicts[n_visible:]
    visible_ok = all(v.passed for v in verdicts[:n_visible])
    fraction = (sum(v.passed for v in hidden) / len(hidden) if hidden else 1.0) if visible_ok else 0
    first = next((v for v in verdicts if not v.passed), None)
    if first is None:
        return ExerciseVerdict(
            Status.PASSED, 1.0, f"all {total} cases passed", None, None, passed, total
        )
    message = (
        first.text
        if first.status is Status.MISSING
        else f"{first.text} ({passed} of {total} cases passed)"
    )
    return ExerciseVerdict(
        first.status, float(fraction), message, first.mistake, first, passed, total
    )
