"""Figures of notebook 02_convolution: the steps of a correlation with the numbers written in,
filter responses on a photo, a convolution over a volume, and grid data that are not photos.

Every function draws what it is given and returns the figure; none computes a convolution of its
arguments (the notebook computes those with the learner's functions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from grader.plots import draw_grid, plot_signals

__all__ = [
    "draw_corr2d_step",
    "draw_sliding_1d",
    "draw_volume",
    "plot_filtered",
    "plot_grid_examples",
]


def _boxes(ax: Axes, values, y: float, start: int = 0, hi=(), color="white") -> None:
    """Draw ``values`` as a row of numbered unit boxes from x = ``start`` at height ``y``."""
    for n, v in enumerate(values):
        face = "#fde0c5" if n + start in hi else color
        ax.add_patch(Rectangle((start + n, y), 1, 0.8, fc=face, ec="black", lw=1))
        if v is not None:
            ax.text(start + n + 0.5, y + 0.4, f"{v:g}", ha="center", va="center", fontsize=10)


def draw_sliding_1d(x: np.ndarray, k: np.ndarray, positions: Sequence[int] | None = None) -> Figure:
    """Draw the multiply, sum, shift steps of a valid 1D cross-correlation.

    Introduced in 02_convolution.

    One row per step: ``x`` with the window shaded, ``k`` under the window, and
    the output so far, the new ``out[i] = sum_j x[i + j] * k[j]`` under ``x[i]``.

    Parameters
    ----------
    x : ndarray of shape (L,)
    k : ndarray of shape (K,)
    positions : sequence of int, optional
        Which steps ``i`` to draw; the first three by default.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    x, k = np.asarray(x, dtype=float), np.asarray(k, dtype=float)
    big_l, big_k = len(x), len(k)
    out = [float(np.dot(x[i : i + big_k], k)) for i in range(big_l - big_k + 1)]
    positions = list(positions) if positions is not None else [0, 1, 2]
    fig, axes = plt.subplots(len(positions), 1, figsize=(0.8 * big_l + 2, 2.2 * len(positions)))
    for ax, i in zip(np.atleast_1d(axes), positions, strict=True):
        _boxes(ax, x, 2.0, hi=range(i, i + big_k))
        _boxes(ax, k, 1.0, start=i, color="#d6e6f5")
        shown = [v if n <= i else None for n, v in enumerate(out)]
        _boxes(ax, shown, 0.0, hi={i})
        for label, y in (("x", 2.0), ("k", 1.0), ("out", 0.0)):
            ax.text(-0.3, y + 0.4, label, ha="right", va="center", fontsize=11, style="italic")
        terms = " + ".join(f"{x[i + j]:g}·{k[j]:g}" for j in range(big_k))
        ax.set_title(f"step i = {i}:  out[{i}] = {terms} = {out[i]:g}", fontsize=11, loc="left")
        ax.set(xlim=(-1.2, big_l + 0.2), ylim=(-0.2, 2.9), aspect="equal")
        ax.axis("off")
    fig.tight_layout()
    return fig


def draw_corr2d_step(x: np.ndarray, k: np.ndarray, i: int, j: int) -> Figure:
    """Draw one step of a valid 2D cross-correlation: window, kernel, output cell.

    Introduced in 02_convolution.

    Parameters
    ----------
    x : ndarray of shape (H, W)
        A small image, drawn with its values.
    k : ndarray of shape (HH, WW)
    i, j : int
        Output position; the window is ``x[i:i+HH, j:j+WW]``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Image with the window outlined, kernel, output filled up to ``(i, j)``.
    """
    x, k = np.asarray(x, dtype=float), np.asarray(k, dtype=float)
    hh, ww = k.shape
    windows = np.lib.stride_tricks.sliding_window_view(x, k.shape)
    out = np.einsum("ijuv,uv->ij", windows, k)
    shown = np.full(out.shape, np.nan)
    flat = i * out.shape[1] + j + 1
    shown.flat[:flat] = out.flat[:flat]
    widths = [x.shape[1], k.shape[1], out.shape[1]]  # equal cell sizes in all three panels
    figsize = (0.45 * sum(widths) + 3, 0.45 * x.shape[0] + 1.5)
    fig, axes = plt.subplots(1, 3, figsize=figsize, gridspec_kw={"width_ratios": widths})
    draw_grid(x, axes[0], "image x", highlight=(i, j, hh, ww))
    draw_grid(k, axes[1], "kernel k", signed=True)
    vmax = float(np.abs(out).max())
    draw_grid(shown, axes[2], "output so far", highlight=(i, j, 1, 1), signed=True, vmax=vmax)
    terms = f"sum of the {hh * ww} products x[{i}+u, {j}+v]·k[u, v]"
    fig.suptitle(f"out[{i}, {j}] = {terms} = {out[i, j]:g}", fontsize=11)
    fig.tight_layout()
    return fig


