"""Fault containment per partition and per record (issue 16): whatever one payload, page or
record does, the source goes on, the report says what happened and why, and every record is
accounted for (records_in = records + records_quarantined)."""

from __future__ import annotations

import gzip
import json

import polars as pl
import pytest
from werkzeug import Response

from extract import run as extract_run
from extract.config import ConfigError, load_config
from extract.run import extract_source
from schemas.layout import DataLayout
from schemas.records import read_source_reports
from tests.sources_helpers import fixture, fixture_json, write_sources

GREENHOUSE = fixture_json("greenhouse_gitlab.json")  # 3 jobs
LEVER = fixture_json("lever_leverdemo.json")  # 3 postings


def _replay_source(tmp_path, connector, payloads: dict[str, bytes]):
    replay = tmp_path / "replay"
    replay.mkdir(exist_ok=True)
    for name, body in payloads.items():
        (replay / name).write_bytes(body)
    path = tmp_path / "sources.yaml"
    import yaml

    path.write_text(yaml.safe_dump({"version": 1, "replay_dir": str(replay), "sources": [
        {"name": "src", "connector": connector,
         "partitions": [{"replay": n} for n in payloads]}]}))
    return path


def _accounting(report):
    assert report["payloads"] == (report["parsed"] + len(report["quarantined"])
                                  + report["index_pages"])
    assert report["records_in"] == report["records"] + report["records_quarantined"]


def _lever(**changes):
    doc = json.loads(json.dumps(LEVER))
    doc[0].update(changes)
    return json.dumps(doc).encode()


HOSTILE = [
    # name, connector, bad payload, what the bad payload costs, words in the reason
    ("overflow_number", "lever", b'[{"id": "a", "text": "Nurse", "createdAt": 1e400}]',
     "payload", "out of range"),
    ("huge_int", "lever", b'[{"id": "a", "text": "Nurse", "createdAt": ' + b"9" * 5000 + b"}]",
     "payload", "out of range"),
    ("deep_nesting", "greenhouse", b'{"jobs": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
     "payload", "nested deeper"),
    ("date_1e20_ms", "lever", _lever(createdAt=10**20), "record", "out of range"),
    ("record_without_id", "greenhouse",
     json.dumps({"jobs": [*GREENHOUSE["jobs"], {"title": "no id"}]}).encode(),
     "record", "KeyError"),
    ("record_not_a_dict", "greenhouse",
     json.dumps({"jobs": [*GREENHOUSE["jobs"], ["a", "list"]]}).encode(), "record",
     "TypeError"),
    ("nested_title", "greenhouse",
     json.dumps({"jobs": [{**GREENHOUSE["jobs"][0], "title": {"x": [1]}}]}).encode(),
     None, ""),
    ("nan_constant", "greenhouse", b'{"jobs": [{"id": NaN}]}', "payload", "NaN"),
]


@pytest.mark.parametrize(("case", "connector", "bad", "cost", "reason"), HOSTILE,
                         ids=[h[0] for h in HOSTILE])
def test_hostile_payload_costs_only_itself(tmp_path, case, connector, bad, cost, reason):
    good = json.dumps(GREENHOUSE if connector == "greenhouse" else LEVER).encode()
    config = _replay_source(tmp_path, connector, {"bad.json": bad, "good.json": good})
    data = tmp_path / "data"

    report = extract_source("src", data_dir=data, date="2026-11-01", run_id="r", config=config)

    _accounting(report)
    assert report["parsed"] >= 1 and report["records"] >= 3  # the good payload, all of it
    qdir = data / "quarantine/source=src/date=2026-11-01"
    if cost == "payload":
        [q] = report["quarantined"]
        assert q["partition"] == "bad.json" and reason in q["reason"], q
        assert gzip.decompress((qdir / "bad.json.gz").read_bytes()) == bad
        assert report["status"] == "partial"
    elif cost == "record":
        assert report["quarantined"] == [] and report["records_quarantined"] == 1
        assert report["records"] == report["records_in"] - 1
        [q] = report["quarantined_records"]
        assert q["partition"] == "bad.json" and reason in q["reason"], q
        kept = gzip.decompress((qdir / "bad.json.records.gz").read_bytes()).decode()
        [line] = [json.loads(x) for x in kept.splitlines()]
        assert reason in line["reason"] and "record" in line
        assert report["status"] == "partial"
    else:
        assert report["status"] == "ok"
    assert json.loads((data / "runs/r/extract/src.json").read_text()) == report


def test_one_bad_record_keeps_the_good_ones(tmp_path):
    jobs = [*GREENHOUSE["jobs"][:2], {"title": "no id"}, GREENHOUSE["jobs"][2]]
    config = _replay_source(tmp_path, "greenhouse", {"p.json": json.dumps({"jobs": jobs}).encode()})
    report = extract_source("src", data_dir=tmp_path, date="2026-11-01", run_id="r",
                            config=config)
    assert (report["records_in"], report["records"], report["records_quarantined"]) == (4, 3, 1)
    staged = pl.read_parquet(DataLayout(tmp_path).staged("src", "2026-11-01", "jobs"))
    assert sorted(staged["record_id"].to_list()) == sorted(str(j["id"]) for j in
                                                           GREENHOUSE["jobs"])


def test_csv_field_over_128_kib_costs_nothing(tmp_path):
    rows = "job_id,title,description\n" + "\n".join(f"{i},Nurse {i},care" for i in range(500))
    rows += '\n500,Big,"' + "x" * 200_000 + '"\n'
    config = _replay_source(tmp_path, "emscad_csv", {"p.csv": rows.encode()})
    report = extract_source("src", data_dir=tmp_path, date="2026-11-01", run_id="r",
                            config=config)
    assert report["quarantined"] == [] and report["records"] == 501, report


