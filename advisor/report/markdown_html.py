"""A report's Markdown turned into HTML (python-markdown, with tables, sane
lists and Markdown inside ``<details markdown="1">``), byte for byte as one
whole conversion writes it, but in pieces that are kept: a report's 87 KB took
about 100 ms, and most of a report is the same from one save to the next and
from one participant to another, so a piece seen before costs nothing."""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

EXTENSIONS = ("tables", "sane_lists", "md_in_html")
#: The inline patterns that make links, images and address links.
LINK_PATTERNS = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref",
                 "autolink", "automail")
#: What any of them needs in the text: «](» for an inline link or image,
#: «[…]:» for a reference definition (without one, a reference changes
#: nothing; any indentation, as in a list or a quote), ``<scheme://…>`` or
#: ``<name@host>`` for an address link (python-markdown's own expressions).
#: Escaped brackets match too: then every pattern runs, as before.
_LINK_MARKS = re.compile(r"\]\(|\[[^\[\]]*\]:|<[A-Za-z][A-Za-z0-9+.-]*://[^<>]*>|<[^<> !]+@[^@<> ]+>")
#: The reports' folding block, whose summary is plain words; any other line
#: that opens raw HTML makes the text one piece.
_DETAILS = re.compile(r'<details markdown="1"><summary>([^<>&*_`\\\[\]]*)</summary>$')
_END = "</details>"
_OTHER_HTML = re.compile(r'^(?:[ \t]+<|<(?!details markdown="1"><summary>|/details>$))', re.M)
#: Pieces kept (a report has about 60; a class of 200 shares most of theirs).
PIECES_KEPT = 2048
_converters = threading.local()


def to_html(text: str) -> str:
    """The HTML of ``text``, as ``markdown.markdown(text, extensions=EXTENSIONS)`` writes it."""
    if may_link(text):  # a reference may be defined anywhere: the whole text, every pattern
        return _new_converter(links=True).convert(text)
    pieces = None if _OTHER_HTML.search(text) else _pieces(text.split("\n"))
    return _converter().reset().convert(text) if pieces is None else "\n".join(pieces)


def may_link(text: str) -> bool:
    """Whether ``text`` has what a link, an image or an address link needs."""
    return _LINK_MARKS.search(text) is not None


def _pieces(lines: list[str]) -> list[str] | None:
    """The HTML of ``lines`` split where one conversion's blocks cannot touch:
    before a heading that starts a block, and around a folding block (whose
    inside is split the same way); None where a folding block is not written
    or closed as the reports write and close it."""
    done: list[str] = []
    piece: list[str] = []

    def close_piece() -> None:
        if any(line.strip() for line in piece):
            done.append(_piece("\n".join(piece)))
        piece.clear()

    at = 0
    while at < len(lines):
        line = lines[at]
        block_start = at == 0 or not lines[at - 1].strip()
        folding = _DETAILS.match(line) if block_start else None
        if folding:
            end = _closing(lines, at)
            inside = None if end is None else _pieces(lines[at + 1:end])
            if end is None or not inside or (end + 1 < len(lines) and lines[end + 1].strip()):
                return None
            close_piece()
            done.append(f"<details>\n<summary>{folding[1]}</summary>\n" + "\n".join(inside) + f"\n{_END}")
            at = end + 1
            continue
        if line.startswith("<details") or line == _END:  # folding the reports do not write
            return None
        if block_start and line.startswith("#"):
            close_piece()
        piece.append(line)
        at += 1
    close_piece()
    return done


def _closing(lines: list[str], at: int) -> int | None:
    """The line that closes the folding block opened at ``at``."""
    depth = 0
    for number in range(at, len(lines)):
        if lines[number].startswith("<details"):
            depth += 1
        elif lines[number] == _END:
            depth -= 1
            if not depth:
                return number
    return None


@functools.lru_cache(maxsize=PIECES_KEPT)
def _piece(text: str) -> str:
    return str(_converter().reset().convert(text))


def _converter() -> Any:
    """This thread's converter without the link patterns (one is not thread-safe; reset between texts)."""
    if not hasattr(_converters, "pruned"):
        _converters.pruned = _new_converter(links=False)
    return _converters.pruned


def _new_converter(links: bool) -> Any:
    import markdown  # only HTML needs it: JSON starts faster without

    converter = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
    if not links:
        for name in LINK_PATTERNS:
            converter.inlinePatterns.deregister(name)
    return converter
