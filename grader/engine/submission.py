"""Reading a submitted notebook: its bytes, its JSON, and the answer cell of each exercise.

Only the answer cells (code cells found by the ``grade_id`` of an exercise) are graded code:
whatever a submission did to the other cells (deleted, edited, re-typed, duplicated) changes
nothing, because the tests come from the grader, not from the notebook. An answer cell that was
duplicated runs in every copy, in notebook order, as it would in the notebook. Problems are
reported per exercise; a file that is no notebook at all raises :class:`InvalidNotebook`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.engine.text import clean

__all__ = [
    "MAX_NOTEBOOK_BYTES",
    "AnswerCells",
    "InvalidNotebook",
    "answer_cells",
    "grade_ids",
    "parse_notebook",
    "read_bytes",
]

MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_ANSWER_CHARS = 64 * 2**10  # per exercise: a real answer is a few KiB
_MAGIC = re.compile(r"^\s*[%!]")


class InvalidNotebook(ValueError):
    """The file cannot be read as a Jupyter notebook; the message says why."""


@dataclass
class AnswerCells:
    """The code of each exercise's answer cell, in notebook order, and per-exercise problems."""

    sources: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_bytes(path: Path) -> bytes:
    """The bytes of a submitted file, refusing what is too large to be a notebook."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise InvalidNotebook(
                f"{path.name} is {size / 2**20:.1f} MiB, over the "
                f"{MAX_NOTEBOOK_BYTES // 2**20} MiB limit for a notebook"
            )
        return path.read_bytes()[: MAX_NOTEBOOK_BYTES + 1]
    except OSError as exc:
        raise InvalidNotebook(f"cannot read {path.name}: {exc.strerror}") from None


def parse_notebook(data: bytes, name: str = "the notebook") -> dict:
    """The notebook in ``data`` as nbformat 4 JSON (older formats are converted)."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise InvalidNotebook(f"{name} is over the {MAX_NOTEBOOK_BYTES // 2**20} MiB limit")
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidNotebook(f"{name} is not valid JSON ({clean(exc, 200)})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
        raise InvalidNotebook(f"{name} is JSON but not a Jupyter notebook (no cell list)")
    if raw.get("nbformat") == 4:
        return raw
    import nbformat  # slow to import (about 2 s): only for notebooks in an older format

    try:
        return nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as exc:  # nbformat raises several kinds for malformed or ancient files
        raise InvalidNotebook(
            f"{name} is not a notebook nbformat can read: {clean(exc, 300)}"
        ) from None


def _text(source: object) -> str:
    """A cell's source, stored as one string or as a list of lines."""
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return source if isinstance(source, str) else ""


def _strip_magics(source: str) -> str:
    """Comment out IPython magics and shell escapes: plain Python runs in the grader."""
    return "\n".join("# " + line if _MAGIC.match(line) else line for line in source.splitlines())


def _grade_id(cell: object) -> str | None:
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    meta = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def grade_ids(nb: dict) -> set[str]:
    """Every nbgrader ``grade_id`` in the notebook."""
    return {g for g in map(_grade_id, nb["cells"]) if g is not None}


def answer_cells(nb: dict, exercises: list[str]) -> AnswerCells:
    """Find the answer cell (or cells) of each exercise in a parsed notebook."""
    answers = AnswerCells()
    parts: dict[str, list[str]] = {}
    retyped: dict[str, str] = {}
    if any(not isinstance(cell, dict) for cell in nb["cells"]):
        answers.notes.append("cells that are not JSON objects were ignored")
    for cell in nb["cells"]:
        grade_id = _grade_id(cell)
        if grade_id not in exercises:
            continue
        if cell.get("cell_type") != "code":
            retyped[grade_id] = (
                f"the answer cell of {grade_id} is now a {cell.get('cell_type')} cell"
            )
            continue
        parts.setdefault(grade_id, []).append(_strip_magics(_text(cell.get("source", ""))))
    for name, sources in parts.items():
        if len(sources) > 1:  # run them all, in order, as the notebook itself would
            answers.notes.append(f"{name} has more than one answer cell: all of them ran, in order")
        source = "\n\n".join(sources)
        if len(source) > MAX_ANSWER_CHARS:
            retyped[name] = (
                f"the answer cell of {name} holds {len(source) // 1024} KiB of code, over the "
                f"{MAX_ANSWER_CHARS // 1024} KiB limit for an answer"
            )
            continue
        # lone surrogates (invalid UTF-8 in the file) cannot be written anywhere: make them "?"
        answers.sources[name] = source.encode("utf-8", "replace").decode("utf-8")
    for name in exercises:
        if name not in answers.sources:
            answers.problems[name] = retyped.get(
                name, f"the answer cell of {name} is missing from the notebook"
            )
    return answers