def test_paging_faults_are_contained(tmp_path, httpserver):
    """Arbeitnow's `links` given as a list, a next link to another host, a malformed
    Content-Length: each a failure or the end of paging, never a crash; the next partition
    still runs."""
    page = fixture("arbeitnow.json")
    doc = json.loads(page)
    httpserver.expect_request("/list-links").respond_with_json({**doc, "links": ["x"]})
    httpserver.expect_request("/other-host").respond_with_json(
        {**doc, "links": {"next": "http://169.254.169.254/latest/meta-data"}})
    httpserver.expect_request("/bad-length").respond_with_response(
        Response(page, headers={"Content-Length": "12abc"}, content_type="application/json"))
    httpserver.expect_request("/good").respond_with_data(page, content_type="application/json")
    config = write_sources(tmp_path, [{"name": "an", "connector": "arbeitnow", "partitions": [
        {"key": k, "url": httpserver.url_for(f"/{k}")}
        for k in ("list-links", "other-host", "bad-length", "good")]}])

    report = extract_source("an", data_dir=tmp_path, date="2026-11-01", run_id="r",
                            config=config)

    _accounting(report)
    assert report["parsed"] >= 3, report
    errors = " ".join(f["error"] for f in report["failed"])
    assert "is not on http://" in errors and "169.254.169.254" in errors
    assert not any(r.path == "/latest/meta-data" for r, _ in httpserver.log)


def test_report_is_written_when_the_source_crashes(tmp_path, monkeypatch):
    config = _replay_source(tmp_path, "greenhouse", {"p.json": json.dumps(GREENHOUSE).encode()})

    def boom(*args, **kwargs):
        raise MemoryError("simulated")

    monkeypatch.setattr(extract_run, "_extract", boom)
    with pytest.raises(MemoryError):
        extract_source("src", data_dir=tmp_path, date="2026-11-01", run_id="r", config=config)
    report = json.loads((tmp_path / "runs/r/extract/src.json").read_text())
    assert report["status"] == "failed"
    assert "MemoryError: simulated" in report["failed"][-1]["error"]


def test_a_configured_source_without_a_report_is_failed(tmp_path):
    from schemas.records import record_configured

    record_configured(DataLayout(tmp_path), "r", ["gone", "src"])
    config = _replay_source(tmp_path, "greenhouse", {"p.json": json.dumps(GREENHOUSE).encode()})
    extract_source("src", data_dir=tmp_path, date="2026-11-01", run_id="r", config=config)
    reports = {r["source"]: r for r in read_source_reports(DataLayout(tmp_path), "r")}
    assert reports["src"]["status"] == "ok"
    assert reports["gone"]["status"] == "failed"
    assert "no report" in reports["gone"]["failed"][0]["error"]


@pytest.mark.parametrize("name", ["../escape", "a/b", "..", ".", "x\x00y", "a b"])
def test_names_keys_and_dates_are_checked_before_they_become_paths(tmp_path, name):
    import yaml

    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "sources": [
        {"name": name, "connector": "greenhouse", "partitions": [{"key": "k"}]}]}))
    with pytest.raises(ConfigError, match="not allowed"):
        load_config(path)
    path.write_text(yaml.safe_dump({"version": 1, "sources": [
        {"name": "ok", "connector": "greenhouse", "partitions": [{"key": name}]}]}))
    with pytest.raises(ConfigError, match="not allowed"):
        load_config(path)
    config = _replay_source(tmp_path, "greenhouse", {"p.json": json.dumps(GREENHOUSE).encode()})
    for date in ["../../x", "2026-13-01", "2026-11-01/../..", "20261101"]:
        with pytest.raises(ConfigError):
            extract_source("src", data_dir=tmp_path / "data", date=date, run_id="r",
                           config=config)
    with pytest.raises(ConfigError):
        extract_source(name, data_dir=tmp_path / "data", date="2026-11-01", run_id="r",
                       config=config)
    assert not (tmp_path / "escape").exists() and not (tmp_path / "data").exists()


def test_a_connector_mapping_a_key_outside_the_contract_fails_its_source(tmp_path,
                                                                           monkeypatch):
    """Hostile data costs a record; a connector whose own `row` maps an unknown key is a bug:
    the source fails at once with the connector and the key named, nothing is quarantined."""
    from extract.connectors import CONNECTORS
    from extract.connectors.base import ContractError
    from extract.connectors.job_boards import Greenhouse

    class Misspelt(Greenhouse):
        name = "misspelt"

        def row(self, r):
            return {**super().row(r), "compnay": r.get("company_name")}

    monkeypatch.setitem(CONNECTORS, "misspelt", Misspelt)
    config = _replay_source(tmp_path, "misspelt", {"p.json": json.dumps(GREENHOUSE).encode()})
    with pytest.raises(ContractError, match="'misspelt'.*'compnay'"):
        extract_source("src", data_dir=tmp_path, date="2026-11-01", run_id="r", config=config)
    report = json.loads((tmp_path / "runs/r/extract/src.json").read_text())
    assert report["status"] == "failed" and report["quarantined"] == []
    assert "ContractError" in report["failed"][-1]["error"]
    assert "'compnay'" in report["failed"][-1]["error"]
    assert not (tmp_path / "quarantine").exists()
