"""Figures, timing and memory helpers of notebook 05_im2col.

Timings follow one recipe everywhere: warm-up calls first (caches, thread pools and lazy
allocations settle), then the median of several repeats, which one slow outlier cannot move. Each method
is timed in a block of its own: libraries that run threads (OpenBLAS, PyTorch's OpenMP) keep them
spinning for a while after a call, and interleaving them would time their contention.
Rates are in GFLOP/s, counting a multiply-add as two floating-point operations.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

__all__ = [
    "draw_windows_as_columns",
    "machine",
    "peak_bytes",
    "plot_rates",
    "plot_split",
    "time_each",
]

_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]


def machine() -> str:
    """One line naming what the timings ran on: CPUs, NumPy and the BLAS it calls.

    Introduced in 05_im2col.
    """
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        config = blas.get("openblas configuration", "")
        arch = config.split()[-2] if "MAX_THREADS" in config else ""
        name = f"{blas.get('name', '?')} {blas.get('version', '')} {arch}".strip()
    except (KeyError, TypeError, AttributeError):
        name = "unknown BLAS"
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")
    limit = f", BLAS threads limited to {threads}" if threads else ""
    return f"{os.cpu_count()} CPUs, NumPy {np.__version__} with {name}{limit}"


def time_each(
    calls: dict[str, Callable[[], object]], repeats: int = 7, warmup: int = 2, budget: float = 2.0
) -> dict[str, float]:
    """Median wall time in seconds of each call.

    Introduced in 05_im2col. Each call is timed in a block of its own: ``warmup`` untimed calls
    first (caches, thread pools and lazy allocations settle, and the threads of the previous
    library stop spinning), then ``repeats`` timed ones. A call stops repeating once its block
    has taken ``budget`` seconds (it is always timed at least once).
    """
    medians = {}
    for name, fn in calls.items():
        start = time.perf_counter()
        for _ in range(warmup):
            fn()
            if time.perf_counter() - start > budget / 2:  # a slow call: one warm-up is enough
                break
        times: list[float] = []
        while len(times) < repeats and (not times or time.perf_counter() - start < budget):
            begin = time.perf_counter()
            fn()
            times.append(time.perf_counter() - begin)
        medians[name] = float(np.median(times))
    return medians


def peak_bytes(fn: Callable[[], object]) -> int:
    """Largest amount of memory (bytes) that NumPy and Python held at once during ``fn()``,
    beyond what was held before. Introduced in 05_im2col."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def plot_rates(
    flops: Sequence[float], rates: dict[str, Sequence[float | None]], title: str, ax=None
) -> Axes:
    """GFLOP/s against the size of the job (MFLOP per call), both axes logarithmic.

    Introduced in 05_im2col. ``rates[name][k]`` is the rate of method ``name`` on job ``k``, or
    None where it was not measured.
    """
    ax = ax or plt.subplots(figsize=(8, 4.8))[1]
    sizes = np.asarray(flops) / 1e6
    for (name, values), marker in zip(rates.items(), "osD^vx*", strict=False):
        points = [(s, r) for s, r in zip(sizes, values, strict=True) if r]
        if points:
            ax.plot(*zip(*points, strict=True), marker=marker, label=name)
    ax.set(xscale="log", yscale="log", xlabel="work per call (MFLOP)", ylabel="GFLOP/s")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=9)
    return ax


def plot_split(parts: dict[str, float], title: str, ax=None) -> Axes:
    """One horizontal bar of milliseconds, split into the named parts. Introduced in 05_im2col."""
    ax = ax or plt.subplots(figsize=(8, 1.8))[1]
    left = 0.0
    for (name, seconds), color in zip(parts.items(), _COLORS, strict=False):
        ms = 1e3 * seconds
        ax.barh(0, ms, left=left, color=color, label=f"{name}: {ms:.2f} ms")
        left += ms
    ax.set(yticks=[], xlabel="milliseconds")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=len(parts), fontsize=9)
    return ax


def _grid(ax: Axes, values: np.ndarray, x0: float, y0: float, shade=None) -> None:
    """Cells of ``values`` with the numbers written in, top-left corner at (x0, y0)."""
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            face = shade(r, c) if shade else "white"
            ax.add_patch(Rectangle((x0 + c, y0 + r), 1, 1, facecolor=face, edgecolor="#999"))
            if np.isfinite(values[r, c]):
                ax.text(
                    x0 + c + 0.5,
                    y0 + r + 0.5,
                    f"{values[r, c]:g}",
                    ha="center",
                    va="center",
                    fontsize=7,
                )


def draw_windows_as_columns(
    image: np.ndarray, hh: int, ww: int, picks: Sequence[tuple[int, int]] = ((0, 0), (0, 1))
) -> Figure:
    """Draw a (C, H, W) image with some of its windows, and where they go in the column matrix.

    Introduced in 05_im2col. Each picked window ``(i, j)`` (stride 1, no padding) is outlined in
    a colour on the input; on the right, the column matrix has one row per tap ``(c, u, v)`` and
    one column per window, and only the picked windows' columns are filled in, so the reader can
    follow each number across.
    """
    c_in, h, w = image.shape
    h_out, w_out = h - hh + 1, w - ww + 1
    matrix = np.full((c_in * hh * ww, h_out * w_out), np.nan)
    for i, j in picks[: len(_COLORS)]:
        matrix[:, i * w_out + j] = image[:, i : i + hh, j : j + ww].reshape(-1)
    fig, ax = plt.subplots(
        figsize=(4 + 0.45 * (c_in * (w + 1) + matrix.shape[1]), 0.32 * len(matrix) + 1)
    )
    for c in range(c_in):  # the channels side by side, the windows outlined
        x0 = c * (w + 1)
        _grid(ax, image[c], x0, 0)
        ax.text(x0 + w / 2, -0.6, f"channel {c}", ha="center", fontsize=9)
        for (i, j), color in zip(picks, _COLORS, strict=False):
            ax.add_patch(Rectangle((x0 + j, i), ww, hh, fill=False, edgecolor=color, linewidth=2.5))
    colour_of = {i * w_out + j: color for (i, j), color in zip(picks, _COLORS, strict=False)}
    left = c_in * (w + 1) + 2
    _grid(
        ax,
        matrix,
        left,
        0,
        lambda r, col: colour_of.get(col, "white") + "40" if col in colour_of else "white",
    )
    for c in range(c_in):
        ax.text(
            left - 0.3, c * hh * ww + hh * ww / 2, f"c = {c}", ha="right", va="center", fontsize=8
        )
    for col in range(matrix.shape[1]):
        ax.text(
            left + col + 0.5,
            -0.3,
            f"({col // w_out},{col % w_out})",
            ha="center",
            fontsize=6,
            rotation=90,
        )
    ax.text(
        left + matrix.shape[1] / 2, -1.8, "columns: one per window (i, j)", ha="center", fontsize=9
    )
    ax.set(
        xlim=(-0.5, left + matrix.shape[1] + 0.5), ylim=(len(matrix) + 0.5, -2.5), aspect="equal"
    )
    ax.axis("off")
    return fig
