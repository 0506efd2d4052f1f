"""Does each check of 04_pooling name the mistake it sees, and are its cases sound? (The separation
of wrong from correct answers is proven for every notebook in tests/test_implementations.py.)"""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from conftest import REPO, define  # noqa: E402

from grader.engine.kernel import run_cases  # noqa: E402
from grader.engine.verdicts import Status  # noqa: E402
from grader.padding_stride.hidden import reference_output_size  # noqa: E402
from grader.pooling import lesson  # noqa: E402
from grader.pooling.cases import NOTEBOOK  # noqa: E402
from grader.pooling.hidden import HIDDEN, receptive_field_brute_force, tiles  # noqa: E402
from make_class import topic_module  # noqa: E402

WRONG = topic_module("04_pooling", "implementations").WRONG
SOLUTION = REPO / "solutions" / "04_pooling" / "04_pooling.ipynb"


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


def test_the_224_to_7_stack_is_built_with_pad_pairs():
    """Section 4's five stride-2 layers are padded with pairs (0, 1) and take 224 to 7 under
    notebook 03's rule (its reference output_size), where a symmetric pad 1 does not tile; the
    notebook walks that very stack."""
    sizes = [224]
    for k, stride, pad in lesson.DOWNSAMPLING_STACK:
        assert np.ndim(pad) == 1 and tuple(pad) == (0, 1)
        assert reference_output_size(sizes[-1], k, stride, 1) is None  # pad=1 does not tile
        sizes.append(reference_output_size(sizes[-1], k, stride, pad))
    assert sizes == [224, 112, 56, 28, 14, 7]
    assert "lesson.DOWNSAMPLING_STACK" in cell_source("sec6_stack")


def test_the_classifier_head_numbers_hold():
    """Section 2's weights of AlexNet's FC6 without and with pool5, and of a global-average-pooled
    head, are the products they claim, and the text states them."""
    assert 13 * 13 * 256 * 4096 == 177_209_344 and 6 * 6 * 256 * 4096 == 37_748_736
    text = cell_source("sec4_why")
    assert "177" in text and "37.7" in text and "13 \\cdot 13 \\cdot 256 \\cdot 4096" in text
    assert round(37_748_736 / (256 * 1000)) == 147 and "150 times" in cell_source("sec4_gap")


def test_avgpool_is_checked_as_global_average_pooling():
    """The visible and the hidden checks of avgpool_forward pool globally (one window per map,
    the classifier head of section 2), float32 and float64."""
    exercise = next(e for e in NOTEBOOK.exercises if e.name == "avgpool_forward")
    for cases in (exercise.cases(), HIDDEN["avgpool_forward"]()):
        glob = [
            c
            for c in cases
            if not c.expects_error and c.kwargs["size"] == c.args[0].shape[2] == c.args[0].shape[3]
        ]
        assert len(glob) >= 2 and all(c.expected.shape[2:] == (1, 1) for c in glob)
        assert {c.args[0].dtype for c in glob} >= {np.dtype(np.float32), np.dtype(np.float64)}


def test_explorers_draw_without_a_front_end():
    """The pooling drawing shows the learner's error when the windows do not tile, and both
    explorers are built (their static drawings are in the notebook)."""

    def ref(x, size, stride):
        view = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
        return view[:, :, ::stride, ::stride].max(axis=(4, 5)), None

    def refuses(x, size, stride):
        raise ValueError("does not tile: (7 - 2) / 2 + 1 = 3.5")

    fig = lesson.draw_pool_windows(lesson.POOL_DEMO, 3, 2, ref)
    assert fig.axes[1].get_title() == "max pooling: 3 x 3"
    plt.close(fig)
    fig = lesson.draw_pool_windows(lesson.POOL_DEMO, 2, 2, refuses)
    assert any("3.5" in t.get_text() for t in fig.axes[1].texts)
    plt.close(fig)
    assert lesson.pooling_explorer({"max": ref}) is not None
    assert lesson.receptive_field_explorer() is not None
    plt.close("all")


def _cells():
    return json.loads(SOLUTION.read_text())["cells"]


def cell_source(grade_id):
    cell = next(c for c in _cells() if c["metadata"]["nbgrader"]["grade_id"] == grade_id)
    return "".join(cell["source"])
