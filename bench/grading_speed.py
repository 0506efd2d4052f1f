"""Grading throughput against nbgrader, where one submission's time goes, and a class at scale.

    python bench/grading_speed.py [--copies 3] [--scale 200] [--skip-nbgrader]

1. The well-behaved students of 02_convolution's sample class (all but the endless loop and the
   crash, which would measure time limits rather than speed), ``--copies`` times over, graded
   with feedback three ways in one run: nbgrader's autograde as it comes (every notebook run in
   the student's kernel, one at a time) then its generate_feedback: the peer; the same with this
   course's sandboxed judge in place of the kernel; and ``python -m grader grade`` (sandboxed
   workers on all cores, feedback in parallel processes). Prints seconds per submission and each
   way's throughput against the peer, with and without feedback, and which totals differ.
2. Where one submission's time goes, graded one after another in this process with timers on
   the engine's steps: starting the sandbox, the student's code (answer cells and calls, in the
   sandbox, wire included), making inputs and reaching verdicts, gradebook writes, the
   autograded notebook, and nbgrader's feedback page.
3. ``--scale`` synthetic submissions (copies of the sample classes of four notebooks, the endless
   loop and the crash included), graded locally and through a ``distributed.LocalCluster`` of
   two worker processes on this machine, with the time projected for 4,500 submissions.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from make_class import TIMESTAMP, released, student_notebook, students  # noqa: E402

ASSIGNMENT = "02_convolution"
SKIP = {"finn", "gus"}
SCALE_NOTEBOOKS = ("01_history", "02_convolution", "03_padding_stride", "04_pooling")

IN_KERNEL = """# nbgrader as it comes: autograde runs each notebook in the student's kernel
from grader.hooks import CoursePoints

c = get_config()  # noqa: F821
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.GenerateAssignment.preprocessors.prepend([CoursePoints])
"""


def build_course(root: Path, plan: dict[str, int], config: str | None = None, skip=SKIP) -> int:
    """A course folder with ``plan[assignment]`` copies of its sample class (less ``skip``),
    and the course's nbgrader_config.py (or ``config``); returns the number of submissions."""
    root.mkdir(parents=True, exist_ok=True)
    if config is None:
        shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    else:
        (root / "nbgrader_config.py").write_text(config)
    shutil.copytree(REPO / "solutions", root / "solutions", dirs_exist_ok=True)
    count = 0
    for assignment, copies in plan.items():
        release = released(assignment)
        for copy in range(copies):
            for student, answers in students(assignment)[0].items():
                if student in skip:
                    continue
                folder = root / "submitted" / f"{student}{copy}" / assignment
                folder.mkdir(parents=True)
                nb = student_notebook(release, answers)
                (folder / f"{assignment}.ipynb").write_text(json.dumps(nb))
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


def against_nbgrader(tmp: Path, copies: int) -> None:
    nbgrader = [sys.executable, "-m", "nbgrader"]
    ways = {  # name: (nbgrader_config.py, grading command, feedback command or None)
        "nbgrader, in the student's kernel": (
            IN_KERNEL,
            [*nbgrader, "autograde", ASSIGNMENT, "--force"],
            [*nbgrader, "generate_feedback", ASSIGNMENT, "--force"],
        ),
        "nbgrader, sandboxed judge": (
            None,
            [*nbgrader, "autograde", ASSIGNMENT, "--force"],
            [*nbgrader, "generate_feedback", ASSIGNMENT, "--force"],
        ),
        "python -m grader grade": (
            None,
            [sys.executable, "-m", "grader", "grade", ASSIGNMENT, "--quiet"],
            None,  # makes its feedback itself
        ),
    }
    seconds, graded = {}, {}
    for i, (name, (config, grade, feedback)) in enumerate(ways.items()):
        course = tmp / f"way{i}"
        n = build_course(course, {ASSIGNMENT: copies}, config)
        run([*nbgrader, "generate_assignment", ASSIGNMENT, "--force"], course)
        if feedback is None:  # grade alone first, then again (nothing to regrade) with feedback
            alone = run([*grade, "--no-feedback"], course)
            both = run([*grade, "--force"], course)
        else:
            alone = run(grade, course)
            both = alone + run(feedback, course)
        seconds[name] = (alone, both)
        graded[name] = totals(course)
    from grader.engine.sandbox import sandbox_available

    print(
        f"\n1. {n} submissions of {ASSIGNMENT}, {os.cpu_count()} cores, sandbox "
        f"{'on' if sandbox_available() else 'OFF'}"
    )
    print(f"  {'way':<36} {'grading':>16} {'with feedback':>16}  throughput vs peer")
    peer = seconds[next(iter(ways))]
    for name, (alone, both) in seconds.items():
        print(
            f"  {name:<36} {alone / n:10.2f} s/sub {both / n:10.2f} s/sub  "
            f"{peer[0] / alone:5.1f}x  {peer[1] / both:5.1f}x with feedback"
        )
    ours = graded["python -m grader grade"]
    for name, theirs in graded.items():
        differ = {s: (ours[s], theirs.get(s)) for s in ours if ours[s] != theirs.get(s)}
        print(f"  totals of {name!r} that differ from ours: {differ or 'none'}")


def _timed(table: dict, key: str, fn):
    @functools.wraps(fn)
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            table[key] += time.perf_counter() - start

    return timed


