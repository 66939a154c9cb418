"""A cache of derived data (the checked knowledge base) in the user's cache
folder, so that each command does not parse and check it again.

It is only ever a speed-up: an entry is keyed by a fingerprint of everything it
was derived from, carries an HMAC of its own bytes under a secret only this user
can read, and is read back through an unpickler that builds nothing but
advisor's own classes. A stale, truncated, tampered or unreadable entry is
rebuilt; a missing or read-only folder only costs time. Entries live only in a
folder this user owns and nobody else can write, and are read only if they are
regular files of this user, of bounded size; a folder others can write (or a
system without owners and modes) means no cache at all. ``ADVISOR_CACHE_DIR``
names another folder, or ``off`` for none.
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import hmac
import io
import os
import pickle
import secrets
import stat
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import FileError
from .atomic import write_atomic

MAGIC = b"advisor-cache 2\n"
#: Largest entry read back (the knowledge base's is about 2 MB): a link to
#: /dev/zero or a huge file planted in the folder is never read whole.
MAX_BYTES = 64 * 1024 * 1024
#: The per-user secret entries are signed with, inside the private folder.
SECRET = "clave-secreta"
_SECRET_BYTES = 32
#: The only modules whose classes a cache entry may name.
_ALLOWED_MODULES = ("advisor.", "pathlib.")


def folder() -> Path | None:
    """Where entries live, or None when caching is off."""
    chosen = os.environ.get("ADVISOR_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "advisor" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "advisor"


def fingerprint(parts: Iterable[str], paths: Iterable[Path]) -> str:
    """A digest of ``parts`` and of the names, sizes and modification times of
    ``paths``, a folder standing for every file under it."""
    # Size and time, as Python's own .pyc files are checked: reading every
    # byte of the data and the code cost more than reading the entry back.
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for root in paths:
        root = Path(root)
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            status = path.stat()
            digest.update(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def cached(name: str, key: str, build: Callable[[], Any], modules: tuple[str, ...] = (),
           reducers: dict[type, Callable[[Any], tuple]] | None = None) -> Any:
    """The entry ``name`` if it was built for ``key``; otherwise ``build()``,
    stored for next time. ``modules`` names packages (``"experta."``) whose
    classes the entry may hold besides advisor's own; ``reducers`` say how to
    keep objects pickle cannot (as ``copyreg`` reducers)."""
    value = read(name, key, modules)
    if value is not None:
        return value
    value = build()
    write(name, key, value, reducers)
    return value


def read(name: str, key: str, modules: tuple[str, ...] = ()) -> Any | None:
    """The entry ``name`` if it was written for ``key`` and is intact; otherwise None."""
    place = _place(name)
    return _read(place[0], key, place[1], modules) if place is not None else None


def write(name: str, key: str, value: Any, reducers: dict[type, Callable[[Any], tuple]] | None = None) -> None:
    """Keep ``value`` as the entry ``name`` for ``key``, if there is a private folder to keep it in."""
    place = _place(name)
    if place is not None:
        _write(place[0], key, place[1], value, reducers or {})


def _place(name: str) -> tuple[Path, bytes] | None:
    """The entry's path and this user's secret, or None when nothing may be cached."""
    where = _private(folder())
    secret = _secret(where) if where is not None else None
    if where is None or secret is None:
        return None
    return where / f"{name}.pickle", secret


def _private(where: Path | None) -> Path | None:
    """``where``, created 0700 if missing, when it is a folder of this user
    that nobody else can write; otherwise None (no cache)."""
    if where is None or not hasattr(os, "geteuid"):
        return None  # no owners and modes to check: an entry could not be trusted
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.stat(where)
    except (OSError, ValueError):
        return None
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.geteuid() or status.st_mode & 0o022:
        return None
    return where


def _secret(where: Path) -> bytes | None:
    """This user's key for signing entries, made on first use (0600)."""
    path = where / SECRET
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        raw = _open_own(path, _SECRET_BYTES, private=True)
        return raw if raw is not None and len(raw) == _SECRET_BYTES else None
    except OSError:
        return None
    key = secrets.token_bytes(_SECRET_BYTES)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
    except OSError:
        return None
    return key


def _open_own(path: Path, limit: int, *, private: bool = False) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of this user (with
    ``private``, that only this user can read) of at most ``limit`` bytes;
    never following a link, never waiting on a pipe or a device."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if (not stat.S_ISREG(status.st_mode) or status.st_uid != os.geteuid() or status.st_size > limit
                or (private and status.st_mode & 0o077)):
            return None
        try:
            raw = handle.read(limit + 1)
        except OSError:
            return None
    return raw if len(raw) <= limit else None


def _signature(secret: bytes, key: str, payload: bytes) -> bytes:
    return hmac.new(secret, key.encode("ascii") + b"\n" + payload, hashlib.sha256).hexdigest().encode("ascii")


def _read(path: Path, key: str, secret: bytes, modules: tuple[str, ...] = ()) -> Any | None:
    raw = _open_own(path, MAX_BYTES)
    if raw is None:
        return None
    header = MAGIC + key.encode("ascii") + b"\n"
    if not raw.startswith(header):
        return None
    signature, _, payload = raw[len(header):].partition(b"\n")
    if not hmac.compare_digest(signature, _signature(secret, key, payload)):
        return None
    try:
        with collector_paused():
            return _Unpickler(io.BytesIO(payload), modules).load()
    except Exception:  # noqa: BLE001 - any failure to read back only means: rebuild
        return None


@contextmanager
def collector_paused():
    """No garbage collection while an entry is read back: its objects (the
    knowledge base, an engine's network) live as long as the process."""
    # The collector's passes over thousands of new, long-lived objects find
    # no garbage; they were about half the time of reading the network.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _write(path: Path, key: str, secret: bytes, value: Any, reducers: dict[type, Callable[[Any], tuple]]) -> None:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, **reducers}
    try:
        pickler.dump(value)
    except Exception:  # noqa: BLE001 - an unpicklable value is simply not cached
        return
    payload = buffer.getvalue()
    if len(payload) > MAX_BYTES:
        return
    content = b"".join((MAGIC, key.encode("ascii"), b"\n", _signature(secret, key, payload), b"\n", payload))
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            os.unlink(path)  # a link or a pipe planted where the entry goes: written over, never through
    except FileNotFoundError:
        pass
    except OSError:
        return
    try:
        write_atomic(path, content)
    except (OSError, FileError):
        pass  # a folder that cannot be written only costs time


class _Unpickler(pickle.Unpickler):
    """Builds only classes of advisor's own modules (and paths, and the
    packages the caller names): a tampered entry cannot call anything else."""

    def __init__(self, stream: io.BytesIO, modules: tuple[str, ...] = ()):
        super().__init__(stream)
        self.allowed = _ALLOWED_MODULES + modules

    def find_class(self, module: str, name: str) -> Any:
        if not (module + ".").startswith(self.allowed):
            raise pickle.UnpicklingError(f"{module}.{name}")
        found = super().find_class(module, name)
        if not isinstance(found, type):
            raise pickle.UnpicklingError(f"{module}.{name}")
        return found
