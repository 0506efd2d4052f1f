"""References and hidden cases of notebook 07_alexnet (not in the student bundle).

Dropout forward: random shapes, drop probabilities and dtypes over several seeds, judged by the
statistics of the mask, with seeds repeated (the same mask) and changed (a new one), and the
identity cases. Dropout backward: the reference is the transpose of the forward map with the
mask fixed, built column by column from the forward map applied to unit vectors (the backward
pass of any linear map is its adjoint), not the formula of the answer. AlexNet: the counts of
each layer from the paper's table of filter shapes. train_cnn: a split of the digits drawn with
a seed the bundle does not hold, its new evaluation images perturbed a little (brightness and
noise), with a hundred unperturbed images of the visible check mixed in to tell a lookup of
known images from a trained network.
"""

from __future__ import annotations

import numpy as np

from grader.alexnet import lesson
from grader.alexnet.cases import (
    BACKWARD,
    GOLDEN,
    THRESHOLD,
    dropout_cases,
    identity_case,
    rng_code,
    visible_split,
)
from grader.alexnet.judges import ALEXNET_LAYERS, accuracy_judge
from grader.engine.cases import Case

__all__ = [
    "HIDDEN",
    "alexnet_reference",
    "backward_answers",
    "golden",
    "hidden_split",
    "masked_forward_matrix",
]

SEEDS = range(8)
_M = GOLDEN.mistakes
_SECRET = 0x7A1E  # the split of train_cnn's hidden case: not in the student bundle


def _dtype(seed: int):
    return np.float32 if seed % 3 == 2 else np.float64


# -- dropout ----------------------------------------------------------------------------------------


def masked_forward_matrix(mask: np.ndarray, p: float) -> np.ndarray:
    """The Jacobian of training-time dropout with ``mask`` fixed, (n, n) for n units: column k
    is the forward map applied to the k-th unit vector."""
    n = mask.size
    columns = []
    for k in range(n):
        unit = np.zeros(n)
        unit[k] = 1.0
        columns.append(np.where(mask.ravel(), unit, 0.0) / (1.0 - p))
    return np.stack(columns, axis=1)


def backward_answers(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, dict]:
    """dropout_backward's answer (the adjoint applied to dout) and the usual mistakes' answers."""
    mask, p, train = cache
    d64 = np.asarray(dout, dtype=np.float64)
    if not train:
        return d64.copy(), {"rescaled_at_test": d64 * (1 - p)} if p else {}
    jacobian = masked_forward_matrix(np.asarray(mask), p)
    dx = (jacobian.T @ d64.ravel()).reshape(d64.shape)
    keep = np.asarray(mask, dtype=np.float64)
    wrong = {
        "not_rescaled": d64 * keep,
        "scaled_down": d64 * keep * (1 - p),
        "mask_ignored": d64 / (1 - p),
        "mask_inverted": d64 * (1 - keep) / (1 - p),
    }
    if p > 0:
        wrong["p_as_keep"] = d64 * keep / p
    return dx, {name: v for name, v in wrong.items() if not np.allclose(v, dx)}


def _backward_case(label: str, dout, mask, p: float, train: bool) -> Case:
    expected, wrong = backward_answers(dout, (mask, p, train))
    mistakes = tuple((_M[m], v) for m, v in wrong.items())
    return Case(label, (dout, (mask, p, train)), expected, mistakes=mistakes)


def _dropout_backward() -> list[Case]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng([712, seed])
        shape = tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(1, 4))))
        p = float(rng.choice([0.1, 0.25, 0.4, 0.6, 0.8]))
        dout = rng.normal(size=shape).astype(_dtype(seed))
        mask = rng.random(shape) >= p
        label = f"random dout {shape}, {np.dtype(_dtype(seed))}, p = {p:g}"
        cases.append(_backward_case(label, dout, mask, p, True))
    rng = np.random.default_rng(7120)
    x = rng.normal(size=(3, 4))
    cases += [
        _backward_case("every unit kept (p = 0.3)", x, np.ones((3, 4), bool), 0.3, True),
        _backward_case("every unit dropped", x, np.zeros((3, 4), bool), 0.3, True),
        _backward_case("p = 0", x, np.ones((3, 4), bool), 0.0, True),
        _backward_case("test-time pass, p = 0.7", x, None, 0.7, False),
        _backward_case("a batch of one (1, 128)", rng.normal(size=(1, 128)),
                       rng.random((1, 128)) >= 0.5, 0.5, True),
    ]  # fmt: skip
    return cases