def profile(tmp: Path, copies: int) -> None:
    """Grade, record and make feedback one submission at a time, with timers on each step."""
    from grader.course import course
    from grader.engine import session as session_module
    from grader.engine.channel import WorkerChannel
    from grader.engine.classroom import gradebook as gradebook_module
    from grader.engine.classroom.feedback import generate_feedback
    from grader.engine.judge import grade_submission

    folder = tmp / "profile"
    n = build_course(folder, {ASSIGNMENT: copies})
    run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], folder)
    spent: dict[str, float] = defaultdict(float)
    steps = {  # (owner, attribute): what it is
        (WorkerChannel, "__init__"): "starting the sandbox (zygote)",
        (WorkerChannel, "fork"): "starting the sandbox (child per exercise)",
        (WorkerChannel, "finish"): "starting the sandbox (ending children)",
        (WorkerChannel, "close"): "starting the sandbox (ending children)",
        (WorkerChannel, "request"): "the student's code (in the sandbox, wire included)",
        (session_module, "verdict"): "making inputs and verdicts",
        (gradebook_module, "autograded_notebook"): "writing the autograded notebook",
    }
    for (owner, name), label in steps.items():
        setattr(owner, name, _timed(spent, label, getattr(owner, name)))
    the_course = course()
    notebook = the_course.notebook(ASSIGNMENT)
    for exercise in notebook.exercises:  # visible and hidden cases are made on the judging side
        object.__setattr__(
            exercise, "cases", _timed(spent, "making inputs and verdicts", exercise.cases)
        )
    the_course.hidden_cases = _timed(spent, "making inputs and verdicts", the_course.hidden_cases)
    coursedir, _ = gradebook_module.nbgrader_course(folder)
    from nbgrader.api import Gradebook

    paths = sorted((folder / "submitted").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"))
    start = time.perf_counter()
    with Gradebook(coursedir.db_url) as gradebook:
        for path in paths:
            data = path.read_bytes()
            t0 = time.perf_counter()
            report = grade_submission(data, the_course, name=ASSIGNMENT)
            spent["grading (all of it)"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            gradebook_module.record(
                gradebook, coursedir, ASSIGNMENT, path.parts[-3], data, report, TIMESTAMP
            )
            spent["recording (all of it)"] += time.perf_counter() - t0
    t0 = time.perf_counter()
    generate_feedback(folder, ASSIGNMENT, [p.parts[-3] for p in paths], jobs=1)
    spent["nbgrader's feedback page"] += time.perf_counter() - t0
    total = time.perf_counter() - start
    sandbox = sum(v for k, v in spent.items() if k.startswith("starting the sandbox"))
    rows = {
        "starting and ending sandboxed processes": sandbox,
        "the student's code (in the sandbox, wire included)": spent[
            "the student's code (in the sandbox, wire included)"
        ],
        "making inputs and reaching verdicts": spent["making inputs and verdicts"],
        "other grading work (reading, bookkeeping)": spent["grading (all of it)"]
        - sandbox
        - spent["the student's code (in the sandbox, wire included)"]
        - spent["making inputs and verdicts"],
        "gradebook writes": spent["recording (all of it)"]
        - spent["writing the autograded notebook"],
        "writing the autograded notebook": spent["writing the autograded notebook"],
        "nbgrader's feedback page": spent["nbgrader's feedback page"],
    }
    print(f"\n2. Where one submission's time goes ({n} of {ASSIGNMENT}, one after another)")
    for label, secs in rows.items():
        print(f"  {label:<52} {1000 * secs / n:8.1f} ms  {100 * secs / total:5.1f} %")
    student = rows["the student's code (in the sandbox, wire included)"]
    print(
        f"  {'in all':<52} {1000 * total / n:8.1f} ms; not the student's own code: "
        f"{100 * (total - student) / total:.0f} %"
    )


def at_scale(tmp: Path, submissions: int) -> None:
    from distributed import LocalCluster

    from grader.course import course
    from grader.engine.classroom import grade_class

    per_class = 10  # each sample class has ten students
    copies = max(1, round(submissions / (per_class * len(SCALE_NOTEBOOKS))))
    plan = dict.fromkeys(SCALE_NOTEBOOKS, copies)
    rows = {}
    for way in ("this machine (threads)", "LocalCluster, 2 worker processes"):
        folder = tmp / way.split()[0].strip(",")
        n = build_course(folder, plan, skip=set())
        start = time.perf_counter()
        if way.startswith("Local"):
            with LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                boot = time.perf_counter() - start
                for assignment in SCALE_NOTEBOOKS:
                    grade_class(
                        folder,
                        assignment,
                        course=course(),
                        progress=False,
                        scheduler=cluster.scheduler_address,
                        loader=course,
                    )
        else:
            boot = 0.0
            for assignment in SCALE_NOTEBOOKS:
                grade_class(folder, assignment, course=course(), progress=False)
        rows[way] = (time.perf_counter() - start, boot)
    print(
        f"\n3. {n} synthetic submissions of {', '.join(SCALE_NOTEBOOKS)} (endless loops and "
        "crashes included), feedback included"
    )
    for way, (secs, boot) in rows.items():
        per = (secs - boot) / n
        print(
            f"  {way:<34} {secs:7.1f} s ({boot:.1f} s cluster start)  {per:5.2f} s/sub  "
            f"4,500 submissions: {4500 * per / 60:5.1f} min on this 2-core machine"
        )
    print(
        "  (more workers divide the grading; feedback pages, most of the time here, are made by "
        "the client's own cores)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of 02's class to grade")
    parser.add_argument("--scale", type=int, default=200, help="submissions for table 3 (0: skip)")
    parser.add_argument("--skip-nbgrader", action="store_true", help="skip table 1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_nbgrader:
            against_nbgrader(Path(tmp), args.copies)
        profile(Path(tmp), args.copies)
        if args.scale:
            at_scale(Path(tmp), args.scale)


if __name__ == "__main__":
    main()
