"""A sharded stage's per-record results of the last night, reused by the next (issue 18).

A nightly feed stages most of its records again unchanged, and normalise's and
extract_skills' per-record work depends only on the record, the code and the taxonomy. Such
a stage keys each record by the SHA-1 of what its result depends on (`keys`), writes the keys
beside its shard outputs, and after its reduce step moves the night's shard files to
`DataLayout.night_cache(stage)/<run id>/` (`keep`): the cache is that one night, the one
before is removed. Its index names a file each key is in. The next night's shards look
their keys up in the index (`holding`), read the results of those keys from those files only
(`scan`), and work out only the rest: a shard reads the few files its records were in, not
the whole last night. A cache is read only under the same `fingerprint`
(code, taxonomy, libraries), and $MICROCAREER_NIGHT_CACHE=0 turns the reading off: either
way a night writes the same bytes (tests/transform/postings/test_night_cache.py)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from schemas.taxonomy import Taxonomy

log = logging.getLogger(__name__)

KEY = "record_key"
CACHE_ENV = "MICROCAREER_NIGHT_CACHE"
# Code whose change can change a record's result: every file of transform/ and schemas/.
CODE_ROOTS = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "schemas")
LIBRARIES = ("polars", "numpy", "scipy", "lxml", "ftfy", "pycountry", "py3langid",
             "datasketch", "PyYAML", "pyahocorasick")
CURRENT = "current.json"
INDEX = "index.parquet"  # (KEY, file): the first cache file each key is in


def enabled() -> bool:
    """Reading a cache is on unless $MICROCAREER_NIGHT_CACHE is 0 (or false, off, no)."""
    return os.environ.get(CACHE_ENV, "").strip().lower() not in {"0", "false", "off", "no"}


_fingerprints: dict[Path, str] = {}


def fingerprint(taxonomy: Taxonomy) -> str:
    """16 hex digits naming the code, taxonomy and libraries results are made with: the
    contents of every file under transform/, schemas/ and the taxonomy folder, and the
    versions of Python and of the libraries the per-record work calls."""
    root = taxonomy.root.resolve()
    if root not in _fingerprints:
        digest = hashlib.sha256()
        for base in (*CODE_ROOTS, root):
            for path in sorted(p for p in base.rglob("*")
                               if p.is_file() and "__pycache__" not in p.parts):
                digest.update(f"{path.relative_to(base)}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        for name in LIBRARIES:
            with contextlib.suppress(metadata.PackageNotFoundError):
                digest.update(f"{name}={metadata.version(name)}\0".encode())
        digest.update(f"python={sys.version_info[:2]}".encode())
        _fingerprints[root] = digest.hexdigest()[:16]
    return _fingerprints[root]


def keys(frame: pl.DataFrame, columns: list[str] | tuple[str, ...]) -> pl.Series:
    """KEY of each row: SHA-1 of its `columns` (any type; a null told apart from "")."""
    def part(name: str) -> pl.Expr:
        value = pl.col(name)
        if isinstance(frame.schema[name], pl.List):
            value = value.list.join("\x1e")
        value = value.cast(pl.String)
        return pl.when(value.is_null()).then(pl.lit("\x00")).otherwise(pl.lit("=") + value)

    joined = frame.select(row=pl.concat_str([part(c) for c in columns], separator="\x1f"))
    return pl.Series(KEY, [hashlib.sha1(row.encode("utf-8")).hexdigest()
                           for row in joined["row"]], pl.String)


def current(folder: Path, root: Path) -> dict[str, Any] | None:
    """The cache the last finished night left in `folder` ({"path" (relative to `root`),
    "fingerprint", "date", "files"}), or None. For a shard descriptor (JSON)."""
    try:
        found = json.loads((folder / CURRENT).read_text())
    except (OSError, ValueError):
        return None
    path = folder / str(found.get("path", "\0"))
    if not path.is_dir():
        return None
    return {**found, "path": str(path.relative_to(root))}


def _usable(cache: dict[str, Any] | None, taxonomy: Taxonomy) -> bool:
    return bool(cache) and enabled() and cache.get("fingerprint") == fingerprint(taxonomy)


def holding(cache: dict[str, Any] | None, root: Path, keys: pl.Series,
            taxonomy: Taxonomy) -> set[str] | None:
    """The names of the cache's indexed files that hold any of `keys` (empty when none
    does), or None when the cache has no readable index (then every file is to be read)."""
    if not _usable(cache, taxonomy):
        return None
    index = root / cache["path"] / INDEX  # type: ignore[index]
    if not index.is_file():
        return None
    found = collect(pl.scan_parquet(index).filter(pl.col(KEY).is_in(keys.implode()))
                    .select("file").unique(), "index")
    return None if found is None else set(found["file"].to_list())


def scan(cache: dict[str, Any] | None, root: Path, pattern: str, taxonomy: Taxonomy,
         only: set[str] | None = None) -> pl.LazyFrame | None:
    """The cache's files named like `pattern` (and, given `only`, named in it) as one
    frame, or None when there is no usable cache (none, another fingerprint, reading
    turned off, no such files)."""
    if not _usable(cache, taxonomy):
        return None
    files = sorted(f for f in (root / cache["path"]).glob(pattern)  # type: ignore[index]
                   if only is None or f.name in only)
    return pl.scan_parquet(files) if files else None


def collect(frame: pl.LazyFrame, what: str) -> pl.DataFrame | None:
    """`frame` collected, or None (logged) when a cache file went missing or is damaged: the
    records are then worked out again."""
    try:
        return frame.collect()
    except (OSError, pl.exceptions.PolarsError) as err:
        log.warning("night cache of %s unreadable (%s): worked out again", what, err)
        return None


def keep(folder: Path, files: list[Path], *, name: str, date: str, taxonomy: Taxonomy,
         index: str) -> dict[str, Any]:
    """Move the night's shard `files` into `folder`/`name`, index the keys of those named
    like `index` (INDEX), and make them the cache (`current`), then remove every other
    cache there. Call holding the data folder's lock."""
    target = folder / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for f in files:
        os.replace(f, target / f.name)
    indexed = sorted(target.glob(index))
    if indexed:
        # A key's results are the same in every file that holds it (they depend on the key
        # alone): the first file is enough, and a common key (an empty text) would otherwise
        # send every shard to every file.
        pl.concat([pl.scan_parquet(f).select(KEY, file=pl.lit(f.name)) for f in indexed]
                  ).unique(KEY, keep="first", maintain_order=True).sink_parquet(target / INDEX)
    found = {"path": name, "fingerprint": fingerprint(taxonomy), "date": date,
             "files": len(files)}
    tmp = folder / f"{CURRENT}.tmp"
    tmp.write_text(json.dumps(found))
    os.replace(tmp, folder / CURRENT)
    for other in folder.iterdir():
        if other.is_dir() and other.name != name:
            shutil.rmtree(other, ignore_errors=True)
    return found
