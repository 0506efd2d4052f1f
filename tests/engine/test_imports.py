"""Does the engine stay ignorant of the course? It may import the standard library, third-party
packages and itself, never ``grader.<anything else>``; and the sandboxed worker imports nothing
but the standard library, numpy and its own wire codec."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "grader" / "engine"
SANDBOXED = ENGINE / "sandboxed"


def _imports(path: Path) -> list[str]:
    """Absolute module names a file imports (relative imports resolved within its package)."""
    package = ".".join(path.relative_to(ENGINE.parent.parent).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            names.append(
                f"{base}.{node.module}" if node.level and node.module else base or node.module
            )
    return names


def test_engine_imports_nothing_of_the_course_by_its_source():
    for path in sorted(ENGINE.rglob("*.py")):
        for name in _imports(path):
            if name == "grader" or name.startswith("grader."):
                assert name.startswith("grader.engine"), f"{path.name} imports {name}"
        assert "import_module" not in path.read_text(), f"{path.name} imports by string"


def test_importing_every_engine_module_loads_no_course_module():
    modules = [
        ".".join(p.relative_to(ENGINE.parent.parent).with_suffix("").parts).removesuffix(
            ".__init__"
        )
        for p in sorted(ENGINE.rglob("*.py"))
    ]
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('grader'))))"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )
    assert loaded and all(m == "grader" or m.startswith("grader.engine") for m in loaded), loaded


def test_the_sandboxed_files_import_only_the_standard_library_numpy_and_each_other():
    allowed = set(sys.stdlib_module_names) | {"numpy"}
    for path in sorted(SANDBOXED.glob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in allowed or name.startswith("grader.engine.sandboxed"), (path.name, name)
