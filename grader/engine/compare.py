"""Comparing a learner's result with the reference, in the learner's terms.

Every comparison returns None when the result is right, else a :class:`Problem`: what is wrong
(shape, dtype, the first wrong position with both numbers, enough digits to tell them apart, the
relative error and the tolerance) and, where the result matches a known mistake, that mistake.
Tolerances follow the dtype of the learner's result: float32 arithmetic is held to a relative
1e-4, float64 to 1e-7 (both relative to the largest reference value, at least 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.engine.cases import Case, Mistake
from grader.engine.sandboxed.wire import Unsupported
from grader.engine.text import clean

__all__ = ["BUILTIN", "Problem", "compare", "describe", "format_pair", "named_mistake", "tolerance"]

RTOL = {2: 1e-2, 4: 1e-4, 8: 1e-7}  # by the result's float size in bytes (float16, 32, 64)

BUILTIN = {
    name: Mistake(name, text)
    for name, text in {
        "transposed": "the output is transposed: rows and columns are swapped",
        "axes_swapped": "the axes look swapped: is the output transposed?",
        "integer_dtype": "expected a floating-point array (was the output created from an "
        "integer array, e.g. with np.zeros_like on integer input?)",
        "nan": "the result contains NaN (an overflow, a 0 / 0, or part of the output never "
        "written, e.g. with np.empty?)",
        "mutated_input": "exercises must leave their inputs unchanged and return new arrays",
    }.items()
}


@dataclass(frozen=True)
class Problem:
    """What is wrong with a result; ``mistake`` when it matches a known one."""

    text: str
    mistake: Mistake | None = None


def _float_size(value: Any) -> int | None:
    dtype = getattr(value, "dtype", None)
    return dtype.itemsize if dtype is not None and dtype.kind == "f" else None


def tolerance(case: Case, got: Any, expected: Any) -> tuple[float, float, str]:
    """(rtol, atol, why) for judging ``got``: the case's own, else by dtype.

    The precision is the lowest of the result's and the float inputs': float32 inputs summed
    into a float64 buffer are still float32 arithmetic. ``atol`` is ``rtol`` times the largest
    reference value (at least 1), so entries near zero are judged on the scale of the rest.
    """
    if case.exact:
        return 0.0, 0.0, "exact"
    sizes = [s for s in map(_float_size, (got, *case.args)) if s is not None]
    size = min(sizes, default=8)
    rtol = case.rtol if case.rtol is not None else RTOL.get(size, 1e-7)
    why = f"float{8 * size}" if case.rtol is None else "this case"
    with np.errstate(all="ignore"):
        finite = np.abs(np.asarray(expected, dtype=float))
        scale = float(np.max(finite[np.isfinite(finite)], initial=0.0))
    atol = case.atol if case.atol is not None else rtol * max(1.0, scale)
    return rtol, atol, why


def format_pair(expected: float, got: float) -> tuple[str, str]:
    """Both numbers with just enough significant digits to tell them apart (6 to 17)."""
    for digits in range(6, 18):
        a, b = f"{expected:.{digits}g}", f"{got:.{digits}g}"
        if a != b:
            return a, b
    return f"{expected!r}", f"{got!r}"


def _numbers(expected: float, got: float, rtol: float, why: str) -> str:
    a, b = format_pair(expected, got)
    text = f"expected {a}, got {b}"
    if rtol > 0 and np.isfinite(expected) and np.isfinite(got):
        err = abs(got - expected) / max(abs(expected), 1e-300)
        text += f" (relative error {err:.2g}, tolerance {rtol:g} for {why})"
    return text


def shape_text(shape: tuple) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def describe(value: Any) -> str:
    """A short description of a value the learner returned."""
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} items"
    if isinstance(value, np.ndarray):
        return f"an array of shape {shape_text(value.shape)} and dtype {value.dtype}"
    if isinstance(value, Unsupported):
        return clean(f"{value.type_name} {value.text}", 200)
    return clean(f"{type(value).__name__} {value!r}", 200)


def _matches(got: Any, wrong: Any, rtol: float, atol: float) -> bool:
    """Whether ``got`` is the answer a mistake gives (NaN where it gives NaN)."""
    if wrong is None:  # a tuple mistake leaves this item right: it names nothing here
        return False
    wrong = np.asarray(wrong)
    if wrong.shape != np.shape(got):
        return False
    with np.errstate(all="ignore"):
        try:
            return bool(np.allclose(got, wrong, rtol=rtol, atol=atol, equal_nan=True))
        except TypeError:  # not numbers
            return False


def _named(case: Case, got: Any, rtol: float, atol: float) -> Mistake | None:
    return next((m for m, wrong in case.mistakes if _matches(got, wrong, rtol, atol)), None)


def named_mistake(case: Case, got: Any) -> Mistake | None:
    """The case's mistake whose answer ``got`` is (exactly, for a number), if any."""
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got.item()
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        return next((m for m, wrong in case.mistakes if np.ndim(wrong) == 0 and wrong == got), None)
    if isinstance(got, np.ndarray) and got.dtype.kind in "biuf":
        rtol, atol, _ = tolerance(case, got, got)
        return _named(case, got, rtol, atol)
    return None


