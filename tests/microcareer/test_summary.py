"""The account of a published dataset that ends every run, and the per-source report of a run
(microcareer/summary.py), on a small hand-made data folder."""

from __future__ import annotations

import json

import polars as pl
import pytest

from microcareer.summary import source_report, summarise
from schemas.layout import DataLayout
from schemas.records import record_configured, write_source_report
from schemas.tables import POSTINGS, SKILL_PORTABILITY

ESCO = "http://data.europa.eu/esco/skill/"
NURSE, DEVELOPER = "29-1141.00", "15-1252.00"


def portability(*rows) -> pl.DataFrame:
    """skill_portability from (skill_uri, label, postings, demanding, present, portability)."""
    frame = pl.DataFrame(list(rows), orient="row", schema={
        "skill_uri": pl.String, "label": pl.String, "postings": pl.UInt32,
        "sectors_demanding": pl.UInt32, "sectors_present": pl.UInt32,
        "portability": pl.Float64})
    return frame.with_columns(demanding_sectors=pl.lit([], pl.List(pl.String)),
                              entropy=pl.lit(1.0)).select(SKILL_PORTABILITY.schema.names())


def postings(roles, confidences, sectors) -> pl.DataFrame:
    frame = pl.DataFrame({"role": roles, "role_confidence": confidences, "sector": sectors},
                         schema={"role": pl.String, "role_confidence": pl.Float64,
                                 "sector": pl.String})
    return frame.with_columns(*[pl.lit(None, dtype).alias(name)
                                for name, dtype in POSTINGS.schema.items()
                                if name not in frame.columns]).select(POSTINGS.schema.names())


SKILLS = portability(
    (ESCO + "60c78287-22eb-4103-9c8c-28deaa460da0", "work in teams", 1250, 3, 5, 0.9),
    (ESCO + "d9013e0e-e937-43d5-ab71-0e917ee882b8", "manage time", 40, 2, 5, 0.9),
    (ESCO + "598de5b0-5b58-4ea7-8058-a4bc4d18c742", "SQL", 900, 1, 4, 0.5),
)


def publish(data_dir, *, posts=None, skills=SKILLS, sources=None, validation=None):
    """A published dataset as transform/marts/publish.py leaves it: the release's tables and the
    manifest pointing at them."""
    layout = DataLayout(data_dir)
    release = layout.release("r1")
    release.mkdir(parents=True)
    if posts is None:
        posts = postings([NURSE, NURSE, DEVELOPER, None], [0.9, 0.5, 0.3, 0.0],
                         ["62", None, None, None])
    posts.write_parquet(release / "postings.parquet")
    skills.write_parquet(release / "skill_portability.parquet")
    manifest = {
        "dataset": "microcareer", "dataset_version": "3.0.0", "run_id": "r1",
        "logical_date": "2026-11-01", "published_at": "2026-11-02T03:00:00+00:00",
        "release": "releases/r1",
        "sources": sources or {"ashby": {"kind": "postings", "records": 1200, "status": "ok",
                                         "quarantined": 0, "failed": 0}},
        "tables": {
            "postings": {"path": "releases/r1/postings.parquet", "rows": posts.height,
                         "schema_version": "1.2.0"},
            "posting_skills": {"path": "releases/r1/posting_skills.parquet", "rows": 12345,
                               "schema_version": "1.1.0"},
            "skill_portability": {"path": "releases/r1/skill_portability.parquet",
                                  "rows": skills.height, "schema_version": "1.0.0"}},
        "validation": validation,
    }
    layout.manifest.write_text(json.dumps(manifest))
    return data_dir


def section(text: str, title: str) -> list[str]:
    """The lines of a summary from the one starting with `title` to the next blank line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def test_nothing_published_says_so(tmp_path):
    """Before any successful run the summary says there is no dataset, and where it looked."""
    assert summarise(tmp_path) == (f"No published dataset at {tmp_path / 'dataset'} "
                                   "(no manifest.json): has a run succeeded?")


def test_header_and_tables_with_rows_and_schema_versions(tmp_path):
    """The summary names the release and lists each table's rows and schema version."""
    text = summarise(publish(tmp_path))
    assert text.splitlines()[0].split() == [
        "microcareer", "dataset", "3.0.0", "run", "r1", "logical", "date", "2026-11-01"]
    assert [line.split() for line in section(text, "Tables:")[1:]] == [
        ["postings", "4", "rows", "schema", "1.2.0"],
        ["posting_skills", "12,345", "rows", "schema", "1.1.0"],
        ["skill_portability", "3", "rows", "schema", "1.0.0"]]


