"""The reports grading produces: per exercise and per notebook, as the grading contract says.

``NotebookReport.to_json()`` is what ``python -m grader score --json`` prints: the contract's
fields (``notebook``, ``score``, ``max``, and per exercise ``name``, ``score``, ``max``, ``status``
and ``message``) plus fields added since (``mistake``, the diagnosed mistake's identifier, and
``outcome``, the status with a crash told apart from an error). ``from_json`` reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.engine.text import clean
from grader.engine.verdicts import Status

__all__ = ["ExerciseResult", "NotebookReport"]

MESSAGE_LIMIT = 1500


@dataclass
class ExerciseResult:
    name: str
    score: float
    max: float
    status: Status
    message: str
    mistake: str | None = None

    def __post_init__(self) -> None:  # messages carry student text: cleaned and capped here
        self.message = clean(self.message, MESSAGE_LIMIT)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "score": self.score,
            "max": self.max,
            "status": self.status.contract,
            "message": self.message,
            "mistake": self.mistake,
            "outcome": self.status.value,
        }

    @classmethod
    def from_json(cls, data: dict) -> ExerciseResult:
        status = Status(data.get("outcome", data["status"]))
        return cls(
            data["name"], data["score"], data["max"], status, data["message"], data.get("mistake")
        )


@dataclass
class NotebookReport:
    """One graded notebook: ``status`` is "graded", or "invalid" when it could not be read."""

    notebook: str
    score: float
    max: float
    exercises: list[ExerciseResult] = field(default_factory=list)
    status: str = "graded"
    notes: list[str] = field(default_factory=list)
    sandboxed: bool = True
    hidden_tests: bool = True

    def __post_init__(self) -> None:
        self.notes = [clean(note, 500) for note in self.notes[:20]]

    def note(self, text: str) -> None:
        """Add a note for the instructor (cleaned and capped like every student-derived text)."""
        text = clean(text, 500)
        if len(self.notes) < 20 and text not in self.notes:
            self.notes.append(text)

    def to_json(self) -> dict:
        return {
            "notebook": self.notebook,
            "score": self.score,
            "max": self.max,
            "status": self.status,
            "sandboxed": self.sandboxed,
            "hidden_tests": self.hidden_tests,
            "notes": self.notes,
            "exercises": [e.to_json() for e in self.exercises],
        }

    @classmethod
    def from_json(cls, data: dict) -> NotebookReport:
        fields = {
            k: data[k]
            for k in ("notebook", "score", "max", "status", "notes", "sandboxed", "hidden_tests")
            if k in data
        }
        return cls(**fields, exercises=[ExerciseResult.from_json(e) for e in data["exercises"]])

    @property
    def summary(self) -> str:
        """The submission's status for a gradebook row: graded, invalid, timeout or crashed."""
        if self.status != "graded":
            return self.status
        outcomes = {e.status for e in self.exercises}
        for status in (Status.TIMEOUT, Status.CRASHED):
            if status in outcomes:
                return status.value
        return "graded"
