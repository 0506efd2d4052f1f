"""Does each check of 08_resnet name the mistake it sees, are its references right, and do the
notebook's measurements (degradation over seeds, deleting blocks) hold? (The separation of wrong
from correct answers is proven for every notebook in tests/test_implementations.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import define
from numpy.lib.stride_tricks import sliding_window_view

from grader.engine.kernel import run_cases
from grader.engine.verdicts import Status
from grader.resnet import nets
from grader.resnet.cases import NOTEBOOK
from grader.resnet.hidden import HIDDEN
from grader.resnet.hidden.references import block_forward
from make_class import topic_module

IMPLEMENTATIONS = topic_module("08_resnet", "implementations")
WRONG = IMPLEMENTATIONS.WRONG
AGREE = 1e-7  # float64 references against centred differences, relative to the largest value


def test_messages_name_the_mistake(graded):
    """Graded in the sandbox, the block without its final ReLU and the backward pass that drops
    the skip path's gradient are named in the message and carried as data next to it."""
    got = graded(
        "08_resnet",
        {
            "residual_forward": WRONG["residual_forward"]["no final ReLU"],
            "residual_backward": WRONG["residual_backward"]["skip gradient dropped"],
        },
    )
    expected = {
        "residual_forward": ("no_final_relu", "the ReLU comes after the addition"),
        "residual_backward": ("skip_grad_dropped", "passes its gradient to both inputs"),
    }
    for name, (mistake, text) in expected.items():
        result = got[name]
        assert result.status is Status.FAILED and result.score == 0, result
        assert result.mistake == mistake and text in result.message, result


NAMED = [
    ("residual_forward", "skip added after the final ReLU", "skip_after_relu"),
    ("residual_forward", "no ReLU between the convolutions", "no_middle_relu"),
    ("residual_forward", "no shortcut (a plain block)", "no_skip"),
    ("residual_forward", "identity whenever the shapes match, projection or not", "projection_ignored"),
    ("residual_forward", "shortcut shape mismatch: no check, numpy broadcasts one channel", "should_raise"),
    ("residual_forward", "stride on the second convolution", "stride_on_second_conv"),
    ("residual_forward", "strided convolution padded (1, 0)", "pad_pair_reversed"),
    ("residual_forward", "shortcut reads the odd pixels", "shortcut_offset"),
    ("residual_backward", "final ReLU not gated", "final_relu_not_gated"),
    ("residual_backward", "skip path gets dout ungated", "skip_not_gated"),
    ("residual_backward", "ReLU between the convolutions not gated", "middle_relu_not_gated"),
    ("residual_backward", "final gate from h2 alone", "gate_from_branch"),
    ("residual_backward", "shortcut dx put in the top-left corner", "shortcut_grad_misplaced"),
    ("residual_backward", "scales dout in place", "mutated_input"),
]  # fmt: skip


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(("exercise", "label", "mistake"), NAMED)
def test_visible_check_names_the_mistake(exercise, label, mistake):
    """The visible check of each exercise (run in the kernel) names every usual mistake."""
    fn = define(WRONG[exercise][label], exercise)
    result = run_cases(fn, next(e for e in NOTEBOOK.exercises if e.name == exercise).cases())
    assert result.status is Status.FAILED and result.mistake == mistake, result


# -- the references against independent computations -----------------------------------------------


def _conv(x, w, b, stride, pad):
    """A convolution written here with NumPy's sliding windows and einsum (not SciPy's)."""
    before, after = (pad, pad) if np.ndim(pad) == 0 else pad
    padded = np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))
    win = sliding_window_view(padded, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("ncijuv,fcuv->nfij", win, w) + b[None, :, None, None]


def _block(x, p):
    """The block as the notebook states it, on the convolution above."""
    s = p.get("stride", 1)
    h1 = _conv(x, p["w1"], p["b1"], s, 1 if s == 1 else (0, 1))
    h2 = _conv(np.maximum(h1, 0), p["w2"], p["b2"], 1, 1)
    short = _conv(x[:, :, ::s, ::s], p["ws"], p["bs"], 1, 0) if "ws" in p else x
    return np.maximum(h2 + short, 0)


# The correct numerical gradient of notebook 06, from its implementations (not a copy here).
_numeric = define(topic_module("06_backprop", "implementations")._NUMERICAL, "numerical_gradient")


def _close(got, want, rtol=AGREE) -> None:
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    scale = max(1.0, float(np.abs(want).max(initial=0.0)))
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * scale)


