"""The course's notebooks and their graded exercises: names, points and where the tests live.

Every notebook is worth :data:`POINTS_PER_NOTEBOOK`. An exercise scores nothing until its visible
checks pass; then its points are shared out over its hidden cases, so a solution that is right
on the examples but wrong on an edge case keeps part of them. An exercise whose process timed
out or crashed scores nothing. the exercise names are the graded API of
COURSE.md and double as the nbgrader ``grade_id`` of the answer cell (``test_<name>`` for its
test cell).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from grader.cases import Case

__all__ = ["NOTEBOOKS", "POINTS_PER_NOTEBOOK", "Exercise", "NotebookSpec", "hidden_tests_installed"]

POINTS_PER_NOTEBOOK = 10.0


@dataclass(frozen=True)
class Exercise:
    name: str
    points: float


@dataclass(frozen=True)
class NotebookSpec:
    """A graded notebook: ``02_convolution`` has its checks in ``grader.checks.convolution``."""

    name: str
    topic: str
    exercises: tuple[Exercise, ...]

    @property
    def max_score(self) -> float:
        return sum(e.points for e in self.exercises)

    def cases(self, exercise: str, hidden: bool = True) -> tuple[list[Case], list[Case]]:
        """The visible cases of ``exercise`` and its hidden ones (empty when not asked or not
        installed)."""
        visible = importlib.import_module(f"grader.checks.{self.topic}").CASES[exercise]()
        if not (hidden and hidden_tests_installed()):
            return visible, []
        return visible, importlib.import_module(f"grader.hidden.{self.topic}").CASES[exercise]()


def hidden_tests_installed() -> bool:
    """True where the package holds its hidden tests (the instructor's copy, not a student bundle)."""
    return (Path(__file__).parent / "hidden" / "__init__.py").exists()


NOTEBOOKS: dict[str, NotebookSpec] = {
    spec.name: spec
    for spec in [
        NotebookSpec(
            "01_history",
            "history",
            (
                Exercise("perceptron_predict", 3.0),
                Exercise("perceptron_update", 4.0),
                Exercise("fc_param_count", 3.0),
            ),
        ),
        NotebookSpec(
            "02_convolution",
            "convolution",
            (
                Exercise("corr1d", 2.0),
                Exercise("conv1d_true", 2.0),
                Exercise("corr2d", 3.0),
                Exercise("conv_single", 3.0),
            ),
        ),
        NotebookSpec(
            "03_padding_stride",
            "padding_stride",
            (
                Exercise("output_size", 2.0),
                Exercise("pad2d", 2.0),
                Exercise("conv_forward_naive", 4.0),
                Exercise("conv_param_count", 2.0),
            ),
        ),
        NotebookSpec(
            "04_pooling",
            "pooling",
            (
                Exercise("maxpool_forward", 4.0),
                Exercise("avgpool_forward", 3.0),
                Exercise("receptive_field", 3.0),
            ),
        ),
    ]
}
