"""Does each check of 02_convolution name the mistake it sees? (The separation of wrong from
correct answers is proven for every notebook in tests/test_implementations.py.)"""

from __future__ import annotations

from grader.course import course
from grader.engine.judge import grade_notebook
from make_class import topic_module

WRONG = topic_module("02_convolution", "implementations").WRONG


def test_messages_name_the_mistake(submit):
    """The message of a flipped kernel, a transposed output and a missing bias says so, and the
    mistake is carried as data next to it."""
    answers = {
        "corr1d": WRONG["corr1d"]["flipped kernel (true convolution)"],
        "corr2d": WRONG["corr2d"]["output transposed"],
        "conv_single": WRONG["conv_single"]["bias missing"],
        "conv1d_true": WRONG["conv1d_true"]["flips the kernel in place"],
    }
    report = grade_notebook(submit("02_convolution", answers), course())
    results = {r.name: r for r in report.exercises}
    assert "flipped" in results["corr1d"].message and results["corr1d"].mistake == "flipped_kernel"
    assert "transposed" in results["corr2d"].message or "swapped" in results["corr2d"].message
    assert "bias is missing" in results["conv_single"].message
    assert results["conv_single"].mistake == "missing_bias"
    assert "modified in place" in results["conv1d_true"].message
    assert results["conv1d_true"].mistake == "mutated_input"
