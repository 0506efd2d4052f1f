"""The student bundle: what an instructor hands out.

It holds the released notebooks, the data and the ``grader`` package without its hidden tests;
no solutions, no sample class (its students' answers include correct ones), no gradebook.
``python -m grader score`` works inside it and runs the visible checks only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["build_bundle"]

_LEFT_OUT = ["__pycache__", "*.pyc", ".ipynb_checkpoints", "hidden", "sample_class", "*.egg-info"]

_README = """# Convolutional Networks from Scratch (student edition)

    python3 -m venv .venv && .venv/bin/pip install -e .
    .venv/bin/jupyter lab notebooks/

Work through each notebook top to bottom. Below every exercise a check cell tells you what is
wrong, if anything. Your score on the visible checks, at any time (save the notebook first):

    .venv/bin/python -m grader score notebooks/02_convolution/02_convolution.ipynb

Your instructor grades with more tests than the visible ones: make your functions right for
every shape, not just the examples.
"""


def build_bundle(repo: Path, dest: Path) -> Path:
    """Copy the student-facing parts of the course repository ``repo`` into ``dest`` (new)."""
    repo, dest = Path(repo), Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} already exists; remove it or choose another place")
    ignore = shutil.ignore_patterns(*_LEFT_OUT)
    dest.mkdir(parents=True)
    for folder in ("notebooks", "data", "grader"):
        shutil.copytree(repo / folder, dest / folder, ignore=ignore)
    for name in ("pyproject.toml", "environment.yml"):
        shutil.copy(repo / name, dest / name)
    (dest / "README.md").write_text(_README)
    return dest
