"""Compiled theme templates kept in memory across the rebuilds of one `make serve`.

MkDocs makes a new Jinja environment for every build, so every rebuild compiled Material's
templates again (about sixty of them; the largest share of a prose edit's time). Jinja can keep
compiled code in a bytecode cache: each entry is checked against its template's source, so an
edited template (docs/overrides) is compiled again. What a template renders does not change, only
how often it is compiled; a single `make build` starts with an empty cache and compiles as before.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            # Jinja compares the source's checksum and drops code compiled from another source.
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_caches: dict[tuple, MemoryBytecodeCache] = {}


def attach(env) -> None:
    """Give a build's template environment the cache of every earlier one set up the same way
    (same template folders, extensions and escaping: what the compiled code depends on)."""
    loader_dirs = tuple(getattr(env.loader, "searchpath", ()))
    setup = (loader_dirs, tuple(sorted(env.extensions)), repr(env.autoescape), env.optimized)
    env.bytecode_cache = _caches.setdefault(setup, MemoryBytecodeCache())
