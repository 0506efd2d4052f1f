"""Given layers, data and figures of notebook 06_backprop.

The forward passes of ReLU and of the affine (fully connected) layer are given here, with the
caches their backward passes read. A gradient check compares an analytic gradient with a numerical
one by their relative error (:func:`rel_error`, as in Stanford's CS231n) against two named
tolerances, :data:`AGREE` and :data:`DISAGREE`.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from grader.plots import draw_grid

__all__ = [
    "AGREE",
    "DISAGREE",
    "STROKES",
    "affine_forward",
    "draw_grids",
    "draw_pool_gradients",
    "gradient_report",
    "rel_error",
    "relu_forward",
    "strokes",
]

AGREE = 1e-7
"""Relative error below which an analytic gradient agrees with centred differences (float64,
step 1e-5): what a correct backward pass reaches on every layer of this notebook."""

DISAGREE = 1e-4
"""Relative error above which the two gradients disagree: the backward pass is wrong, unless an
input lies within the step of a kink (ReLU at 0, two tied values in a max), where the numerical
gradient mixes two slopes. In between: close, but not float64-close (float32 arithmetic?)."""


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ReLU forward pass: ``out = max(x, 0)`` elementwise.

    Introduced in 06_backprop.

    Parameters
    ----------
    x : ndarray of any shape

    Returns
    -------
    out : ndarray of the shape of x
    cache : ndarray
        ``x`` itself, the input: the backward pass needs to know where it was positive.

    Examples
    --------
    >>> relu_forward(np.array([-1.0, 0.0, 2.0]))[0]
    array([0., 0., 2.])
    """
    return np.maximum(x, 0), x


def affine_forward(
    x: np.ndarray, w: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Affine (fully connected) forward pass: each sample, flattened, times ``w``, plus ``b``.

    Introduced in 06_backprop. ``out = x.reshape(N, D) @ w + b``, the layer of notebook 01.

    Parameters
    ----------
    x : ndarray of shape (N, d_1, ..., d_k)
        N samples; each is flattened to D = d_1 * ... * d_k numbers (an image (C, H, W) gives
        D = C * H * W).
    w : ndarray of shape (D, M)
    b : ndarray of shape (M,)

    Returns
    -------
    out : ndarray of shape (N, M)
    cache : tuple
        ``(x, w, b)``, with ``x`` in its original shape.

    Examples
    --------
    >>> out, cache = affine_forward(np.ones((2, 3, 4)), np.ones((12, 5)), np.zeros(5))
    >>> out.shape
    (2, 5)
    """
    flat = x.reshape(x.shape[0], -1)  # (N, D)
    return flat @ w + b, (x, w, b)


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """The largest relative difference between two gradients, entry by entry.

    Introduced in 06_backprop. ``max |a - b| / max(|a| + |b|, 1e-8)``, CS231n's measure: scale-free,
    so the same tolerance suits gradients of any size; the floor keeps two zeros from giving 0/0.

    Parameters
    ----------
    a, b : ndarray of the same shape

    Returns
    -------
    error : float
        0 for identical arrays, 1 when the entries have opposite signs.

    Examples
    --------
    >>> round(rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0002])), 8)
    5e-05
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare gradients of shapes {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))


