"""Deep fully connected networks, plain and residual, trained on scikit-learn's digits.

Introduced in 08_resnet. The degradation experiment needs many trainings of 30-layer networks
within seconds, so the networks here are fully connected (width 32, no biases) rather than
convolutional: the question, whether depth alone makes a network harder to train and whether
skip connections undo it, does not depend on the kind of layer.

A network of ``blocks`` blocks has ``2 * blocks + 2`` weight layers::

    x (64 pixels) -> [W_in, ReLU] -> block_1 -> ... -> block_n -> W_out -> softmax
    plain block:     h -> relu(relu(h @ A) @ B)
    residual block:  h -> relu(h + relu(h @ A) @ B)

Both kinds start from the same He-initialised weights for a seed; in a residual network the
second layer B of every block is scaled by ``branch_scale`` (0.1), so that each block starts
close to the identity (without it the sum of 14 branches overflows; see the notebook).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

import numpy as np
from threadpoolctl import threadpool_limits  # installed with scikit-learn

__all__ = ["Net", "digits", "evaluate", "gradient_norms", "init_net", "train"]


def _one_thread(fn):
    """Run ``fn`` with single-threaded BLAS: these matrices are small (32 x 32), and threads
    cost more in start-up and waiting than they save (five times slower on two cores)."""

    @wraps(fn)
    def run(*args, **kwargs):
        with threadpool_limits(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return run


@dataclass
class Net:
    """A network's weights: ``w_in`` (64, width), ``blocks`` of pairs (A, B) of shape
    (width, width), ``w_out`` (width, 10); ``history`` holds (step, training loss) pairs."""

    w_in: np.ndarray
    blocks: list[tuple[np.ndarray, np.ndarray]]
    w_out: np.ndarray
    residual: bool
    history: list[tuple[int, float]] = field(default_factory=list)

    @property
    def depth(self) -> int:
        """The number of weight layers."""
        return 2 * len(self.blocks) + 2


def digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1797 handwritten digits, 8x8 pixels flattened, scaled to [0, 1], centred.

    Introduced in 08_resnet.

    Returns
    -------
    x : ndarray of shape (1797, 64), float64
    y : ndarray of shape (1797,), int, the digit
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    x = data.data / 16.0
    return x - x.mean(axis=0), data.target


def init_net(
    blocks: int,
    residual: bool,
    seed: int,
    width: int = 32,
    branch_scale: float = 0.1,
    gain: float = 2.0,
) -> Net:
    """He-initialised weights (std ``sqrt(2 / fan_in)``), the same for plain and residual.

    Introduced in 08_resnet. In a residual network each block's second layer is multiplied by
    ``branch_scale``. ``gain`` sets the blocks' weights to std ``sqrt(gain / fan_in)``: 2 is He's
    choice for ReLU, 1 halves the variance of the signal at every ReLU.
    """
    rng = np.random.default_rng(seed)

    def he(n_in: int, n_out: int, gain: float = 2.0) -> np.ndarray:
        return rng.normal(size=(n_in, n_out)) * np.sqrt(gain / n_in)

    w_in = he(64, width)
    pairs = [(he(width, width, gain), he(width, width, gain)) for _ in range(blocks)]
    if residual:
        pairs = [(a, b * branch_scale) for a, b in pairs]
    return Net(w_in, pairs, he(width, 10, 1.0), residual)


def _run(net: Net, x, y, drop=None, grads=True):
    """Loss, error and (when ``grads``) the weight gradients, in the order of ``_weights``.

    ``drop``: ("block", k) skips block k (h passes unchanged); ("layer", j) skips hidden layer j
    (layer 2k is block k's A, 2k + 1 its B) of a plain network.
    """
    h0 = x @ net.w_in
    h = np.maximum(h0, 0)
    saved = []
    for k, (a, b) in enumerate(net.blocks):
        u = h @ a
        r = h if drop == ("layer", 2 * k) else np.maximum(u, 0)
        v = r if drop == ("layer", 2 * k + 1) else r @ b
        s = h if drop == ("block", k) else (h + v if net.residual else v)
        saved.append((h, u, r, s))
        h = np.maximum(s, 0)
    scores = h @ net.w_out
    z = scores - scores.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    rows = np.arange(len(y))
    loss, error = float(-log_p[rows, y].mean()), float(np.mean(scores.argmax(axis=1) != y))
    if not grads:
        return loss, error, None
    d_scores = np.exp(log_p)
    d_scores[rows, y] -= 1
    d_scores /= len(y)
    g_out, dh = h.T @ d_scores, d_scores @ net.w_out.T
    g_blocks = []
    for (a, b), (h_in, u, r, s) in zip(reversed(net.blocks), reversed(saved), strict=True):
        ds = dh * (s > 0)
        g_b, dr = r.T @ ds, ds @ b.T
        du = dr * (u > 0)
        g_a = h_in.T @ du
        dh = du @ a.T + (ds if net.residual else 0)
        g_blocks.append((g_a, g_b))
    g_in = x.T @ (dh * (h0 > 0))
    return loss, error, [g_in, *(g for pair in reversed(g_blocks) for g in pair), g_out]


def _weights(net: Net) -> list[np.ndarray]:
    return [net.w_in, *(w for pair in net.blocks for w in pair), net.w_out]


@_one_thread
def evaluate(net: Net, x, y, drop=None) -> tuple[float, float]:
    """(mean cross-entropy loss, error rate) of ``net`` on ``x``, ``y``.

    Introduced in 08_resnet. ``drop=("block", k)`` deletes block k (its input passes on
    unchanged); ``drop=("layer", j)`` deletes hidden layer j of a plain network (layer 2k is
    block k's first layer, 2k + 1 its second).
    """
    loss, error, _ = _run(net, x, y, drop, grads=False)
    return loss, error


@_one_thread
def gradient_norms(net: Net, x, y) -> np.ndarray:
    """The Frobenius norm of the loss gradient of every weight layer, input side first.

    Introduced in 08_resnet.

    Returns
    -------
    norms : ndarray of shape (net.depth,)
    """
    return np.array([np.linalg.norm(g) for g in _run(net, x, y)[2]])


@_one_thread
def train(
    blocks: int,
    residual: bool,
    seed: int,
    steps: int = 500,
    lr: float = 0.02,
    batch: int = 64,
    width: int = 32,
    every: int = 25,
    branch_scale: float = 0.1,
) -> Net:
    """Train a network with SGD and momentum 0.9 on mini-batches of the digits.

    Introduced in 08_resnet. The seed fixes the initial weights and the batches: a plain and a
    residual network of the same seed see the same batches in the same order. Every ``every``
    steps the loss on all 1797 digits is added to ``net.history``.
    """
    x, y = digits()
    net = init_net(blocks, residual, seed, width, branch_scale)
    weights = _weights(net)
    velocity = [np.zeros_like(w) for w in weights]
    rng = np.random.default_rng([8, seed])
    for step in range(steps + 1):
        if step % every == 0:
            net.history.append((step, evaluate(net, x, y)[0]))
        if step == steps:
            break
        pick = rng.integers(0, len(x), size=batch)
        grads = _run(net, x[pick], y[pick])[2]
        for w, v, g in zip(weights, velocity, grads, strict=True):
            v *= 0.9
            v -= lr * g
            w += v  # in place: the arrays of net
    return net