def test_postings_coverage_of_roles_confident_roles_and_sectors(tmp_path):
    """Shares of postings with a role, with a role at confidence >= 0.5, and with a sector."""
    text = summarise(publish(tmp_path))
    assert section(text, "Postings:") == [
        "Postings: 4; with a role 75.0% (confidence >= 0.5: 50.0%); with a sector 25.0%"]


def test_no_postings_line_for_an_empty_postings_table(tmp_path):
    """A release without postings is summarised without dividing by zero."""
    text = summarise(publish(tmp_path, posts=postings([], [], [])))
    assert "Postings:" not in text
    assert section(text, "Tables:")[1].split()[:2] == ["postings", "0"]


@pytest.mark.parametrize(("sources", "line"), [
    ({"ashby": {"records": 1200, "status": "ok"}, "nhs_jobs": {"records": 34, "status": "ok"}},
     "Sources: 2 (1,234 records); all ok"),
    ({"ashby": {"records": 1200, "status": "ok"},
      "usajobs": {"records": 34, "status": "partial"},
      "nhs_jobs": {"records": 0, "status": "failed"}},
     "Sources: 3 (1,234 records); usajobs: partial, nhs_jobs: failed"),
], ids=["all ok", "problems"])
def test_sources_line_names_the_sources_with_problems(tmp_path, sources, line):
    """Records over all sources, and every source whose status is not ok."""
    assert section(summarise(publish(tmp_path, sources=sources)), "Sources:") == [line]


def test_most_portable_skills_first_ties_by_postings(tmp_path):
    """Skills by portability, then by postings; only the top N are listed."""
    text = summarise(publish(tmp_path), top=2)
    lines = section(text, "Top 2 most portable skills")
    assert [line.split() for line in lines[1:]] == [
        ["1.", "work", "in", "teams", "0.900", "3/5", "1,250"],
        ["2.", "manage", "time", "0.900", "2/5", "40"]]


@pytest.mark.parametrize(("validation", "line"), [
    ({"success": True, "tables": 13, "expectations": 250, "seconds": 4.2, "data_docs": None},
     "Validation (Great Expectations): passed, 250 expectations on 13 tables"),
    ({"success": False, "tables": 13, "expectations": 250, "seconds": 4.2, "data_docs": None},
     "Validation (Great Expectations): FAILED"),
    (None, "Validation (Great Expectations): not run"),
], ids=["passed", "failed", "not run"])
def test_validation_outcome_is_reported(tmp_path, validation, line):
    """Whether the release passed its Great Expectations suites, failed them or was not
    validated."""
    assert summarise(publish(tmp_path, validation=validation)).splitlines()[-1] == line


def test_source_report_lists_each_source_its_problems_and_status(tmp_path):
    """Per source: records, payloads, quarantines and failures, then what went wrong."""
    layout = DataLayout(tmp_path)
    base = {"connector": "c", "kind": "postings", "partitions": 3, "requests": 3,
            "parsed": 3, "index_pages": 0}
    write_source_report(layout, "r1", base | {
        "source": "ashby", "status": "ok", "records": 1200, "payloads": 4,
        "quarantined": [], "failed": []})
    write_source_report(layout, "r1", base | {
        "source": "usajobs", "status": "partial", "records": 34, "payloads": 3,
        "quarantined": [{"partition": "p2", "reason": "not gzip"}],
        "failed": [{"partition": "p3", "error": "HTTP 503"}],
        "records_quarantined": 6,
        "quarantined_records": [{"partition": "p1", "reason": f"no title {i}"}
                                for i in range(6)]})
    record_configured(layout, "r1", ["ashby", "nhs_jobs", "usajobs"])
    text, statuses = source_report(tmp_path, "r1")
    assert statuses == {"ashby": "ok", "nhs_jobs": "failed", "usajobs": "partial"}
    lines = text.splitlines()
    assert lines[0].split() == ["ashby", "ok", "1,200", "records", "4", "payloads,", "0",
                                "quarantined,", "0", "failed", "requests"]
    assert lines[1].split()[:3] == ["nhs_jobs", "failed", "0"]
    assert lines[2].strip() == ("*: no report: its extract task crashed, was killed or "
                                "never ran")
    assert lines[3].split() == ["usajobs", "partial", "34", "records", "3", "payloads,", "1",
                                "quarantined,", "1", "failed", "requests,", "6", "records",
                                "quarantined"]
    assert [line.strip() for line in lines[4:]] == [
        "p3: HTTP 503", "p2: not gzip", "p1: no title 0", "p1: no title 1", "p1: no title 2",
        "p1: no title 3", "p1: no title 4"]
