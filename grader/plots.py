"""Matplotlib helpers for the course notebooks: each draws and returns what it made.

Images use the course layout: a plain 2D array is ``(H, W)``, a colour image ``(3, H, W)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

__all__ = ["draw_grid", "plot_signals", "show_images"]


def _per_image(value, n: int) -> list:
    """Repeat a single setting ``n`` times, or check that a sequence has ``n`` entries."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        return [value] * n
    if len(value) != n:
        raise ValueError(f"got {len(value)} settings for {n} images")
    return list(value)


def show_images(
    images: Sequence[np.ndarray],
    titles: Sequence[str] | None = None,
    cmap: str | Sequence[str] = "gray",
    signed: bool | Sequence[bool] = False,
    ncols: int | None = None,
    size: float = 3.0,
) -> Figure:
    """Show images side by side in a grid.

    Introduced in 02_convolution.

    Parameters
    ----------
    images : sequence of ndarray
        Each of shape (H, W), or (3, H, W) for a colour image in [0, 1].
    titles : sequence of str, optional
    cmap : str or sequence of str, default "gray"
        Colour map for 2D images, one for all or one per image.
    signed : bool or sequence of bool, default False
        Red/blue colours centred on zero, with a colour bar: for filter
        responses, whose sign matters.
    ncols : int, optional
        Images per row; all in one row by default.
    size : float, default 3.0
        Panel width in inches.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    n = len(images)
    ncols = ncols or n
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False)
    titles = list(titles) if titles is not None else [""] * n
    settings = zip(
        axes.flat[:n], images, titles, _per_image(cmap, n), _per_image(signed, n), strict=True
    )
    for ax, img, title, cm, sgn in settings:
        img = np.asarray(img)
        if img.ndim == 3:
            ax.imshow(np.clip(img.transpose(1, 2, 0), 0, 1))
        elif sgn:
            lim = float(np.nanmax(np.abs(img), initial=0.0)) or 1.0  # NaN-safe, never 0
            shown = ax.imshow(img, cmap="RdBu_r" if cm == "gray" else cm, vmin=-lim, vmax=lim)
            fig.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
        else:
            ax.imshow(img, cmap=cm)
        ax.set_title(title, fontsize=10)
    for m, ax in enumerate(axes.flat):
        ax.set(xticks=[], yticks=[], visible=m < n)
    fig.tight_layout()
    return fig


def plot_signals(
    signals: Mapping[str, np.ndarray | tuple[np.ndarray, np.ndarray]],
    title: str = "",
    faint: Sequence[str] = (),
    stack: float = 0.0,
    xlabel: str = "sample index",
    ax: Axes | None = None,
) -> Axes:
    """Plot several 1D signals on one set of axes.

    Introduced in 02_convolution.

    Parameters
    ----------
    signals : mapping of str to ndarray or (ndarray, ndarray)
        Label to values of shape (L,), drawn at 0..L-1, or to a pair
        ``(positions, values)``, e.g. for the shorter output of a valid correlation.
    title : str, optional
    faint : sequence of str, optional
        Labels to draw thin and translucent (e.g. the noisy input).
    stack : float, default 0.0
        Vertical gap between successive signals (channels one under the other);
        0 overlays them.
    xlabel : str, default "sample index"
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.5))
    for n, (label, values) in enumerate(signals.items()):
        pos, vals = values if isinstance(values, tuple) else (np.arange(len(values)), values)
        style = {"lw": 1, "alpha": 0.45} if label in faint else {"lw": 1 if stack else 2}
        ax.plot(pos, vals - n * stack, label=label, **style)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="best", fontsize=9)
    ax.grid(alpha=0.3)
    return ax


def draw_grid(
    a: np.ndarray,
    ax: Axes | None = None,
    title: str = "",
    highlight: tuple[int, int, int, int] | None = None,
    signed: bool = False,
    vmax: float | None = None,
) -> Axes:
    """Draw a small 2D array as coloured cells with each value written in.

    Introduced in 02_convolution.

    Parameters
    ----------
    a : ndarray of shape (H, W)
        Values to draw; NaN cells are left blank.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
    highlight : (row, col, height, width), optional
        A rectangle of cells to outline in red, e.g. the window under a kernel.
    signed : bool, default False
        Centre the colours on zero (red positive, blue negative), not grey.
    vmax : float, optional
        Largest magnitude of the colour scale; the array's own by default.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    a = np.asarray(a, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.5 * a.shape[1] + 1, 0.5 * a.shape[0] + 1))
    finite = a[np.isfinite(a)]
    lim = (float(np.abs(finite).max(initial=0.0)) if vmax is None else vmax) or 1.0
    vmin = -lim if signed else min(finite.min(initial=0.0), 0.0)
    im = ax.imshow(a, cmap="RdBu_r" if signed else "gray", vmin=vmin, vmax=lim)
    for (r, c), v in np.ndenumerate(a):
        if np.isfinite(v):
            red, green, blue, _ = im.cmap(im.norm(v))
            ink = "black" if 0.3 * red + 0.6 * green + 0.1 * blue > 0.5 else "white"
            ax.text(c, r, f"{v:g}", ha="center", va="center", fontsize=9, color=ink)
    if highlight is not None:
        r, c, h, w = highlight
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), w, h, fill=False, ec="tab:red", lw=3))
    ax.set(xticks=range(a.shape[1]), yticks=range(a.shape[0]))
    ax.tick_params(length=0, labelsize=8)
    ax.set_title(title, fontsize=10)
    return ax
