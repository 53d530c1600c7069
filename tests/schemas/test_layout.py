"""The data folder's floor plan (schemas/layout.py) and the run records (schemas/records.py)."""

from __future__ import annotations

from pathlib import Path

from schemas.layout import DataLayout, RunContext, safe_run_id
from schemas.records import (
    current_manifest,
    problem_text,
    read_source_reports,
    run_source_counts,
    write_source_report,
)


def test_every_path_of_the_data_folder(tmp_path: Path):
    d = DataLayout(tmp_path)
    assert d.raw("gh", "2026-11-01") == tmp_path / "raw/source=gh/date=2026-11-01"
    assert d.quarantine("gh", "2026-11-01") == tmp_path / "quarantine/source=gh/date=2026-11-01"
    assert d.staged("gh", "2026-11-01", "jobs") == \
        tmp_path / "staging/source=gh/date=2026-11-01/postings.parquet"
    assert d.staged("edx", "2026-11-01", "courses").name == "courses.parquet"
    assert d.normalised("2026-11-01") == tmp_path / "normalised/date=2026-11-01"
    assert d.seen_postings == tmp_path / "state/postings_seen.parquet"
    assert d.manifest == tmp_path / "dataset/manifest.json"
    assert d.release("manual__2026-11-01T00:00:00+00:00") == \
        tmp_path / "dataset/releases/manual__2026-11-01T00-00-00-00-00"
    assert d.quality_result("r1") == tmp_path / "quality/r1.json"
    assert d.source_report("r1", "gh") == tmp_path / "runs/r1/extract/gh.json"
    assert d.run_report("r1") == tmp_path / "reports/r1.html"
    assert d.latest_report == tmp_path / "reports/latest.html"
    assert DataLayout.of(d) is d and DataLayout.of(str(tmp_path)) == d


def test_run_context_makes_the_run_id_a_folder_name(tmp_path: Path):
    ctx = RunContext(DataLayout(tmp_path), "2026-11-01", "scheduled__2026-11-01T00:00:00+00:00")
    assert ctx.run_id == safe_run_id("scheduled__2026-11-01T00:00:00+00:00")
    assert ":" not in ctx.run_id and "+" not in ctx.run_id
    assert ctx.release.parent == tmp_path / "dataset/releases"
    assert ctx.normalised == tmp_path / "normalised/date=2026-11-01"


def test_staged_files_of_a_day_only_for_the_sources_asked(tmp_path: Path):
    d = DataLayout(tmp_path)
    for source in ("a", "b"):
        d.staged(source, "2026-11-01", "jobs").parent.mkdir(parents=True)
        d.staged(source, "2026-11-01", "jobs").write_bytes(b"")
    assert [p.parent.parent.name for p in d.staged_files("2026-11-01", "postings")] == \
        ["source=a", "source=b"]
    assert len(d.staged_files("2026-11-01", "postings", ["b", "c"])) == 1
    assert d.staged_files("2026-11-02", "postings") == []


def test_source_reports_are_written_and_read_in_one_place(tmp_path: Path):
    d = DataLayout(tmp_path)
    report = {"source": "gh", "connector": "greenhouse", "kind": "jobs", "partitions": 1,
              "requests": 1, "payloads": 2, "parsed": 1, "index_pages": 0, "records": 3,
              "quarantined": [{"partition": "p2", "reason": "not JSON"}],
              "failed": [{"partition": "p3", "error": "HTTP 500"}], "status": "partial"}
    write_source_report(d, "r1", report)
    assert read_source_reports(d, "r1") == [report]
    assert run_source_counts(d, "r1") == {"gh": {
        "kind": "jobs", "records": 3, "status": "partial", "quarantined": 1, "failed": 1,
        "records_quarantined": 0, "problems": ["p3: HTTP 500", "p2: not JSON"]}}
    assert [problem_text(p) for p in report["quarantined"] + report["failed"]] == \
        ["not JSON", "HTTP 500"]
    assert read_source_reports(d, "other") == [] and current_manifest(d) is None
