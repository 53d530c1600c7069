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
    records_in: NotRequired[int]  # = records + records_quarantined
    records_quarantined: NotRequired[int]
    quarantined_records: NotRequired[list[dict[str, Any]]]  # the first 100, with reasons
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
    records_quarantined: NotRequired[int]
    problems: NotRequired[list[str]]  # the first 5, when the source is not ok


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
    release: NotRequired[str]  # the pointer (dataset/manifest.json): releases/<run id>
    current: NotRequired[bool]  # a release's own manifest: False when not made current
    note: NotRequired[str]  # why not (a backfill)


def problem_text(problem: Problem) -> str:
    """What went wrong, for a failed request or a quarantined payload alike."""
    return problem.get("error") or problem.get("reason") or ""


def problems(report: SourceReport) -> list[Problem]:
    return [*report["failed"], *report["quarantined"]]


def write_source_report(layout: DataLayout, run_id: str, report: SourceReport) -> Path:
    path = layout.source_report(run_id, report["source"])
    atomic_write(path, json.dumps(report, indent=2, sort_keys=True).encode())
    return path


def record_configured(layout: DataLayout, run_id: str, sources: list[str]) -> None:
    """Note which sources a run is configured with, so one that leaves no report fails."""
    atomic_write(layout.configured_sources(run_id), json.dumps(sorted(sources)).encode())


def read_source_reports(layout: DataLayout, run_id: str) -> list[SourceReport]:
    """Every source's extract report of a run, by source name; a configured source (see
    `record_configured`) without a report, or with an unreadable one, is reported failed, so
    a source whose task crashed or was killed is never silently missing."""
    folder = layout.extract_reports(run_id)
    reports: dict[str, SourceReport] = {}
    for p in sorted(folder.glob("*.json")):
        try:
            reports[p.stem] = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            reports[p.stem] = missing_report(p.stem, f"report unreadable: "
                                                     f"{type(exc).__name__}: {exc}")
    try:
        configured = json.loads(layout.configured_sources(run_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        configured = []
    for name in configured:
        if name not in reports:
            reports[name] = missing_report(name, "no report: its extract task crashed, was "
                                                 "killed or never ran")
    return [reports[k] for k in sorted(reports)]


def missing_report(source: str, error: str) -> SourceReport:
    """The report standing in for a source that left none: failed, with why."""
    return {"source": source, "connector": "", "kind": "unknown", "partitions": 0,
            "requests": 0, "payloads": 0, "parsed": 0, "index_pages": 0, "records": 0,
            "records_in": 0, "records_quarantined": 0, "quarantined": [],
            "failed": [{"partition": "*", "error": error}], "status": "failed"}


def source_counts(report: SourceReport) -> SourceCounts:
    counts: SourceCounts = {
        "kind": report["kind"], "records": report["records"], "status": report["status"],
        "quarantined": len(report["quarantined"]), "failed": len(report["failed"]),
        "records_quarantined": report.get("records_quarantined", 0)}
    if report["status"] != "ok":
        counts["problems"] = [f"{p['partition']}: {problem_text(p)}"[:300]
                              for p in problems(report)][:5]
    return counts


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
