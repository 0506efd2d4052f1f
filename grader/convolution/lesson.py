"""Data recipes and figures of notebook 02_convolution.

Signals and toy images are drawn from seeded generators, so the same call always returns the same
numbers; figures draw the steps of a correlation with the numbers written in.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from grader.plots import draw_grid

__all__ = [
    "draw_corr2d_step",
    "draw_sliding_1d",
    "grid_examples",
    "noisy_signal",
    "spike_signal",
    "toy_image",
]


def toy_image(kind: str = "step") -> np.ndarray:
    """Return a tiny 8 x 8 test image whose edges are easy to read off by eye.

    Introduced in 02_convolution.

    Parameters
    ----------
    kind : {"step", "square"}, default "step"
        ``"step"``: dark left half (0) and bright right half (1), one vertical
        edge. ``"square"``: a bright 4 x 4 square on a dark background, with
        vertical and horizontal edges.

    Returns
    -------
    image : ndarray of shape (8, 8), float64
        Values 0 and 1.

    Examples
    --------
    >>> toy_image("step")[0]
    array([0., 0., 0., 0., 1., 1., 1., 1.])
    """
    image = np.zeros((8, 8))
    if kind == "step":
        image[:, 4:] = 1.0
    elif kind == "square":
        image[2:6, 2:6] = 1.0
    else:
        raise ValueError(f'kind must be "step" or "square", got {kind!r}')
    return image


def noisy_signal(
    n: int = 200, noise: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return a smooth 1D signal and a copy with Gaussian noise added.

    Introduced in 02_convolution.

    The clean signal is two slow sine waves plus one step, so smoothing can be
    judged both on gentle curves and on a sharp jump.

    Parameters
    ----------
    n : int, default 200
        Number of samples.
    noise : float, default 0.3
        Standard deviation of the added noise.
    seed : int, default 0
        Seed of ``np.random.default_rng``; equal seeds give equal noise.

    Returns
    -------
    t : ndarray of shape (n,)
        Sample times in [0, 1).
    clean : ndarray of shape (n,)
        The signal without noise.
    noisy : ndarray of shape (n,)
        ``clean`` plus noise.

    Examples
    --------
    >>> t, clean, noisy = noisy_signal(100)
    >>> noisy.shape
    (100,)
    """
    rng = np.random.default_rng(seed)
    t = np.arange(n) / n
    clean = np.sin(2 * np.pi * 2 * t) + 0.5 * np.sin(2 * np.pi * 5 * t) + (t > 0.6)
    return t, clean, clean + noise * rng.standard_normal(n)


def spike_signal(
    n: int = 600, n_events: int = 5, noise: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return an EEG-like trace with a few spike-and-wave events hidden in noise.

    Introduced in 02_convolution.

    Parameters
    ----------
    n : int, default 600
        Number of samples.
    n_events : int, default 5
        Number of events; they never overlap, so at most ``n // 80``.
    noise : float, default 0.3
        Standard deviation of the background noise.
    seed : int, default 0
        Seed of ``np.random.default_rng``.

    Returns
    -------
    signal : ndarray of shape (n,)
        Noise plus one copy of ``template`` starting at each onset.
    template : ndarray of shape (40,)
        The event shape: a sharp spike followed by a slow wave.
    onsets : ndarray of shape (n_events,), int
        Sorted start indices of the events.

    Examples
    --------
    >>> signal, template, onsets = spike_signal()
    >>> signal.shape, template.shape, onsets.shape
    ((600,), (40,), (5,))
    """
    rng = np.random.default_rng(seed)
    s = np.arange(40)
    template = 2.0 * np.exp(-0.5 * ((s - 5) / 1.5) ** 2) - 0.8 * np.sin(np.pi * s / 39)
    width = 2 * len(template)  # one event per slot of this width, so events never touch
    if n_events > n // width:
        raise ValueError(f"{n_events} events need {n_events * width} samples, got n = {n}")
    slots = np.sort(rng.choice(n // width, size=n_events, replace=False))
    onsets = slots * width + rng.integers(0, len(template), size=n_events)
    signal = noise * rng.standard_normal(n)
    for onset in onsets:
        signal[onset : onset + len(template)] += template
    return signal, template, onsets


def grid_examples(seed: int = 0) -> dict[str, np.ndarray]:
    """Return small synthetic examples of grid data that are not photos.

    Introduced in 02_convolution.

    Parameters
    ----------
    seed : int, default 0
        Seed of ``np.random.default_rng``.

    Returns
    -------
    examples : dict of str to ndarray
        ``"audio"``: shape (1, 4000), half a second of a rising chirp at
        8 kHz (one channel, time). ``"eeg"``: shape (8, 500), two seconds of
        eight electrodes at 250 Hz sharing a 10 Hz rhythm (channels, time).
        ``"video"``: shape (1, 12, 32, 32), twelve frames of a bright blob
        moving diagonally (channels, time, height, width).

    Examples
    --------
    >>> {name: a.shape for name, a in grid_examples().items()}["eeg"]
    (8, 500)
    """
    rng = np.random.default_rng(seed)
    t = np.arange(4000) / 8000
    audio = np.sin(2 * np.pi * (200 * t + 1800 * t**2)) * np.exp(-3 * t)
    audio = audio + 0.05 * rng.standard_normal(t.shape)

    te = np.arange(500) / 250
    gains = np.linspace(1.0, 0.2, 8)[:, None]
    phases = rng.uniform(0, 0.5, size=(8, 1))
    eeg = gains * np.sin(2 * np.pi * 10 * te + phases)
    eeg = eeg + 0.4 * np.cumsum(rng.standard_normal((8, 500)), axis=1) / np.sqrt(50)

    yy, xx = np.mgrid[0:32, 0:32]
    frames = [np.exp(-((yy - 4 - 2 * f) ** 2 + (xx - 4 - 2 * f) ** 2) / 12.0) for f in range(12)]
    video = np.stack(frames)[None]
    return {"audio": audio[None], "eeg": eeg, "video": video}


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
