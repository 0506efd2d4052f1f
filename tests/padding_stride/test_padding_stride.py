"""Does each check of 03_padding_stride name the mistake it sees? (The separation of wrong from
correct answers is proven for every notebook in tests/test_implementations.py.)"""

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
from grader.padding_stride import hidden, lesson  # noqa: E402
from grader.padding_stride.cases import NOTEBOOK  # noqa: E402
from make_class import topic_module  # noqa: E402

WRONG = topic_module("03_padding_stride", "implementations").WRONG
SOLUTION = REPO / "solutions" / "03_padding_stride" / "03_padding_stride.ipynb"


def test_messages_name_the_mistake(graded):
    """Rounding down, a symmetric reflection, a missing bias and an uncounted bias are named, and
    the mistake is carried as data next to the message."""
    got = graded(
        "03_padding_stride",
        {
            "output_size": WRONG["output_size"][
                "floor division instead of raising (PyTorch's rule)"
            ],
            "pad2d": WRONG["pad2d"]["reflect implemented as symmetric (repeats the edge)"],
            "conv_forward_naive": WRONG["conv_forward_naive"]["bias missing"],
            "conv_param_count": WRONG["conv_param_count"]["bias ignored"],
        },
    )
    size = got["output_size"]
    assert "must raise ValueError (not round down)" in size.message
    assert "should raise ValueError, but returned int 2" in size.message
    assert size.mistake == "rounded_down" and size.status is Status.FAILED  # named, not generic
    assert "np.pad's 'symmetric'" in got["pad2d"].message
    assert got["pad2d"].mistake == "symmetric_reflect"
    assert "bias is missing" in got["conv_forward_naive"].message
    assert got["conv_forward_naive"].mistake == "missing_bias"
    count = got["conv_param_count"]
    assert "1 bias" in count.message and "expected 760, got 750" in count.message
    assert count.mistake == "no_bias_count"


def test_messages_name_shape_and_mutation_mistakes(graded):
    """Padding the channel axis, ignoring the stride, ignoring the dilation (in both exercises
    that take one) and reshaping the input in place say so."""
    got = graded(
        "03_padding_stride",
        {
            "output_size": WRONG["output_size"]["dilation ignored"],
            "pad2d": WRONG["pad2d"]["pads every axis, batch and channels too"],
            "conv_forward_naive": WRONG["conv_forward_naive"]["stride ignored"],
            "conv_param_count": WRONG["conv_param_count"]["input channels ignored"],
        },
    )
    assert got["output_size"].mistake == "dilation_ignored"
    assert "expected 3, got 5" in got["output_size"].message
    pad = got["pad2d"]
    assert "not the channel axis" in pad.message and "(3, 6, 7)" in pad.message
    assert pad.mistake == "all_axes_padded"
    conv = got["conv_forward_naive"]
    assert "stride 2" in conv.message and "got (2, 4, 5, 5)" in conv.message
    assert conv.mistake == "stride_ignored"
    assert got["conv_param_count"].mistake == "c_in_ignored"

    got = graded(
        "03_padding_stride",
        {
            "output_size": WRONG["output_size"]["right sizes, but the ValueError gives no numbers"],
            "pad2d": WRONG["pad2d"]["reshapes the input in place (x.shape = ...)"],
            "conv_forward_naive": WRONG["conv_forward_naive"]["dilation ignored"],
            "conv_param_count": WRONG["conv_param_count"]["bias flag ignored"],
        },
        "second",
    )
    assert got["output_size"].mistake == "error_without_numbers"
    assert "should give the numbers" in got["output_size"].message
    assert "modified in place" in got["pad2d"].message
    assert got["pad2d"].mistake == "mutated_input"
    assert got["conv_forward_naive"].mistake == "dilation_ignored"
    assert got["conv_param_count"].mistake == "bias_flag_ignored"
    assert "although bias=False" in got["conv_param_count"].message


def test_layer_cases_raise_exactly_where_the_windows_do_not_tile():
    """The visible layer cases say themselves which must raise (no walking helper is bundled):
    they must agree with the hidden reference, on both axes."""
    layer = next(e for e in NOTEBOOK.exercises if e.name == "conv_forward_naive")
    cases = layer.cases()
    assert any(c.expects_error for c in cases) and not all(c.expects_error for c in cases)
    for case in cases:
        x, w, _ = case.args
        settings = (case.kwargs["stride"], case.kwargs["pad"], case.kwargs["dilation"])
        tiles = all(
            hidden.reference_output_size(n, f, *settings) is not None
            for n, f in zip(x.shape[2:], w.shape[2:], strict=True)
        )
        assert case.expects_error is not tiles, case.label


