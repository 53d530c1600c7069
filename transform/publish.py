"""Publish a validated release: its tables and manifest become the current dataset.

Tables are copied next to the manifest through temporary files and renames; the manifest is
written last, so a reader that starts from manifest.json never sees a mix of two releases.
With a `dataset_url` (any fsspec URL: s3://bucket/prefix, file:///...), the same tables and
manifest are also uploaded there, in the same order.
"""

from __future__ import annotations

import json
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


def run(*, data_dir: str | Path, run_id: str, date: str, release_dir: str | Path,
        validation: dict[str, Any] | None = None,
        dataset_url: str | None = None) -> dict[str, Any]:
    """Make `release_dir` the current dataset under data_dir/dataset (and at `dataset_url`,
    when given); return the manifest."""
    data_dir, release_dir = Path(data_dir), Path(release_dir)
    manifest = build_manifest(release_dir, data_dir=data_dir, run_id=run_id, date=date,
                              validation=validation)
    text = json.dumps(manifest, indent=2, sort_keys=False).encode()
    atomic_write(release_dir / "manifest.json", text)
    current = data_dir / "dataset"
    for name in manifest["tables"]:
        tmp = current / f".{name}.parquet.tmp"
        shutil.copyfile(release_dir / f"{name}.parquet", tmp)
        tmp.replace(current / f"{name}.parquet")
    atomic_write(current / "manifest.json", text)
    if dataset_url:
        upload(current, list(manifest["tables"]), dataset_url)
    _prune(current / "releases", keep=KEEP_RELEASES, protect=release_dir)
    return manifest


def upload(current: Path, tables: list[str], url: str) -> None:
    """Copy the current tables, then manifest.json, to the fsspec location `url`."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    fs.makedirs(root, exist_ok=True)
    for name in [*(f"{t}.parquet" for t in tables), "manifest.json"]:
        fs.put_file(str(current / name), f"{root.rstrip('/')}/{name}")


def _prune(releases: Path, keep: int, protect: Path) -> None:
    """Delete all but the `keep` newest release folders."""
    folders = sorted((p for p in releases.iterdir() if p.is_dir()),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[keep:]:
        if old.resolve() != protect.resolve():
            shutil.rmtree(old, ignore_errors=True)
