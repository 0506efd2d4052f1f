"""Does each check of 03_padding_stride name the mistake it sees? (The separation of wrong from
correct answers is proven for every notebook in tests/test_implementations.py.)"""

from __future__ import annotations

from grader.engine.verdicts import Status
from grader.padding_stride import hidden
from grader.padding_stride.cases import NOTEBOOK
from make_class import topic_module

WRONG = topic_module("03_padding_stride", "implementations").WRONG


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
