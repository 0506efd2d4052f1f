"""What the notebooks call: checks by exercise name, figures that use the learner's function,
and the learner's score.

Introduced in 01_history; every notebook imports ``check`` and ``mine_or_reference`` in its
first cell and ends with ``show_score``. A check never raises: it prints a verdict below the
cell, so "Run All" reaches the end of a notebook however much of it is unfinished.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.course import course
from grader.engine import kernel
from grader.engine.submission import InvalidNotebook, answer_cells, parse_notebook, read_bytes

__all__ = ["check", "check_hidden", "mine_or_reference", "show_score"]


def check(name: str, fn: Any) -> None:
    """Check your function ``fn`` as exercise ``name`` on the visible cases; show the verdict."""
    kernel.check(course(), name, fn)


def check_hidden(name: str, fn: Any) -> None:
    """Check ``fn`` on the hidden cases (nbgrader's hidden-test cells; instructors only)."""
    kernel.check(course(), name, fn, hidden=True)


def mine_or_reference(
    name: str, fn: Any, reference: Callable | None = None, label: str = "library reference"
) -> tuple[Callable | None, str]:
    """Your ``fn`` once it passes exercise ``name``'s check, else ``reference`` (or None).

    Returns the function and who made it ("your corr2d" or ``label``) for the figure's title.
    """
    return kernel.mine_or_reference(course(), name, fn, reference, label)


def _notebook_file(notebook: str) -> Path:
    """This kernel's notebook file: the one Jupyter names, else ``<notebook>.ipynb`` here."""
    named = os.environ.get("JPY_SESSION_NAME", "")
    if named.endswith(".ipynb") and Path(named).is_file():
        return Path(named)
    return Path.cwd() / f"{notebook}.ipynb"


def _unsaved(path: Path, exercises: list[str]) -> list[str]:
    """Exercises whose function, as defined in this kernel, is not what the saved file holds."""
    try:
        from IPython import get_ipython

        namespace = get_ipython().user_ns
        saved = answer_cells(parse_notebook(read_bytes(path)), exercises).sources
    except (ImportError, AttributeError, InvalidNotebook):
        return []
    stale = []
    for name in exercises:
        fn = namespace.get(name)
        try:
            source = inspect.getsource(fn).strip() if callable(fn) else None
        except (OSError, TypeError):
            source = None
        if source and source not in saved.get(name, ""):
            stale.append(name)
    return stale


def show_score(notebook: str) -> None:
    """Grade this notebook, as last saved, with the sandboxed grader, and show the score.

    Introduced in 01_history. Save first (Ctrl+S): the grader reads the file, not this kernel.
    """
    path = _notebook_file(notebook)
    if not path.is_file():
        print(
            f"cannot find {path.name} next to this kernel: save the notebook, or run\n"
            f"  python -m grader score PATH/TO/{notebook}.ipynb",
            file=sys.stderr,
        )
        return
    saved = time.strftime("%H:%M:%S", time.localtime(path.stat().st_mtime))
    command = [sys.executable, "-m", "grader", "score", str(path), "--notebook", notebook, "--json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        print(f"the grader could not score {path.name}: {result.stderr.strip()}", file=sys.stderr)
        return
    report = json.loads(result.stdout)
    only = "" if report["hidden_tests"] else " (visible checks only)"
    print(f"{notebook} as saved at {saved}: {report['score']:g} / {report['max']:g}{only}")
    width = max(len(e["name"]) for e in report["exercises"])
    for e in report["exercises"]:
        mark = "✔" if e["status"] == "passed" else "✘"
        line = f"  {mark} {e['name']:<{width}}  {e['score']:>4g} / {e['max']:g}"
        print(line + ("" if e["status"] == "passed" else f"  {e['status']}: {e['message']}"))
    stale = _unsaved(path, [e["name"] for e in report["exercises"]])
    if stale:
        print(
            f"not saved yet: your latest {', '.join(stale)}. Save (Ctrl+S) and run this cell "
            "again to score them."
        )
