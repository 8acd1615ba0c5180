"""Results kept on disk under build/cache/, keyed by what they were made from.

Reading the fact base is the slowest step of a rebuild after a data edit: at ten times today's
size, parsing the YAML takes over a second and every notebook kernel would pay it again. A file
that did not change is not parsed again, and a kernel reads the fact base the build has just
checked. A key is a hash of the input bytes and of the code that reads them, so an edit to either
misses the cache; only results without problems are kept, so every problem is reported on every
run. The files are written here, by this machine's own runs, never taken from a pull request.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from . import paths

PACKAGE = Path(__file__).resolve().parent
# The modules that turn data files into records and facts: a change to any of them changes every key.
READERS = ["records.py", "schema.py", "checks.py", "excerpt_numbers.py", "policy.py", "vocab.py", "facts.py", "memo.py"]


@cache
def code_version() -> str:
    digest = hashlib.sha256()
    for name in READERS:
        digest.update((PACKAGE / name).read_bytes())
    return digest.hexdigest()


def key(*parts: bytes | str) -> str:
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(b"\0" + (part.encode() if isinstance(part, str) else part))
    return digest.hexdigest()


def files_digest(files, root: Path) -> str:
    """One hash of some files' names (relative to root) and contents, in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def stamp(files) -> tuple:
    """Files' names, sizes and modification times: what changes when one of them is written."""
    found = []
    for path in sorted(files):
        try:
            info = path.stat()
        except OSError:  # removed meanwhile
            continue
        found.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(found)


class WhileUnchanged:
    """Results kept in this process while the files they were made from are unwritten (stamp)."""

    def __init__(self) -> None:
        self._made: dict = {}

    def get(self, key_, files, make):
        now = stamp(files)
        if key_ not in self._made or self._made[key_][0] != now:
            self._made[key_] = (now, make())
        return self._made[key_][1]


def _path(kind: str, key_: str) -> Path:
    return paths.BUILD / "cache" / kind / f"{key_}.pickle"


def get(kind: str, key_: str) -> Any | None:
    try:
        with _path(kind, key_).open("rb") as file:
            return pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def put(kind: str, key_: str, value: Any) -> None:
    """Write atomically: a kernel may read while the build writes."""
    target = _path(kind, key_)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except OSError:
        pass  # a cache that cannot be written only costs time
    _prune(target.parent, keep=target)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # another process pruned it meanwhile
        return 0.0


def _prune(folder: Path, keep: Path, at_most: int = 64) -> None:
    """Old entries go, newest kept: each data edit adds one. Processes may prune at the same time."""
    entries = sorted(folder.glob("*.pickle"), key=_modified, reverse=True)
    for old in entries[at_most:]:
        if old != keep:
            old.unlink(missing_ok=True)
