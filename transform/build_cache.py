"""Objects built from the taxonomy, kept on disk so the next process loads them (issue 18).

The role matcher takes about 9 s to build and 0.3 s to load: every process that matches
roles (each normalise worker, each mapped Airflow task, the `roles` and `pathways`
commands) would otherwise build it again. An object is stored as a pickle named by
`night_cache.fingerprint` (the code under transform/ and schemas/, the taxonomy, the
libraries' versions), so a change to any of them builds it anew; the newest KEEP of each
name are kept. The folder: $MICROCAREER_CACHE_DIR (0/off: none), else
$XDG_CACHE_HOME/microcareer, else ~/.cache/microcareer. It holds only what this code wrote;
an unreadable or unwritable cache is logged and the object built in memory."""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from schemas.taxonomy import Taxonomy
from transform import night_cache

log = logging.getLogger(__name__)

CACHE_DIR_ENV = "MICROCAREER_CACHE_DIR"
KEEP = 3  # files kept per name: a few checkouts or taxonomies side by side
T = TypeVar("T")


def directory() -> Path | None:
    """Where built objects are kept, or None when $MICROCAREER_CACHE_DIR turns it off."""
    value = os.environ.get(CACHE_DIR_ENV, "").strip()
    if value.lower() in {"0", "false", "off", "no"}:
        return None
    if value:
        return Path(value)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "microcareer"


def load_or_build(name: str, taxonomy: Taxonomy, build: Callable[[Taxonomy], T]) -> T:
    """`build(taxonomy)`, or the object a process built with the same fingerprint before."""
    folder = directory()
    if folder is None:
        return build(taxonomy)
    path = folder / f"{name}-{night_cache.fingerprint(taxonomy)}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)  # noqa: S301 (written by this module only)
    except FileNotFoundError:
        pass
    except Exception as err:  # any: a damaged or foreign file is built again
        log.warning("%s unreadable (%s): built again", path, err)
    built = build(taxonomy)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            pickle.dump(built, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in sorted(folder.glob(f"{name}-*.pickle"), key=_mtime, reverse=True)[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        log.warning("could not keep %s (%s): built in memory only", path, err)
    return built


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
