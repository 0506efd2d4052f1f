"""Toy data and figures of notebook 01_history: logic gates, separable points, decision lines,
the updates inside one epoch, a timeline."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "epoch_steps",
    "logic_gate",
    "plot_boundary",
    "plot_epoch_steps",
    "plot_timeline",
    "separable_points",
]


_GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "xor": [0, 1, 1, 0],
}


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the four inputs of a two-input logic gate and its truth table.

    Introduced in 01_history.

    Parameters
    ----------
    name : {"and", "or", "nand", "xor"}

    Returns
    -------
    X : ndarray of shape (4, 2), float64
        The inputs (0, 0), (0, 1), (1, 0), (1, 1), one per row.
    y : ndarray of shape (4,), int64
        The gate's output for each row.

    Examples
    --------
    >>> logic_gate("xor")[1]
    array([0, 1, 1, 0])
    """
    if name not in _GATES:
        raise ValueError(f"unknown gate {name!r}; choose one of {sorted(_GATES)}")
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array(_GATES[name], dtype=np.int64)


def separable_points(
    n: int = 40, gap: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, float]]:
    """Return 2D points that a straight line separates, with a clear gap around the line.

    Introduced in 01_history.

    Points are drawn uniformly from the square [-3, 3] x [-3, 3]; those closer than ``gap`` to the
    line ``x0 + 2 x1 - 1 = 0`` are drawn again. A point's label is 1 on the side where
    ``x0 + 2 x1 - 1 > 0``, else 0.

    Parameters
    ----------
    n : int, default 40
        Number of points.
    gap : float, default 0.3
        Smallest distance from a point to the separating line.
    seed : int, default 0
        Seed of ``np.random.default_rng``.

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), int64
    line : (ndarray of shape (2,), float)
        The separating line as ``(w, b)``: ``w = [1, 2]``, ``b = -1``.
    """
    rng = np.random.default_rng(seed)
    w, b = np.array([1.0, 2.0]), -1.0
    points: list[np.ndarray] = []
    while len(points) < n:
        p = rng.uniform(-3.0, 3.0, size=2)
        if abs(p @ w + b) / np.linalg.norm(w) >= gap:
            points.append(p)
    X = np.array(points)
    return X, (X @ w + b > 0).astype(np.int64), (w, b)


