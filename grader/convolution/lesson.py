"""Data recipes, kernel fitting and figures of notebook 02_convolution.

Signals and toy images are drawn from seeded generators, so the same call always returns the same
numbers. ``fit_kernel`` and ``fit_local`` learn a shared kernel, or one kernel per position, from
(image, response) pairs by least squares. The figures live in :mod:`grader.convolution.figures`
and are re-exported here, so the notebook reaches everything as ``lesson.<name>``.
"""

from __future__ import annotations

import numpy as np

from grader.convolution.figures import (
    draw_corr2d_step,
    draw_sliding_1d,
    draw_volume,
    plot_filtered,
    plot_grid_examples,
)

__all__ = [
    "draw_corr2d_step",
    "draw_sliding_1d",
    "draw_volume",
    "fit_kernel",
    "fit_local",
    "grid_examples",
    "noisy_signal",
    "plot_filtered",
    "plot_grid_examples",
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


def _windows(images, targets, shape) -> tuple[np.ndarray, np.ndarray]:
    """Every (HH, WW) window of a stack of images beside the target value it should produce.

    Returns windows of shape (N, H', W', HH * WW) and targets of shape (N, H', W').
    """
    images, targets = np.asarray(images, dtype=float), np.asarray(targets, dtype=float)
    if images.ndim == 2:
        images, targets = images[None], targets[None]
    hh, ww = (int(n) for n in shape)
    if images.ndim != 3 or hh > images.shape[1] or ww > images.shape[2]:
        raise ValueError(f"need images (N, H, W) at least {hh} x {ww}, got {images.shape}")
    view = np.lib.stride_tricks.sliding_window_view(images, (hh, ww), axis=(1, 2))
    if view.shape[:3] != targets.shape:
        raise ValueError(
            f"targets must have shape {view.shape[:3]} (one value per window), got {targets.shape}"
        )
    return view.reshape(*view.shape[:3], hh * ww), targets


def fit_kernel(
    images: np.ndarray,
    targets: np.ndarray,
    shape: tuple[int, int],
    n_windows: int | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Learn one shared kernel from (image, response) pairs by least squares.

    Introduced in 02_convolution.

    Each window ``x[i:i+HH, j:j+WW]`` of each image and the target value at ``(i, j)`` give one
    linear equation ``sum(window * k) = target`` in the ``HH * WW`` unknown weights; the kernel
    returned minimises the sum of squared errors over all of them (``np.linalg.lstsq``). Weight
    sharing is what makes every position a training example for the same weights.

    Parameters
    ----------
    images : ndarray of shape (H, W) or (N, H, W)
    targets : ndarray of shape (H - HH + 1, W - WW + 1) or (N, H - HH + 1, W - WW + 1)
        The response the kernel should produce at every valid position.
    shape : (int, int)
        The kernel's shape (HH, WW).
    n_windows : int, optional
        Fit on this many windows drawn at random (without replacement); all by default.
    seed : int, default 0
        Seed of the random choice of windows.

    Returns
    -------
    kernel : ndarray of shape (HH, WW), float64
    """
    windows, targets = _windows(images, targets, shape)
    a, t = windows.reshape(-1, windows.shape[-1]), targets.reshape(-1)
    if n_windows is not None:
        if not 1 <= n_windows <= len(a):
            raise ValueError(f"n_windows must be between 1 and {len(a)}, got {n_windows}")
        rows = np.random.default_rng(seed).choice(len(a), size=n_windows, replace=False)
        a, t = a[rows], t[rows]
    return np.linalg.lstsq(a, t, rcond=None)[0].reshape(shape)


def fit_local(images: np.ndarray, targets: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Learn one kernel per output position (a locally connected layer) by least squares.

    Introduced in 02_convolution.

    Position ``(i, j)`` has its own ``HH * WW`` weights, fitted only to the windows at
    ``(i, j)``: one equation per image. With fewer images than weights the equations do not fix
    the weights, and the smallest weights that fit them exactly are returned (the pseudo-inverse).

    Parameters
    ----------
    images : ndarray of shape (N, H, W)
    targets : ndarray of shape (N, H - HH + 1, W - WW + 1)
    shape : (int, int)
        The shape (HH, WW) of every position's kernel.

    Returns
    -------
    weights : ndarray of shape (H - HH + 1, W - WW + 1, HH, WW), float64
        ``weights[i, j]`` is the kernel of output position ``(i, j)``.
    """
    windows, targets = _windows(images, targets, shape)
    n, h_out, w_out, taps = windows.shape
    per_position = windows.transpose(1, 2, 0, 3).reshape(h_out * w_out, n, taps)  # (P, N, taps)
    t = targets.transpose(1, 2, 0).reshape(h_out * w_out, n, 1)  # (P, N, 1)
    weights = np.linalg.pinv(per_position) @ t  # (P, taps, 1)
    return weights.reshape(h_out, w_out, *shape)