def _compare_arrays(case: Case, expected: np.ndarray, got: np.ndarray) -> Problem | None:
    rtol, atol, why = tolerance(case, got, expected)
    if got.shape != expected.shape:
        text = f"expected shape {shape_text(expected.shape)}, got {shape_text(got.shape)}"
        named = _named(case, got, rtol, atol)
        if named is None and got.ndim > 1 and got.shape == expected.shape[::-1]:
            named = BUILTIN["axes_swapped"]
        return Problem(text, named)
    if expected.dtype.kind == "f" and got.dtype.kind != "f":
        return Problem(f"got dtype {got.dtype}", BUILTIN["integer_dtype"])
    with np.errstate(all="ignore"):
        if np.isnan(got.astype(float)).any() and not np.isnan(expected.astype(float)).any():
            return Problem("NaN in the result", _named(case, got, rtol, atol) or BUILTIN["nan"])
        close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    where = f"index {index[0]}" if len(index) == 1 else f"index {index}"
    text = (
        f"wrong value at {where}: {_numbers(float(expected[index]), float(got[index]), rtol, why)}"
        f"; {int((~close).sum())} of {close.size} values wrong"
    )
    named = _named(case, got, rtol, atol)
    if named is None and got.ndim == 2 and _matches(got, expected.T, rtol, atol):
        named = BUILTIN["transposed"]
    return Problem(text, named)


def _compare_number(case: Case, expected: int | float, got: Any) -> Problem | None:
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got.item()
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return Problem(f"expected the number {expected!r}, got {describe(got)}")
    if isinstance(expected, int):
        if not np.isfinite(got) or got != int(got):
            return Problem(f"expected the integer {expected}, got {got!r}")
        if int(got) == expected:
            return None
        named = next(
            (m for m, wrong in case.mistakes if np.ndim(wrong) == 0 and wrong == got), None
        )
        return Problem(f"expected {expected}, got {int(got)}", named)
    rtol, atol, why = tolerance(case, np.float64(got), expected)
    if np.isclose(got, expected, rtol=rtol, atol=atol):
        return None
    return Problem(_numbers(expected, float(got), rtol, why), _named(case, got, rtol, atol))


def _compare_items(case: Case, expected: list[tuple], got: dict, name: str) -> Problem | None:
    """Compare a tuple's items or a dict's values one by one; a mistake given as a whole tuple
    or dict names the wrong item too."""
    for key, e in expected:
        item_mistakes = tuple(
            (m, wrong[key])
            for m, wrong in case.mistakes
            if isinstance(wrong, (tuple, dict))
            and type(wrong) is type(case.expected)
            and (key in wrong if isinstance(wrong, dict) else len(wrong) == len(expected))
        )
        item = Case(
            case.label,
            case.args,
            e,
            mistakes=item_mistakes,
            exact=case.exact,
            rtol=case.rtol,
            atol=case.atol,
        )
        problem = compare(item, e, got[key])
        if problem:
            return Problem(f"{name.format(key)}: {problem.text}", problem.mistake)
    return None


def compare(case: Case, expected: Any, got: Any) -> Problem | None:
    """None when ``got`` is the reference ``expected``, else what is wrong with it."""
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray) or got.ndim == 0:
            return Problem(
                f"expected an array of shape {shape_text(expected.shape)}, got {describe(got)}"
            )
        return _compare_arrays(case, expected, got)
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            return Problem(f"expected a tuple of {len(expected)} items, got {describe(got)}")
        return _compare_items(
            case, list(enumerate(expected)), dict(enumerate(got)), "item {} of the tuple"
        )
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            keys = ", ".join(map(repr, expected))
            return Problem(f"expected a dict with the keys {keys}, got {describe(got)}")
        return _compare_items(case, list(expected.items()), got, "{!r}")
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return _compare_number(case, expected, got)
    if type(got) is not type(expected) or got != expected:
        return Problem(f"expected {expected!r}, got {describe(got)}")
    return None
