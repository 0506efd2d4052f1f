"""Figures of notebook 04_pooling: pooling windows drawn, receptive fields found by experiment.

Receptive fields here are found by experiment, never by formula: a chain of 1D layers is fed one
perturbed input at a time (:func:`influence_1d`) and the inputs that move a unit are read off. A
layer is a tuple ``(kernel, stride, dilation)``; a pooling window is a layer too.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

__all__ = [
    "draw_network_1d",
    "draw_pooling",
    "draw_receptive_fields_2d",
    "influence_1d",
    "path_counts",
]

Layer = tuple[int, int, int]
_TINTS = ["#fde0c5", "#d6e6f5", "#d9f0d3", "#eadcf2", "#fff2b3", "#f7d4dc", "#d0f0ef", "#e8e8e8"]


def influence_1d(layers: Sequence[Layer], n_inputs: int, weights: str = "random") -> np.ndarray:
    """Push each of ``n_inputs`` one-hot inputs through a chain of 1D layers.

    Introduced in 04_pooling. Every layer is a valid correlation
    ``out[p] = sum_j w[j] * in[p * s + j * d]`` with positive weights, so no two paths can cancel;
    a pooling window is such a layer too.

    Parameters
    ----------
    layers : sequence of (kernel, stride, dilation), first layer first.
    n_inputs : int
        Length of the input signal.
    weights : {"random", "ones"}, default "random"
        Positive random weights, or all ones (then entry [o, i] counts the paths from input i
        to output o).

    Returns
    -------
    a : ndarray of shape (n_outputs, n_inputs)
        ``a[o, i]`` is how much output ``o`` moves when input ``i`` moves by 1 (0: not at all);
        ``n_outputs`` is 0 when the input is too short for the chain.
    """
    rng = np.random.default_rng(0)
    signals = np.eye(n_inputs)  # row i: input i perturbed by 1, all others 0
    for k, s, d in layers:
        span = (k - 1) * d  # from the first tap to the last
        n_out = max(0, (signals.shape[1] - span - 1) // s + 1)
        taps = rng.uniform(0.5, 1.5, size=k) if weights == "random" else np.ones(k)
        out = np.zeros((n_inputs, n_out))
        if n_out:
            for j in range(k):
                out += taps[j] * signals[:, j * d : j * d + (n_out - 1) * s + 1 : s]
        signals = out
    return signals.T


def path_counts(layers: Sequence[Layer], n_inputs: int) -> np.ndarray:
    """How many paths lead from each of ``n_inputs`` inputs to output 0 of a chain of 1D layers.

    Introduced in 04_pooling.

    Returns
    -------
    counts : ndarray of shape (n_inputs,)
        0 outside the receptive field of output 0.
    """
    return influence_1d(list(layers), n_inputs, weights="ones")[0]


def draw_pooling(x: np.ndarray, size: int = 2) -> Figure:
    """Draw non-overlapping ``size`` x ``size`` max and average pooling of a small 2D array.

    Introduced in 04_pooling. Each window of the input gets its own tint, and so does the output
    cell it becomes.

    Parameters
    ----------
    x : ndarray of shape (H, W)
        H and W multiples of ``size``.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=float)
    if x.shape[0] % size or x.shape[1] % size:
        raise ValueError(f"draw_pooling needs sides that are multiples of {size}, got {x.shape}")
    h, w = x.shape[0] // size, x.shape[1] // size
    blocks = x.reshape(h, size, w, size)  # blocks[i, :, j, :] is window (i, j)
    outs = {"max": blocks.max(axis=(1, 3)), "average": blocks.mean(axis=(1, 3))}
    widths = [x.shape[1], w, w]
    fig, axes = plt.subplots(
        1,
        3,
        figsize=(0.6 * sum(widths) + 3, 0.6 * x.shape[0] + 1.2),
        gridspec_kw={"width_ratios": widths},
    )
    panels = [(axes[0], x, f"input {x.shape[0]}x{x.shape[1]}", size)]
    panels += [
        (ax, out, f"{name} pool: {h}x{w}", 1)
        for ax, (name, out) in zip(axes[1:], outs.items(), strict=True)
    ]
    for ax, values, title, cell in panels:
        for (r, c), v in np.ndenumerate(values):
            tint = _TINTS[((r // cell) * w + c // cell) % len(_TINTS)]
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fc=tint, ec="grey", lw=0.5))
            bold = cell == 1 or v == outs["max"][r // cell, c // cell]
            ax.text(
                c,
                r,
                f"{v:g}",
                ha="center",
                va="center",
                fontsize=12,
                fontweight="bold" if bold else "normal",
            )
        for k in range(0, values.shape[0] + 1, cell):
            ax.axhline(k - 0.5, color="black", lw=2)
        for k in range(0, values.shape[1] + 1, cell):
            ax.axvline(k - 0.5, color="black", lw=2)
        ax.set(
            xlim=(-0.5, values.shape[1] - 0.5),
            ylim=(values.shape[0] - 0.5, -0.5),
            aspect="equal",
            xticks=[],
            yticks=[],
            title=title,
        )
    fig.suptitle(
        f"{size}x{size} windows, stride {size}: each coloured window becomes one number\n"
        "(bold in the input: the window's maximum)",
        fontsize=11,
    )
    fig.tight_layout()
    return fig


def _unit_spans(layers: Sequence[Layer], n_inputs: int) -> list[np.ndarray]:
    """For each row (inputs, then each layer's outputs): the input-axis centre of every unit."""
    centres = [np.arange(n_inputs, dtype=float)]
    for depth in range(1, len(layers) + 1):
        a = influence_1d(layers[:depth], n_inputs)
        first = np.array([np.flatnonzero(row)[0] for row in a])
        last = np.array([np.flatnonzero(row)[-1] for row in a])
        centres.append((first + last) / 2)
    return centres


def draw_network_1d(
    layers: Sequence[Layer], names: Sequence[str], n_inputs: int, unit: int = 0
) -> Figure:
    """Draw a chain of 1D layers as rows of units and highlight what one top unit sees.

    Introduced in 04_pooling. Every unit sits above the centre of its own receptive field; the
    connections that lead to unit ``unit`` of the last layer are coloured, and under each input
    is the number of paths from it to that unit.

    Parameters
    ----------
    layers : sequence of (kernel, stride, dilation), first layer first.
    names : sequence of str
        One label per layer ("conv3", "pool2", ...).
    n_inputs : int
        Length of the input row.
    unit : int, default 0
        Which unit of the last layer to trace back.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    layers = list(layers)
    centres = _unit_spans(layers, n_inputs)
    fig, ax = plt.subplots(figsize=(0.75 * n_inputs + 2.5, 1.3 * (len(layers) + 1) + 0.8))
    active = [set() for _ in centres]
    active[-1] = {unit}
    for depth in range(len(layers), 0, -1):  # trace the highlighted unit back to the inputs
        k, s, d = layers[depth - 1]
        active[depth - 1] = {p * s + j * d for p in active[depth] for j in range(k)}
    for depth, (k, s, d) in enumerate(layers, start=1):
        for p, x_top in enumerate(centres[depth]):
            for j in range(k):
                q = p * s + j * d
                on = p in active[depth]
                ax.plot(
                    [centres[depth - 1][q], x_top],
                    [depth - 1, depth],
                    color="tab:orange" if on else "0.85",
                    lw=2 if on else 1,
                    zorder=1 + on,
                )
    for depth, xs in enumerate(centres):
        for p, x_pos in enumerate(xs):
            on = p in active[depth]
            ax.scatter(
                x_pos, depth, s=260, zorder=3, ec="black", color="tab:orange" if on else "white"
            )
        label = "input" if depth == 0 else names[depth - 1]
        ax.text(-1.0, depth, label, ha="right", va="center", fontsize=11)
    paths = influence_1d(layers, n_inputs, weights="ones")[unit]
    for i, count in enumerate(paths):
        ax.text(i, -0.45, f"{count:g}", ha="center", va="top", fontsize=10, color="tab:orange")
    ax.text(-1.0, -0.45, "paths", ha="right", va="top", fontsize=10, color="tab:orange")
    seen = np.flatnonzero(paths)
    ax.set_title(
        f"one unit of the last layer sees inputs {seen[0]}..{seen[-1]}: "
        f"a receptive field of {seen[-1] - seen[0] + 1}",
        fontsize=11,
    )
    ax.set(xlim=(-3.2, n_inputs), ylim=(-0.9, len(layers) + 0.4))
    ax.axis("off")
    fig.tight_layout()
    return fig


def draw_receptive_fields_2d(
    layers: Sequence[Layer], names: Sequence[str], n_inputs: int, ax: Axes | None = None
) -> Axes:
    """Outline, on a square input grid, how the receptive field grows through a stack of layers.

    Introduced in 04_pooling. The unit of the last layer nearest the centre of the grid is
    chosen; for each earlier depth, the unit feeding it that sits nearest its centre. Each
    square is that unit's receptive field (the same 1D chain along both axes).

    Parameters
    ----------
    layers : sequence of (kernel, stride, dilation), first layer first.
    names : sequence of str
        One label per layer.
    n_inputs : int
        Side of the input grid.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    layers = list(layers)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 6))
    spans = []  # per depth: (first, last) input of every unit
    for depth in range(1, len(layers) + 1):
        a = influence_1d(layers[:depth], n_inputs)
        spans.append([(np.flatnonzero(r)[0], np.flatnonzero(r)[-1]) for r in a])
    centre = (n_inputs - 1) / 2
    unit = min(range(len(spans[-1])), key=lambda p: abs(sum(spans[-1][p]) / 2 - centre))
    target, chosen = sum(spans[-1][unit]) / 2, {len(layers): unit}
    for depth in range(len(layers), 1, -1):  # the feeding unit nearest the chosen unit's centre
        k, s, d = layers[depth - 1]
        feeders = [chosen[depth] * s + j * d for j in range(k)]
        chosen[depth - 1] = min(feeders, key=lambda q: abs(sum(spans[depth - 2][q]) / 2 - target))
    colours = plt.get_cmap("viridis")(np.linspace(0.15, 0.95, len(layers)))
    for depth in range(len(layers), 0, -1):  # largest first, so the small ones stay on top
        first, last = spans[depth - 1][chosen[depth]]
        side = last - first + 1
        text = f"layer {depth} ({names[depth - 1]}): {side}x{side}"
        ax.add_patch(
            Rectangle(
                (first - 0.5, first - 0.5),
                side,
                side,
                fc=colours[depth - 1],
                ec="black",
                lw=1.5,
                label=text,
            )
        )
    for k in range(n_inputs + 1):
        ax.axhline(k - 0.5, color="0.8", lw=0.5, zorder=0)
        ax.axvline(k - 0.5, color="0.8", lw=0.5, zorder=0)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        handles[::-1],
        labels[::-1],
        loc="upper left",
        bbox_to_anchor=(1.02, 1),
        fontsize=9,
        title="receptive field after",
    )
    ax.set(
        xlim=(-0.5, n_inputs - 0.5),
        ylim=(n_inputs - 0.5, -0.5),
        aspect="equal",
        xticks=range(0, n_inputs, 2),
        yticks=range(0, n_inputs, 2),
    )
    ax.set_title(f"one unit per layer, drawn on the {n_inputs}x{n_inputs} input", fontsize=11)
    return ax
