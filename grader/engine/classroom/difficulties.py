"""What the class found hard: per exercise, how the scores spread and which mistakes were made.

Every verdict carries the mistake it diagnosed as an identifier (``flipped_kernel``); this module
counts them over a class's reports, with the score distribution of each exercise, and writes the
table (CSV), a figure (PNG) and a summary for people ("corr2d: 3 of 10 flipped the kernel").
Reports come from a grading run in memory, or from the state that class grading keeps per
submission (``.grader/<assignment>/<student>.json``), so ``python -m grader report`` needs no
regrading.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from grader.engine.classroom.submissions import load_state, write_atomic
from grader.engine.compare import BUILTIN
from grader.engine.course import Notebook
from grader.engine.report import NotebookReport
from grader.engine.text import for_csv, for_terminal

__all__ = [
    "Difficulty",
    "difficulties",
    "mistake_texts",
    "saved_reports",
    "summary",
    "write_difficulties",
]

_VERDICT_MISTAKES = {
    "not_implemented": "not implemented yet",
    "should_raise": "returned a result where it should raise",
    "error_without_numbers": "raised the right error without the numbers in its message",
}


@dataclass
class Difficulty:
    """One exercise over a class: its scores, statuses and diagnosed mistakes."""

    name: str
    max: float
    scores: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    mistakes: Counter = field(default_factory=Counter)

    @property
    def students(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float:
        return sum(self.scores) / len(self.scores) if self.scores else 0.0

    @property
    def full(self) -> int:
        return sum(score >= self.max for score in self.scores)

    @property
    def zero(self) -> int:
        return sum(score <= 0 for score in self.scores)

    @property
    def partial(self) -> int:
        return self.students - self.full - self.zero

    def common(self, top: int | None = None) -> list[tuple[str, int]]:
        """The diagnosed mistakes, commonest first; "not implemented yet" comes last."""
        ranked = sorted(self.mistakes.items(), key=lambda m: (m[0] == "not_implemented", -m[1]))
        return ranked[:top] if top is not None else ranked


def difficulties(notebook: Notebook, reports: Mapping[str, NotebookReport]) -> list[Difficulty]:
    """Each exercise of ``notebook`` over the graded ``reports`` (invalid submissions count as
    zero, with no mistake)."""
    table = {e.name: Difficulty(e.name, e.points) for e in notebook.exercises}
    for report in reports.values():
        for result in report.exercises:
            row = table.get(result.name)
            if row is None:
                continue
            row.scores.append(result.score)
            row.statuses[result.status.value] += 1
            if result.mistake and result.score < result.max:
                row.mistakes[result.mistake] += 1
    return list(table.values())


def mistake_texts(notebook: Notebook) -> dict[str, dict[str, str]]:
    """Per exercise, what each of its mistake identifiers means, from its visible cases (one id
    may read differently in two exercises: a kernel flipped in 1D, and on both axes in 2D)."""
    common = {**_VERDICT_MISTAKES, **{m.id: m.text for m in BUILTIN.values()}}
    texts = {}
    for exercise in notebook.exercises:
        texts[exercise.name] = dict(common)
        for case in exercise.cases():
            texts[exercise.name].update((m.id, m.text) for m, _ in case.mistakes)
    return texts


def summary(rows: list[Difficulty], texts: Mapping[str, Mapping[str, str]], top: int = 3) -> str:
    """Lines for people: per exercise, the mean, the spread and the most common mistakes."""
    lines = []
    for row in sorted(rows, key=lambda r: r.mean / r.max if r.max else 1.0):
        lines.append(
            f"{row.name}: mean {row.mean:.2g} of {row.max:g}; {row.full} of {row.students} full, "
            f"{row.partial} partial, {row.zero} nothing"
        )
        for mistake, count in row.common(top):
            text = for_terminal(texts.get(row.name, {}).get(mistake, mistake), 160)
            lines.append(f"  {count} of {row.students}: {text} ({for_terminal(mistake, 60)})")
    return "\n".join(lines)


def saved_reports(course_dir: Path, assignment: str) -> dict[str, NotebookReport]:
    """The report of every submission class grading kept for ``assignment`` in ``course_dir``."""
    folder = Path(course_dir) / ".grader" / assignment
    reports = {}
    for path in sorted(folder.glob("*.json")):
        kept = load_state(Path(course_dir), assignment, path.stem)
        if kept is not None:
            reports[path.stem] = kept[1]
    return reports


def write_difficulties(
    folder: Path, assignment: str, rows: list[Difficulty], texts: Mapping[str, Mapping[str, str]]
) -> tuple[Path, Path]:
    """Write ``difficulties-<assignment>.csv`` and ``.png`` into ``folder``; return both paths.

    The CSV has a row per exercise and diagnosed mistake (``mistake`` empty on the exercise's
    own row); the figure stacks, per exercise, the students with full, partial and no credit,
    and names the most common mistake beside each bar.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "exercise",
            "max",
            "students",
            "mean",
            "full",
            "partial",
            "zero",
            "mistake",
            "count",
            "text",
        ]
    )
    for row in rows:
        head = [row.name, row.max, row.students, round(row.mean, 3), row.full, row.partial]
        writer.writerow([for_csv(cell) for cell in [*head, row.zero, "", "", ""]])
        for mistake, count in row.common():
            text = texts.get(row.name, {}).get(mistake, "")
            cells = [row.name, "", "", "", "", "", "", mistake, count, text]
            writer.writerow([for_csv(cell, 500) for cell in cells])
    csv_path = Path(folder) / f"difficulties-{assignment}.csv"
    write_atomic(csv_path, out.getvalue())
    png_path = Path(folder) / f"difficulties-{assignment}.png"
    _plot(png_path, assignment, rows, texts)
    return csv_path, png_path


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _plot(
    path: Path, assignment: str, rows: list[Difficulty], texts: Mapping[str, Mapping[str, str]]
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 0.8 * len(rows) + 1.6))
    names = [row.name for row in rows][::-1]
    left = [0] * len(rows)
    for part, colour in (("full", "#3a923a"), ("partial", "#e0a030"), ("zero", "#c03a3a")):
        counts = [getattr(row, part) for row in rows][::-1]
        ax.barh(names, counts, left=left, color=colour, label=f"{part} credit")
        left = [a + b for a, b in zip(left, counts, strict=True)]
    for y, row in enumerate(rows[::-1]):
        shown = [
            f"{count}x {_short(texts.get(row.name, {}).get(mistake, mistake))}"
            for mistake, count in row.common(2)
        ]
        if shown:
            ax.text(row.students + 0.2, y, "\n".join(shown), va="center", fontsize=8)
    students = max((row.students for row in rows), default=0)
    ax.set_xlim(0, students * 2.2 + 1)
    ax.set_xlabel("students")
    ax.set_title(f"{assignment}: credit per exercise, and its commonest diagnosed mistakes")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
