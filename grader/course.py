"""The course handed to the engine: one folder per topic in this package, found by convention.

A topic folder (``grader/convolution/`` for notebook ``02_convolution``) holds ``cases.py`` with
its ``NOTEBOOK`` (exercises, points, visible cases), ``hidden.py`` with its ``HIDDEN`` cases
(left out of the student bundle) and the ``lesson`` helpers the notebook imports. Adding a
notebook adds a folder; nothing here changes.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import pkgutil
from functools import cache

from grader.engine.course import Course

__all__ = ["course"]


def _topics() -> list[str]:
    import grader

    return [
        info.name
        for info in pkgutil.iter_modules(grader.__path__)
        if info.ispkg
        and info.name != "engine"
        and importlib.util.find_spec(f"grader.{info.name}.cases") is not None
    ]


@cache
def course() -> Course:
    """The course: every topic's notebook, with its hidden cases where they are installed."""
    notebooks = []
    for topic in _topics():
        notebook = importlib.import_module(f"grader.{topic}.cases").NOTEBOOK
        if importlib.util.find_spec(f"grader.{topic}.hidden") is not None:
            hidden = importlib.import_module(f"grader.{topic}.hidden").HIDDEN
            notebook = dataclasses.replace(notebook, hidden=hidden)
        notebooks.append(notebook)
    return Course(notebooks)
