"""The inputs of notebook 06_backprop's visible cases, by label.

Every table maps a label (what the learner reads when a case fails) to the arguments of the case
builder of :mod:`grader.backprop.cases`. The numerical-gradient examples also carry their answers,
worked out by hand: for a polynomial, centred differences are exact algebra.
"""

from __future__ import annotations

import numpy as np

__all__ = ["AFFINE", "AVGPOOL", "CONV", "MAXPOOL", "RELU", "SOFTMAX", "gradient_examples"]

_RNG = np.random.default_rng(606)


def _draw(*shape: int, dtype=np.float64) -> np.ndarray:
    """Normal values with two decimals, easy to read in a message."""
    return _RNG.normal(size=shape).round(2).astype(dtype)


def gradient_examples() -> list[tuple]:
    """``(label, source of f, x, dout, kwargs, expected, [(mistake id, wrong answer), ...])``."""
    rng = np.random.default_rng(60)
    x, dout, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), 0.1
    cube = 3 * x**2
    t_x, t_dout = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    t = np.tanh(t_x)
    slope, curve = 1 - t**2, -2 * t * (1 - t**2)  # tanh' and tanh''
    c_x, c_dout = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    a = np.linspace(-1.0, 1.0, 12).reshape(3, 4)

    def coupled(at):  # gradient of sum(tanh(at @ a) * c_dout)
        return ((1 - np.tanh(at @ a) ** 2) * c_dout) @ a.T

    shifted = np.empty_like(c_x)  # entry k measured with entries 0..k-1 left at x - h
    for k in range(c_x.size):
        moved = c_x.copy()
        moved.flat[:k] -= 1e-5
        shifted.flat[k] = coupled(moved).flat[k]
    v_x, v_dout = rng.normal(size=4), rng.normal(size=4)
    s_x = rng.normal(size=(2, 2))
    f32_x, f32_dout = rng.normal(size=(3, 3)).astype(np.float32), rng.normal(size=(3, 3))
    step32 = np.float32(1e-5)  # x + h, rounded to float32 as a float32 x would be

    def sq(v):  # squared in float32, as f would on a float32 array
        return (v * v).astype(np.float64)

    sin_x, sin_dout = rng.normal(size=(2, 2, 3)), rng.normal(size=(2, 2, 3))
    return [
        (
            "f(x) = x**3 on x (2, 3), h = 0.1: centred differences give exactly "
            "dout * (3x**2 + h**2)",
            "lambda x: x ** 3",
            x,
            dout,
            {"h": h},
            dout * (cube + h * h),
            [
                ("one_sided", dout * (cube + 3 * x * h + h * h)),
                ("one_sided", dout * (cube - 3 * x * h + h * h)),
                ("step_ignored", dout * cube),
                ("not_halved", 2 * dout * (cube + h * h)),
                ("dout_ignored", cube + h * h),
            ],
        ),
        (
            "f(x) = tanh(x) on x (3, 4), default h",
            "lambda x: np.tanh(x)",
            t_x,
            t_dout,
            {},
            t_dout * slope,
            [("one_sided", t_dout * (slope + 0.5e-5 * curve)), ("dout_ignored", slope)],
        ),
        (
            "f(x) = tanh(x @ A) with A (3, 4): x (2, 3) gives f(x) (2, 4), each entry of x moves "
            "a whole row",
            "lambda x: np.tanh(x @ np.linspace(-1.0, 1.0, 12).reshape(3, 4))",
            c_x,
            c_dout,
            {},
            coupled(c_x),
            [("not_restored", shifted), ("dout_ignored", (1 - np.tanh(c_x @ a) ** 2) @ a.T)],
        ),
        (
            "f(x) = x, the identity, on x (4,): the gradient is dout (f returns x itself)",
            "lambda x: x",
            v_x,
            v_dout,
            {},
            v_dout,
            [("view_kept", np.zeros(4)), ("dout_ignored", np.ones(4))],
        ),
        (
            "f returns a number (a loss): f(x) = sum(x**2) / 2 on x (2, 2), dout = 1.0",
            "lambda x: np.sum(x ** 2) / 2",
            s_x,
            1.0,
            {},
            s_x.copy(),
            [("one_sided", s_x + 0.5e-5), ("not_halved", 2 * s_x)],
        ),
        (
            "float32 x (3, 3), f(x) = x**2: perturb a float64 copy of x (float32 cannot "
            "resolve a step of 1e-5)",
            "lambda x: x ** 2",
            f32_x,
            f32_dout,
            {},
            2 * f32_x.astype(np.float64) * f32_dout,
            [
                ("dout_ignored", 2 * f32_x.astype(np.float64)),
                ("float32_steps", f32_dout * (sq(f32_x + step32) - sq(f32_x - step32)) / 2e-5),
            ],
        ),
        (
            "f(x) = sin(x) on x (2, 2, 3) of three axes, h = 1e-4",
            "lambda x: np.sin(x)",
            sin_x,
            sin_dout,
            {"h": 1e-4},
            sin_dout * np.cos(sin_x),
            [
                ("one_sided", sin_dout * (np.cos(sin_x) - 0.5e-4 * np.sin(sin_x))),
                ("dout_ignored", np.cos(sin_x)),
            ],
        ),
    ]


