"""Figures and tables of notebook 08_resnet.

Introduced in 08_resnet. The networks they show are trained by :mod:`grader.resnet.nets`; every
function here only reads results and draws them, returning the figure it made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import comb

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from grader.resnet.nets import Net, evaluate

__all__ = ["draw_paths", "plot_deletion", "plot_gradient_norms", "plot_runs", "summarise"]


def summarise(runs: Mapping[str, Sequence[Net]], x, y) -> dict[str, np.ndarray]:
    """Print each group's final training loss and error over its seeds; return them.

    Introduced in 08_resnet.

    Parameters
    ----------
    runs : mapping of label -> trained networks, one per seed
    x, y : the training set

    Returns
    -------
    finals : mapping of label -> ndarray of shape (seeds, 2), (loss, error) per seed
    """
    finals = {}
    print(f"{'network':<26s} {'layers':>6s}   training loss: mean ± std [min, max]   error %")
    for label, nets in runs.items():
        final = np.array([evaluate(net, x, y) for net in nets])
        finals[label] = final
        loss, err = final[:, 0], 100 * final[:, 1]
        print(
            f"{label:<26s} {nets[0].depth:>6d}   {loss.mean():.3f} ± {loss.std():.3f} "
            f"[{loss.min():.3f}, {loss.max():.3f}]   {err.mean():5.1f} [{err.min():.1f}, "
            f"{err.max():.1f}]"
        )
    return finals


def plot_runs(runs: Mapping[str, Sequence[Net]], title: str) -> Figure:
    """Training loss against steps: each group's mean over seeds, with its min-max band.

    Introduced in 08_resnet.
    """
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for label, nets in runs.items():
        steps = np.array([s for s, _ in nets[0].history])
        losses = np.array([[loss for _, loss in net.history] for net in nets])
        (line,) = ax.plot(steps, losses.mean(axis=0), lw=2, label=f"{label} (mean of {len(nets)})")
        ax.fill_between(steps, losses.min(axis=0), losses.max(axis=0), alpha=0.2,
                        color=line.get_color())  # fmt: skip
    ax.set_yscale("log")
    ax.set(xlabel="training step (mini-batches of 64)",
           ylabel="loss on all 1797 training digits",
           title=f"{title}\n(lines: mean over the seeds; bands: their min to max)")  # fmt: skip
    ax.axhline(np.log(10), color="grey", ls=":", label="log 10: guessing")
    ax.legend(fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_gradient_norms(norms: Mapping[str, np.ndarray]) -> Figure:
    """Gradient norm of every weight layer, input side on the left, one line per network.

    Introduced in 08_resnet.
    """
    fig, ax = plt.subplots(figsize=(8, 4))
    for (label, values), marker in zip(norms.items(), "os^v", strict=False):
        ax.semilogy(np.arange(1, len(values) + 1), values, marker=marker, ms=4, label=label)
    ax.set(xlabel="weight layer (1 = next to the input)", ylabel="‖dL/dW‖ at initialisation",
           title="Gradient norm per layer, before training (mean of the seeds)")  # fmt: skip
    ax.legend(fontsize=9)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def draw_paths(n: int = 3, n_big: int = 14) -> Figure:
    """The 2**n paths through n residual blocks, and how many paths of each length n_big has.

    Introduced in 08_resnet. Left: one row per path; a filled circle is a block the path goes
    through, an empty one a block it skips. Right: the number of paths through k of n_big
    blocks, comb(n_big, k).
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), width_ratios=[1, 1.4])
    for row in range(2**n):
        through = [(row >> (n - 1 - k)) & 1 for k in range(n)]
        y = 2**n - 1 - row
        left.plot([0, n + 1], [y, y], color="grey", lw=1, zorder=1)
        for k, used in enumerate(through):
            left.scatter(k + 1, y, s=160, zorder=2, edgecolor="C0", lw=2,
                         facecolor="C0" if used else "white")  # fmt: skip
        left.text(n + 1.3, y, f"{sum(through)} blocks", va="center", fontsize=9)
    left.set(xticks=range(n + 2), xticklabels=["x", *(f"block {k + 1}" for k in range(n)), "out"],
             yticks=[], xlim=(-0.3, n + 2.6), title=f"{2**n} paths through {n} blocks")  # fmt: skip
    lengths = np.arange(n_big + 1)
    counts = [comb(n_big, int(k)) for k in lengths]
    right.bar(lengths, counts, color="C1")
    right.set(xlabel="blocks a path goes through", ylabel="number of paths",
              title=f"{n_big} blocks: {2**n_big:,} paths")  # fmt: skip
    right.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    return fig


def plot_deletion(results: Mapping[str, np.ndarray], baselines: Mapping[str, float]) -> Figure:
    """Training error after deleting one block or layer, one panel per network.

    Introduced in 08_resnet.

    Parameters
    ----------
    results : mapping of label -> ndarray of shape (seeds, parts), error rate with part k deleted
    baselines : mapping of label -> mean error rate with nothing deleted
    """
    fig, axes = plt.subplots(1, len(results), figsize=(5 * len(results), 3.8), squeeze=False)
    for ax, (label, errors) in zip(axes[0], results.items(), strict=True):
        parts = np.arange(1, errors.shape[1] + 1)
        ax.bar(parts, 100 * errors.mean(axis=0), color="C3", alpha=0.8, label="one deleted (mean)")
        for k, row in enumerate(errors):
            ax.scatter(parts, 100 * row, s=8, color="k", zorder=3,
                       label="one seed" if k == 0 else None)  # fmt: skip
        ax.axhline(100 * baselines[label], color="C2", lw=2, label="nothing deleted")
        ax.axhline(90, color="grey", ls=":", label="guessing (90 %)")
        ax.set(xlabel="deleted part", ylabel="training error (%)", ylim=(0, 100), title=label)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
