"""What the engine is told about a course: its notebooks, their exercises, points and cases.

The engine never imports course content. A course builds these values (``grader.course`` does,
from one folder per topic) and hands them to the judge, the checks, class grading and the bundle.
An exercise's name is the graded API's function name and the nbgrader ``grade_id`` of its answer
cell; its test cell is ``test_<name>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from grader.engine.cases import Case

__all__ = ["Course", "Exercise", "Notebook"]

CaseMaker = Callable[[], list[Case]]


@dataclass(frozen=True)
class Exercise:
    """A graded function: its name, its points and the maker of its visible cases.

    ``seconds`` and ``call_seconds`` set this exercise's wall-clock budget in the grading sandbox
    (all its cases, and one call), where the default limits are too tight: an exercise that trains
    a network. None keeps the grader's defaults.
    """

    name: str
    points: float
    cases: CaseMaker
    seconds: float | None = None
    call_seconds: float | None = None


@dataclass(frozen=True)
class Notebook:
    """A graded notebook (``02_convolution``) and its exercises, in notebook order.

    ``hidden`` maps each exercise to the maker of its hidden cases; it is empty where the hidden
    tests are not installed (a student bundle). ``support`` names answer cells that are graded
    with no points of their own but run, in notebook order with the exercises' cells, wherever
    the exercises run: code the learner writes or pastes for the exercises to call (their layers
    from earlier notebooks). A missing support cell is no problem in itself.
    """

    name: str
    exercises: tuple[Exercise, ...]
    hidden: Mapping[str, CaseMaker] = field(default_factory=dict)
    support: tuple[str, ...] = ()

    @property
    def max_score(self) -> float:
        return sum(e.points for e in self.exercises)

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.exercises]

    @property
    def cells(self) -> list[str]:
        """The grade ids of every answer cell that runs when this notebook is graded."""
        return [*self.names, *self.support]


class Course:
    """The notebooks of a course, looked up by notebook or by exercise name."""

    def __init__(self, notebooks: Iterable[Notebook]) -> None:
        self.notebooks = {nb.name: nb for nb in sorted(notebooks, key=lambda nb: nb.name)}
        self._owner = {e.name: nb for nb in self.notebooks.values() for e in nb.exercises}

    def notebook(self, name: str) -> Notebook:
        if name not in self.notebooks:
            known = ", ".join(self.notebooks)
            raise KeyError(f"{name!r} is not a graded notebook of this course (known: {known})")
        return self.notebooks[name]

    def exercise(self, name: str) -> tuple[Notebook, Exercise]:
        """The notebook an exercise belongs to, and the exercise."""
        if name not in self._owner:
            raise KeyError(f"{name!r} is not a graded exercise of this course")
        notebook = self._owner[name]
        return notebook, next(e for e in notebook.exercises if e.name == name)

    def hidden_cases(self, name: str) -> list[Case] | None:
        """The hidden cases of an exercise, or None where they are not installed."""
        maker = self._owner[name].hidden.get(name) if name in self._owner else None
        return maker() if maker is not None else None

    @property
    def hidden_installed(self) -> bool:
        return all(nb.hidden for nb in self.notebooks.values())

    def guess(self, grade_ids: set[str]) -> str | None:
        """The notebook whose exercises the given answer-cell ids hold most of, if any."""
        overlap = {name: len(grade_ids & set(nb.names)) for name, nb in self.notebooks.items()}
        best = max(overlap, key=overlap.get, default=None)
        return best if best is not None and overlap[best] > 0 else None
