"""Data and figures of notebook 07_alexnet.

Introduced in 07_alexnet: scikit-learn's handwritten digits (1797 real images of 8 x 8 pixels,
which load with no network) as the notebook's data, a stratified train/test split, and the
figures: training curves, filters on one symmetric colour scale, feature maps, AlexNet's
parameters by layer. Nothing here trains a network: the notebook does that with your layers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

__all__ = [
    "ascend",
    "digits",
    "digits_split",
    "draw_counts",
    "draw_curves",
    "draw_digits",
    "draw_filters",
    "draw_maps",
    "epochs_to",
    "one_blas_thread",
]


@cache
def _digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    data = load_digits()
    images = (data.images / 16.0)[:, None].astype(np.float64)  # (1797, 1, 8, 8) in [0, 1]
    images.flags.writeable = False
    labels = data.target.astype(np.int64)
    labels.flags.writeable = False
    return images, labels


def digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's handwritten digits as images and labels.

    Introduced in 07_alexnet. 1797 images by 13 writers, 8 x 8 pixels of 17 grey levels (the
    ink counted in 4 x 4 blocks of 32 x 32 bitmaps).

    Returns
    -------
    images : ndarray of shape (1797, 1, 8, 8), float64, pixels in [0, 1]
    labels : ndarray of shape (1797,), int64, the digits 0 .. 9
    """
    images, labels = _digits()
    return images.copy(), labels.copy()


def digits_split(n_test: int = 500, seed: int = 0) -> tuple[np.ndarray, ...]:
    """The digits split into a training and a test set with the same share of each digit.

    Introduced in 07_alexnet.

    Returns
    -------
    X_train : ndarray of shape (1797 - n_test, 1, 8, 8)
    X_test : ndarray of shape (n_test, 1, 8, 8)
    y_train, y_test : ndarray of labels, int64
    """
    from sklearn.model_selection import train_test_split

    images, labels = digits()
    return tuple(
        train_test_split(images, labels, test_size=n_test, random_state=seed, stratify=labels)
    )


def one_blas_thread() -> None:
    """Limit numpy's BLAS to one thread in this kernel.

    Introduced in 07_alexnet. The matrix products of a small network take microseconds; with
    two threads each product waits for the other thread, and on a busy machine training becomes
    several times slower, not faster. The grader runs your code on one thread too.
    """
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    threadpool_limits(1)


def epochs_to(accuracies: Sequence[float], target: float) -> int | None:
    """The first epoch (counted from 1) whose accuracy reaches ``target``, or None."""
    return next((i + 1 for i, a in enumerate(accuracies) if a >= target), None)


def draw_digits(images: np.ndarray, titles: Sequence[str], columns: int = 10) -> Figure:
    """Images (N, 1, 8, 8) in a grid, each with its title, black ink on white."""
    rows = int(np.ceil(len(images) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.1 * columns, 1.3 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image, title in zip(axes.flat, images, titles, strict=False):
        ax.imshow(image[0], cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(title, fontsize=8)
    fig.tight_layout()
    return fig


def draw_curves(runs: Mapping[str, Mapping[str, Sequence[float]]], target: float | None = None):
    """Training loss and test accuracy by epoch, one line per run.

    ``runs`` maps a run's name to ``{"loss": [...], "test_accuracy": [...]}``; ``target`` draws
    a dotted line at that accuracy.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    for name, run in runs.items():
        epochs = np.arange(1, len(run["loss"]) + 1)
        left.plot(epochs, run["loss"], "o-", ms=3, label=name)
        right.plot(epochs, 100 * np.asarray(run["test_accuracy"]), "o-", ms=3, label=name)
    if target is not None:
        right.axhline(100 * target, color="grey", ls=":", label=f"{target:.0%}")
    left.set(xlabel="epoch", ylabel="mean training loss", yscale="log", title="loss")
    right.set(xlabel="epoch", ylabel="test accuracy (%)", title="accuracy on the test set")
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def draw_filters(w: np.ndarray, title: str) -> Figure:
    """First-layer filters (F, 1, HH, WW) side by side on one colour scale symmetric about 0."""
    limit = float(np.abs(w).max()) or 1.0
    fig, axes = plt.subplots(1, len(w), figsize=(0.9 * len(w) + 1, 1.6), squeeze=False)
    for f, ax in enumerate(axes[0]):
        image = ax.imshow(w[f, 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(f"{f}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(image, ax=list(axes[0]), fraction=0.02, label="weight")
    fig.suptitle(title, fontsize=10)
    return fig


def draw_maps(maps: Mapping[str, np.ndarray], columns: int = 16) -> Figure:
    """Feature maps of one image: for each layer, its channels (C, H, W) in rows of
    ``columns``, on one colour scale per layer from 0 (the maps are ReLU outputs) to its
    largest value."""
    rows = [(name, start) for name, v in maps.items() for start in range(0, len(v), columns)]
    fig, axes = plt.subplots(len(rows), columns, figsize=(0.7 * columns, 0.95 * len(rows) + 0.4),
                             squeeze=False)  # fmt: skip
    fig.subplots_adjust(hspace=0.6, wspace=0.1)
    for (name, start), row in zip(rows, axes, strict=True):
        volume = maps[name]
        top = float(volume.max()) or 1.0
        for c, ax in enumerate(row, start):
            ax.axis("off")
            if c < len(volume):
                ax.imshow(volume[c], cmap="magma", vmin=0, vmax=top)
        if start == 0:
            h, w = volume.shape[1:]
            row[0].set_title(f"{name}: {len(volume)} maps of {h} x {w} (bright: strong response)",
                             loc="left", fontsize=9)  # fmt: skip
    return fig


def draw_counts(counts: Mapping[str, int]) -> Figure:
    """AlexNet's parameters by layer: a bar per layer, log scale, with each layer's share."""
    names, values = list(counts), np.array(list(counts.values()), dtype=float)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    bars = ax.bar(names, values, color=["tab:blue"] * 5 + ["tab:orange"] * 3)
    for bar, value in zip(bars, values, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, value * 1.15, f"{value / values.sum():.1%}",
                ha="center", fontsize=8)  # fmt: skip
    ax.set(yscale="log", ylabel="parameters (log scale)", xlabel="layer",
           title=f"AlexNet: {values.sum():,.0f} parameters; blue convolutional, orange fully "
                 "connected")  # fmt: skip
    ax.set_ylim(top=values.max() * 4)
    ax.grid(alpha=0.3, axis="y")
    return fig


def ascend(gradient: Callable[[np.ndarray], np.ndarray], x: np.ndarray, steps: int = 100,
           rate: float = 0.1, decay: float = 0.01) -> np.ndarray:  # fmt: skip
    """Gradient ascent on an image: ``steps`` moves of ``rate * gradient(x) - decay * x``,
    each followed by clipping the pixels to [0, 1].

    ``gradient(x)`` returns the gradient, with respect to ``x``, of the quantity to raise
    (one unit's activation); the decay keeps pixels that do not help at 0.
    """
    x = np.array(x, dtype=np.float64)
    for _ in range(steps):
        g = gradient(x)
        x = np.clip(x + rate * g / (np.abs(g).max() + 1e-12) - decay * x, 0.0, 1.0)
    return x
