"""The report templates' compiled code, kept in the user's cache (io.cache)
so that each command and server start does not compile them again."""

from __future__ import annotations

import sys

import jinja2

from ..io import cache
from ..version import __version__


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode of one environment's templates, all in one cache entry.
    Jinja checks each template's source checksum on load, so an edited template
    is compiled again; the entry's key adds what the code depends on."""

    def __init__(self, environment: str):
        self.name = f"plantillas-{environment}"
        self.key = cache.fingerprint([__version__, jinja2.__version__, sys.version], [])
        self.codes: dict[str, bytes] | None = None

    def _codes(self) -> dict[str, bytes]:
        if self.codes is None:
            found = cache.read(self.name, self.key)
            self.codes = dict(found) if isinstance(found, dict) else {}
        return self.codes

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._codes().get(bucket.key)
        if isinstance(code, bytes):
            bucket.bytecode_from_string(code)  # left empty (compiled anew) if its source changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        codes = self._codes()
        codes[bucket.key] = bucket.bytecode_to_string()
        cache.write(self.name, self.key, codes)
