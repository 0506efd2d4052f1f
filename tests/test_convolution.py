"""Does each check of convolution name the mistake it sees? (The separation of wrong
from correct answers is proven for every notebook in test_implementations.py.)"""

from __future__ import annotations

from grader.course import NOTEBOOKS
from grader.judge import grade_notebook
from implementations.convolution import WRONG

SPEC = NOTEBOOKS["02_convolution"]


def test_messages_name_the_mistake(submit):
    """The message of a flipped kernel, a transposed output and a missing bias says so."""
    answers = {
        "corr1d": WRONG["corr1d"]["flipped kernel (true convolution)"],
        "corr2d": WRONG["corr2d"]["output transposed"],
        "conv_single": WRONG["conv_single"]["bias missing"],
        "conv1d_true": WRONG["conv1d_true"]["flips the kernel in place"],
    }
    messages = {
        r.name: r.message for r in grade_notebook(submit("02_convolution", answers)).exercises
    }
    assert "flipped" in messages["corr1d"]
    assert "transposed" in messages["corr2d"] or "axes look swapped" in messages["corr2d"]
    assert "bias is missing" in messages["conv_single"]
    assert "modified in place" in messages["conv1d_true"]
