"""Grading throughput: ``nbgrader autograde`` against ``python -m grader grade``, in one run.

    python bench/grading_speed.py [--copies 3]

Builds two identical nbgrader courses holding the well-behaved students of the sample class of
02_convolution (every one but the endless loop and the crash, which would measure time limits
rather than speed), ``--copies`` times over; grades one with nbgrader's autograde (tests run in
each student's kernel, one notebook at a time) and the other with ours (sandboxed workers, in
parallel on all cores, without feedback, as autograde makes none); prints seconds per submission
and the ratio, and checks that both gave the same totals.
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


def build_course(root: Path, copies: int) -> int:
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
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
    with tempfile.TemporaryDirectory() as tmp:
        courses = {name: Path(tmp) / name for name in ("nbgrader", "ours")}
        for course in courses.values():
            course.mkdir()
            n = build_course(course, args.copies)
            run([*nbgrader, "generate_assignment", ASSIGNMENT, "--force"], course)
        seconds = {
            "nbgrader": run([*nbgrader, "autograde", ASSIGNMENT, "--force"], courses["nbgrader"]),
            "ours": run(
                [
                    sys.executable,
                    "-m",
                    "grader",
                    "grade",
                    ASSIGNMENT,
                    "--course",
                    str(courses["ours"]),
                    "--no-feedback",
                    "--quiet",
                ],
                courses["ours"],
            ),
        }
        from grader.engine.sandbox import sandbox_available

        print(
            f"{n} submissions of {ASSIGNMENT}, {os.cpu_count()} cores, "
            f"sandbox {'on' if sandbox_available() else 'OFF'}"
        )
        for name, secs in seconds.items():
            print(f"  {name:<9} {secs:7.1f} s   {secs / n:6.2f} s per submission")
        print(
            f"  ratio     ours is {seconds['nbgrader'] / seconds['ours']:.1f}x nbgrader's throughput"
        )
        ours, theirs = totals(courses["ours"]), totals(courses["nbgrader"])
        differ = {s: (ours[s], theirs.get(s)) for s in ours if ours[s] != theirs.get(s)}
        print(f"  totals that differ (ours, nbgrader's): {differ or 'none'}")


if __name__ == "__main__":
    main()
