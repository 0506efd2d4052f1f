"""References and hidden cases of notebook 06_backprop (not in the student bundle).

:mod:`.references` computes the answers no library gives (ReLU, affine, max pooling) and
:mod:`.draws` the hidden cases of every exercise; :func:`golden` writes the stored answers of
the visible cases (``grader/backprop/golden.json``).
"""

from __future__ import annotations

from grader.backprop import examples
from grader.backprop.hidden.draws import HIDDEN
from grader.backprop.hidden.references import affine_answers, maxpool_answers, relu_answers

__all__ = ["HIDDEN", "golden"]


def golden() -> dict:
    """The stored answers of the visible ReLU, affine and max-pooling cases."""

    def entries(table: dict, answers) -> dict:
        return {
            label: dict(zip(("expected", "mistakes"), answers(*args), strict=True))
            for label, args in table.items()
        }

    return {
        "relu_backward": entries(examples.RELU, relu_answers),
        "affine_backward": entries(examples.AFFINE, affine_answers),
        "maxpool_backward": entries(examples.MAXPOOL, maxpool_answers),
    }