def _dropout_forward() -> list[Case]:
    draws = []
    for seed in SEEDS:
        rng = np.random.default_rng([711, seed])
        rest = tuple(int(v) for v in rng.integers(4, 30, size=int(rng.integers(1, 4))))
        shape = (int(rng.integers(1, 50)), *rest)
        while np.prod(shape) < 5000:  # enough units for the mask's statistics
            shape = (shape[0] * 2, *shape[1:])
        p = float(rng.choice([0.1, 0.2, 0.3, 0.6, 0.75, 0.9]))
        dt = _dtype(seed)
        x = (rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)).astype(dt)
        draws.append((f"x {shape}, {np.dtype(dt)}, p = {p:g}, seed {100 + seed}", x, p, 100 + seed))
    rng = np.random.default_rng(7110)
    x = rng.uniform(0.5, 2.0, size=(64, 128))
    draws += [
        ("x (64, 128), p = 0.4, seed 5", x, 0.4, 5),
        ("the same seed 5 again: the same mask", -x, 0.4, 5),
        ("seed 6: a new mask", x, 0.4, 6),
        ("seed 7: a new mask", x, 0.4, 7),
        ("a batch of one (1, 6000), p = 0.25", rng.uniform(0.5, 2.0, size=(1, 6000)), 0.25, 8),
    ]
    cases = dropout_cases(draws)
    small = rng.normal(size=(2, 3, 4))
    cases += [
        identity_case("test time, p = 0.5", small, 0.5, False, 3),
        identity_case("test time, float32, p = 0.9", small.astype(np.float32), 0.9, False, 3),
        identity_case("training, p = 0", small, 0.0, True, 3),
        Case("p = 1.5: ValueError", (small, 1.5, True, rng_code(1)), ValueError,
             error_needs_numbers=True),
        Case("p = -0.1: ValueError", (small, -0.1, True, rng_code(1)), ValueError,
             error_needs_numbers=True),
    ]  # fmt: skip
    return cases


# -- AlexNet ----------------------------------------------------------------------------------------

# (filters, kernel size, input channels, groups) from Krizhevsky, Sutskever and Hinton (2012),
# figure 2: CONV2, CONV4 and CONV5 see only the channels on their own GPU.
_CONVS = {
    "conv1": (96, 11, 3, 1),
    "conv2": (256, 5, 96, 2),
    "conv3": (384, 3, 256, 1),
    "conv4": (384, 3, 384, 2),
    "conv5": (256, 3, 384, 2),
}
_FCS = {"fc6": (6 * 6 * 256, 4096), "fc7": (4096, 4096), "fc8": (4096, 1000)}


def alexnet_reference(
    biases: bool = True, groups: bool = True, per_gpu: int = 1, conv3_groups: int = 1,
    fc6_inputs: int = 6 * 6 * 256,
) -> dict[str, int]:  # fmt: skip
    """AlexNet's parameters by layer from its table; the options give the usual mistakes."""
    counts = {}
    for name, (filters, size, channels, g) in _CONVS.items():
        g = (g if groups else 1) if name != "conv3" else conv3_groups
        counts[name] = filters * size * size * (channels // g) + filters * biases
    for name, (n_in, n_out) in _FCS.items():
        n_in = fc6_inputs if name == "fc6" else n_in
        counts[name] = n_in * n_out + n_out * biases
    return {name: per_gpu * counts[name] for name in ALEXNET_LAYERS}


def _alexnet() -> list[Case]:
    wrong = {
        "no_biases": alexnet_reference(biases=False),
        "grouping_ignored": alexnet_reference(groups=False),
        "doubled_per_gpu": alexnet_reference(per_gpu=2),
        "conv3_grouped": alexnet_reference(conv3_groups=2),
        "pool5_skipped": alexnet_reference(fc6_inputs=13 * 13 * 256),
    }
    return [
        Case(
            "each layer's count",
            (),
            alexnet_reference(),
            mistakes=tuple((_M[m], v) for m, v in wrong.items()),
            exact=True,
        )
    ]


# -- train_cnn --------------------------------------------------------------------------------------


def hidden_split() -> tuple[np.ndarray, ...]:
    """train_cnn's hidden split: ``X_train, y_train, X_eval, y_eval, seen`` with ``seen``
    marking the evaluation images taken unchanged from the visible check's."""
    images, labels = lesson.digits()
    _, _, visible_eval, _ = visible_split()
    rng = np.random.default_rng(_SECRET)
    known = {image.tobytes(): i for i, image in enumerate(images)}
    visible = np.array([known[image.tobytes()] for image in visible_eval])
    seen = rng.choice(visible, size=100, replace=False)
    rest = rng.permutation(np.setdiff1d(np.arange(len(labels)), seen))
    train, new = rest[:1100], rest[1100:1400]
    fresh = images[new] * rng.uniform(0.9, 1.1, size=(len(new), 1, 1, 1))
    fresh = np.clip(fresh + rng.normal(0.0, 0.05, size=fresh.shape), 0.0, 1.0)
    X_eval = np.concatenate([images[seen], fresh])
    y_eval = np.concatenate([labels[seen], labels[new]])
    is_seen = np.arange(len(y_eval)) < len(seen)
    order = rng.permutation(len(y_eval))
    return images[train], labels[train], X_eval[order], y_eval[order], is_seen[order]


def _train_cnn() -> list[Case]:
    X_train, y_train, X_eval, y_eval, seen = hidden_split()
    return [
        Case(
            "1100 digits to train on, 400 to label (a new split; most images slightly perturbed)",
            (X_train, y_train, X_eval),
            None,
            {"seed": 5},
            judge=accuracy_judge(y_eval, THRESHOLD, seen),
        )
    ]


def golden() -> dict:
    """The stored answers of the visible dropout_backward cases."""
    entries = {}
    for label, (dout, mask, p, train) in BACKWARD.items():
        expected, wrong = backward_answers(dout, (mask, p, train))
        entries[label] = {"expected": expected, "mistakes": wrong}
    return {"dropout_backward": entries}


HIDDEN = {
    "dropout_forward": _dropout_forward,
    "dropout_backward": _dropout_backward,
    "train_cnn": _train_cnn,
    "alexnet_param_counts": _alexnet,
}
