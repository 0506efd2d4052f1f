"""The command line: ``score``, ``grade``, ``report`` and ``bundle``, each a thin call of one API function.

A course's ``__main__`` calls :func:`main` with the course (a function that loads it, so that
commands which do not need it stay fast) and the text of its student bundle's README.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from grader.engine.course import Course
from grader.engine.text import for_terminal

__all__ = ["main"]

EXIT_OK, EXIT_UNKNOWN, EXIT_GRADER = 0, 2, 3


def _score(args: argparse.Namespace, course: Course) -> int:
    from grader.engine.judge import GraderError, grade_notebook

    try:
        report = grade_notebook(
            Path(args.path),
            course,
            name=args.notebook,
            hidden=not args.visible_only,
            sandbox=False if args.no_sandbox else None,
        )
    except KeyError as exc:
        print(f"grader: {exc.args[0]}", file=sys.stderr)
        return EXIT_UNKNOWN
    except GraderError as exc:
        print(f"grader: grading failed, no score given: {exc}", file=sys.stderr)
        return EXIT_GRADER
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
        return EXIT_OK
    width = max(len(e.name) for e in report.exercises)
    only = "" if report.hidden_tests else "  (visible checks only: hidden tests not installed)"
    print(f"{report.notebook}: {report.score:g} / {report.max:g}{only}")
    for e in report.exercises:
        message = for_terminal(e.message, 1500)
        print(f"  {e.name:<{width}}  {e.score:>5g} / {e.max:<3g} {e.status:<8} {message}")
    for note in report.notes:
        print(f"  note: {for_terminal(note, 500)}")
    return EXIT_OK


def _grade(args: argparse.Namespace, course: Course) -> int:
    from grader.engine.classroom import grade_class
    from grader.engine.judge import GraderError

    try:
        result = grade_class(
            Path(args.course),
            args.assignment,
            course=course,
            jobs=args.jobs,
            sandbox=False if args.no_sandbox else None,
            progress=not args.quiet,
            force=args.force,
            feedback=not args.no_feedback,
            scheduler=args.scheduler,
            loader=args.loader,
        )
    except KeyError as exc:
        print(f"grader: {exc.args[0]}", file=sys.stderr)
        return EXIT_UNKNOWN
    except GraderError as exc:
        print(f"grader: grading stopped, no score given to the rest: {exc}", file=sys.stderr)
        return EXIT_GRADER
    print(result.table())
    print(f"\nWhat the class found hard (python -m grader report {args.assignment} draws it):")
    print(result.difficulties())
    return 1 if result.failures else EXIT_OK


def _report(args: argparse.Namespace, course: Course) -> int:
    from grader.engine.classroom.difficulties import (
        difficulties,
        mistake_texts,
        saved_reports,
        summary,
        write_difficulties,
    )

    try:
        notebook = course.notebook(args.assignment)
    except KeyError as exc:
        print(f"grader: {exc.args[0]}", file=sys.stderr)
        return EXIT_UNKNOWN
    reports = saved_reports(Path(args.course), args.assignment)
    if not reports:
        print(
            f"grader: no graded submissions of {args.assignment} in {args.course}: "
            f"run python -m grader grade {args.assignment} --course {args.course} first",
            file=sys.stderr,
        )
        return EXIT_UNKNOWN
    rows, texts = difficulties(notebook, reports), mistake_texts(notebook)
    print(f"{args.assignment}: {len(reports)} graded submissions")
    print(summary(rows, texts, top=args.top))
    for path in write_difficulties(Path(args.course), args.assignment, rows, texts):
        print(f"wrote {path}")
    return EXIT_OK


def main(argv: list[str] | None, course: Callable[[], Course], bundle_readme: str) -> int:
    """Parse ``argv`` and run one command for the course that ``course()`` loads."""
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    score = commands.add_parser("score", help="grade one notebook and print its score")
    score.add_argument(
        "path", help="the notebook, e.g. notebooks/02_convolution/02_convolution.ipynb"
    )
    score.add_argument("--json", action="store_true", help="print the grading contract's JSON")
    score.add_argument("--notebook", help="course notebook name when the file is named otherwise")
    score.add_argument("--visible-only", action="store_true", help="skip the hidden tests")
    score.add_argument("--no-sandbox", action="store_true", help="run without bubblewrap")

    grade = commands.add_parser(
        "grade",
        help="grade every submission of an assignment in an nbgrader course directory",
        description="Reads submitted/<student>/<assignment>/*.ipynb under COURSE; writes scores "
        "into its gradebook, autograded/ notebooks, feedback/ HTML and grades-<assignment>.csv.",
    )
    grade.add_argument("assignment", help="assignment (notebook) name, e.g. 02_convolution")
    grade.add_argument("--course", default=".", help="the nbgrader course directory (default: .)")
    grade.add_argument("--jobs", type=int, default=0, help="parallel workers (default: all cores)")
    grade.add_argument("--no-sandbox", action="store_true", help="run without bubblewrap")
    grade.add_argument("--quiet", action="store_true", help="no progress bar")
    grade.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    grade.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    grade.add_argument(
        "--scheduler",
        help="grade on a Dask cluster: its scheduler's address, e.g. tcp://HOST:8786 (each "
        "worker needs this course installed, hidden tests included, and bubblewrap)",
    )

    report = commands.add_parser(
        "report",
        help="what the class found hard: score spread and commonest mistakes per exercise",
        description="Reads what `grade` kept for each submission (.grader/<assignment>/ under "
        "COURSE); prints the summary and writes difficulties-<assignment>.csv and .png there.",
    )
    report.add_argument("assignment", help="assignment (notebook) name, e.g. 02_convolution")
    report.add_argument("--course", default=".", help="the nbgrader course directory (default: .)")
    report.add_argument("--top", type=int, default=3, help="mistakes shown per exercise")

    bundle = commands.add_parser("bundle", help="build the student bundle (no hidden tests)")
    bundle.add_argument("dest", help="directory to create")
    bundle.add_argument("--repo", default=".", help="the course repository (default: .)")

    args = parser.parse_args(argv)
    args.loader = course  # a Dask worker calls it to load the course
    if args.command == "bundle":
        from grader.engine.bundle import build_bundle

        path = build_bundle(Path(args.repo), Path(args.dest), bundle_readme)
        print(f"student bundle written to {path}")
        return EXIT_OK
    commands = {"score": _score, "grade": _grade, "report": _report}
    return commands[args.command](args, course())
