"""Reading a submitted notebook: which answer cell holds each exercise, and what is wrong with it.

Only the answer cells (code cells found by the ``grade_id`` of an exercise) are graded code:
whatever a submission did to the other cells (deleted, edited, re-typed, duplicated) changes
nothing, because the tests come from the grader, not from the notebook. An answer cell that was
duplicated runs in every copy, in notebook order, as it would in the notebook. Problems are reported per
exercise, and a file that is no notebook at all raises :class:`InvalidNotebook` with the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MAX_NOTEBOOK_BYTES", "AnswerCells", "InvalidNotebook", "guess_notebook", "read_answers"]

MAX_NOTEBOOK_BYTES = 20 * 2**20
_MAGIC = re.compile(r"^\s*[%!]")


class InvalidNotebook(ValueError):
    """The file cannot be read as a Jupyter notebook; the message says why."""


@dataclass
class AnswerCells:
    """The code of each exercise's answer cell, in notebook order, and per-exercise problems."""

    sources: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _load(path: Path) -> dict:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidNotebook(f"cannot read {path.name}: {exc.strerror}") from None
    if size > MAX_NOTEBOOK_BYTES:
        raise InvalidNotebook(
            f"{path.name} is {size / 2**20:.1f} MiB, over the "
            f"{MAX_NOTEBOOK_BYTES // 2**20} MiB limit for a notebook"
        )
    try:
        raw = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidNotebook(f"{path.name} is not valid JSON ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
        raise InvalidNotebook(f"{path.name} is JSON but not a Jupyter notebook (no cell list)")
    if raw.get("nbformat") == 4:
        return raw
    import nbformat  # slow to import (about 2 s): only for notebooks in an older format

    try:
        return nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as exc:  # nbformat raises several kinds for malformed or ancient files
        raise InvalidNotebook(f"{path.name} is not a notebook nbformat can read: {exc}") from None


def _text(source: object) -> str:
    """A cell's source, stored as one string or as a list of lines."""
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return source if isinstance(source, str) else ""


def _strip_magics(source: str) -> str:
    """Comment out IPython magics and shell escapes: plain Python runs in the grader."""
    return "\n".join("# " + line if _MAGIC.match(line) else line for line in source.splitlines())


def read_answers(path: Path, exercises: list[str]) -> AnswerCells:
    """Find the answer cell of each exercise in the notebook at ``path``."""
    nb = _load(path)
    answers = AnswerCells()
    retyped: dict[str, str] = {}
    for cell in nb["cells"]:
        if not isinstance(cell, dict):
            answers.notes.append("a cell that is not a JSON object was ignored")
            continue
        meta = cell.get("metadata", {})
        meta = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if grade_id not in exercises:
            continue
        if cell.get("cell_type") != "code":
            retyped[grade_id] = (
                f"the answer cell of {grade_id} is now a {cell.get('cell_type')} cell"
            )
            continue
        source = _strip_magics(_text(cell.get("source", "")))
        if grade_id in answers.sources:  # run both, in order, as the notebook itself would
            answers.notes.append(
                f"{grade_id} has more than one answer cell: all of them ran, in order"
            )
            source = answers.sources.pop(grade_id) + "\n\n" + source
        answers.sources[grade_id] = source
    for name, problem in retyped.items():
        if name not in answers.sources:
            answers.problems[name] = problem + ", not code"
    for name in exercises:
        if name not in answers.sources and name not in answers.problems:
            answers.problems[name] = f"the answer cell of {name} is missing from the notebook"
    return answers


def guess_notebook(path: Path, specs: dict) -> str:
    """The name of the course notebook whose exercises the file's answer cells hold most of
    (for a submission that was renamed); ``path.stem`` when none matches or it cannot be read."""
    try:
        cells = _load(path)["cells"]
    except InvalidNotebook:
        return path.stem
    ids = set()
    for cell in cells:
        meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
        meta = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
        if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str):
            ids.add(meta["grade_id"])
    overlap = {name: len(ids & {e.name for e in spec.exercises}) for name, spec in specs.items()}
    best = max(overlap, key=overlap.get, default=None)
    return best if best is not None and overlap[best] > 0 else path.stem
