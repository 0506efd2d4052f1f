"""Does each check of 01_history name the mistake it sees? (The separation of wrong from correct
answers is proven for every notebook in tests/test_implementations.py.)"""

from __future__ import annotations

import numpy as np

from grader.history import hidden
from grader.history.cases import NOTEBOOK
from make_class import topic_module

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
