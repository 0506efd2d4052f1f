"""Command line: ``python -m grader score|grade|bundle``; each command calls one API function."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["main"]


def _score(args: argparse.Namespace) -> int:
    from grader.judge import GraderError, grade_notebook

    try:
        report = grade_notebook(
            Path(args.path),
            name=args.notebook,
            hidden=not args.visible_only,
            sandbox=False if args.no_sandbox else None,
        )
    except KeyError as exc:
        print(f"grader: {exc.args[0]}", file=sys.stderr)
        return 2
    except GraderError as exc:
        print(f"grader: grading failed, no score given: {exc}", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
        return 0
    width = max(len(e.name) for e in report.exercises)
    print(
        f"{report.notebook}: {report.score:g} / {report.max:g}"
        + ("" if report.hidden_tests else "  (visible checks only: hidden tests not installed)")
    )
    for e in report.exercises:
        print(f"  {e.name:<{width}}  {e.score:>5g} / {e.max:<3g} {e.status:<8} {e.message}")
    for note in report.notes:
        print(f"  note: {note}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from grader.classroom import grade_class
    from grader.judge import GraderError

    try:
        result = grade_class(
            Path(args.course),
            args.assignment,
            jobs=args.jobs,
            sandbox=False if args.no_sandbox else None,
            progress=not args.quiet,
            force=args.force,
            feedback=not args.no_feedback,
        )
    except GraderError as exc:
        print(f"grader: grading stopped, no score given to the rest: {exc}", file=sys.stderr)
        return 3
    print(result.table())
    return 1 if result.failures else 0


def _bundle(args: argparse.Namespace) -> int:
    from grader.bundle import build_bundle

    path = build_bundle(Path(args.repo), Path(args.dest))
    print(f"student bundle written to {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    score = commands.add_parser("score", help="grade one notebook and print its score")
    score.add_argument(
        "path", help="the notebook file, e.g. notebooks/02_convolution/02_convolution.ipynb"
    )
    score.add_argument(
        "--json", action="store_true", help="print the grading contract's JSON report"
    )
    score.add_argument("--notebook", help="course notebook name when the file is named otherwise")
    score.add_argument("--visible-only", action="store_true", help="skip the hidden tests")
    score.add_argument(
        "--no-sandbox", action="store_true", help="run without bubblewrap (limits only)"
    )
    score.set_defaults(run=_score)

    grade = commands.add_parser(
        "grade",
        help="grade every submission of an assignment in an nbgrader course directory",
        description="Reads submitted/<student>/<assignment>/*.ipynb under COURSE; writes scores "
        "into COURSE/gradebook.db, autograded/ and feedback/ notebooks and HTML, and "
        "COURSE/grades-<assignment>.csv.",
    )
    grade.add_argument("assignment", help="assignment (notebook) name, e.g. 02_convolution")
    grade.add_argument("--course", default=".", help="the nbgrader course directory (default: .)")
    grade.add_argument("--jobs", type=int, default=0, help="parallel workers (default: all cores)")
    grade.add_argument("--no-sandbox", action="store_true", help="run without bubblewrap")
    grade.add_argument("--quiet", action="store_true", help="no progress bar")
    grade.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    grade.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    grade.set_defaults(run=_grade)

    bundle = commands.add_parser(
        "bundle", help="build the student bundle (no hidden tests, no solutions)"
    )
    bundle.add_argument("dest", help="directory to create")
    bundle.add_argument("--repo", default=".", help="the course repository (default: .)")
    bundle.set_defaults(run=_bundle)

    args = parser.parse_args(argv)
    return args.run(args)
