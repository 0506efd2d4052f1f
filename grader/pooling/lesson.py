"""Figures of notebook 04_pooling: pooling windows drawn, receptive fields found by experiment.

Receptive fields here are found by experiment, never by formula: a chain of 1D layers is fed one
perturbed input at a time (:func:`influence_1d`) and the inputs that move a unit are read off. A
layer is a tuple ``(kernel, stride, dilation)``; a pooling window is a layer too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

__all__ = [
    "DOWNSAMPLING_STACK",
    "POOL_DEMO",
    "draw_network_1d",
    "draw_pool_windows",
    "draw_pooling",
    "draw_receptive_fields_2d",
    "influence_1d",
    "path_counts",
    "pooling_explorer",
    "receptive_field_explorer",
]

Layer = tuple[int, int, int]

DOWNSAMPLING_STACK = ((3, 2, (0, 1)),) * 5
"""Five 3x3 convolutions with stride 2, each padded ``(0, 1)``: ``(kernel, stride, pad)`` per layer.

Introduced in 04_pooling. With the pad pair of notebook 03 (0 rows and columns before, 1 after)
every layer halves an even side exactly: 224 -> 112 -> 56 -> 28 -> 14 -> 7. A symmetric
``pad=1`` does not tile any of these sides ((224 + 2 - 3) / 2 + 1 = 112.5)."""

POOL_DEMO = np.array(
    [
        [1, 3, 2, 1, 0, 2, 4],
        [4, 6, 5, 0, 1, 3, 1],
        [3, 1, 1, 2, 8, 1, 0],
        [1, 2, 7, 4, 2, 0, 2],
        [0, 5, 1, 3, 2, 6, 1],
        [2, 1, 0, 9, 4, 1, 3],
        [1, 0, 2, 1, 3, 2, 5],
    ],
    dtype=float,
)
"""The 7 x 7 map that the pooling explorer pools (3 x 3 windows, stride 2, tile it). Introduced in 04_pooling."""
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
    width = min(0.75 * n_inputs + 2.5, 15.0)
    dot = 260 * min(1.0, 20 / n_inputs)  # smaller units when many inputs share the width
    fig, ax = plt.subplots(figsize=(width, 1.3 * (len(layers) + 1) + 0.8))
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
                x_pos, depth, s=dot, zorder=3, ec="black", color="tab:orange" if on else "white"
            )
        label = "input" if depth == 0 else names[depth - 1]
        ax.text(-1.0, depth, label, ha="right", va="center", fontsize=11)
    paths = influence_1d(layers, n_inputs, weights="ones")[unit]
    for i, count in enumerate(paths):
        size = 10 if n_inputs <= 24 else 7
        ax.text(i, -0.45, f"{count:g}", ha="center", va="top", fontsize=size, color="tab:orange")
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
        xlabel="input column",
        ylabel="input row",
    )
    ax.set_title(f"one unit per layer, drawn on the {n_inputs}x{n_inputs} input", fontsize=11)
    return ax


def draw_pool_windows(
    x: np.ndarray, size: int, stride: int, pool: Callable | None = None, kind: str = "max"
) -> Figure:
    """Draw where pooling windows land on a small map, and what the given pooling makes of it.

    Introduced in 04_pooling. Left: the map, with the first window (blue), its right-hand
    neighbour (orange, overlapping when ``stride < size``) and the last window (green). Right:
    the output of ``pool``, or its error message when the windows do not tile.

    Parameters
    ----------
    x : ndarray of shape (H, W)
    size, stride : int
        Window side and step.
    pool : callable, optional
        ``pool(x4d, size, stride) -> (out, cache)`` on ``x[None, None]``: the learner's
        maxpool_forward or avgpool_forward (or a reference). None: the output is not drawn.
    kind : str, default "max"
        What ``pool`` computes, for the title.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    from grader.plots import draw_grid

    x = np.asarray(x, dtype=float)
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.4), gridspec_kw={"width_ratios": [3, 2]})
    draw_grid(
        x, axes[0], f"input {x.shape[0]} x {x.shape[1]}: windows {size} x {size}, stride {stride}"
    )
    starts = [range(0, n - size + 1, stride) for n in x.shape]
    if len(starts[0]) and len(starts[1]):
        last = (starts[0][-1], starts[1][-1])
        shown = [((0, 0), "tab:blue", "first")]
        if len(starts[1]) > 1:
            shown.append(((0, starts[1][1]), "tab:orange", "next"))
        shown.append((last, "tab:green", "last"))
        for (r, c), colour, name in shown:
            inset = {"tab:blue": 0.0, "tab:orange": 0.08, "tab:green": 0.16}[colour]
            axes[0].add_patch(
                Rectangle(
                    (c - 0.5 + inset, r - 0.5 + inset),
                    size - 2 * inset,
                    size - 2 * inset,
                    fill=False,
                    ec=colour,
                    lw=3,
                    label=f"{name} window",
                )
            )
        axes[0].legend(loc="upper left", bbox_to_anchor=(0.0, -0.02), ncol=3, fontsize=9)
    message = "no pooling function given"
    if pool is not None:
        try:
            out = np.asarray(pool(x[None, None], size, stride)[0])[0, 0]
        except Exception as exc:  # the learner's function may raise anything: show it
            message = f"{type(exc).__name__}: {exc}"
        else:
            draw_grid(np.round(out, 2), axes[1], f"{kind} pooling: {out.shape[0]} x {out.shape[1]}")
            message = ""
    if message:
        axes[1].text(
            0.5,
            0.5,
            _wrap(message, 40),
            ha="center",
            va="center",
            fontsize=10,
            transform=axes[1].transAxes,
            color="tab:red",
        )
        axes[1].axis("off")
    fig.tight_layout()
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def pooling_explorer(pools: dict[str, Callable]) -> Any:
    """Sliders for window size and stride, and a choice of pooling, over :func:`draw_pool_windows`.

    Introduced in 04_pooling.

    Parameters
    ----------
    pools : dict of str to callable
        ``{"max": maxpool, "average": avgpool}``: functions ``(x4d, size, stride) -> (out, cache)``.

    Returns
    -------
    widget : ipywidgets.interactive or None
        None when ipywidgets is not installed.
    """
    try:
        import ipywidgets as widgets
    except ImportError:
        return None

    def show(size: int, stride: int, kind: str) -> None:
        draw_pool_windows(POOL_DEMO, size, stride, pools[kind], kind)
        plt.show()

    def slider(value: int, name: str):
        return widgets.IntSlider(
            value=value, min=1, max=6, description=name, continuous_update=False
        )

    return widgets.interactive(
        show,
        size=slider(3, "window"),
        stride=slider(2, "stride"),
        kind=widgets.Dropdown(options=list(pools), value=list(pools)[0], description="pooling"),
    )


