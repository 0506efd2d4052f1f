"""Test cases and the verdicts reached on them, shared by visible checks and hidden tests.

A :class:`Case` is one call of a learner's function with inputs made by the judging side and the
answer an independent reference gave. :func:`verdict` compares what came back with that answer and
says, in the learner's terms, what is wrong: the shape, the dtype, the first wrong position, and
which common mistake (a flipped kernel, a missing bias, ...) the result matches.

The same code judges a call made in the learner's own kernel (:func:`run_in_process`, used by the
visible checks) and a call made in the sandboxed worker (``grader.judge``), so both say the same.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.worker import Unsupported, decode, encode

__all__ = ["Case", "Outcome", "raised", "returned", "run_in_process", "verdict"]


@dataclass(frozen=True)
class Case:
    """One call of an exercise and the reference answer.

    Parameters
    ----------
    label : what the inputs are, as the learner should read it ("8x8 image, 3x3 kernel").
    args, kwargs : the call's arguments (arrays, numbers, strings, tuples).
    expected : the reference result, or an exception class the call must raise.
    mistakes : ``(diagnosis, wrong_result)`` pairs: a result equal to ``wrong_result`` is told
        ``diagnosis`` ("the kernel is flipped: that is convolution, not correlation").
    rtol, atol : tolerances of :func:`numpy.allclose`.
    pick : for functions that return ``(out, cache)``, the index of the item to judge (0); the
        rest of the tuple (a cache) is the learner's business.
    error_needs_numbers : when ``expected`` is an exception, its message must give numbers
        (the sizes that do not fit), not just say that something is wrong.
    """

    label: str
    args: tuple
    expected: Any
    kwargs: dict = field(default_factory=dict)
    mistakes: tuple = ()
    rtol: float = 1e-6
    atol: float = 1e-9
    pick: int | None = None
    error_needs_numbers: bool = False


@dataclass(frozen=True)
class Outcome:
    """What a call did: returned ``value`` (with the arguments as they were after it) or raised."""

    value: Any = None
    args_after: tuple = ()
    error_type: str | None = None
    error_message: str = ""


def returned(value: Any, args_after: tuple = ()) -> Outcome:
    return Outcome(value=value, args_after=args_after)


def raised(error_type: str, message: str = "") -> Outcome:
    return Outcome(error_type=error_type, error_message=message)


def run_in_process(fn: Callable, case: Case) -> Outcome:
    """Call ``fn`` on a copy of the case's inputs in this process (visible checks)."""
    args = copy.deepcopy(case.args)
    kwargs = copy.deepcopy(case.kwargs)
    try:
        result = fn(*args, **kwargs)
    except Exception as exc:  # the learner's code may raise anything
        return raised(type(exc).__name__, str(exc))
    tree, arrays = encode((result, args))  # the same normalisation as the sandbox's wire
    value, after = decode(tree, arrays)
    return returned(value, after)


def _fmt_shape(shape: tuple) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _describe_value(value: Any) -> str:
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} items"
    if isinstance(value, np.ndarray):
        return f"an array of shape {_fmt_shape(value.shape)} and dtype {value.dtype}"
    if isinstance(value, Unsupported):
        return f"{value.type_name} {value.text}"
    return f"{type(value).__name__} {value!r}"[:200]


def _compare_arrays(case: Case, got: np.ndarray) -> str | None:
    expected = np.asarray(case.expected)
    if got.shape != expected.shape:
        for diagnosis, wrong in case.mistakes:
            wrong = np.asarray(wrong)
            if wrong.shape == got.shape and np.allclose(got, wrong, rtol=case.rtol, atol=case.atol):
                return f"expected shape {_fmt_shape(expected.shape)}, got {_fmt_shape(got.shape)}: {diagnosis}"
        hint = ""
        if got.shape == expected.shape[::-1] and len(got.shape) > 1:
            hint = " (the axes look swapped: is the output transposed?)"
        return f"expected shape {_fmt_shape(expected.shape)}, got {_fmt_shape(got.shape)}{hint}"
    if expected.dtype.kind == "f" and got.dtype.kind != "f":
        return (
            f"expected a floating-point array, got dtype {got.dtype} (was the output created "
            "from an integer array, e.g. with np.zeros_like on integer input?)"
        )
    if np.isnan(got.astype(float)).any() and not np.isnan(expected.astype(float)).any():
        return "the result contains NaN (is part of the output never written, e.g. np.empty?)"
    close = np.isclose(got, expected, rtol=case.rtol, atol=case.atol)
    if close.all():
        return None
    if (
        got.ndim == 2
        and got.shape == expected.T.shape
        and np.allclose(got, expected.T, rtol=case.rtol, atol=case.atol)
    ):
        return "the output is transposed: rows and columns are swapped"
    for diagnosis, wrong in case.mistakes:
        wrong = np.asarray(wrong)
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=case.rtol, atol=case.atol):
            return diagnosis
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    where = f"index {index[0]}" if len(index) == 1 else f"index {index}"
    return (
        f"wrong value at {where}: expected {expected[index]:.6g}, got {got[index]:.6g} "
        f"({int((~close).sum())} of {close.size} values wrong)"
    )


