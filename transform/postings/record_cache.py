"""The last night's prepared records, reused by the next night (issue 18).

Normalise's per-record work (`normalise.prepare_records`: text, keys, fields, sector, role)
depends only on a staged row, the code and the taxonomy, so a row staged again unchanged
the next night (most of a nightly feed) needs none of it again. Each row gets a key, the
SHA-1 of its staged columns but `partition` (which file carried it changes nothing in the
output); the night's prepared shards, keys included, become the cache once normalise has
finished, replacing the night before's, so the cache is at most one night. A cache is used
only by code and a taxonomy with the same fingerprint (`fingerprint`): any change to the
transform code, the taxonomy folder or the libraries the work calls empties it in effect.
$MICROCAREER_NORMALISE_CACHE=0 turns the reading off (the night's outputs are byte-identical
either way: tests/transform/postings/test_record_cache.py)."""

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

import polars as pl

from schemas.tables import STAGED_POSTINGS
from schemas.taxonomy import Taxonomy
from transform.fields.distinct import map_distinct

log = logging.getLogger(__name__)

KEY = "row_key"
CACHE_ENV = "MICROCAREER_NORMALISE_CACHE"
# Staged columns a prepared record depends on.
KEYED_COLUMNS = tuple(c for c in STAGED_POSTINGS.schema.names() if c != "partition")
# Code whose change changes prepared records: the transform and schemas packages' files.
CODE_ROOTS = (Path(__file__).resolve().parents[1],
              Path(__file__).resolve().parents[2] / "schemas")
LIBRARIES = ("polars", "numpy", "scipy", "lxml", "ftfy", "pycountry", "py3langid",
             "datasketch", "PyYAML")
CURRENT = "current.json"


def enabled() -> bool:
    """Reading the cache is on unless $MICROCAREER_NORMALISE_CACHE is 0 (or false, off)."""
    return os.environ.get(CACHE_ENV, "").strip().lower() not in {"0", "false", "off", "no"}


_fingerprints: dict[Path, str] = {}


def fingerprint(taxonomy: Taxonomy) -> str:
    """16 hex digits naming the code, taxonomy and libraries records are prepared with:
    the contents of every file under transform/ and schemas/ and under the taxonomy folder,
    the libraries' versions and Python's."""
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


def row_keys(rows: pl.DataFrame) -> pl.Series:
    """KEY of each staged row: SHA-1 of its KEYED_COLUMNS (nulls told apart from "")."""
    def part(name: str) -> pl.Expr:
        value = pl.col(name).cast(pl.String)
        return pl.when(value.is_null()).then(pl.lit("\x00")).otherwise(pl.lit("=") + value)

    joined = rows.select(row=pl.concat_str([part(c) for c in KEYED_COLUMNS],
                                           separator="\x1f"))
    return map_distinct(joined, ["row"],
                        lambda row: hashlib.sha1(row.encode("utf-8")).hexdigest(),
                        {KEY: pl.String()}).to_series()


def current(folder: Path) -> dict | None:
    """The cache the last finished night left in `folder` ({"path", "fingerprint",
    "date", "records"}), or None."""
    try:
        found = json.loads((folder / CURRENT).read_text())
    except (OSError, ValueError):
        return None
    return found if (folder / found.get("path", "\0")).is_dir() else None


def lookup(cache: dict | None, keys: pl.Series, taxonomy: Taxonomy, root: Path
           ) -> pl.DataFrame | None:
    """The cached prepared records whose KEY is among `keys` (one row per key), or None
    when there is no usable cache (none, another fingerprint, reading turned off, files
    gone). `cache`: `current`'s answer with its folder relative to `root` as "path"."""
    if not cache or not enabled() or cache["fingerprint"] != fingerprint(taxonomy):
        return None
    files = sorted((root / cache["path"]).glob("*.parquet"))
    if not files:
        return None
    try:
        return (pl.scan_parquet(files).filter(pl.col(KEY).is_in(keys.implode()))
                .unique(KEY, keep="first", maintain_order=True).collect())
    except (OSError, pl.exceptions.PolarsError) as err:  # removed or damaged: prepare again
        log.warning("normalise cache %s unreadable (%s): records prepared again",
                    cache["path"], err)
        return None


def keep(folder: Path, files: list[Path], *, name: str, date: str,
         taxonomy: Taxonomy) -> dict:
    """Move the night's prepared shard `files` into `folder`/`name` and make them the cache
    (`current`), then remove every other cache there. Call with the data folder's lock."""
    target = folder / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    records = 0
    for f in files:
        records += pl.scan_parquet(f).select(pl.len()).collect().item()
        os.replace(f, target / f.name)
    found = {"path": name, "fingerprint": fingerprint(taxonomy), "date": date,
             "records": records}
    tmp = folder / f"{CURRENT}.tmp"
    tmp.write_text(json.dumps(found))
    os.replace(tmp, folder / CURRENT)
    for other in folder.iterdir():
        if other.is_dir() and other.name != name:
            shutil.rmtree(other, ignore_errors=True)
    return found
