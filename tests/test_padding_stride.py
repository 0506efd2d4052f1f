"""Does each check of padding stride name the mistake it sees? (The separation of wrong
from correct answers is proven for every notebook in test_implementations.py.)"""

from __future__ import annotations

from grader.course import NOTEBOOKS
from grader.judge import grade_notebook
from implementations.padding_stride import WRONG

SPEC = NOTEBOOKS["03_padding_stride"]


def test_messages_name_the_mistake(submit):
    """Rounding down, padding on every axis, a missing bias and an uncounted bias are named."""
    answers = {
        "output_size": WRONG["output_size"]["floor division instead of raising (PyTorch's rule)"],
        "pad2d": WRONG["pad2d"]["reflect implemented as symmetric (repeats the edge)"],
        "conv_forward_naive": WRONG["conv_forward_naive"]["bias missing"],
        "conv_param_count": WRONG["conv_param_count"]["bias ignored"],
    }
    messages = {
        r.name: r.message for r in grade_notebook(submit("03_padding_stride", answers)).exercises
    }
    assert "must raise ValueError (not round down)" in messages["output_size"]
    assert "should raise ValueError" in messages["output_size"]
    assert "np.pad's 'symmetric'" in messages["pad2d"]
    assert "bias is missing" in messages["conv_forward_naive"]
    assert (
        "1 bias" in messages["conv_param_count"] and "expected 760" in messages["conv_param_count"]
    )


def test_messages_name_shape_and_mutation_mistakes(submit):
    """Padding the channel axis, mutating the input and ignoring the stride say so."""
    answers = {
        "pad2d": WRONG["pad2d"]["pads every axis, batch and channels too"],
        "conv_forward_naive": WRONG["conv_forward_naive"]["stride ignored"],
    }
    messages = {
        r.name: r.message for r in grade_notebook(submit("03_padding_stride", answers)).exercises
    }
    assert "not the channel axis" in messages["pad2d"] and "(3, 6, 7)" in messages["pad2d"]
    assert "stride 2" in messages["conv_forward_naive"]
    mutated = {"pad2d": WRONG["pad2d"]["reshapes the input in place (x.shape = ...)"]}
    report = grade_notebook(submit("03_padding_stride", mutated, name="mutates"))
    assert "modified in place" in next(r.message for r in report.exercises if r.name == "pad2d")
