"""Data recipes and figures of notebook 09_beyond.

Every data set is made here from a seed, nothing is downloaded: shapes on textured, noisy
backgrounds with per-pixel masks (:func:`shapes`), sequences whose labels depend on a marker
several steps back (:func:`context_sequences`), clips of a moving blob (:func:`moving_blobs`) and
MNIST-1D, which the ``mnist1d`` package generates offline (:func:`mnist1d`). The metrics and
figures follow.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

__all__ = [
    "CLASSES",
    "DIRECTIONS",
    "bilinear_kernel",
    "context_sequences",
    "draw_influence",
    "draw_segmentation",
    "influence_counts",
    "mean_iou",
    "mnist1d",
    "moving_blobs",
    "shapes",
]

CLASSES = ("background", "disc", "square")
"""The classes of :func:`shapes`, by label."""

DIRECTIONS = ("right", "left", "down", "up")
"""The classes of :func:`moving_blobs`, by label."""

_MASK_COLOURS = ListedColormap(["none", "tab:orange", "tab:cyan"])


def shapes(n: int, size: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Images of discs and squares on striped, noisy backgrounds, with per-pixel labels.

    Introduced in 09_beyond. Each image holds one to three shapes (label 1 for a bright disc, 2
    for a dark square; later shapes cover earlier ones) on a sinusoidal grating of random angle,
    period and phase, plus Gaussian noise. The grating's crests and troughs reach the shapes'
    brightness once noise is added, so a pixel's own value does not decide its label: its
    neighbourhood (flat or striped) does.

    Parameters
    ----------
    n : number of images.
    size : height and width.
    seed : the seed of the recipe; the same seed gives the same images.

    Returns
    -------
    images : ndarray of shape (n, 1, size, size), float32
    masks : ndarray of shape (n, size, size), int64, values in 0, 1, 2
    """
    rng = np.random.default_rng([909, seed])
    rows, cols = np.mgrid[0:size, 0:size]
    images = np.empty((n, 1, size, size), np.float32)
    masks = np.zeros((n, size, size), np.int64)
    for i in range(n):
        angle, period, phase = rng.uniform(0, np.pi), rng.uniform(3, 8), rng.uniform(0, 2 * np.pi)
        wave = rows * np.sin(angle) + cols * np.cos(angle)
        image = 0.5 * np.sin(2 * np.pi * wave / period + phase)
        for _ in range(int(rng.integers(1, 4))):
            kind = int(rng.integers(1, 3))
            half = rng.uniform(3.5, 7.0)
            r0, c0 = rng.uniform(half, size - half, size=2)
            if kind == 1:
                inside = (rows - r0) ** 2 + (cols - c0) ** 2 <= half**2
            else:
                inside = (np.abs(rows - r0) <= half * 0.85) & (np.abs(cols - c0) <= half * 0.85)
            masks[i][inside] = kind
            image[inside] = 0.9 if kind == 1 else -0.9
        images[i, 0] = image + rng.normal(scale=0.35, size=image.shape)
    return images, masks


