"""Text from users is data (docs/DESIGN.md §5): stored as given, shown so that it can only
ever be read, never obeyed.

A trainee name, a note or a recording's metadata may hold anything: escape sequences that
clear a terminal or recolour it, a newline that splits a table row, bidirectional
overrides that reorder what follows, ten thousand characters. Where such text reaches a
terminal it goes through ``terminal_text`` (control and format characters shown as
``\\x1b``-style escapes, the length capped with an ellipsis); where it reaches a plot,
matplotlib's mathtext is turned off for the artist (trainer/history/command.py,
trainer/debrief/plots.py). Text that is not valid UTF-8 (command-line arguments arrive as
bytes; Python carries undecodable ones as lone surrogates) is refused at the edge by
``checked_name``: it could not be stored in the history or a report faithfully.
"""

from __future__ import annotations

import unicodedata

NAME_MAX_CHARS = 200
"""A trainee name longer than this is a mistake (a pasted file), not a name."""

# Unicode categories never printed raw: controls (Cc), format characters such as the
# bidirectional overrides (Cf), surrogates (Cs), line and paragraph separators (Zl, Zp).
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def terminal_text(text: str, max_chars: int = 80) -> str:
    """``text`` safe to print on a terminal: every control or format character shown as an
    escape, at most ``max_chars`` characters (then ``…``)."""
    out = "".join(_escape(ch) if _hidden(ch) else ch for ch in text)
    return out if len(out) <= max_chars else out[: max(max_chars - 1, 0)] + "…"


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in _HIDDEN


def invalid_utf8(text: str) -> int | None:
    """The index of the first character that is not valid UTF-8 text (a lone surrogate,
    how Python carries undecodable bytes), or None."""
    for i, ch in enumerate(text):
        if 0xD800 <= ord(ch) <= 0xDFFF:
            return i
    return None


def checked_name(text: str, what: str) -> str:
    """A name given on the command line, refused (ValueError, one line) when it is not
    valid UTF-8, holds control characters, is empty or is longer than NAME_MAX_CHARS."""
    bad = invalid_utf8(text)
    if bad is not None:
        raise ValueError(f"{what}: not valid UTF-8 text (an undecodable byte at character {bad})")
    if not text.strip():
        raise ValueError(f"{what}: a name cannot be empty")
    if any(_hidden(ch) for ch in text):
        raise ValueError(f"{what}: holds control characters: {terminal_text(text, 60)}")
    if len(text) > NAME_MAX_CHARS:
        raise ValueError(f"{what}: {len(text):,} characters; a name has at most {NAME_MAX_CHARS}")
    return text
