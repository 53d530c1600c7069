"""Publish a validated release: its tables and manifest become the current dataset.

Tables are copied next to the manifest through temporary files and renames; the manifest is
written last, so a reader that starts from manifest.json never sees a mix of two releases.
With a `dataset_url` (any fsspec URL: s3://bucket/prefix, file:///...), the same tables and
manifest are also uploaded there, in the same order.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from schemas.files import atomic_write, sha256
from schemas.layout import MANIFEST, DataLayout, table_file
from schemas.records import Manifest, ValidationResult, manifest_bytes, run_source_counts
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


def run(*, data_dir: str | Path, run_id: str, date: str, release_dir: str | Path,
        validation: ValidationResult | None = None,
        dataset_url: str | None = None) -> Manifest:
    """Make `release_dir` the current dataset under data_dir/dataset (and at `dataset_url`,
    when given); return the manifest."""
    data_dir, release_dir = Path(data_dir), Path(release_dir)
    manifest = build_manifest(release_dir, data_dir=data_dir, run_id=run_id, date=date,
                              validation=validation)
    layout = DataLayout(data_dir)
    text = manifest_bytes(manifest)
    atomic_write(release_dir / MANIFEST, text)
    current = layout.current
    for name in manifest["tables"]:
        tmp = current / f".{name}.parquet.tmp"
        shutil.copyfile(table_file(release_dir, name), tmp)
        tmp.replace(table_file(current, name))
    atomic_write(layout.manifest, text)
    if dataset_url:
        upload(current, list(manifest["tables"]), dataset_url)
    _prune(layout.releases, keep=KEEP_RELEASES, protect=release_dir)
    return manifest


def upload(current: Path, tables: list[str], url: str) -> None:
    """Copy the current tables, then manifest.json, to the fsspec location `url`."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    fs.makedirs(root, exist_ok=True)
    for name in [*(table_file(current, t).name for t in tables), MANIFEST]:
        fs.put_file(str(current / name), f"{root.rstrip('/')}/{name}")


def _prune(releases: Path, keep: int, protect: Path) -> None:
    """Delete all but the `keep` newest release folders."""
    folders = sorted((p for p in releases.iterdir() if p.is_dir()),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[keep:]:
        if old.resolve() != protect.resolve():
            shutil.rmtree(old, ignore_errors=True)
