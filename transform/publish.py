"""Publish a validated release: make it the current dataset in one atomic step.

A release is written once, into its own folder `dataset/releases/<run id>/` (its tables and
its own manifest.json); nothing in it changes afterwards. Making it current is one atomic
step: `dataset/manifest.json`, the pointer, is replaced with os.replace by a manifest whose
table paths name that release's folder (`releases/<run id>/postings.parquet`). A reader that
starts from manifest.json therefore always reads the tables of one release, whatever is
being published meanwhile. Right after, the `dataset/current` symlink is swapped (also with
os.replace) to the same folder; `dataset/<table>.parquet` are fixed symlinks through
`current/`, so readers of those paths switch from one release to the next at once.

The dedupe state is promoted with the release (transform/state.py), and only when it is made
current; an older date than the current release (a backfill) writes its release and its
state snapshot but does not become current unless `publish_older` is set.

With a `dataset_url` (any fsspec URL: s3://bucket/prefix, file:///...), the same order is
used there: the release's tables and manifest under `<url>/releases/<run id>/`, then
`<url>/manifest.json` last. All published files are mode 0644.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extract.landing import atomic_write, sha256
from extract.run import read_reports
from schemas.tables import DATASET_VERSION, PUBLISHED

KEEP_RELEASES = 5


def source_counts(data_dir: Path, run_id: str) -> dict[str, Any]:
    """Per-source extract reports of a run (records, status, problems)."""
    out = {}
    for r in read_reports(data_dir, run_id):
        out[r["source"]] = {"kind": r["kind"], "records": r["records"], "status": r["status"],
                            "quarantined": len(r["quarantined"]), "failed": len(r["failed"]),
                            "records_quarantined": r.get("records_quarantined", 0)}
        if r["status"] != "ok":
            out[r["source"]]["problems"] = [
                f"{p['partition']}: {p.get('error') or p.get('reason')}"[:300]
                for p in [*r["failed"], *r["quarantined"]]][:5]
    return out


def current_manifest(data_dir: str | Path) -> dict[str, Any] | None:
    """The published dataset's manifest.json, or None when nothing is published yet."""
    path = Path(data_dir) / "dataset" / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def build_manifest(release_dir: Path, *, data_dir: Path, run_id: str, date: str,
                   validation: dict[str, Any] | None) -> dict[str, Any]:
    import polars as pl

    tables = {}
    for t in PUBLISHED:
        path = release_dir / f"{t.name}.parquet"
        tables[t.name] = {
            "path": f"{t.name}.parquet",
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
        "sources": source_counts(data_dir, run_id),
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
        validation: dict[str, Any] | None = None, dataset_url: str | None = None,
        publish_older: bool = False) -> dict[str, Any]:
    """Make `release_dir` the current dataset under data_dir/dataset (and at `dataset_url`,
    when given), with its dedupe state; return the manifest, whose `current` says whether it
    became current (False: an older date than the current release, without
    `publish_older`). Holds the data folder's lock."""
    from schemas.lock import data_lock
    from transform import state

    data_dir, release_dir = Path(data_dir), Path(release_dir)
    with data_lock(data_dir, holder=f"publish {run_id}"):
        manifest = build_manifest(release_dir, data_dir=data_dir, run_id=run_id, date=date,
                                  validation=validation)
        atomic_write(release_dir / "manifest.json", _json(manifest))
        current = data_dir / "dataset"
        previous = current_manifest(data_dir)
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
            atomic_write(release_dir / "manifest.json", _json(manifest))
            return manifest
        rel = release_dir.resolve().relative_to(current.resolve())
        pointer = {**manifest, "release": str(rel), "tables": {
            name: {**t, "path": f"{rel}/{t['path']}"} for name, t in manifest["tables"].items()}}
        atomic_write(current / "manifest.json", _json(pointer))  # the commit point
        _symlink(str(rel), current / "current")
        for name in manifest["tables"]:
            link = current / f"{name}.parquet"
            if not link.is_symlink() or os.readlink(link) != f"current/{name}.parquet":
                _symlink(f"current/{name}.parquet", link)
        if pending is not None:
            state.promote(data_dir, date, pending)
        if dataset_url:
            upload(release_dir, list(manifest["tables"]), dataset_url, pointer)
        _prune(current / "releases", keep=KEEP_RELEASES, protect=release_dir)
        return pointer | {"current": True}


def _json(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, indent=2, sort_keys=False).encode()


def upload(release_dir: Path, tables: list[str], url: str, pointer: dict[str, Any]) -> None:
    """Copy the release's tables and manifest to `<url>/<release path>/`, then the pointer
    manifest to `<url>/manifest.json`, last."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    root = root.rstrip("/")
    prefix = f"{root}/{pointer['release']}"
    fs.makedirs(prefix, exist_ok=True)
    for name in [*(f"{t}.parquet" for t in tables), "manifest.json"]:
        fs.put_file(str(release_dir / name), f"{prefix}/{name}")
    with fs.open(f"{root}/manifest.json.tmp", "wb") as fh:
        fh.write(_json(pointer))
    fs.mv(f"{root}/manifest.json.tmp", f"{root}/manifest.json")


def _prune(releases: Path, keep: int, protect: Path) -> None:
    """Delete all but the `keep` newest release folders (never the current one)."""
    folders = sorted((p for p in releases.iterdir() if p.is_dir()),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[keep:]:
        if old.resolve() != protect.resolve():
            shutil.rmtree(old, ignore_errors=True)
