"""Hidden cases of notebook 06_backprop's numerical_gradient (not in the student bundle).

The functions' centred differences are known: elementwise functions are evaluated at x + h and
x - h here, entry by entry being the same; ``x * sum(x)`` and ``sum(x**2, axis=0)`` are quadratic,
so centred differences are exact; ``tanh(x @ A)`` is differentiated by hand, exact up to h**2 with
the default step. Shapes have one to four axes, x is float32 in some seeds, h is the default or
given.
"""

from __future__ import annotations

import numpy as np

from grader.backprop.cases import GOLDEN
from grader.backprop.hidden.references import distinct
from grader.engine.cases import Case, Code

__all__ = ["ELEMENTWISE", "numerical_gradient_cases"]

SEEDS = range(8)
_M = GOLDEN.mistakes


ELEMENTWISE = {
    "lambda x: np.tanh(x)": np.tanh,
    "lambda x: x ** 3 - x": lambda x: x**3 - x,
    "lambda x: np.sin(2 * x)": lambda x: np.sin(2 * x),
    "lambda x: np.exp(x / 3)": lambda x: np.exp(x / 3),
    "lambda x: x * np.abs(x)": lambda x: x * np.abs(x),
}


def _elementwise(label: str, source: str, x, dout, h: float | None) -> Case:
    f, step = ELEMENTWISE[source], 1e-5 if h is None else h
    x64, d = np.asarray(x, dtype=np.float64), np.asarray(dout, dtype=np.float64)

    def centred(s):
        return (f(x64 + s) - f(x64 - s)) / (2 * s)

    expected = d * centred(step)
    mistakes = {
        "one_sided": d * (f(x64 + step) - f(x64)) / step,
        "not_halved": 2 * expected,
        "dout_ignored": centred(step) + 0 * d,
    }
    if step != 1e-5:
        mistakes["step_ignored"] = d * centred(1e-5)
    kwargs = {} if h is None else {"h": h}
    named = tuple((_M[m], v) for m, v in distinct(expected, mistakes).items())
    return Case(f"{label}, f = {source}", (Code(source), x, dout), expected, kwargs, named)


def _coupled(label: str, x, dout) -> Case:
    """f(x) = tanh(x_flat @ A): every entry of a sample moves all its outputs."""
    n, dim = x.shape[0], int(np.prod(x.shape[1:]))
    a = np.cos(np.arange(dim * 3)).reshape(dim, 3)
    source = (
        f"lambda x: np.tanh(x.reshape({n}, {dim}) @ np.cos(np.arange({dim * 3})).reshape({dim}, 3))"
    )

    def grad(at):
        t = np.tanh(at.reshape(n, dim) @ a)
        return (((1 - t**2) * dout) @ a.T).reshape(x.shape)

    x64 = np.asarray(x, dtype=np.float64)
    shifted = np.empty(x.shape)
    for k in range(x.size):
        moved = x64.copy()
        moved.flat[:k] -= 1e-5
        shifted.flat[k] = grad(moved).flat[k]
    expected = grad(x64)
    mistakes = distinct(expected, {"not_restored": shifted})
    named = tuple((_M[m], v) for m, v in mistakes.items())
    return Case(f"{label}, f = tanh(x @ A)", (Code(source), x, dout), expected, mistakes=named)


def numerical_gradient_cases() -> list[Case]:
    cases = []
    sources = list(ELEMENTWISE)
    for seed in SEEDS:
        rng = np.random.default_rng([601, seed])
        shape = tuple(int(v) for v in rng.integers(1, 4, size=int(rng.integers(1, 5))))
        x = rng.normal(size=shape).astype(np.float32 if seed % 3 == 2 else np.float64)
        dout = rng.normal(size=shape)
        h = [None, 1e-3, 0.1, 1e-4][seed % 4]
        label = f"random x {shape}, {x.dtype}, h {h or 'default'}"
        cases.append(_elementwise(label, sources[seed % len(sources)], x, dout, h))
        x2 = rng.normal(size=(int(rng.integers(1, 4)), int(rng.integers(1, 4)), 2))
        cases.append(_coupled(f"random x {x2.shape}", x2, rng.normal(size=(x2.shape[0], 3))))
    rng = np.random.default_rng(6010)
    x, d = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    total = float(np.sum(x * d))
    cases += [
        _elementwise("one entry, x (1,)", "lambda x: np.tanh(x)", np.array([0.3]), np.array([2.0]), None),
        Case(
            "f(x) = x * sum(x) (every output moves with every entry), x (3, 4)",
            (Code("lambda x: x * np.sum(x)"), x, d),
            d * x.sum() + total,
            mistakes=((_M["dout_ignored"], x.sum() + x.size * x),),
        ),
        Case(
            "f returns a number, f(x) = sum(sin(x)), dout = 1.0, x (3, 4), h = 0.01",
            (Code("lambda x: np.sum(np.sin(x))"), x, 1.0),
            (np.sin(x + 0.01) - np.sin(x - 0.01)) / 0.02,
            {"h": 0.01},
            ((_M["step_ignored"], np.cos(x)),),
        ),
        Case(
            "f sums over axis 0: x (3, 4) gives f(x) (4,), f(x) = sum(x**2, axis=0)",
            (Code("lambda x: np.sum(x ** 2, axis=0)"), x, d[0]),
            2 * x * d[0],
        ),
        Case(
            "f returns x itself, float32 x (2, 3)",
            (Code("lambda x: x"), x[:2, :3].astype(np.float32), d[:2, :3]),
            d[:2, :3].copy(),
            mistakes=((_M["view_kept"], np.zeros((2, 3))),),
        ),
    ]  # fmt: skip
    return cases
