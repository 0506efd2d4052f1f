"""The student bundle: what an instructor hands out.

It holds the released notebooks, the data and the package without its hidden cases; no
solutions, no tests (their sample class and implementations include correct answers), no
gradebook. One rule drops the hidden cases: every module or package named ``hidden``. ``python -m
grader score`` works inside the bundle and runs the visible checks only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["HIDDEN", "build_bundle"]

HIDDEN = ("hidden", "hidden.py")
_LEFT_OUT = (*HIDDEN, "__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info")


def build_bundle(repo: Path, dest: Path, readme: str, package: str = "grader") -> Path:
    """Copy the student-facing parts of the course repository ``repo`` into ``dest`` (new).

    ``readme`` is the bundle's README.md; ``package`` the course's Python package.
    """
    repo, dest = Path(repo), Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} already exists; remove it or choose another place")
    ignore = shutil.ignore_patterns(*_LEFT_OUT)
    dest.mkdir(parents=True)
    for folder in ("notebooks", "data", package):
        shutil.copytree(repo / folder, dest / folder, ignore=ignore)
    for name in ("pyproject.toml", "environment.yml"):
        shutil.copy(repo / name, dest / name)
    (dest / "README.md").write_text(readme)
    return dest
