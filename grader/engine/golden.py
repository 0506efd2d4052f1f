"""Stored expected values ("golden" files) for visible cases that no library can compute.

A topic whose visible checks need answers that only an implementation of the exercise could give
(a perceptron pass, a receptive field) stores them in a JSON file beside its cases. Its hidden
references compute them, ``pytest --refresh-golden`` writes them, and a test fails when they
drift; so the student bundle holds the answers to a few fixed examples, never the implementation.
Arrays keep their dtype and tuples stay tuples; floats round-trip exactly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from grader.engine.cases import Case, Mistake

__all__ = ["Golden", "dumps", "load", "loads"]


def _encode(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return {"__array__": value.tolist(), "dtype": value.dtype.str, "shape": list(value.shape)}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "__array__" in value:
            return np.array(value["__array__"], dtype=value["dtype"]).reshape(value["shape"])
        if "__tuple__" in value:
            return tuple(_decode(v) for v in value["__tuple__"])
        return {k: _decode(v) for k, v in value.items()}
    return value


def dumps(values: dict) -> str:
    """The values as the text of a golden file (keys in the order the references give them)."""
    return json.dumps(_encode(values), indent=1) + "\n"


def loads(text: str) -> dict:
    return _decode(json.loads(text))


def load(path: Path) -> dict:
    """The values stored in a golden file."""
    return loads(Path(path).read_text())


class Golden:
    """The stored answers of a topic's visible cases: ``{exercise: {label: entry}}``.

    An entry holds ``expected`` and ``mistakes`` (mistake id to the value that mistake gives).
    """

    def __init__(self, path: Path, mistakes: dict[str, Mistake]) -> None:
        self.path, self.mistakes = Path(path), mistakes
        self._values: dict | None = None

    def case(self, exercise: str, label: str, args: tuple, kwargs: dict | None = None, **options):
        """The visible case ``label`` of ``exercise``, with its stored answer and mistakes."""
        if self._values is None:
            self._values = load(self.path)
        try:
            entry = self._values[exercise][label]
        except KeyError:
            raise KeyError(
                f"{self.path.name} has no answer for {exercise}: {label!r}; "
                "run `pytest --refresh-golden` after changing visible cases"
            ) from None
        named = tuple((self.mistakes[m], value) for m, value in entry["mistakes"].items())
        return Case(label, args, entry["expected"], kwargs or {}, named, **options)
