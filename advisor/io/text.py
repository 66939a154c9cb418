"""Untrusted text: what may come in, and how it is shown on a terminal.

Texts from files and forms may carry control characters (a terminal obeys
them: colours, titles, a cleared screen, a forged line), lone surrogates (no
encoder writes them) and bidi overrides (they reorder what a reader sees).
None has a use in an answer or a report, so they are refused where texts come
in; what still reaches a terminal from elsewhere (file names, arguments) goes
through :func:`visible`.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

#: C0 controls but tab and newline, DEL, C1 controls, lone surrogates, the two
#: noncharacters XML refuses, and the bidi embeddings, overrides and isolates.
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
#: What a terminal must not receive: the same, and tab and newline too, which
#: inside one message would forge a line of its own.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
#: Longest value a message echoes.
ECHO = 60


def refused_character(text: str) -> str | None:
    """The first character a text may not carry, as «U+XXXX», or None."""
    found = _REFUSED.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def visible(text: str, *, lines: bool = False) -> str:
    """``text`` safe to print on a terminal: every control, surrogate and bidi
    character shown as an escape. With ``lines``, newlines and tabs stay (a
    whole report); without, a message stays on its own line."""
    pattern = _REFUSED if lines else _HIDDEN
    return pattern.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shortened(text: str, limit: int = ECHO) -> str:
    """A value as a message echoes it: at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def echoed(value: object) -> str:
    """Any value as a message quotes it: short, and a huge integer by its size
    (Python will not even write one of over 4,300 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        return "≥ 10^18" if value > 0 else "≤ -10^18"
    return shortened(str(value))


def emit(message: str, stream: TextIO | None = None) -> None:
    """Print a message or a report on a terminal (or wherever the stream
    goes), its controls shown as escapes: the one way advisor's output and
    messages reach a person."""
    stream = stream if stream is not None else sys.stdout
    text = visible(message, lines=True) + ("" if message.endswith("\n") else "\n")
    try:
        stream.write(text)
    except UnicodeEncodeError:
        _write_encoded(stream, text)


def _write_encoded(stream: TextIO, text: str) -> None:
    """A stream whose encoding lacks some characters (cp1252, Windows' choice
    for redirected output): a file or a pipe gets UTF-8, what reports are
    everywhere else; a terminal gets what its encoding can show."""
    buffer = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", None) or "ascii"
    stream.flush()
    if buffer is not None and not stream.isatty():
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text.encode(encoding, "replace").decode(encoding))
