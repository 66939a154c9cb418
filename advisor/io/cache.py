"""A cache of derived data (the checked knowledge base) in the user's cache
folder, so that each command does not parse and check it again.

It is only ever a speed-up: an entry is keyed by a fingerprint of everything it
was derived from, carries a digest of its own bytes, and is read back through an
unpickler that builds nothing but advisor's own classes. A stale, truncated,
tampered or unreadable entry is rebuilt; a missing or read-only folder only
costs time. ``ADVISOR_CACHE_DIR`` names another folder, or ``off`` for none.
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import io
import os
import pickle
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import FileError
from .atomic import write_atomic

MAGIC = b"advisor-cache 1\n"
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
    where = folder()
    path = where / f"{name}.pickle" if where else None
    if path is not None:
        value = _read(path, key, modules)
        if value is not None:
            return value
    value = build()
    if path is not None:
        _write(path, key, value, reducers or {})
    return value


def _read(path: Path, key: str, modules: tuple[str, ...] = ()) -> Any | None:
    try:
        with path.open("rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    header = MAGIC + key.encode("ascii") + b"\n"
    if not raw.startswith(header):
        return None
    digest, _, payload = raw[len(header):].partition(b"\n")
    if digest != hashlib.sha256(payload).hexdigest().encode("ascii"):
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


def _write(path: Path, key: str, value: Any, reducers: dict[type, Callable[[Any], tuple]]) -> None:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, **reducers}
    try:
        pickler.dump(value)
    except Exception:  # noqa: BLE001 - an unpicklable value is simply not cached
        return
    payload = buffer.getvalue()
    content = b"".join(
        (MAGIC, key.encode("ascii"), b"\n", hashlib.sha256(payload).hexdigest().encode("ascii"), b"\n", payload)
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
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