def receptive_field_explorer(field_fn: Callable | None = None, max_inputs: int = 64) -> Any:
    """Sliders for a stack of three 1D layers (kernel, stride, dilation each) over
    :func:`draw_network_1d`, with the learner's ``receptive_field`` answer in the title.

    Introduced in 04_pooling. The input row is made just long enough for one output unit.

    Parameters
    ----------
    field_fn : callable, optional
        The learner's ``receptive_field`` (once it passes its check).
    max_inputs : int, default 64
        Longest input row drawn; longer stacks are described, not drawn.

    Returns
    -------
    widget : ipywidgets.interactive or None
        None when ipywidgets is not installed.
    """
    try:
        import ipywidgets as widgets
    except ImportError:
        return None

    def show(**settings: int) -> None:
        layers = [tuple(settings[f"{key}{i}"] for key in "ksd") for i in (1, 2, 3)]
        n = next((n for n in range(1, max_inputs + 1) if influence_1d(layers, n).shape[0]), None)
        if n is None:
            print(f"this stack needs more than {max_inputs} inputs for one unit: too wide to draw")
            return
        names = [f"k{k} s{s} d{d}" for k, s, d in layers]
        fig = draw_network_1d(layers, names, n_inputs=n)
        if field_fn is not None:
            try:
                answer = repr(field_fn(layers))
            except Exception as exc:  # the learner's function may raise anything: show it
                answer = f"raised {type(exc).__name__}"
            fig.axes[0].set_title(
                fig.axes[0].get_title() + f"; your receptive_field: {answer}", fontsize=11
            )
        plt.show()

    def slider(value: int, high: int, name: str):
        return widgets.IntSlider(
            value=value, min=1, max=high, description=name, continuous_update=False
        )

    defaults = {1: (3, 1, 1), 2: (2, 2, 1), 3: (3, 1, 1)}  # conv3 -> pool2 -> conv3
    sliders = {}
    for i, (k, s, d) in defaults.items():
        sliders[f"k{i}"] = slider(k, 5, f"kernel {i}")
        sliders[f"s{i}"] = slider(s, 3, f"stride {i}")
        sliders[f"d{i}"] = slider(d, 3, f"dilation {i}")
    return widgets.interactive(show, **sliders)