def gradient_report(name: str, analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Print how an analytic gradient compares with a numerical one, and return the error.

    Introduced in 06_backprop. The verdict uses :data:`AGREE` and :data:`DISAGREE`.

    Parameters
    ----------
    name : str
        What the gradient is, e.g. ``"dx"``.
    analytic, numeric : ndarray of the same shape

    Returns
    -------
    error : float
        :func:`rel_error` of the two.
    """
    error = rel_error(analytic, numeric)
    if error < AGREE:
        verdict = f"agree (below AGREE = {AGREE:g})"
    elif error < DISAGREE:
        verdict = f"close, not float64-close (between AGREE and DISAGREE = {DISAGREE:g})"
    else:
        verdict = f"DISAGREE (above {DISAGREE:g}): a bug, or an input within h of a kink"
    print(f"{name:>7s}: relative error {error:.1e}, {verdict}")
    return error


STROKES = ("vertical", "horizontal", "diagonal")
"""The classes of :func:`strokes`, by label."""


def strokes(n: int = 6, size: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Tiny one-channel images of a single stroke, a made-up three-class data set.

    Introduced in 06_backprop. Each image holds one bright line of length 5 at a random place,
    vertical (label 0), horizontal (1) or diagonal (2), on a faint noisy background: the same
    call always gives the same batch.

    Parameters
    ----------
    n : int, default 6
        Number of images; the labels cycle 0, 1, 2, 0, ...
    size : int, default 8
        Side of the square images (at least 5).
    seed : int, default 0

    Returns
    -------
    x : ndarray of shape (n, 1, size, size), float64
        Intensities in [0, 1].
    y : ndarray of shape (n,), int
        Labels, indices into :data:`STROKES`.
    """
    if size < 5:
        raise ValueError(f"a stroke of length 5 needs images of side at least 5, got {size}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 0.15, size=(n, 1, size, size))
    y = np.arange(n) % len(STROKES)
    steps = np.arange(5)
    for image, label in zip(x[:, 0], y, strict=True):
        r, c = (int(v) for v in rng.integers(0, size - 4, size=2))
        fixed = int(rng.integers(0, size))  # the row or column of a straight stroke
        rows, cols = {
            0: (r + steps, np.full(5, fixed)),
            1: (np.full(5, fixed), c + steps),
            2: (r + steps, c + steps),
        }[int(label)]
        image[rows, cols] = rng.uniform(0.8, 1.0, size=5)
    return x, y


def draw_grids(panels: Mapping[str, np.ndarray], signed: bool = True) -> Figure:
    """Draw small 2D arrays side by side, each value written in its cell.

    Introduced in 06_backprop.

    Parameters
    ----------
    panels : mapping of title -> ndarray of shape (H, W)
    signed : bool, default True
        Colours centred on zero (red positive, blue negative).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    widths = [np.shape(a)[1] for a in panels.values()]
    height = max(np.shape(a)[0] for a in panels.values())
    fig, axes = plt.subplots(
        1,
        len(panels),
        figsize=(0.55 * sum(widths) + 1.2 * len(panels), 0.55 * height + 1.2),
        gridspec_kw={"width_ratios": widths},
        squeeze=False,
    )
    for ax, (title, values) in zip(axes[0], panels.items(), strict=True):
        draw_grid(values, ax, title, signed=signed)
    fig.tight_layout()
    return fig


def draw_pool_gradients(
    x: np.ndarray, dout: np.ndarray, grads: Mapping[str, np.ndarray], size: int, stride: int
) -> Figure:
    """Draw a 2D input with its pooling windows, the upstream gradient, and input gradients.

    Introduced in 06_backprop. Each window is outlined on the input and on every gradient, so
    one can follow where each number of ``dout`` lands.

    Parameters
    ----------
    x : ndarray of shape (H, W)
    dout : ndarray of shape (H', W')
    grads : mapping of title -> ndarray of shape (H, W)
    size, stride : int
        The pooling windows.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    panels = {"input x (windows outlined)": x, "dout": dout, **grads}
    fig = draw_grids(panels)
    colours = plt.get_cmap("tab10").colors
    for k, ax in enumerate(fig.axes[: len(panels)]):
        if k == 1:
            continue
        for i in range(dout.shape[0]):
            for j in range(dout.shape[1]):
                inset = 0.06 + 0.06 * ((i + j) % 2)  # overlapping windows stay apart
                ax.add_patch(
                    Rectangle(
                        (j * stride - 0.5 + inset, i * stride - 0.5 + inset),
                        size - 2 * inset,
                        size - 2 * inset,
                        fill=False,
                        ec=colours[(i * dout.shape[1] + j) % len(colours)],
                        lw=2.5,
                    )
                )
    return fig
