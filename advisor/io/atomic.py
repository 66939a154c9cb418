"""Writing a file whole or not at all, with the cause of a failure said in
Spanish: a full disk, a read-only file system or a bad path never leaves half a
file, and never ends in a traceback."""

from __future__ import annotations

import errno
import os
import stat
from functools import lru_cache
from pathlib import Path

from ..errors import FileError, Problem
from ..i18n import _
from .oserrors import cause


def write_error(path: str | Path, exc: OSError) -> FileError:
    """The refusal for an operating-system error while writing ``path``."""
    return FileError(Problem(cause(exc, writing=True), file=str(path),
                             expected=_("una ruta de archivo donde se pueda escribir")))


def make_folder(path: str | Path) -> Path:
    """An output folder, made with its parents if missing; refused (exit 2)
    when the path is a file or cannot be made."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise FileError(Problem(_("es un archivo, no una carpeta"), file=str(path),
                                expected=_("una carpeta de salida, existente o nueva"))) from None
    except OSError as exc:
        raise FileError(Problem(_("no se puede crear la carpeta de salida ({reason})", reason=cause(exc, writing=True)),
                                file=str(path), expected=_("una carpeta de salida, existente o nueva"))) from None
    return path


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, then a rename.
    An existing file keeps its permissions; a new one gets the user's umask."""
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        current = path.stat()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise write_error(path, exc) from None
    if current is not None and stat.S_ISDIR(current.st_mode):
        raise write_error(path, OSError(errno.EISDIR, os.strerror(errno.EISDIR)))
    if current is not None and not stat.S_ISREG(current.st_mode):
        # A device or a pipe (/dev/stdout, /dev/full): a rename would replace it.
        return _write_in_place(path, data)
    directory = path.parent if str(path.parent) else Path(".")
    handle = None
    try:
        import tempfile  # only a write needs it

        handle = tempfile.NamedTemporaryFile("wb", dir=directory, prefix=".advisor-", suffix=".tmp", delete=False)
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, stat.S_IMODE(current.st_mode) if current else 0o666 & ~_umask())
        os.replace(handle.name, path)
    except OSError as exc:
        _remove(handle)
        raise write_error(path, exc) from None
    except BaseException:
        _remove(handle)
        raise


def _write_in_place(path: Path, data: bytes) -> None:
    try:
        with path.open("wb") as handle:
            handle.write(data)
            handle.flush()
    except OSError as exc:
        raise write_error(path, exc) from None


def _remove(handle) -> None:
    if handle is not None:
        try:
            os.unlink(handle.name)
        except OSError:
            pass


@lru_cache(maxsize=1)
def _umask() -> int:
    # Reading the umask means setting it; done once, before any thread writes.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
