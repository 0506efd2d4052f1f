"""Visible checks: the learner runs them in the notebook right below each exercise.

Each notebook has a module here (``grader.checks.convolution`` for ``02_convolution``) with a
``check_<exercise>(fn)`` function and a ``CASES`` table that the grader also runs in the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grader.cases import Case, run_in_process, summarize, verdict

__all__ = ["attempt", "mine_or_reference", "run_check"]


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


_NOTED: set[str] = set()


def attempt(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call the learner's ``fn``; on any error print one line and return None.

    Demo cells use it so that a notebook whose exercises are unfinished still runs to the end.
    Introduced in 02_convolution.
    """
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        name = getattr(fn, "__name__", "this function")
        if name not in _NOTED:
            _NOTED.add(name)
            print(f"({name} is not written yet: figures that need it show a library reference.)")
    except Exception as exc:  # the learner's code may raise anything; report, don't crash
        print(f"({fn.__name__} raised {type(exc).__name__}: {exc})")
    return None


def mine_or_reference(fn: Callable, reference: Callable, *args: Any) -> tuple[Any, str]:
    """``fn(*args)`` when it runs and has the reference's shape, else ``reference(*args)``.

    Returns the result and who made it ("your corr2d" or "reference"), so that a figure can say
    which one it shows. Introduced in 02_convolution.
    """
    expected = reference(*args)
    out = attempt(fn, *args)
    name = getattr(fn, "__name__", "your function")
    if out is not None and np.shape(out) == np.shape(expected):
        return np.asarray(out), f"your {name}"
    if out is not None:
        print(
            f"({name} returned shape {np.shape(out)}, expected {np.shape(expected)}: "
            "showing the library reference)"
        )
    return expected, "library reference"