def _cases(name: str) -> list:
    exercise = next(e for e in NOTEBOOK.exercises if e.name == name)
    return [c for c in exercise.cases() + HIDDEN[name]() if not c.expects_error]


def test_forward_references_agree_with_sliding_windows():
    """Every expected output (visible and hidden) is the block computed with einsum windows."""
    cases = _cases("residual_forward")
    assert len(cases) > 15
    for case in cases:
        x, params = case.args
        x64 = np.asarray(x, dtype=np.float64)
        p64 = {
            k: np.asarray(v, dtype=np.float64) if k != "stride" else v for k, v in params.items()
        }
        _close(case.expected, _block(x64, p64), rtol=1e-10)


def test_blocks_that_do_not_fit_must_raise():
    """Every case that expects ValueError is a block whose identity shortcut cannot be added."""
    exercise = next(e for e in NOTEBOOK.exercises if e.name == "residual_forward")
    raising = [c for c in exercise.cases() + HIDDEN["residual_forward"]() if c.expects_error]
    assert len(raising) >= 3
    for case in raising:
        x, params = case.args
        assert "ws" not in params and case.error_needs_numbers
        with pytest.raises(ValueError):
            block_forward(x, params)


def _away_from_kinks(x, params) -> bool:
    """Whether no ReLU input is within 1e-4 of 0 (there the numerical gradient mixes slopes)."""
    v = block_forward(x, params)
    return min(np.abs(v["h1"]).min(), np.abs(v["total"]).min()) > 1e-4


def test_backward_references_agree_with_numerical_gradients():
    """dx and every entry of dparams (float64 cases away from ReLU kinks) against centred
    differences of the block written with einsum windows."""
    checked = 0
    for case in _cases("residual_backward"):
        dout, (x, params) = case.args
        if x.dtype != np.float64 or not _away_from_kinks(x, params):
            continue
        dx, dparams = case.expected
        _close(dx, _numeric(lambda v, p=params: _block(v, p), x, dout))
        assert set(dparams) == set(params) - {"stride"}
        for key, grad in dparams.items():

            def moved(v, key=key, x=x, p=params):
                return _block(x, {**p, key: v})

            _close(grad, _numeric(moved, params[key], dout))
        checked += 1
    assert checked >= 8


# -- the lesson's networks and the notebook's measurements ----------------------------------------


@pytest.mark.parametrize("residual", [False, True])
def test_lesson_networks_gradients_are_right(residual):
    """The weight gradients of nets' networks equal centred differences of their loss."""
    x, y = nets.digits()
    x, y = x[:12], y[:12]
    net = nets.init_net(2, residual, seed=3, width=5)
    grads = nets._run(net, x, y)[2]
    weights = nets._weights(net)
    for k, (w, g) in enumerate(zip(weights, grads, strict=True)):

        def loss(v, k=k):
            saved = weights[k].copy()
            weights[k][...] = v
            value = nets.evaluate(net, x, y)[0]
            weights[k][...] = saved
            return value

        _close(g, _numeric(loss, w.copy(), 1.0), rtol=1e-6)


def test_degradation_and_its_cure_over_five_seeds():
    """The notebook's claims on its own settings: on every seed the 30-layer plain network ends
    with a higher training loss than both the 4-layer plain network and the 30-layer residual
    one; the residual one fits the digits (under 2 % error), the plain one does not (over 50 %).
    Deleting one block of the residual networks costs under 2 points of error on average;
    deleting one hidden layer of a well-trained 10-layer plain network costs over 50 points."""
    x, y = nets.digits()
    seeds = range(5)
    final = {
        name: np.array([nets.evaluate(nets.train(b, r, s), x, y) for s in seeds])
        for name, b, r in (("shallow", 1, False), ("plain", 14, False), ("residual", 14, True))
    }
    assert final["plain"][:, 0].min() > max(
        final["shallow"][:, 0].max(), final["residual"][:, 0].max()
    )
    assert final["plain"][:, 1].mean() > 0.5
    assert final["shallow"][:, 1].max() < 0.02 and final["residual"][:, 1].max() < 0.02
    residual = [nets.train(14, True, s) for s in seeds[:3]]
    plain = [nets.train(4, False, s) for s in seeds[:3]]
    lost_block = np.mean(
        [nets.evaluate(n, x, y, ("block", k))[1] for n in residual for k in range(14)]
    )
    lost_layer = np.mean([nets.evaluate(n, x, y, ("layer", j))[1] for n in plain for j in range(8)])
    assert np.mean([nets.evaluate(n, x, y)[1] for n in plain]) < 0.02
    assert lost_block < 0.02 < 0.5 < lost_layer
