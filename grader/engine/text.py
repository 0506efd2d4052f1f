"""Text that came from a student, made safe for wherever it is shown.

Messages, reprs, sources and ids are untrusted: they may be huge, hold bytes that are not UTF-8
(surrogates), control characters, terminal escape sequences, HTML, or spreadsheet formulas. Each
is cleaned once, where the judge takes it in (:func:`clean`), and escaped again for each place it
is rendered: HTML and Markdown (:func:`for_html`), CSV cells (:func:`for_csv`), the terminal
(:func:`for_terminal`).
"""

from __future__ import annotations

import html
import re

__all__ = ["clean", "for_csv", "for_html", "for_terminal"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: object, limit: int = 2000) -> str:
    """``text`` as valid UTF-8 without control characters (newlines and tabs kept), cut to
    ``limit`` characters."""
    try:
        text = str(text)
    except Exception:  # a hostile __str__
        return "?"
    if len(text) > 4 * limit:
        text = text[: 4 * limit]
    text = text.encode("utf-8", "replace").decode("utf-8", "replace")  # lone surrogates -> ?
    text = _CONTROL.sub("?", text)
    return text if len(text) <= limit else text[:limit] + " ..."


def for_html(text: object, limit: int = 2000) -> str:
    """Cleaned, then escaped for HTML and for Markdown rendered to HTML."""
    return html.escape(clean(text, limit), quote=True)


def for_csv(value: object, limit: int = 2000) -> object:
    """A CSV cell that no spreadsheet runs as a formula (numbers pass through)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = clean(value, limit).replace("\n", " ").replace("\t", " ")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def for_terminal(text: object, limit: int = 200) -> str:
    """One line for a terminal: cleaned, newlines and tabs shown as spaces."""
    return clean(text, limit).replace("\n", " ").replace("\t", " ")
