"""Does each check of 04_pooling name the mistake it sees, and are its cases sound? (The separation
of wrong from correct answers is proven for every notebook in tests/test_implementations.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import define

from grader.engine.kernel import run_cases
from grader.engine.verdicts import Status
from grader.pooling.cases import NOTEBOOK
from grader.pooling.hidden import HIDDEN, receptive_field_brute_force, tiles
from make_class import topic_module

WRONG = topic_module("04_pooling", "implementations").WRONG


def test_messages_name_the_mistake(graded):
    """Pooling across channels, summing instead of averaging, ignoring the stride and an integer
    output buffer say so, and the mistake is carried as data next to the message."""
    got = graded(
        "04_pooling",
        {
            "maxpool_forward": WRONG["maxpool_forward"]["max over the channels too"],
            "avgpool_forward": WRONG["avgpool_forward"]["sum instead of mean"],
        },
    )
    assert "over the channels too" in got["maxpool_forward"].message
    assert got["maxpool_forward"].mistake == "channels_mixed"
    assert "summed, not averaged" in got["avgpool_forward"].message
    assert got["avgpool_forward"].mistake == "sum_not_mean"

    got = graded(
        "04_pooling",
        {
            "maxpool_forward": WRONG["maxpool_forward"]["windows start at i, not i * stride"],
            "avgpool_forward": WRONG["avgpool_forward"]["integer output buffer (zeros_like)"],
        },
        "more",
    )
    assert "not by the stride" in got["maxpool_forward"].message
    assert got["maxpool_forward"].mistake == "stride_ignored"
    assert "floating-point" in got["avgpool_forward"].message
    assert got["avgpool_forward"].mistake == "integer_dtype"


def test_messages_name_raising_and_mutation_mistakes(graded):
    """Rounding the output size down and writing into the input are named."""
    maxpool = WRONG["maxpool_forward"]
    got = graded(
        "04_pooling", {"maxpool_forward": maxpool["floors the output size instead of raising"]}
    )
    result = got["maxpool_forward"]
    assert result.status is Status.FAILED and result.mistake == "should_raise"
    assert "should raise ValueError" in result.message and "do not tile" in result.message
    mutates = maxpool["accumulates into a view of the input (mutates x)"]
    got = graded("04_pooling", {"maxpool_forward": mutates}, "mutates")
    assert "modified in place" in got["maxpool_forward"].message
    assert got["maxpool_forward"].mistake == "mutated_input"


@pytest.mark.parametrize(
    ("label", "mistake", "text"),
    [
        ("strides of earlier layers ignored", "earlier_strides_ignored", "earlier layers"),
        ("multiplies by the layer's own stride", "own_stride", "its own stride"),
        ("dilation ignored", "dilation_ignored", "dilation is ignored"),
        ("dilation counted as gaps (off by one)", "dilation_as_gaps", "number of gaps"),
        ("kernels added without subtracting 1", "no_minus_one", "without subtracting 1"),
        ("kernel sizes multiplied", "kernels_multiplied", "multiplied"),
    ],
)
def test_receptive_field_check_names_the_mistake(label, mistake, text):
    """The visible check of receptive_field (an int, not an array) names the mistake."""
    fn = define(WRONG["receptive_field"][label], "receptive_field")
    result = run_cases(fn, NOTEBOOK.exercises[2].cases())
    assert result.status is Status.FAILED and result.mistake == mistake, result
    assert text in result.first.diagnosis


@pytest.mark.parametrize("seed", range(20))
def test_brute_force_receptive_field_agrees_with_the_formula(seed):
    """The perturbation experiment that judges receptive_field agrees with the closed formula."""
    rng = np.random.default_rng([4, seed])
    layers = [tuple(int(v) for v in rng.integers(1, 5, size=3)) for _ in range(rng.integers(0, 6))]
    r, jump = 1, 1
    for k, s, d in layers:
        r, jump = r + (k - 1) * d * jump, jump * s
    assert receptive_field_brute_force(layers) == r, layers


@pytest.mark.parametrize("name", ["maxpool_forward", "avgpool_forward"])
def test_pool_cases_raise_exactly_where_the_windows_do_not_tile(name):
    """Each pooling case (visible or hidden) states whether its windows tile the input; that
    statement agrees with the rule, and an answer's shape is (N, C, H', W') with
    H' = (H - size) / stride + 1."""
    exercise = next(e for e in NOTEBOOK.exercises if e.name == name)
    for case in exercise.cases() + HIDDEN[name]():
        (x,), size, stride = case.args, case.kwargs["size"], case.kwargs["stride"]
        fits = all(tiles(n, size, stride) for n in x.shape[2:])
        assert case.expects_error != fits, case.label
        if fits:
            h_out, w_out = ((n - size) // stride + 1 for n in x.shape[2:])
            assert case.expected.shape == (*x.shape[:2], h_out, w_out), case.label
