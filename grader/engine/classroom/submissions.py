"""A class's submissions, read through one guarded door, and what was graded before.

A student controls their folder name (the student id) and every file in their folder. So a
submission is read only as a regular file, opened without following links, one folder at a time
from the course's ``submitted/`` folder down (``openat`` with ``O_NOFOLLOW``), size-capped before
reading and never a FIFO, a device, a folder or a hard link to another file; anything else makes
it an invalid submission, with the reason. An id that nbgrader cannot carry safely (glob
characters, spaces, control characters, bytes that are not UTF-8, over 64 characters) is refused
before any nbgrader step. The checksum of the bytes graded and the report they earned are kept in
``.grader/<assignment>/<student>.json``; a damaged state file counts as absent.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.engine.report import NotebookReport
from grader.engine.submission import MAX_NOTEBOOK_BYTES

__all__ = [
    "Submission",
    "Unreadable",
    "find_submissions",
    "id_problem",
    "load_state",
    "read",
    "read_inside",
    "read_small",
    "save_state",
    "write_atomic",
]

_SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,63}")
SMALL_FILE_BYTES = 200  # a timestamp; nbgrader's submission secret is 128 hex digits


class Unreadable(OSError):
    """A file the door will not read; the message says why, for the student's report."""


@dataclass
class Submission:
    """One student's submission of an assignment: the bytes read, or why they were not."""

    student: str
    folder: Path
    notebook: str
    data: bytes = b""
    problem: str | None = None  # why it cannot be read: graded as an invalid submission
    refused: str | None = None  # why the id cannot be carried: not graded at all
    notes: list[str] = field(default_factory=list)  # for the instructor, in the report
    inode: tuple[int, int] | None = None

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest() + (f":{self.problem}" if self.problem else "")


def id_problem(student: str) -> str | None:
    """Why nbgrader cannot carry this student id safely, or None when it can."""
    if _SAFE_ID.fullmatch(student):
        return None
    return (
        f"the student id {ascii(student)[:80]} is not 1 to 64 letters, digits and . _ @ + - "
        "(nbgrader globs and strips ids): rename the folder to grade it"
    )


_WHY = {
    errno.ELOOP: "is a symbolic link (links are not followed)",
    errno.ENOENT: "is missing",
    errno.ENOTDIR: "is not inside a folder",
    errno.EACCES: "cannot be read (permission denied)",
}


def read_inside(root: Path, parts: list[str], limit: int) -> bytes:
    """The bytes of ``root/parts...``, read without following any link below ``root``.

    Raises :class:`Unreadable` for a link, a missing file, anything but a regular file, or a file
    over ``limit`` bytes, before reading any of it. (A hard link is a regular file: Linux lets a
    user hard-link only files they own, so it is no way to another's work; :func:`find_submissions`
    still notes two submissions that are one file.)
    """
    where = "/".join(parts)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
            try:
                new = os.open(part, flags | (0 if last else os.O_DIRECTORY), dir_fd=fd)
            except OSError as exc:
                name = "/".join(parts[: i + 1])
                why = _WHY.get(exc.errno, exc.strerror)
                if os.path.islink(os.path.join(f"/proc/self/fd/{fd}", part)):
                    why = _WHY[errno.ELOOP]  # a link to a folder says ENOTDIR here
                raise Unreadable(f"{name} {why}") from None
            os.close(fd)
            fd = new
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"{where} is not a regular file (a folder, a FIFO or a device)")
        if info.st_size > limit:
            raise Unreadable(
                f"{where} is {info.st_size / 2**20:.1f} MiB, over the {limit / 2**20:g} MiB limit"
            )
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(2**20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Unreadable(f"{where} grew over the {limit / 2**20:g} MiB limit while read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def find_submissions(submitted: Path, assignment: str) -> list[Submission]:
    """Every student who submitted this assignment; nothing is read yet (:func:`read`)."""
    if not submitted.is_dir():
        return []
    found = []
    for entry in sorted(os.scandir(submitted), key=lambda e: e.name):
        if not (entry.is_dir() and os.path.lexists(Path(entry.path) / assignment)):
            continue
        submission = Submission(entry.name, Path(entry.path), f"{assignment}.ipynb")
        submission.refused = id_problem(entry.name)
        if submission.refused is None:
            try:
                info = os.lstat(Path(entry.path) / assignment / submission.notebook)
                submission.inode = (info.st_dev, info.st_ino)
            except OSError:
                pass
        found.append(submission)
    _note_shared_files(found)
    return found


def read(submitted: Path, submission: Submission, assignment: str) -> None:
    """Read a submission's bytes through the door, once; or record why it cannot be read."""
    parts = [submission.student, assignment, submission.notebook]
    try:
        submission.data = read_inside(submitted, parts, MAX_NOTEBOOK_BYTES)
    except Unreadable as exc:
        submission.problem = str(exc)


def _note_shared_files(found: list[Submission]) -> None:
    """Note submissions that are one file (hard links): graded each, flagged to the instructor."""
    owners: dict[tuple[int, int], list[Submission]] = {}
    for sub in found:
        if sub.inode is not None:
            owners.setdefault(sub.inode, []).append(sub)
    for group in owners.values():
        for sub in group if len(group) > 1 else []:
            others = ", ".join(o.student for o in group if o is not sub)
            sub.notes.append(f"{sub.notebook} is the same file as the submission of {others}")


def read_small(
    submitted: Path, submission: Submission, assignment: str, name: str
) -> tuple[str | None, str | None]:
    """The text of a small file nbgrader's exchange puts beside the notebook (``timestamp.txt``,
    ``submission_secret.txt``; None if absent) and, when it is there but is not a small regular
    file (a FIFO, a folder, a link, a huge sparse file), why it was ignored."""
    parts = [submission.student, assignment, name]
    if not os.path.lexists(submitted.joinpath(*parts)):
        return None, None
    try:
        return read_inside(submitted, parts, SMALL_FILE_BYTES).decode("utf-8", "replace"), None
    except Unreadable as exc:
        return None, f"{exc}: it was ignored"


def state_file(course: Path, assignment: str, student: str) -> Path:
    return course / ".grader" / assignment / f"{student}.json"


def load_state(course: Path, assignment: str, student: str) -> tuple[str, NotebookReport] | None:
    """The digest and report kept for a graded submission; None if absent or damaged."""
    try:
        saved = json.loads(state_file(course, assignment, student).read_text())
        return str(saved["checksum"]), NotebookReport.from_json(saved["report"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_state(course: Path, assignment: str, student: str, digest: str, report: NotebookReport):
    text = json.dumps({"checksum": digest, "report": report.to_json()})
    write_atomic(state_file(course, assignment, student), text)


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a reader sees the old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
