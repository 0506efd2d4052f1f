"""Figures and the explorer widget of notebook 03_padding_stride.

The drawings work on one spatial axis at a time (a square input of side ``n``, a square kernel of
side ``f``): the rules are the same for height and width. Positions are counted in the *padded*
input, whose side is ``n + before + after`` (``pad`` is an int or a pair ``(before, after)``). The
functions here only draw: the sizes and layers the notebook computes come from the learner's own
exercises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

__all__ = [
    "pad_pair",
    "NUMPY_MODES",
    "draw_footprints",
    "draw_read_counts",
    "footprint_explorer",
    "show_on_one_scale",
]

NUMPY_MODES = {"zero": "constant", "reflect": "reflect", "replicate": "edge"}
"""The course's padding modes and the name ``np.pad`` uses for each.

Introduced in 03_padding_stride."""


def pad_pair(pad) -> tuple[int, int]:
    """``(before, after)`` of a padding given as an int (both sides) or as a pair.

    Introduced in 03_padding_stride, where padding pairs are taught; every topic that reads a
    ``pad`` argument uses it.
    """
    return (int(pad), int(pad)) if np.ndim(pad) == 0 else (int(pad[0]), int(pad[1]))


def draw_footprints(
    n: int,
    f: int,
    stride: int = 1,
    pad: int | tuple[int, int] = 0,
    dilation: int = 1,
    ax: Axes | None = None,
    size_fn: Callable | None = None,
) -> Axes:
    """Draw where a kernel lands on an n x n input, padded, and state the output size or the error.

    Introduced in 03_padding_stride.

    Grey cells are padding. The first window is blue and the last orange, with their taps filled
    (dilation leaves holes between them); a dot marks the centre of every window, so the dots form
    the output grid. When the windows do not tile, the next window is drawn dashed in red where it
    would hang over the edge, and input rows and columns that no window reads are hatched red.

    Parameters
    ----------
    n, f, stride, dilation : int
        Input side, kernel side, and the layer's settings.
    pad : int or (int, int)
        Padding on every side, or ``(before, after)``: before at the top and left, after at the
        bottom and right.
    ax : matplotlib.axes.Axes, optional
    size_fn : callable, optional
        The learner's ``output_size``: its answer (or error) is added to the title.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    before, after = pad_pair(pad)
    padded, span = n + before + after, dilation * (f - 1) + 1
    starts = list(range(0, padded - span + 1, stride))  # every window that fits, walked
    tiles = bool(starts) and starts[-1] + span == padded
    if ax is None:
        side = min(0.33 * max(padded, span) + 1.8, 8.0)
        _, ax = plt.subplots(figsize=(side, side))
    for r in range(padded):
        for c in range(padded):
            inside = before <= r < before + n and before <= c < before + n
            ax.add_patch(
                Rectangle((c, r), 1, 1, fc="white" if inside else "#dddddd", ec="#aaaaaa", lw=0.5)
            )
    ax.add_patch(Rectangle((before, before), n, n, fill=False, ec="black", lw=1.8))
    read = {s0 + dilation * k for s0 in starts for k in range(f)}
    for i in sorted(set(range(before, before + n)) - read):  # real rows/columns no window reads
        ax.add_patch(Rectangle((i, before), 1, n, fc="none", ec="tab:red", hatch="///", lw=0))
        ax.add_patch(Rectangle((before, i), n, 1, fc="none", ec="tab:red", hatch="///", lw=0))
    shown = [(starts[0], "tab:blue", "-"), (starts[-1], "tab:orange", "-")] if starts else []
    if starts and not tiles:
        shown.append((starts[-1] + stride, "tab:red", "--"))
    elif not starts:
        shown.append((0, "tab:red", "--"))
    for s0, colour, style in shown:
        ax.add_patch(Rectangle((s0, s0), span, span, fill=False, ec=colour, lw=2.5, ls=style))
        for u in range(f):
            for v in range(f):
                corner = (s0 + dilation * v + 0.15, s0 + dilation * u + 0.15)
                ax.add_patch(Rectangle(corner, 0.7, 0.7, fc=colour, alpha=0.35, lw=0))
    centres = [s0 + span / 2 for s0 in starts]
    grid_r, grid_c = np.meshgrid(centres, centres, indexing="ij")
    ax.plot(grid_c.ravel(), grid_r.ravel(), "o", color="black", ms=4)
    value = (padded - span) / stride + 1
    padding = f"2·{before}" if before == after else f"{before} + {after}"
    formula = f"({n} + {padding} - {dilation}·({f} - 1) - 1) / {stride} + 1 = {value:.4g}"
    if span > padded:
        verdict = f"error: the kernel spans {span} > padded input {padded}"
    elif tiles:
        verdict = f"output {len(starts)} x {len(starts)}"
    else:
        verdict = f"error: does not tile\n(rounding down gives {len(starts)} and skips the red)"
    shown_pad = before if before == after else (before, after)
    title = f"N={n}, F={f}, S={stride}, P={shown_pad}, d={dilation}\n{formula}\n{verdict}"
    if size_fn is not None:
        try:
            title += (
                f"\nyour output_size: {size_fn(n, f, stride=stride, pad=pad, dilation=dilation)!r}"
            )
        except NotImplementedError:
            title += "\nyour output_size: not written yet"
        except Exception as exc:  # the learner's function may raise anything; show it
            title += f"\nyour output_size raised {type(exc).__name__}"
    limit = max(padded, shown[-1][0] + span)  # room for a window hanging over the edge
    ax.set(xlim=(-0.2, limit + 0.2), ylim=(limit + 0.2, -0.2), aspect="equal", xticks=[], yticks=[])
    ax.set_title(title, fontsize=9)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