def _compare(case: Case, got: Any) -> str | None:
    expected = case.expected
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray) or got.ndim == 0:
            return f"expected an array of shape {_fmt_shape(expected.shape)}, got {_describe_value(got)}"
        return _compare_arrays(case, got)
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            return f"expected a tuple of {len(expected)} items, got {_describe_value(got)}"
        for i, (e, g) in enumerate(zip(expected, got, strict=True)):
            mistakes = tuple(  # a mistake given as a whole tuple names the wrong item too
                (why, wrong[i])
                for why, wrong in case.mistakes
                if isinstance(wrong, tuple) and len(wrong) == len(expected)
            )
            item = Case(case.label, (), e, rtol=case.rtol, atol=case.atol, mistakes=mistakes)
            problem = _compare(item, g)
            if problem:
                return f"item {i}: {problem}"
        return None
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        if isinstance(got, np.ndarray) and got.ndim == 0:
            got = got.item()
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return f"expected the number {expected!r}, got {_describe_value(got)}"
        if isinstance(expected, int) and got != int(got):
            return f"expected the integer {expected}, got {got!r}"
        if not np.isclose(got, expected, rtol=case.rtol, atol=case.atol):
            for diagnosis, wrong in case.mistakes:
                if np.ndim(wrong) == 0 and np.isclose(got, wrong, rtol=case.rtol, atol=case.atol):
                    return f"expected {expected!r}, got {got!r}: {diagnosis}"
            return f"expected {expected!r}, got {got!r}"
        return None
    if got != expected:
        return f"expected {expected!r}, got {_describe_value(got)}"
    return None


def verdict(case: Case, outcome: Outcome) -> str | None:
    """Return None when the outcome is right, else a message naming the mistake."""
    expects_error = isinstance(case.expected, type) and issubclass(case.expected, BaseException)
    if outcome.error_type is not None:
        if outcome.error_type == "NotImplementedError":
            return "not implemented yet (the function still raises NotImplementedError)"
        if expects_error and outcome.error_type == case.expected.__name__:
            if case.error_needs_numbers and not any(ch.isdigit() for ch in outcome.error_message):
                return (
                    f"{case.label}: the {outcome.error_type} is right, but its message "
                    f"{outcome.error_message!r} should give the numbers that do not fit"
                )
            return None
        wanted = f"; it should raise {case.expected.__name__}" if expects_error else ""
        return f"{case.label}: raised {outcome.error_type}: {outcome.error_message}{wanted}"
    if expects_error:
        return (
            f"{case.label}: should raise {case.expected.__name__}, "
            f"but returned {_describe_value(outcome.value)}"
        )
    value = outcome.value
    if case.pick is not None:
        if not isinstance(value, tuple) or len(value) <= case.pick:
            return f"{case.label}: expected a tuple (out, cache), got {_describe_value(value)}"
        value = value[case.pick]
    problem = _compare(case, value)
    if problem:
        return f"{case.label}: {problem}"
    for i, (before, after) in enumerate(zip(case.args, outcome.args_after, strict=False)):
        if isinstance(before, np.ndarray):
            if not (
                isinstance(after, np.ndarray)
                and after.shape == before.shape
                and np.array_equal(after, before, equal_nan=True)
            ):
                return (
                    f"{case.label}: argument {i + 1} was modified in place; exercises must "
                    "leave their inputs unchanged and return new arrays"
                )
    return None


def summarize(messages: list[str | None], n_visible: int | None = None) -> tuple[str, float, str]:
    """Fold the verdicts of an exercise's cases into (status, fraction earned, message).

    ``messages`` holds the visible cases' verdicts first (``n_visible`` of them, all by default),
    then the hidden ones'. Nothing is earned until every visible case passes; then the fraction
    is that of the hidden cases passed (all of it when there are none). The status is ``passed``
    when every case passed, ``missing`` when the function is not written yet, ``error`` when a
    case raised an exception it should not have, else ``failed``; the message is the first
    problem, with the count of cases that passed.
    """
    total = len(messages)
    n_visible = total if n_visible is None else n_visible
    problems = [m for m in messages if m]
    passed = total - len(problems)
    visible_ok = not any(messages[:n_visible])
    hidden = messages[n_visible:]
    fraction = (hidden.count(None) / len(hidden) if hidden else 1.0) if visible_ok else 0.0
    if not problems:
        return "passed", fraction, f"all {total} cases passed"
    first = problems[0]
    if first.startswith("not implemented yet"):
        return "missing", fraction, first
    status = "error" if ": raised " in first and "should raise" not in first else "failed"
    return status, fraction, f"{first} ({passed} of {total} cases passed)"