def context_sequences(n: int, length: int = 64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Noisy sequences cut into runs that each start with a marker of +1 or -1; every position's
    label is the sign of the marker that started its run (1 for +1, 0 for -1).

    Introduced in 09_beyond. Runs are 5 to 8 steps long, so a position may sit up to 7 steps
    after its marker: its label is decided by context that far to the left.

    Returns
    -------
    x : ndarray of shape (n, 1, length), float32
    labels : ndarray of shape (n, length), int64
    """
    rng = np.random.default_rng([919, seed])
    x = rng.normal(scale=0.25, size=(n, 1, length)).astype(np.float32)
    labels = np.zeros((n, length), np.int64)
    for i in range(n):
        start = -int(rng.integers(0, 8))  # the first run began before the window
        while start < length:
            run, sign = int(rng.integers(5, 9)), int(rng.integers(0, 2))
            if start >= 0:
                x[i, 0, start] += 2.0 if sign else -2.0
            labels[i, max(start, 0) : start + run] = sign
            start += run
    return x, labels


def moving_blobs(
    n: int, frames: int = 8, size: int = 16, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Clips of one Gaussian blob moving one pixel per frame right, left, down or up.

    Introduced in 09_beyond. The start is random and the background noisy, so a single frame
    (or the average of all frames) does not tell the direction: only the order of the frames
    does.

    Returns
    -------
    clips : ndarray of shape (n, 1, frames, size, size), float32
    labels : ndarray of shape (n,), int64, indices into :data:`DIRECTIONS`
    """
    rng = np.random.default_rng([929, seed])
    rows, cols = np.mgrid[0:size, 0:size]
    steps = np.array([[0, 1], [0, -1], [1, 0], [-1, 0]])
    labels = rng.integers(0, 4, size=n)
    clips = rng.normal(scale=0.3, size=(n, 1, frames, size, size)).astype(np.float32)
    for i, label in enumerate(labels):
        start = rng.uniform(frames / 2 + 1, size - frames / 2 - 2, size=2)
        for t in range(frames):
            r, c = start + (t - frames / 2) * steps[label]
            clips[i, 0, t] += np.exp(-((rows - r) ** 2 + (cols - c) ** 2) / 3.0)
    return clips, labels.astype(np.int64)


def mnist1d(shuffle: bool = False) -> tuple[np.ndarray, ...]:
    """MNIST-1D as its authors made it (4000 training and 1000 test signals of length 40),
    generated offline by the ``mnist1d`` package with its default arguments (seed 42).

    Introduced in 09_beyond. ``shuffle=True`` reorders the 40 positions of every signal by one
    fixed permutation: the same information, with neighbours no longer neighbours.

    Returns
    -------
    x_train : ndarray of shape (4000, 1, 40), float32
    y_train : ndarray of shape (4000,), int64
    x_test : ndarray of shape (1000, 1, 40), float32
    y_test : ndarray of shape (1000,), int64
    """
    from mnist1d.data import get_dataset_args, make_dataset

    data = make_dataset(get_dataset_args())  # generated here; get_dataset would download
    order = np.random.default_rng(40).permutation(40) if shuffle else np.arange(40)
    x, x_test = (data[k][:, None, order].astype(np.float32) for k in ("x", "x_test"))
    return x, data["y"].astype(np.int64), x_test, data["y_test"].astype(np.int64)


def bilinear_kernel(factor: int, channels: int) -> np.ndarray:
    """Weights (channels, channels, 2f, 2f) of a transposed convolution (stride f, pad f / 2)
    that upsamples each channel bilinearly and mixes none, as FCN initialises its upsampling.

    Introduced in 09_beyond.
    """
    k = 2 * factor
    centre = factor - 0.5
    ramp = 1 - np.abs(np.arange(k) - centre) / factor
    w = np.zeros((channels, channels, k, k))
    w[np.arange(channels), np.arange(channels)] = np.outer(ramp, ramp)
    return w


def mean_iou(pred: np.ndarray, truth: np.ndarray, n_classes: int) -> tuple[float, np.ndarray]:
    """Mean intersection over union of per-pixel labels, and the IoU of each class.

    Introduced in 09_beyond. A class absent from both ``pred`` and ``truth`` counts as NaN and
    is left out of the mean.
    """
    ious = np.full(n_classes, np.nan)
    for k in range(n_classes):
        union = np.sum((pred == k) | (truth == k))
        if union:
            ious[k] = np.sum((pred == k) & (truth == k)) / union
    return float(np.nanmean(ious)), ious


def draw_segmentation(images: np.ndarray, rows: dict[str, np.ndarray], title: str = "") -> Figure:
    """Images in the first row; each further row draws one set of per-pixel labels over them.

    Introduced in 09_beyond. ``rows`` maps a row title to labels of shape (n, H, W).
    """
    n = len(images)
    fig, axes = plt.subplots(1 + len(rows), n, figsize=(1.6 * n, 1.7 * (1 + len(rows))))
    axes = np.asarray(axes).reshape(1 + len(rows), n)
    for j in range(n):
        axes[0, j].imshow(images[j, 0], cmap="gray")
        for i, labels in enumerate(rows.values(), start=1):
            axes[i, j].imshow(images[j, 0], cmap="gray")
            axes[i, j].imshow(labels[j], cmap=_MASK_COLOURS, vmin=0, vmax=2, alpha=0.55)
    for i, name in enumerate(["input", *rows]):
        axes[i, 0].set_ylabel(name, fontsize=9)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in ("tab:orange", "tab:cyan")]
    fig.legend(handles, CLASSES[1:], loc="upper right", fontsize=9)
    fig.suptitle(title)
    return fig


def draw_influence(maps: dict[str, np.ndarray], centre: int) -> Figure:
    """Stem plots of how much each input moves one output, one panel per network.

    Introduced in 09_beyond. ``maps`` maps a panel title to an influence vector (one value per
    input position); ``centre`` is the output's own position.
    """
    fig, axes = plt.subplots(len(maps), 1, figsize=(8, 1.6 * len(maps)), sharex=True)
    for ax, (name, values) in zip(np.atleast_1d(axes), maps.items(), strict=True):
        positions = np.arange(len(values))
        ax.bar(positions, values, color=np.where(values > 0, "tab:blue", "lightgrey"))
        ax.axvline(centre, color="tab:red", ls=":", label="the output's position")
        ax.set_ylabel("influence")
        ax.set_title(name, fontsize=10)
    ax.set_xlabel("input position")
    np.atleast_1d(axes)[0].legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig


def influence_counts(values: Sequence[float]) -> tuple[int, int]:
    """(span from the first to the last input that matters, how many inputs matter)."""
    moved = np.flatnonzero(np.asarray(values) > 0)
    return int(moved[-1] - moved[0] + 1), int(moved.size)
