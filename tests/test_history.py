"""Does each check of history name the mistake it sees? (The separation of wrong
from correct answers is proven for every notebook in test_implementations.py.)"""

from __future__ import annotations

import numpy as np

from grader.checks import history as checks
from grader.course import NOTEBOOKS
from grader.hidden import history as hidden
from grader.judge import grade_notebook
from implementations.history import WRONG

SPEC = NOTEBOOKS["01_history"]


def test_messages_name_the_mistake(submit):
    """The messages of `>=`, a batch update, a frozen bias, a flipped sign, an input changed in
    place, a forgotten bias count and a summed shape say what went wrong."""
    answers = {
        "perceptron_predict": WRONG["perceptron_predict"][">= instead of > (a score of 0 gives 1)"],
        "perceptron_update": WRONG["perceptron_update"][
            "batch update (all predictions from the initial weights)"
        ],
        "fc_param_count": WRONG["fc_param_count"]["bias ignored"],
    }
    messages = {r.name: r.message for r in grade_notebook(submit("01_history", answers)).exercises}
    assert "not >=" in messages["perceptron_predict"]
    assert "batch update" in messages["perceptron_update"]
    assert "expected 30730, got 30720: the biases are missing" in messages["fc_param_count"]

    update = WRONG["perceptron_update"]
    expectations = {
        "bias never updated": "bias is never updated",
        "sign flipped (pred - y)": "wrong sign",
        "mutates w in place": "modified in place",
        "learning rate ignored": "learning rate is ignored",
        ">= in the prediction": "not >=",
        "return inside the loop": "indented inside the loop",
    }
    count = WRONG["fc_param_count"]
    expectations_count = {
        "bias always added": "counted although bias=False",
        "shape summed, not multiplied": "shape was summed",
        "one bias per input": "one bias per input",
        "a single bias (int(bias))": "a single bias",
    }
    for n, (label, phrase) in enumerate(expectations.items()):
        other = list(expectations_count)[n % len(expectations_count)]
        answers = {"perceptron_update": update[label], "fc_param_count": count[other]}
        report = grade_notebook(submit("01_history", answers, f"s{n}"))
        got = {r.name: r.message for r in report.exercises}
        assert phrase in got["perceptron_update"], (label, got["perceptron_update"])
        assert expectations_count[other] in got["fc_param_count"], (other, got["fc_param_count"])


def test_score_of_zero_is_judged_by_a_strict_comparison():
    """A visible case and a hidden case have scores of exactly 0, so `>=` is caught in both."""
    for cases in (checks.CASES["perceptron_predict"](), hidden.CASES["perceptron_predict"]()):
        assert any(
            np.any(
                np.asarray(c.args[0], dtype=float) @ np.asarray(c.args[1], float) + c.args[2] == 0
            )
            for c in cases
        )
