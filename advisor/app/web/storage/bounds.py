"""The bound of one assessment as stored: far above what any questionnaire's
answers take, so that one client cannot fill the disk with a few requests."""

from __future__ import annotations

#: The largest answer file kept for one assessment, as JSON: far above any
#: questionnaire's answers, and room for a note of 4,000 characters on about
#: fifty recommendations.
MAX_STORED = 256 * 1024


class TooBig(Exception):
    """An assessment would outgrow MAX_STORED; nothing was kept."""

    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


def bounded(text: str) -> str:
    """``text`` (an assessment as JSON) if it is within MAX_STORED; TooBig otherwise."""
    size = len(text.encode("utf-8"))
    if size > MAX_STORED:
        raise TooBig(size)
    return text
