"""Does each check of pooling name the mistake it sees? (The separation of wrong
from correct answers is proven for every notebook in test_implementations.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from grader.checks import pooling as checks
from grader.course import NOTEBOOKS
from grader.judge import grade_notebook
from implementations.pooling import WRONG

SPEC = NOTEBOOKS["04_pooling"]


def _function(source: str, name: str):
    namespace = {"np": np}
    exec(source, namespace)
    return namespace[name]


def test_messages_name_the_mistake(submit):
    """Pooling across channels, summing instead of averaging and ignoring the stride say so."""
    answers = {
        "maxpool_forward": WRONG["maxpool_forward"]["max over the channels too"],
        "avgpool_forward": WRONG["avgpool_forward"]["sum instead of mean"],
    }
    messages = {r.name: r.message for r in grade_notebook(submit("04_pooling", answers)).exercises}
    assert "over the channels too" in messages["maxpool_forward"]
    assert "summed, not averaged" in messages["avgpool_forward"]

    more = {
        "maxpool_forward": WRONG["maxpool_forward"]["windows start at i, not i * stride"],
        "avgpool_forward": WRONG["avgpool_forward"]["integer output buffer (zeros_like)"],
    }
    report = grade_notebook(submit("04_pooling", more, name="more"))
    messages = {r.name: r.message for r in report.exercises}
    assert "not by the stride" in messages["maxpool_forward"]
    assert "floating-point" in messages["avgpool_forward"]


def test_messages_name_raising_and_mutation_mistakes(submit):
    """Rounding the output size down and writing into the input are named."""
    answers = {
        "maxpool_forward": WRONG["maxpool_forward"]["floors the output size instead of raising"],
    }
    report = grade_notebook(submit("04_pooling", answers))
    message = next(r.message for r in report.exercises if r.name == "maxpool_forward")
    assert "should raise ValueError" in message and "do not tile" in message
    mutates = {
        "maxpool_forward": WRONG["maxpool_forward"][
            "accumulates into a view of the input (mutates x)"
        ]
    }
    report = grade_notebook(submit("04_pooling", mutates, name="mutates"))
    assert "modified in place" in next(r.message for r in report.exercises)


@pytest.mark.parametrize(
    ("label", "diagnosis"),
    [
        ("strides of earlier layers ignored", "strides of earlier layers are ignored"),
        ("multiplies by the layer's own stride", "its own stride"),
        ("dilation ignored", "dilation is ignored"),
        ("dilation counted as gaps (off by one)", "number of gaps"),
        ("kernels added without subtracting 1", "without subtracting 1"),
        ("kernel sizes multiplied", "multiplied"),
    ],
)
def test_receptive_field_check_names_the_mistake(label, diagnosis):
    """The visible check of receptive_field (an int, not an array) still names the mistake."""
    fn = _function(WRONG["receptive_field"][label], "receptive_field")
    with pytest.raises(AssertionError, match="This looks like") as failure:
        checks.check_receptive_field(fn)
    assert diagnosis in str(failure.value)


@pytest.mark.parametrize("seed", range(20))
def test_brute_force_receptive_field_agrees_with_the_formula(seed):
    """The perturbation experiment that judges receptive_field agrees with the closed formula."""
    rng = np.random.default_rng([4, seed])
    layers = [tuple(int(v) for v in rng.integers(1, 5, size=3)) for _ in range(rng.integers(0, 6))]
    r, jump = 1, 1
    for k, s, d in layers:
        r, jump = r + (k - 1) * d * jump, jump * s
    assert checks.receptive_field_brute_force(layers) == r, layers