def plot_boundary(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    b: float,
    ax: Axes | None = None,
    title: str = "",
    view: tuple[float, float] | None = None,
) -> Axes:
    """Draw 2D points of two classes and the line ``w @ x + b = 0`` of a threshold unit.

    Introduced in 01_history.

    The side where the unit outputs 1 (``w @ x + b > 0``) is shaded orange, the other side blue.
    Points the unit gets wrong are circled in red.

    Parameters
    ----------
    X : ndarray of shape (N, 2)
    y : ndarray of shape (N,)
        Labels 0 (blue circles) and 1 (orange squares).
    w : ndarray of shape (2,)
    b : float
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    view : (float, float), optional
        Lowest and highest value shown on both axes; by default the view fits the points with a
        margin.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    X, y, w = np.asarray(X, dtype=float), np.asarray(y), np.asarray(w, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    if view is None:
        lo, hi = X.min(axis=0) - 0.6, X.max(axis=0) + 0.6
    else:
        lo, hi = np.full(2, view[0]), np.full(2, view[1])
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], 300), np.linspace(lo[1], hi[1], 300))
    side = (g0 * w[0] + g1 * w[1] + b > 0).astype(float)
    ax.contourf(g0, g1, side, levels=[-0.5, 0.5, 1.5], colors=["#d6e6f5", "#fde0c5"], alpha=0.9)
    if np.any(w != 0):
        ax.contour(g0, g1, g0 * w[0] + g1 * w[1] + b, levels=[0.0], colors="black", linewidths=1.5)
    wrong = (X @ w + b > 0).astype(int) != y
    for label, marker, color in ((0, "o", "tab:blue"), (1, "s", "tab:orange")):
        pts = X[y == label]
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            marker=marker,
            c=color,
            edgecolors="black",
            s=45,
            label=f"label {label}",
            zorder=3,
        )
    if wrong.any():
        ax.scatter(
            X[wrong, 0],
            X[wrong, 1],
            s=180,
            facecolors="none",
            edgecolors="red",
            linewidths=1.8,
            label="misclassified",
            zorder=4,
        )
    ax.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]), aspect="equal", xlabel="$x_0$", ylabel="$x_1$")
    ax.set_title(title, fontsize=10)
    return ax


def epoch_steps(
    update: Callable, X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float
) -> list[tuple[np.ndarray, float]]:
    """Return the weights after each sample of one pass of a learning rule, one sample at a time.

    Introduced in 01_history.

    Calls ``update(X[i:i+1], y[i:i+1], w, b, lr)`` for i = 0, ..., N - 1, each time from the
    weights the call before returned: one pass of ``update`` over all of ``X``, watched step by
    step.

    Parameters
    ----------
    update : callable
        A one-pass rule with the signature of ``perceptron_update``.
    X : ndarray of shape (N, D)
    y : ndarray of shape (N,)
    w : ndarray of shape (D,)
        Weights before the pass.
    b : float
        Bias before the pass.
    lr : float
        Learning rate.

    Returns
    -------
    states : list of N pairs (ndarray of shape (D,), float)
        ``states[i]`` is ``(w, b)`` just after sample ``i``.
    """
    if not callable(update):
        raise TypeError(f"update must be a function like perceptron_update, got {type(update)}")
    X, y = np.asarray(X), np.asarray(y)
    states = []
    for i in range(len(X)):
        w, b = update(X[i : i + 1], y[i : i + 1], w, b, lr)
        states.append((np.array(w, dtype=float), float(b)))
    return states


def plot_epoch_steps(
    X: np.ndarray,
    y: np.ndarray,
    start: tuple[np.ndarray, float],
    states: Sequence[tuple[np.ndarray, float]],
    view: tuple[float, float] = (-0.5, 1.5),
) -> Figure:
    """Draw the decision line after each sample of one epoch, one panel per sample.

    Introduced in 01_history.

    Panel ``i`` shows the line after sample ``i`` was visited (that sample ringed in black), says
    whether the weights changed, and counts the points the new line gets wrong.

    Parameters
    ----------
    X : ndarray of shape (N, 2)
    y : ndarray of shape (N,)
    start : (ndarray of shape (2,), float)
        The weights before the epoch.
    states : sequence of N pairs (ndarray of shape (2,), float)
        The weights after each sample, as :func:`epoch_steps` returns them.
    view : (float, float), default (-0.5, 1.5)
        Lowest and highest value shown on both axes.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel per sample.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if len(states) != len(X):
        raise ValueError(f"{len(states)} states for {len(X)} samples: one state per sample")
    fig, axes = plt.subplots(1, len(states), figsize=(3.6 * len(states), 4.0), squeeze=False)
    before = (np.asarray(start[0], dtype=float), float(start[1]))
    for i, (ax, (w, b)) in enumerate(zip(axes[0], states, strict=True)):
        changed = not (np.array_equal(w, before[0]) and b == before[1])
        wrong = int(np.sum((X @ w + b > 0).astype(int) != y))
        plot_boundary(X, y, w, b, ax=ax, view=view)
        ax.scatter(*X[i], s=420, facecolors="none", edgecolors="black", linewidths=2.5, zorder=5)
        what = "update" if changed else "no change"
        ax.set_title(
            f"sample {i}: x = ({X[i, 0]:g}, {X[i, 1]:g}), y = {y[i]}: {what}\n"
            f"w = ({w[0]:g}, {w[1]:g}), b = {b:g}; {wrong} of {len(X)} wrong",
            fontsize=9,
        )
        before = (w, b)
    fig.tight_layout()
    return fig


def plot_timeline(events: Sequence[tuple[int, str, bool]], ax: Axes | None = None) -> Axes:
    """Draw milestones on a horizontal time axis, labels alternating above and below.

    Introduced in 01_history.

    Parameters
    ----------
    events : sequence of (year, text, highlight)
        ``text`` may hold line breaks; highlighted events are drawn bold and dark red.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(14, 5))
    years = [e[0] for e in events]
    ax.axhline(0, color="black", lw=1.5, zorder=1)
    heights = [1.6, -1.6, 0.85, -0.85]
    for n, (year, text, highlight) in enumerate(sorted(events, key=lambda e: e[0])):
        h = heights[n % len(heights)]
        color = "darkred" if highlight else "dimgray"
        ax.plot([year, year], [0, h], color=color, lw=1, zorder=1)
        ax.scatter([year], [0], s=60 if highlight else 30, color=color, zorder=2)
        ax.text(
            year,
            h + (0.08 if h > 0 else -0.08),
            f"{year}\n{text}" if h > 0 else f"{text}\n{year}",
            ha="center",
            va="bottom" if h > 0 else "top",
            fontsize=8.5,
            color=color,
            fontweight="bold" if highlight else "normal",
        )
    ax.set(xlim=(min(years) - 4, max(years) + 4), ylim=(-3.1, 3.1), yticks=[])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return ax