def plot_filtered(
    photo: np.ndarray,
    kernels: Mapping[str, np.ndarray],
    responses: Sequence[np.ndarray],
    crop: tuple[int, int, int] = (16, 40, 40),
) -> Figure:
    """Draw kernels, their responses on a photo, and a zoom into the responses.

    Introduced in 02_convolution.

    Row 1 shows each kernel on a symmetric red/blue scale. Rows 2 and 3 show its response and a
    zoom: a kernel whose weights sum to 0 (an edge detector) on a symmetric red/blue scale, any
    other kernel in gray with **the photo's own colour range**, so that a brightness map is drawn
    exactly as the photo is and a sharper or flatter result is seen as such, never rescaled.

    Parameters
    ----------
    photo : ndarray of shape (H, W)
        The photo the kernels were applied to; its minimum and maximum fix the gray scale.
    kernels : mapping of str to ndarray of shape (HH, WW)
        Name to kernel, in the order of ``responses``.
    responses : sequence of ndarray of shape (H - HH + 1, W - WW + 1)
        The valid correlation of ``photo`` with each kernel.
    crop : (int, int, int), default (16, 40, 40)
        Top row, left column and side of the zoomed square, in photo pixels.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three rows of panels; the zoomed square is outlined in the middle row.
    """
    photo = np.asarray(photo, dtype=float)
    if len(kernels) != len(responses):
        raise ValueError(f"{len(kernels)} kernels but {len(responses)} responses")
    lo, hi = float(photo.min()), float(photo.max())
    top, left, side = crop
    n = len(kernels)
    fig, axes = plt.subplots(3, n, figsize=(3.1 * n, 9.4), squeeze=False)
    for col, ((name, kern), resp) in enumerate(zip(kernels.items(), responses, strict=True)):
        kern, resp = np.asarray(kern, dtype=float), np.asarray(resp, dtype=float)
        lim = float(np.abs(kern).max()) or 1.0
        shown = axes[0, col].imshow(kern, cmap="RdBu_r", vmin=-lim, vmax=lim)
        fig.colorbar(shown, ax=axes[0, col], fraction=0.046, pad=0.04)
        axes[0, col].set_title(
            f"{name}\nweights sum to {round(float(kern.sum()), 6):g}", fontsize=9
        )
        edge = abs(kern.sum()) < 1e-9
        if edge:
            rlim = float(np.abs(resp).max()) or 1.0
            style = {"cmap": "RdBu_r", "vmin": -rlim, "vmax": rlim}
        else:
            style = {"cmap": "gray", "vmin": lo, "vmax": hi}
        # The valid output is smaller by the kernel's border: response (i, j) sits over photo
        # pixel (i + off_r, j + off_c).
        off_r, off_c = (photo.shape[0] - resp.shape[0]) // 2, (photo.shape[1] - resp.shape[1]) // 2
        r0, c0 = top - off_r, left - off_c
        if r0 < 0 or c0 < 0 or r0 + side > resp.shape[0] or c0 + side > resp.shape[1]:
            raise ValueError(f"crop {crop} does not fit inside a response of shape {resp.shape}")
        for row, (img, what) in enumerate(
            ((resp, "response"), (resp[r0 : r0 + side, c0 : c0 + side], f"zoom, {side} x {side}")),
            start=1,
        ):
            shown = axes[row, col].imshow(img, **style)
            fig.colorbar(shown, ax=axes[row, col], fraction=0.046, pad=0.04)
            scale = "signed scale" if edge else f"photo's range [{lo:.2g}, {hi:.2g}]"
            axes[row, col].set_title(f"{name}: {what}\n{scale}", fontsize=9)
        axes[1, col].add_patch(
            Rectangle((c0 - 0.5, r0 - 0.5), side, side, fill=False, ec="tab:orange", lw=1.5)
        )
    for ax in axes.flat:
        ax.set(xticks=[], yticks=[])
    fig.tight_layout()
    return fig


def _cuboid(ax: Axes, x: float, y: float, depth: int, height: int, width: int, **style) -> None:
    """Draw a box ``width`` wide, ``height`` tall, ``depth`` deep in an oblique projection.

    ``(x, y)`` is the bottom-left corner of its front face; depth recedes up and to the right.
    """
    dx, dy = 0.55 * depth, 0.4 * depth
    front = [(x, y), (x + width, y), (x + width, y + height), (x, y + height)]
    top = [(x, y + height), (x + width, y + height), (x + width + dx, y + height + dy)]
    top.append((x + dx, y + height + dy))
    right = [(x + width, y), (x + width + dx, y + dy), (x + width + dx, y + height + dy)]
    right.append((x + width, y + height))
    for face, shade in ((front, 1.0), (top, 0.85), (right, 0.7)):
        ax.add_patch(
            Polygon(
                face,
                closed=True,
                alpha=style.get("alpha", 1.0) * shade,
                fc=style.get("fc", "white"),
                ec=style.get("ec", "black"),
                lw=1,
            )
        )