_TIED = np.array([[5, 5, 0, 2], [1, 5, 2, 0], [3, 3, 1, 1], [3, 3, 1, 1]], dtype=np.float64)
_SHARED = _draw(1, 2, 5, 5)
_SHARED[0, 0, 2, 2] = 9.0  # the maximum of all four overlapping windows

RELU = {
    "x (3, 4) with three exact zeros (no gradient passes there)": (
        _draw(3, 4),
        np.where(np.eye(3, 4, 1, dtype=bool), 0.0, _draw(3, 4)),
    ),
    "a feature map x (2, 3, 2, 2)": (_draw(2, 3, 2, 2), _draw(2, 3, 2, 2)),
    "float32 dout and x (4, 5)": (_draw(4, 5, dtype=np.float32), _draw(4, 5, dtype=np.float32)),
    "integer x (2, 5), float dout": (_draw(2, 5), np.array([[-2, -1, 0, 1, 2], [2, 1, 0, -1, -2]])),
    "every x negative: dx is all zeros": (_draw(3, 3), -np.abs(_draw(3, 3)) - 0.5),
}

AFFINE = {
    "x (2, 3), w (3, 4), b (4,)": (_draw(2, 4), (_draw(2, 3), _draw(3, 4), _draw(4))),
    "images x (2, 2, 3), flattened to D = 6, w (6, 4): dx keeps x's shape (2, 2, 3)": (
        _draw(2, 4),
        (_draw(2, 2, 3), _draw(6, 4), _draw(4)),
    ),
    "batch of one: x (1, 5), w (5, 2)": (_draw(1, 2), (_draw(1, 5), _draw(5, 2), _draw(2))),
    "N = D = M = 3: x (3, 3), w (3, 3), where a transposed dw has the right shape": (
        _draw(3, 3),
        (_draw(3, 3), _draw(3, 3), _draw(3)),
    ),
    "float32 x (3, 2, 2), w (4, 3)": (
        _draw(3, 3, dtype=np.float32),
        tuple(_draw(*s, dtype=np.float32) for s in ((3, 2, 2), (4, 3), (3,))),
    ),
}

MAXPOOL = {
    "the drawn 4x4 example (no ties), 2x2 windows, stride 2, dout [[1, 2], [3, 4]]": (
        np.arange(1.0, 5.0).reshape(1, 1, 2, 2),
        (np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [1, 2, 7, 4]])[None, None] * 1.0, 2, 2),
    ),
    "ties: window (0, 0) holds 5, 5 / 1, 5, so its first maximum in row-major order, x[0, 0], "
    "gets the gradient; the last two windows are 4-way ties": (
        np.array([[1.0, 2.0], [3.0, 4.0]])[None, None],
        (_TIED[None, None], 2, 2),
    ),
    "x (2, 3, 4, 6), 2x2 windows, stride 2": (_draw(2, 3, 2, 3), (_RNG.normal(size=(2, 3, 4, 6)), 2, 2)),
    "overlapping 3x3 windows, stride 2, on x (1, 2, 5, 5): the 9 at (2, 2) is the maximum of "
    "all four windows and collects all four gradients": (_draw(1, 2, 2, 2), (_SHARED, 3, 2)),
    "integer x (1, 1, 4, 4) of 0s and 1s: ties in every window": (
        _draw(1, 1, 2, 2),
        (np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 0, 0]])[None, None], 2, 2),
    ),
    "float32 x (1, 2, 6, 6), 3x3 windows, stride 3": (
        _draw(1, 2, 2, 2, dtype=np.float32),
        (_RNG.normal(size=(1, 2, 6, 6)).astype(np.float32), 3, 3),
    ),
    "2x2 windows, stride 1, on x (1, 1, 3, 3) (overlapping)": (
        _draw(1, 1, 2, 2),
        (_draw(1, 1, 3, 3), 2, 1),
    ),
}  # fmt: skip

