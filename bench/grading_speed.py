"""Grading throughput: ``nbgrader autograde`` against ``python -m grader grade``, in one run.

    python bench/grading_speed.py [--copies 3]

Builds three identical nbgrader courses holding the well-behaved students of the sample class of
02_convolution (every one but the endless loop and the crash, which would measure time limits
rather than speed), ``--copies`` times over, and grades them three ways: nbgrader's autograde as
it comes (every notebook run in the student's kernel, one at a time: the peer), nbgrader's
autograde as this course configures it (the sandboxed judge in place of the kernel), and ``python
-m grader grade`` (sandboxed workers in parallel on all cores); none makes feedback. Prints
seconds per submission, each way's throughput against the peer, and which totals differ.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from make_class import TIMESTAMP, released, student_notebook, students  # noqa: E402

ASSIGNMENT = "02_convolution"
SKIP = {"finn", "gus"}


IN_KERNEL = """# nbgrader as it comes: autograde runs each notebook in the student's kernel
from grader.hooks import CoursePoints

c = get_config()  # noqa: F821
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.GenerateAssignment.preprocessors.prepend([CoursePoints])
"""


def build_course(root: Path, copies: int, config: str | None = None) -> int:
    """The sample class of 02, ``copies`` times over, with the course's nbgrader_config.py (or
    ``config``)."""
    if config is None:
        shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    else:
        (root / "nbgrader_config.py").write_text(config)
    shutil.copytree(REPO / "solutions", root / "solutions")
    release = released(ASSIGNMENT)
    count = 0
    for copy in range(copies):
        for student, answers in students(ASSIGNMENT)[0].items():
            if student in SKIP:
                continue
            folder = root / "submitted" / f"{student}{copy}" / ASSIGNMENT
            folder.mkdir(parents=True)
            nb = student_notebook(release, answers)
            (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb))
            (folder / "timestamp.txt").write_text(TIMESTAMP)
            count += 1
    return count


def run(command: list[str], cwd: Path) -> float:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def totals(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        return {s.student.id: round(s.score, 2) for s in gb.find_assignment(ASSIGNMENT).submissions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of the class to grade")
    args = parser.parse_args()
    nbgrader = [sys.executable, "-m", "nbgrader"]
    ways = {  # name: (nbgrader_config.py, command)
        "nbgrader autograde, in the student's kernel": (IN_KERNEL, [*nbgrader, "autograde"]),
        "nbgrader autograde, sandboxed judge": (None, [*nbgrader, "autograde"]),
        "python -m grader grade": (None, [sys.executable, "-m", "grader", "grade"]),
    }
    with tempfile.TemporaryDirectory() as tmp:
        seconds, graded = {}, {}
        for i, (name, (config, command)) in enumerate(ways.items()):
            course = Path(tmp) / str(i)
            course.mkdir()
            n = build_course(course, args.copies, config)
            run([*nbgrader, "generate_assignment", ASSIGNMENT, "--force"], course)
            extra = ["--force"] if "nbgrader" in name else ["--no-feedback", "--quiet"]
            seconds[name] = run([*command, ASSIGNMENT, *extra], course)
            graded[name] = totals(course)
        from grader.engine.sandbox import sandbox_available

        print(
            f"{n} submissions of {ASSIGNMENT}, {os.cpu_count()} cores, "
            f"sandbox {'on' if sandbox_available() else 'OFF'}; no feedback made"
        )
        peer = next(iter(ways))
        for name, secs in seconds.items():
            ratio = seconds[peer] / secs
            print(f"  {name:<44} {secs:7.1f} s  {secs / n:6.2f} s per submission  {ratio:5.1f}x")
        ours = graded["python -m grader grade"]
        for name, theirs in graded.items():
            differ = {s: (ours[s], theirs.get(s)) for s in ours if ours[s] != theirs.get(s)}
            print(f"  totals of {name!r} that differ from ours: {differ or 'none'}")


if __name__ == "__main__":
    main()
