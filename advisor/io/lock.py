"""One interview per answer file at a time: two sessions writing the same file
would each overwrite the other's answers while both said they were saved."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from ..errors import Problem, UsageError
from ..i18n import _

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, no guard
    fcntl = None  # type: ignore[assignment]


def lock_path(path: Path) -> Path:
    """The hidden file beside the answer file that carries the lock."""
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the answer file's lock for the ``with`` block, or refuse at once.
    The operating system drops it when the process ends, even killed."""
    if fcntl is None:
        yield
        return
    target = lock_path(path)
    try:
        handle = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        # A folder we cannot write in: the first save will say so.
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(Problem(
                _("otra sesión de «advisor ask» está respondiendo en este archivo"),
                file=str(path),
                expected=_("que esa sesión termine, u otro archivo con -o"),
            )) from None
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.unlink(target)
    finally:
        os.close(handle)