def draw_read_counts(
    counts: np.ndarray, pad: int = 0, title: str = "", ax: Axes | None = None
) -> Axes:
    """Bar chart of how many windows read each position of a padded axis; zero bars in red.

    Introduced in 03_padding_stride.

    Parameters
    ----------
    counts : ndarray of shape (n + 2 * pad,)
        Number of windows that read each position.
    pad : int, default 0
        Positions ``0..pad-1`` and the last ``pad`` are padding (drawn grey).
    title : str, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    counts = np.asarray(counts)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * len(counts) + 1.5, 2.4))
    size = len(counts)
    is_pad = (np.arange(size) < pad) | (np.arange(size) >= size - pad)
    colours = [
        "#bbbbbb" if p else ("tab:red" if c == 0 else "tab:blue")
        for p, c in zip(is_pad, counts, strict=True)
    ]
    ax.bar(np.arange(size), np.maximum(counts, 0.08), color=colours, edgecolor="black", lw=0.5)
    for i in np.flatnonzero(counts == 0):
        ax.text(i, 0.15, "never\nread", ha="center", va="bottom", fontsize=8, color="tab:red")
    labels = [("pad" if p else str(i - pad)) for i, p in enumerate(is_pad)]
    ax.set(xticks=range(size), xticklabels=labels, ylabel="windows reading it", title=title)
    ax.set_ylim(0, max(int(counts.max()), 1) + 0.8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts are whole numbers
    return ax


def show_on_one_scale(
    images: Sequence[np.ndarray],
    titles: Sequence[str],
    label: str,
    cmap: str = "magma",
    integer: bool = False,
) -> Figure:
    """Show non-negative maps side by side on ONE colour scale, with one colour bar.

    Introduced in 03_padding_stride: panels that are each scaled to their own maximum cannot be
    compared (a faint artifact fills the range as brightly as a strong one); here the same colour
    means the same value in every panel.

    Parameters
    ----------
    images : sequence of ndarray of shape (H, W)
        Maps with values >= 0 (magnitudes, counts).
    titles : sequence of str
    label : str
        What the colour bar measures.
    cmap : str, default "magma"
    integer : bool, default False
        The values are counts: the colour bar gets whole-number ticks only.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Every panel's image shares ``clim == (0, max over all images)``.
    """
    top = max(float(np.max(img)) for img in images) or 1.0
    fig, axes = plt.subplots(1, len(images), figsize=(3.6 * len(images) + 0.8, 3.8), squeeze=False)
    shown = None
    for ax, img, title in zip(axes[0], images, titles, strict=True):
        shown = ax.imshow(img, cmap=cmap, vmin=0.0, vmax=top)
        ax.set(xticks=[], yticks=[], title=title)
    bar = fig.colorbar(shown, ax=list(axes[0]), fraction=0.025, pad=0.02, label=label)
    if integer:
        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
    return fig


def footprint_explorer(size_fn: Callable | None = None) -> Any:
    """Sliders for input size, kernel, stride, padding and dilation over :func:`draw_footprints`.

    Introduced in 03_padding_stride.

    Parameters
    ----------
    size_fn : callable, optional
        The learner's ``output_size``, whose answer is shown beside the drawing.

    Returns
    -------
    widget : ipywidgets.interactive or None
        None when ipywidgets is not installed (the caller says so instead of showing sliders).
    """
    try:
        import ipywidgets as widgets
    except ImportError:
        return None

    def slider(value: int, low: int, high: int, name: str):
        return widgets.IntSlider(
            value=value, min=low, max=high, description=name, continuous_update=False
        )

    def show(n: int, f: int, stride: int, pad: int, dilation: int) -> None:
        draw_footprints(n, f, stride, pad, dilation, size_fn=size_fn)
        plt.show()

    return widgets.interactive(
        show,
        n=slider(7, 1, 16, "input N"),
        f=slider(3, 1, 7, "kernel F"),
        stride=slider(1, 1, 4, "stride S"),
        pad=slider(0, 0, 3, "padding P"),
        dilation=slider(1, 1, 4, "dilation d"),
    )