# (x, dout, size, stride)
AVGPOOL = {
    "the drawn 4x4 example, 2x2 windows, stride 2, dout [[1, 2], [3, 4]]": (
        MAXPOOL["the drawn 4x4 example (no ties), 2x2 windows, stride 2, dout [[1, 2], [3, 4]]"][1][0],
        np.arange(1.0, 5.0).reshape(1, 1, 2, 2),
        2,
        2,
    ),
    "x (2, 3, 4, 6), 2x2 windows, stride 2": (_draw(2, 3, 4, 6), _draw(2, 3, 2, 3), 2, 2),
    "overlapping 3x3 windows, stride 2, on x (1, 2, 5, 5): shared inputs add up": (
        _draw(1, 2, 5, 5),
        _draw(1, 2, 2, 2),
        3,
        2,
    ),
    "integer x (1, 2, 4, 4) in the cache: dx is still a float array": (
        np.arange(32).reshape(1, 2, 4, 4),
        _draw(1, 2, 2, 2),
        2,
        2,
    ),
    "float32 x (1, 2, 6, 6) and dout, 3x3 windows, stride 3": (
        _draw(1, 2, 6, 6, dtype=np.float32),
        _draw(1, 2, 2, 2, dtype=np.float32),
        3,
        3,
    ),
    "2x2 windows, stride 1, on x (1, 1, 3, 3)": (_draw(1, 1, 3, 3), _draw(1, 1, 2, 2), 2, 1),
}  # fmt: skip

# (scores, y)
SOFTMAX = {
    "scores (4, 3), labels [0, 2, 1, 2]": (_draw(4, 3), np.array([0, 2, 1, 2])),
    "10 classes, scores near 0: the loss is close to log(10) = 2.3026": (
        _draw(4, 10) * 0.01,
        np.array([3, 9, 0, 3]),
    ),
    "one sample, scores [[1, 2, 3]], label 0": (np.array([[1.0, 2.0, 3.0]]), np.array([0])),
    "scores around 1000 (np.exp(1000) overflows: subtract each row's maximum first)": (
        1000.0 + _draw(3, 4),
        np.array([1, 0, 3]),
    ),
    "a confident wrong answer: the right class scores 800 below the best, so p_y = exp(-800) "
    "is 0 in floating point: take log p from the shifted scores (shifted - log(sum(exp("
    "shifted)))), not from np.log(probs)": (
        np.array([[0.0, 800.0, 3.0], [2.0, 1.0, 0.0]]),
        np.array([0, 0]),
    ),
    "float32 scores (5, 4)": (_draw(5, 4, dtype=np.float32), np.array([0, 1, 2, 3, 0])),
}

_X, _W = _draw(2, 3, 5, 5), _draw(4, 3, 3, 3)
_B = np.array([0.5, -1.0, 2.0, 0.0])

# (x, w, b, dout, stride, pad)
CONV = {
    "x (2, 3, 5, 5), w (4, 3, 3, 3), stride 1, pad 0: dout (2, 4, 3, 3)": (
        _X, _W, _B, _draw(2, 4, 3, 3), 1, 0,
    ),
    "the same x and w, pad 1: dout (2, 4, 5, 5), and dx is cropped back to 5x5": (
        _X, _W, _B, _draw(2, 4, 5, 5), 1, 1,
    ),
    "the same x and w, stride 2, pad 1: dout (2, 4, 3, 3)": (_X, _W, _B, _draw(2, 4, 3, 3), 2, 1),
    "x (2, 2, 6, 6), w (3, 2, 3, 3), stride 2, pad (0, 1): one zero row and column after the "
    "image, none before; dout (2, 3, 3, 3)": (
        _draw(2, 2, 6, 6), _draw(3, 2, 3, 3), _draw(3), _draw(2, 3, 3, 3), 2, (0, 1),
    ),
    "1x1 kernels, stride 2: x (1, 2, 5, 5), w (3, 2, 1, 1), dout (1, 3, 3, 3); inputs no "
    "window reads get no gradient": (
        _draw(1, 2, 5, 5), _draw(3, 2, 1, 1), _draw(3), _draw(1, 3, 3, 3), 2, 0,
    ),
    "float32 x (1, 2, 4, 4), w (2, 2, 3, 3), pad 1": tuple(
        _draw(*s, dtype=np.float32) for s in ((1, 2, 4, 4), (2, 2, 3, 3), (2,), (1, 2, 4, 4))
    ) + (1, 1),
    "kernel as large as the padded input: x (2, 1, 3, 3), w (2, 1, 5, 5), pad 1, dout (2, 2, 1, 1)": (
        _draw(2, 1, 3, 3), _draw(2, 1, 5, 5), _draw(2), _draw(2, 2, 1, 1), 1, 1,
    ),
}  # fmt: skip
