"""The run's typed records, each read and written here only: a source's extract report
(DATA_DIR/runs/<run id>/extract/<source>.json), the validation result passed from validation
to publishing, and the published manifest (DATA_DIR/dataset/manifest.json).

They stay plain JSON-shaped dicts on disk and between Airflow tasks (XCom); the TypedDicts
name their keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from schemas.files import atomic_write
from schemas.layout import DataLayout


class Problem(TypedDict):
    """A failed request (`error`) or a quarantined payload (`reason`) of a source."""

    partition: str
    error: NotRequired[str]
    reason: NotRequired[str]


class SourceReport(TypedDict):
    source: str
    connector: str
    kind: str
    partitions: int
    requests: int
    payloads: int
    parsed: int
    index_pages: int
    records: int
    quarantined: list[Problem]
    failed: list[Problem]
    status: str  # ok | partial | failed


class SourceCounts(TypedDict):
    """A source's line in the manifest."""

    kind: str
    records: int
    status: str
    quarantined: int
    failed: int


class ValidationResult(TypedDict):
    """What validation hands to publishing (and the manifest keeps)."""

    success: bool
    tables: int
    expectations: int
    seconds: float
    data_docs: Any


class Manifest(TypedDict):
    dataset: str
    dataset_version: str
    run_id: str
    logical_date: str
    published_at: str
    sources: dict[str, SourceCounts]
    tables: dict[str, dict[str, Any]]
    validation: ValidationResult | None


def problem_text(problem: Problem) -> str:
    """What went wrong, for a failed request or a quarantined payload alike."""
    return problem.get("error") or problem.get("reason") or ""


def problems(report: SourceReport) -> list[Problem]:
    return [*report["failed"], *report["quarantined"]]


def write_source_report(layout: DataLayout, run_id: str, report: SourceReport) -> Path:
    path = layout.source_report(run_id, report["source"])
    atomic_write(path, json.dumps(report, indent=2, sort_keys=True).encode())
    return path


def read_source_reports(layout: DataLayout, run_id: str) -> list[SourceReport]:
    """Every source's extract report of a run, by source name."""
    folder = layout.extract_reports(run_id)
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def source_counts(report: SourceReport) -> SourceCounts:
    return {"kind": report["kind"], "records": report["records"], "status": report["status"],
            "quarantined": len(report["quarantined"]), "failed": len(report["failed"])}


def run_source_counts(layout: DataLayout, run_id: str) -> dict[str, SourceCounts]:
    """Each source's counts in a run (records, status, problems), by source name."""
    return {r["source"]: source_counts(r) for r in read_source_reports(layout, run_id)}


def manifest_bytes(manifest: Manifest) -> bytes:
    return json.dumps(manifest, indent=2, sort_keys=False).encode()


def read_manifest(path: Path) -> Manifest | None:
    """A manifest.json, or None when there is none (nothing published yet)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def current_manifest(layout: DataLayout) -> Manifest | None:
    """The published dataset's manifest, or None when nothing is published yet."""
    return read_manifest(layout.manifest)