def draw_volume(
    channels: int = 3, size: int = 10, kernel: int = 5, filters: int = 4, at: tuple = (2, 3)
) -> Figure:
    """Draw a multi-channel convolution: an input block, a bank of filters, an output volume.

    Introduced in 02_convolution.

    The input ``(C, H, W)`` is a block with the window of the first filter at output position
    ``at`` shaded; the filters ``(F, C, K, K)`` are ``F`` small blocks as deep as the input; the
    output ``(F, H', W')`` stacks one map per filter, with the one number that this window gives
    marked.

    Parameters
    ----------
    channels : int, default 3
        Input depth C (every filter has the same depth).
    size : int, default 10
        Input height and width H = W.
    kernel : int, default 5
        Filter height and width K.
    filters : int, default 4
        Number of filters F, the output depth.
    at : (int, int), default (2, 3)
        Output row and column of the marked number.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    out = size - kernel + 1
    if out < 1 or not (0 <= at[0] < out and 0 <= at[1] < out):
        raise ValueError(f"position {at} is outside the {out} x {out} output")
    colors = plt.get_cmap("tab10").colors
    fig, ax = plt.subplots(figsize=(14, 5.2))
    # The input block, and the window of the first filter inside it (rows counted from the top).
    _cuboid(ax, 0, 0, channels, size, size, fc="#d6e6f5")
    i, j = at
    _cuboid(ax, j, size - i - kernel, channels, kernel, kernel, fc=colors[1], alpha=0.55)
    ax.text(
        size / 2,
        -1.2,
        f"input x: (C, H, W) = ({channels}, {size}, {size})",
        ha="center",
        fontsize=10,
    )
    # The bank of filters: F blocks, each as deep as the input.
    fx = size + 4
    for f in range(filters):
        _cuboid(
            ax,
            fx + f * (kernel + 1.5) * 0.45,
            size - kernel - f * 1.6,
            channels,
            kernel * 0.45,
            kernel * 0.45,
            fc=colors[1 + f],
            alpha=0.85,
        )
    n = channels * kernel * kernel
    ax.text(
        fx + 2.2,
        size - kernel - filters * 1.6 - 0.6,
        f"filters w: (F, C, K, K) = ({filters}, {channels}, {kernel}, {kernel})\n"
        f"each: {channels} x {kernel} x {kernel} = {n} weights + 1 bias",
        ha="center",
        va="top",
        fontsize=10,
    )
    # The output volume: one map per filter, stacked in depth; map 0 in front.
    ox = size + 18
    for f in reversed(range(filters)):
        _cuboid(ax, ox + 0.55 * f, 0.4 * f + 2, 1, out, out, fc=colors[1 + f], alpha=0.8)
    cell = (ox + j, 2 + out - i - 1)
    ax.add_patch(Rectangle(cell, 1, 1, fc="black"))
    ax.text(
        ox + out / 2 + 1,
        0.4,
        f"output: (F, H', W') = ({filters}, {out}, {out})\nmap f comes from filter f",
        ha="center",
        va="top",
        fontsize=10,
    )
    ax.annotate(
        "",
        xy=(cell[0] + 0.5, cell[1] + 0.5),
        xytext=(j + kernel + 0.55 * channels, size - i - kernel / 2),
        arrowprops={
            "arrowstyle": "->",
            "lw": 2,
            "color": "black",
            "connectionstyle": "arc3,rad=-0.25",
        },
    )
    ax.text(
        (j + kernel + cell[0]) / 2 + 1,
        size + 2.2,
        f"{n} products (all {channels} channels of the window) + bias -> one number",
        ha="center",
        fontsize=10.5,
        fontweight="bold",
    )
    ax.set(xlim=(-1, ox + out + filters + 1), ylim=(-4.5, size + 3.5), aspect="equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


def plot_grid_examples(examples: Mapping[str, np.ndarray], rate: float = 8000.0) -> Figure:
    """Draw an audio clip and EEG channels from :func:`~grader.convolution.lesson.grid_examples`.

    Introduced in 02_convolution.

    Traces that share one set of axes are drawn one under the other; every label says how far
    its trace was moved down, so no offset is mistaken for part of the signal.

    Parameters
    ----------
    examples : mapping with ``"audio"`` of shape (1, L) and ``"eeg"`` of shape (C, L)
    rate : float, default 8000.0
        Audio samples per second.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    audio, eeg = np.asarray(examples["audio"])[0], np.asarray(examples["eeg"])
    window = int(0.02 * rate)  # 20 ms
    fig, axes = plt.subplots(1, 2, figsize=(13, 3.8))
    plot_signals(
        {"first 20 ms": audio[:window], "last 20 ms (drawn 2.5 lower)": audio[-window:]},
        stack=2.5,
        title=f"audio {examples['audio'].shape} at {rate / 1000:g} kHz: a chirp, its pitch rising",
        xlabel=f"sample within the 20 ms window ({window} samples)",
        ax=axes[0],
    )
    axes[0].set_ylabel("amplitude (second trace offset)")
    plot_signals(
        {
            f"electrode {c} (drawn {3 * c} lower)" if c else "electrode 0": eeg[c]
            for c in range(len(eeg))
        },
        stack=3.0,
        title=f"EEG {eeg.shape}: a shared 10 Hz rhythm on {len(eeg)} electrodes",
        xlabel="sample (250 per second)",
        ax=axes[1],
    )
    axes[1].set_ylabel("voltage (arbitrary units, offset)")
    axes[1].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return fig
