"""Publish a validated release: make it the current dataset in one atomic step.

A release is written once, into its own folder `dataset/releases/<run id>/` (its tables and
its own manifest.json); nothing in it changes afterwards. Making it current is one atomic
step: `dataset/manifest.json`, the pointer, is replaced with os.replace by a manifest whose
table paths name that release's folder (`releases/<run id>/postings.parquet`). A reader that
starts from manifest.json therefore always reads the tables of one release, whatever is
being published meanwhile. Right after, the `dataset/current` symlink is swapped (also with
os.replace) to the same folder; `dataset/<table>.parquet` are fixed symlinks through
`current/`, so readers of those paths switch from one release to the next at once.

The dedupe state is promoted with the release (transform/postings/state.py), and only when it
is made current; an older date than the current release (a backfill) writes its release and its
state snapshot but does not become current unless `publish_older` is set.

With a `dataset_url` (any fsspec URL: s3://bucket/prefix, file:///...), the same order is
used there: the release's tables and manifest under `<url>/releases/<run id>/`, then
`<url>/manifest.json` last. All published files are mode 0644.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from schemas.files import atomic_write, sha256
from schemas.layout import MANIFEST, DataLayout, table_file
from schemas.records import (
    Manifest,
    ValidationResult,
    current_manifest,
    manifest_bytes,
    run_source_counts,
)
from schemas.tables import DATASET_VERSION, PUBLISHED

KEEP_RELEASES = 5


def build_manifest(release_dir: Path, *, data_dir: Path, run_id: str, date: str,
                   validation: ValidationResult | None) -> Manifest:
    import polars as pl

    tables = {}
    for t in PUBLISHED:
        path = table_file(release_dir, t.name)
        tables[t.name] = {
            "path": path.name,
            "rows": pl.scan_parquet(path).select(pl.len()).collect().item(),
            "sha256": sha256(path.read_bytes()),
            "schema_version": t.version,
        }
    return {
        "dataset": "microcareer",
        "dataset_version": DATASET_VERSION,
        "run_id": run_id,
        "logical_date": date,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": run_source_counts(DataLayout(data_dir), run_id),
        "tables": tables,
        "validation": validation,
    }


class StaleRelease(RuntimeError):
    """The release is for an older date than the current dataset (a backfill)."""


def _symlink(target: str, link: Path) -> None:
    """Point `link` at `target` with one rename (a reader never finds it missing)."""
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    if link.is_dir() and not link.is_symlink():  # a copy of the folder made it a real one
        shutil.rmtree(link)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def run(*, data_dir: str | Path, run_id: str, date: str, release_dir: str | Path,
        validation: ValidationResult | None = None, dataset_url: str | None = None,
        publish_older: bool = False) -> Manifest:
    """Make `release_dir` the current dataset under data_dir/dataset (and at `dataset_url`,
    when given), with its dedupe state; return the manifest, whose `current` says whether it
    became current (False: an older date than the current release, without
    `publish_older`). Holds the data folder's lock."""
    from schemas.lock import data_lock
    from transform.postings import state

    data_dir, release_dir = Path(data_dir), Path(release_dir)
    layout = DataLayout(data_dir)
    with data_lock(layout, holder=f"publish {run_id}"):
        manifest = build_manifest(release_dir, data_dir=data_dir, run_id=run_id, date=date,
                                  validation=validation)
        atomic_write(release_dir / MANIFEST, manifest_bytes(manifest))
        current = layout.current
        previous = current_manifest(layout)
        newer = previous and str(previous.get("logical_date") or "") > date
        pending = state.pending(data_dir, date)
        if pending is not None:
            state.check_base(data_dir, date, pending)  # StateConflict before anything moves
        if newer and not publish_older:
            if pending is not None:
                state.promote(data_dir, date, pending)
            manifest["current"] = False
            manifest["note"] = (f"release {run_id} for {date} written to {release_dir} but not "
                                f"made current: the current release {previous['run_id']} is "
                                f"for the newer date {previous['logical_date']} (force with "
                                "--publish-older)")
            atomic_write(release_dir / MANIFEST, manifest_bytes(manifest))
            return manifest
        rel = release_dir.resolve().relative_to(current.resolve())
        pointer: Manifest = {**manifest, "release": str(rel), "tables": {
            name: {**t, "path": f"{rel}/{t['path']}"} for name, t in manifest["tables"].items()}}
        atomic_write(layout.manifest, manifest_bytes(pointer))  # the commit point
        _symlink(str(rel), layout.current_link)
        for name in manifest["tables"]:
            link = table_file(current, name)
            target = f"{layout.current_link.name}/{link.name}"
            if not link.is_symlink() or os.readlink(link) != target:
                _symlink(target, link)
        if pending is not None:
            state.promote(data_dir, date, pending)
        if dataset_url:
            upload(release_dir, list(manifest["tables"]), dataset_url, pointer)
        _prune(layout.releases, keep=KEEP_RELEASES, protect=release_dir)
        return {**pointer, "current": True}


def upload(release_dir: Path, tables: list[str], url: str, pointer: Manifest) -> None:
    """Copy the release's tables and manifest to `<url>/<release path>/`, then the pointer
    manifest to `<url>/manifest.json`, last."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    root = root.rstrip("/")
    prefix = f"{root}/{pointer['release']}"
    fs.makedirs(prefix, exist_ok=True)
    for name in [*(table_file(release_dir, t).name for t in tables), MANIFEST]:
        fs.put_file(str(release_dir / name), f"{prefix}/{name}")
    with fs.open(f"{root}/{MANIFEST}.tmp", "wb") as fh:
        fh.write(manifest_bytes(pointer))
    fs.mv(f"{root}/{MANIFEST}.tmp", f"{root}/{MANIFEST}")


def _prune(releases: Path, keep: int, protect: Path) -> None:
    """Delete all but the `keep` newest release folders (never the current one)."""
    folders = sorted((p for p in releases.iterdir() if p.is_dir()),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[keep:]:
        if old.resolve() != protect.resolve():
            shutil.rmtree(old, ignore_errors=True)
