"""Does each check of 01_history name the mistake it sees? Does the notebook keep issue 12's
corrections and length limits, and does its XOR figure look inside the repeating epoch? (The
separation of wrong from correct answers is proven for every notebook in
tests/test_implementations.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from pytest import approx

from grader.history import hidden, lesson
from grader.history.cases import NOTEBOOK
from grader.history.hidden.references import reference_pass
from make_class import topic_module

REPO = Path(__file__).resolve().parents[2]

WRONG = topic_module("01_history", "implementations").WRONG


def test_messages_name_the_mistake(graded):
    """The messages of `>=`, a batch update, a frozen bias, a flipped sign, an input changed in
    place, a forgotten bias count and a summed shape say what went wrong."""
    got = graded(
        "01_history",
        {
            "perceptron_predict": WRONG["perceptron_predict"][
                ">= instead of > (a score of 0 gives 1)"
            ],
            "perceptron_update": WRONG["perceptron_update"][
                "batch update (all predictions from the initial weights)"
            ],
            "fc_param_count": WRONG["fc_param_count"]["bias ignored"],
        },
    )
    assert "not >=" in got["perceptron_predict"].message
    assert got["perceptron_predict"].mistake == "at_least"
    assert "batch update" in got["perceptron_update"].message
    assert "expected 30730, got 30720: the biases are missing" in got["fc_param_count"].message

    update = WRONG["perceptron_update"]
    expectations = {
        "bias never updated": "frozen_bias",
        "sign flipped (pred - y)": "flipped_sign",
        "mutates w in place": "mutated_input",
        "learning rate ignored": "unit_rate",
        ">= in the prediction": "at_least_update",
        "return inside the loop": "first_only",
    }
    count = WRONG["fc_param_count"]
    expectations_count = {
        "bias always added": "always_bias",
        "shape summed, not multiplied": "summed_shape",
        "one bias per input": "bias_per_input",
        "a single bias (int(bias))": "one_bias",
    }
    for n, (label, mistake) in enumerate(expectations.items()):
        other = list(expectations_count)[n % len(expectations_count)]
        answers = {"perceptron_update": update[label], "fc_param_count": count[other]}
        got = graded("01_history", answers, f"s{n}")
        assert got["perceptron_update"].mistake == mistake, (label, got["perceptron_update"])
        assert got["fc_param_count"].mistake == expectations_count[other], (other, got)


def test_score_of_zero_is_judged_by_a_strict_comparison():
    """A visible case and a hidden case have scores of exactly 0, so `>=` is caught in both."""
    predict = NOTEBOOK.exercises[0]
    for cases in (predict.cases(), hidden.HIDDEN["perceptron_predict"]()):
        assert any(
            np.any(np.asarray(c.args[0], float) @ np.asarray(c.args[1], float) + c.args[2] == 0)
            for c in cases
        )


SOLUTION = REPO / "solutions" / "01_history" / "01_history.ipynb"


def _markdown(path: Path) -> list[tuple[str, str]]:
    """(grade_id, source) of each markdown cell of a notebook."""
    cells = json.loads(path.read_text())["cells"]
    return [
        (c["metadata"]["nbgrader"]["grade_id"], "".join(c["source"]))
        for c in cells
        if c["cell_type"] == "markdown"
    ]


def test_the_history_is_told_precisely():
    """Issue 12's corrections: Madaline I had one adaptive layer (the multi-layer rule MRII came
    in 1988), 1957 to 2012 is 55 years, and gamma is a margin in the augmented space."""
    prose = "\n".join(text for _, text in _markdown(SOLUTION))
    source = SOLUTION.read_text()
    assert "sixty years" not in prose.lower() and "55 years" in prose
    assert "more than one layer of adaptive units" not in prose
    assert "Madaline I (1962)" in prose and "MRII" in prose and "1988" in prose
    assert "distance of the closest point" not in source
    assert "margin in the augmented space" in source


def test_the_xor_figure_shows_four_different_lines_inside_the_repeating_epoch():
    """On XOR from zero weights (lr 1) the weights repeat after every epoch from epoch 2 on, so
    pictures after each epoch are identical. Inside the repeating epoch, every one of the four
    samples moves the line, the four panels differ, and the epoch ends where it began."""
    X, y = lesson.logic_gate("xor")
    w, b = np.zeros(2), 0.0
    for _ in range(2):
        w, b = reference_pass(X, y, w, b, 1.0)
    assert reference_pass(X, y, w, b, 1.0) == (approx(w), b)  # a cycle of one epoch
    steps = lesson.epoch_steps(reference_pass, X, y, w, b, 1.0)
    states = [(tuple(w), b)] + [(tuple(s_w), s_b) for s_w, s_b in steps]
    assert len(set(states[1:])) == 4  # four different lines
    assert all(states[i] != states[i + 1] for i in range(4))  # every sample updates
    assert states[-1] == states[0]  # and the epoch ends where it began

    fig = lesson.plot_epoch_steps(X, y, (w, b), steps)
    titles = [ax.get_title() for ax in fig.axes]
    plt.close(fig)
    assert len(titles) == 4 and len(set(titles)) == 4
    assert all("update" in t and "no change" not in t for t in titles)
