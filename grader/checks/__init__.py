"""Visible checks: the learner runs them in the notebook right below each exercise.

Each notebook has a module here (``grader.checks.convolution`` for ``02_convolution``) with a
``check_<exercise>(fn)`` function and a ``CASES`` table that the grader also runs in the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grader.cases import Case, run_in_process, summarize, verdict

__all__ = ["attempt", "run_check"]


def run_check(name: str, fn: Callable, cases: list[Case]) -> None:
    """Run ``cases`` against ``fn``; print a line on success, raise AssertionError otherwise.

    Introduced in 02_convolution.
    """
    if not callable(fn):
        raise AssertionError(f"{name}: expected a function, got {type(fn).__name__}")
    status, _, message = summarize([verdict(case, run_in_process(fn, case)) for case in cases])
    if status != "passed":
        raise AssertionError(f"{name}: {message}")
    print(f"{name}: all {len(cases)} checks passed")


def attempt(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call the learner's ``fn``; on any error print one line and return None.

    Demo cells use it so that a notebook whose exercises are unfinished still runs to the end.
    Introduced in 02_convolution.
    """
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        print(f"({fn.__name__} is not written yet: this cell shows its result once it is.)")
    except Exception as exc:  # the learner's code may raise anything; report, don't crash
        print(f"({fn.__name__} raised {type(exc).__name__}: {exc})")
    return None