@pytest.mark.parametrize(
    ("exercise", "label", "mistake"),
    [
        ("output_size", "pad pair read as (rows, columns): n + 2 * pad[0]", "pad_pair_as_axes"),
        ("output_size", "pad pair doubled: n + 2 * (before + after)", "pad_pair_doubled"),
        ("pad2d", "pad pair read as (rows, columns)", "pad_pair_as_axes"),
        ("pad2d", "pad pair reversed (after at the top)", "pad_pair_reversed"),
        ("pad2d", "pad pair: only `before` applied", "before_only"),
        ("conv_forward_naive", "pad pair read as (rows, columns)", "pad_pair_as_axes"),
        ("conv_forward_naive", "pad pair: only `before` applied", "before_only"),
    ],
)
def test_pad_pair_mistakes_are_named(exercise, label, mistake):
    """A pad pair (before, after) read as (rows, columns), reversed, or with only `before`
    applied: the visible check names the mistake, with im2col's wording."""
    fn = define(WRONG[exercise][label], exercise)
    result = run_cases(fn, _exercise(exercise).cases())
    assert result.status is Status.FAILED and result.mistake == mistake, result
    assert "pad=(before, after)" in result.first.diagnosis


def _exercise(name):
    return next(e for e in NOTEBOOK.exercises if e.name == name)


def test_every_exercise_with_a_pad_has_visible_and_hidden_pair_cases():
    """pad2d, conv_forward_naive and output_size are checked with pad=(before, after), uneven,
    in the visible and the hidden cases."""
    for name in ("output_size", "pad2d", "conv_forward_naive"):
        for cases in (_exercise(name).cases(), hidden.HIDDEN[name]()):
            pads = [c.kwargs.get("pad", c.args[1] if name == "pad2d" else 0) for c in cases]
            assert any(np.ndim(p) == 1 and p[0] != p[1] for p in pads), name


def test_the_notebooks_numbers_hold():
    """What section 4 states about AlexNet, and section 5 about np.pad's reflect, is true:
    227 tiles with 11x11 stride 4, 224 does not (with or without torchvision's pad 2), and
    224 padded (2, 1) does; np.pad mirrors again when the pad exceeds the row."""
    size = hidden.reference_output_size
    assert size(227, 11, 4) == 55 and size(224, 11, 4) is None and size(224, 11, 4, 2) is None
    assert (224 + 4 - 11) // 4 + 1 == 55 and size(224, 11, 4, (2, 1)) == 55
    assert size(32, 3, 2, 1) is None and size(32, 3, 2, (0, 1)) == 16
    assert size(224, 3, 2, (0, 1)) == 112
    row = np.array([1.0, 2.0, 3.0, 4.0])
    assert np.pad(row, 5, mode="reflect").tolist()[:5] == [2.0, 3.0, 4.0, 3.0, 2.0]


def test_laplacian_panels_share_one_colour_range():
    """The edge maps of section 5 are drawn on one colour scale (one colour bar), so the frame
    that zero padding adds can be compared with the other modes' panels."""
    source = cell_source("sec5_photo")
    assert "lesson.show_on_one_scale([np.abs(edges[m])" in source
    maps = [np.full((4, 4), 0.1), np.full((4, 4), 2.0), np.zeros((4, 4))]
    fig = lesson.show_on_one_scale(maps, ["a", "b", "c"], label="|response|")
    limits = {im.get_clim() for ax in fig.axes for im in ax.get_images()}
    plt.close(fig)
    assert limits == {(0.0, 2.0)}


def test_read_counts_have_whole_number_ticks():
    """Bar charts of how many windows read a position show integer ticks only."""
    ax = lesson.draw_read_counts(np.array([1, 2, 1, 0]))
    ticks = [t for t in ax.get_yticks() if 0 <= t <= 2]
    plt.close(ax.figure)
    assert ticks and all(float(t).is_integer() for t in ticks)


def test_dilation_is_drawn_before_the_exercise_that_first_needs_it():
    """The dilated footprints are drawn (section 3) before output_size, which counts them."""
    order = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in _cells()]
    assert "draw_footprints(7, 3, dilation=dilation" in cell_source("sec3_draw")
    assert order.index("sec3_draw") < order.index("output_size")


def _cells():
    return json.loads(SOLUTION.read_text())["cells"]


def cell_source(grade_id):
    cell = next(c for c in _cells() if c["metadata"]["nbgrader"]["grade_id"] == grade_id)
    return "".join(cell["source"])
