"""Test cases and what a call of the learner's function did on one.

A :class:`Case` is one call of an exercise with inputs made by the judging side and the answer an
independent reference gave (a library routine, or a value stored by the hidden references). It
may carry the answers of the usual mistakes, each a :class:`Mistake`, so that a wrong result is
named. An :class:`Outcome` is what the call did, as plain data: what it returned (and its
arguments afterwards) or what it raised, and where in the learner's code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from grader.engine.sandboxed.wire import Code

if TYPE_CHECKING:
    from grader.engine.compare import Problem

__all__ = ["Case", "Code", "Mistake", "Outcome", "raised", "returned"]


@dataclass(frozen=True)
class Mistake:
    """A common mistake: a stable identifier (``flipped_kernel``) and what the learner reads."""

    id: str
    text: str


@dataclass(frozen=True)
class Case:
    """One call of an exercise and the reference answer.

    Parameters
    ----------
    label : what the inputs are, as the learner should read it ("8x8 image, 3x3 kernel").
    args, kwargs : the call's arguments (arrays, numbers, strings, tuples, dicts, and
        :class:`Code` for a function or a random generator the callee builds).
    expected : the reference result, or an exception class the call must raise.
    mistakes : ``(Mistake, wrong_result)`` pairs: a result equal to ``wrong_result`` is named.
    exact : compare exactly (integers, padding), not within a tolerance.
    rtol, atol : tolerances; by default they follow the dtype of the learner's result
        (:func:`grader.engine.compare.tolerance`).
    pick : for functions that return ``(out, cache)``, the index of the item to judge; the rest of
        the tuple (a cache) is the learner's business.
    error_needs_numbers : when ``expected`` is an exception, its message must give numbers.
    judge : for results judged by a property rather than equal to one answer (a held-out
        accuracy, the statistics of a random mask): called on the result (after ``pick``) on the
        judging side, it returns None when the result passes, else a
        :class:`~grader.engine.compare.Problem`. ``expected`` is unused then. It may hold what
        the learner's code must not see (the held-out labels), and must not raise on any value.
    """

    label: str
    args: tuple
    expected: Any
    kwargs: dict = field(default_factory=dict)
    mistakes: tuple[tuple[Mistake, Any], ...] = ()
    exact: bool = False
    rtol: float | None = None
    atol: float | None = None
    pick: int | None = None
    error_needs_numbers: bool = False
    judge: Callable[[Any], Problem | None] | None = None

    @property
    def expects_error(self) -> bool:
        return isinstance(self.expected, type) and issubclass(self.expected, BaseException)


@dataclass(frozen=True)
class Outcome:
    """What a call did: returned ``value`` (with the arguments as they were after it) or raised.

    ``where`` is the learner's own line the error passed through last (``"line 7 of corr2d:
    out[i, j] = ..."``), or "" when it is not known.
    """

    value: Any = None
    args_after: tuple = ()
    error_type: str | None = None
    error_message: str = ""
    where: str = ""


def returned(value: Any, args_after: tuple = ()) -> Outcome:
    return Outcome(value=value, args_after=args_after)


def raised(error_type: str, message: str = "", where: str = "") -> Outcome:
    return Outcome(error_type=error_type, error_message=message, where=where)
