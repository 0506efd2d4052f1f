"""Checks that run in the learner's own kernel: feedback, not the authoritative score.

:func:`check` runs an exercise's cases against the learner's function and shows a short verdict
below the cell: one line when it passes (on stdout), a few lines naming the case, what is wrong,
the mistake it looks like and the learner's own failing line when it does not (on stderr, where
nbgrader's Validate reads a failed test cell). It never raises, so "Run All" reaches the end of a
notebook whatever is unfinished, and no grader frame is ever shown. :func:`mine_or_reference`
lets a figure use the learner's function once it passes its check.
"""

from __future__ import annotations

import copy
import sys
import traceback
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.engine.cases import Case, Outcome, raised, returned
from grader.engine.course import Course
from grader.engine.sandboxed.wire import decode, encode, materialize, short
from grader.engine.verdicts import ExerciseVerdict, Status, summarize, verdict

__all__ = ["check", "learner_line", "mine_or_reference", "run_cases", "run_in_process", "show"]

_PACKAGE = Path(__file__).resolve().parents[1]
_LIBRARIES = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}


def _is_learners(filename: str) -> bool:
    """Whether a traceback frame is the learner's code (not the grader's, not a library's)."""
    if filename.startswith("<frozen"):
        return False
    path = Path(filename).resolve()
    return not any(path.is_relative_to(root) for root in (_PACKAGE, *_LIBRARIES))


def learner_line(exc: BaseException) -> str:
    """The learner's own line an exception passed through last: "line 7 of corr2d: ..."."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_learners(f.filename)]
    if not frames:
        return ""
    last = frames[-1]
    code = f": {short(last.line.strip(), 120)}" if last.line else ""
    return f"line {last.lineno} of {last.name}{code}"


def run_in_process(fn: Callable, case: Case) -> Outcome:
    """Call ``fn`` on a copy of the case's inputs in this process."""
    args, kwargs = materialize(copy.deepcopy(case.args)), materialize(copy.deepcopy(case.kwargs))
    try:
        result = fn(*args, **kwargs)
    except Exception as exc:  # the learner's code may raise anything
        return raised(type(exc).__name__, short(exc, 500), learner_line(exc))
    tree, arrays = encode((result, args))  # the same normalisation as the sandbox's wire
    value, after = decode(tree, arrays)
    return returned(value, after)


def run_cases(fn: Callable, cases: list[Case]) -> ExerciseVerdict:
    """The verdict of ``fn`` on every case, folded into one."""
    return summarize([verdict(case, run_in_process(fn, case)) for case in cases])


def show(title: str, result: ExerciseVerdict) -> None:
    """Print a verdict: one line on stdout when it passed, a short block on stderr otherwise."""
    if result.status is Status.PASSED:
        print(f"✔ {title}: all {result.total} checks passed")
        return
    first = result.first
    if result.status is Status.MISSING:
        print(f"✘ {title}: {first.problem}", file=sys.stderr)
        return
    lines = [f"✘ {title}: {result.passed} of {result.total} checks passed"]
    rows = (
        ("case", first.case),
        ("problem", first.problem),
        ("looks like", first.diagnosis),
        ("your line", first.where),
    )
    lines += [f"  {key + ':':<11} {value}" for key, value in rows if value]
    print("\n".join(lines), file=sys.stderr)


def check(course: Course, name: str, fn: Any, hidden: bool = False) -> None:
    """Check the learner's ``fn`` as exercise ``name`` and show the verdict; never raises.

    ``hidden=True`` runs the hidden cases instead (nbgrader's hidden-test cells); where they are
    not installed, it says so.
    """
    if hidden:
        cases = course.hidden_cases(name)
        if cases is None:
            print(f"{name}: the hidden tests are not installed here", file=sys.stderr)
            return
        title = f"{name} (hidden tests)"
    else:
        cases, title = course.exercise(name)[1].cases(), name
    if not callable(fn):
        print(f"✘ {title}: expected a function, got {type(fn).__name__}", file=sys.stderr)
        return
    show(title, run_cases(fn, cases))


_READY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def mine_or_reference(
    course: Course,
    name: str,
    fn: Any,
    reference: Callable | None = None,
    label: str = "library reference",
) -> tuple[Callable | None, str]:
    """The learner's ``fn`` once it passes exercise ``name``'s visible checks, else ``reference``.

    Returns the function to use and who made it ("your corr2d" or ``label``), so that a figure
    can say what it shows. Without a reference, it returns (None, reason) and the figure is
    skipped. The checks run once per function; until they pass, each call says so.
    """
    ready = False
    if callable(fn):
        try:
            ready = _READY[fn]
        except (KeyError, TypeError):
            ready = run_cases(fn, course.exercise(name)[1].cases()).status is Status.PASSED
            try:
                _READY[fn] = ready
            except TypeError:  # not weakly referable: check again next time
                pass
    if ready:
        return fn, f"your {name}"
    why = f"{name} does not pass its check yet"
    what = f"this figure uses the {label}" if reference else "this figure waits for it"
    print(f"({why}: {what}.)")
    return (reference, label) if reference else (None, why)
