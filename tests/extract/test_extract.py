"""Running a source: landing, quarantine, live fetching over HTTP, and one bad source not
stopping the others."""

from __future__ import annotations

import gzip
import hashlib
import json
import time

import polars as pl
import pytest
import yaml

from extract import http
from extract.run import extract_source
from schemas.layout import DataLayout
from tests.paths import SNAPSHOT

GREENHOUSE = SNAPSHOT / "payloads/greenhouse/" \
    "greenhouse_boards_api_gitlab_jobs_content_true_trimmed_2026-08.json.gz"


def _config(tmp_path, sources):
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "replay_dir": str(tmp_path / "replay"),
                                    "sources": sources}))
    return path


def test_good_and_truncated_payloads(tmp_path):
    replay = tmp_path / "replay"
    replay.mkdir()
    good = gzip.decompress(GREENHOUSE.read_bytes())
    (replay / "good.json").write_bytes(good)
    (replay / "bad.json").write_bytes(good[:5000])
    config = _config(tmp_path, [{"name": "gh", "connector": "greenhouse", "partitions": [
        {"replay": "bad.json", "sector": "51"}, {"replay": "good.json", "sector": "51"}]}])
    data = tmp_path / "data"

    report = extract_source("gh", data_dir=data, date="2026-11-01", run_id="r1", config=config)

    assert report["status"] == "partial"
    assert report["records"] == 3 and report["payloads"] == 2 and report["parsed"] == 1
    [q] = report["quarantined"]
    assert q["partition"] == "bad.json" and "not valid JSON" in q["reason"]
    qdir = data / "quarantine/source=gh/date=2026-11-01"
    assert gzip.decompress((qdir / "bad.json.gz").read_bytes()) == good[:5000]
    assert "not valid JSON" in json.loads((qdir / "bad.json.meta.json").read_text())["reason"]
    raw = data / "raw/source=gh/date=2026-11-01"
    meta = json.loads((raw / "good.json.meta.json").read_text())
    assert meta["sha256"] == hashlib.sha256(good).hexdigest()
    assert gzip.decompress((raw / "good.json.gz").read_bytes()) == good
    staged = pl.read_parquet(DataLayout(data).staged("gh", "2026-11-01", "jobs"))
    assert staged["sector"].to_list() == ["51"] * 3

    again = extract_source("gh", data_dir=data, date="2026-11-01", run_id="r2", config=config)
    assert again["records"] == 3
    assert sorted(p.name for p in raw.iterdir()) == sorted(
        ["good.json.gz", "good.json.meta.json", "bad.json.gz", "bad.json.meta.json"])


def test_a_payload_that_cannot_be_landed_fails_its_partition_and_stages_nothing_of_it(
        tmp_path, monkeypatch):
    from extract import landing

    replay = tmp_path / "replay"
    replay.mkdir()
    good = gzip.decompress(GREENHOUSE.read_bytes())
    for name in ("a.json", "b.json", "c.json"):
        (replay / name).write_bytes(good)
    config = _config(tmp_path, [{"name": "gh", "connector": "greenhouse", "partitions": [
        {"replay": name, "sector": "51"} for name in ("a.json", "b.json", "c.json")]}])
    land = landing.land

    def disk_full_for_b(data_dir, source, date, name, body, meta):
        if name == "b.json":
            raise OSError(28, "No space left on device")
        return land(data_dir, source, date, name, body, meta)

    monkeypatch.setattr(landing, "land", disk_full_for_b)
    report = extract_source("gh", data_dir=tmp_path / "data", date="2026-11-01", run_id="r",
                            config=config)

    assert report["status"] == "partial"
    [failure] = report["failed"]
    assert failure["partition"] == "b.json" and "No space left" in failure["error"]
    assert report["payloads"] == report["parsed"] == 2 and report["records"] == 6
    raw = tmp_path / "data/raw/source=gh/date=2026-11-01"
    assert sorted(p.name for p in raw.glob("*.gz")) == ["a.json.gz", "c.json.gz"]


def test_payloads_parsed_over_processes_stage_the_same_rows_and_report(tmp_path,
                                                                        monkeypatch):
    from extract import run

    replay = tmp_path / "replay"
    replay.mkdir()
    good = gzip.decompress(GREENHOUSE.read_bytes())
    names = [f"p{i}.json" for i in range(run.PARSE_POOL_MIN + 2)]
    for i, name in enumerate(names):
        # One truncated payload, and each good one with its own job ids.
        body = good[:5000] if i == 2 else good.replace(b'"id": ', f'"id": {i + 1}'.encode())
        (replay / name).write_bytes(body)
    config = _config(tmp_path, [{"name": "gh", "connector": "greenhouse", "partitions": [
        {"replay": name, "sector": "51"} for name in names]}])
    results = {}
    for workers in ("1", "2"):
        monkeypatch.setenv(run.PARSERS_ENV, workers)
        data = tmp_path / f"data{workers}"
        report = extract_source("gh", data_dir=data, date="2026-11-01", run_id="r",
                                config=config)
        staged = DataLayout(data).staged("gh", "2026-11-01", "jobs")
        raw = sorted(p.name for p in (data / "raw/source=gh/date=2026-11-01").iterdir())
        results[workers] = (report, pl.read_parquet(staged), raw)

    (one, rows1, raw1), (two, rows2, raw2) = results["1"], results["2"]
    assert one["records"] == 3 * (len(names) - 1) and one["status"] == "partial"
    assert [q["partition"] for q in one["quarantined"]] == ["p2.json"]
    assert two == one and raw2 == raw1
    assert rows2.equals(rows1) and rows1["partition"].to_list() == [
        n for n in names if n != "p2.json" for _ in range(3)]


def test_live_fetch_over_http_lands_status_and_headers(tmp_path, httpserver):
    body = gzip.decompress(GREENHOUSE.read_bytes())
    httpserver.expect_request("/v1/boards/gitlab/jobs").respond_with_data(
        body, content_type="application/json", headers={"ETag": '"v1"'})
    config = _config(tmp_path, [{"name": "gh", "connector": "greenhouse", "partitions": [
        {"board": "gitlab", "url": httpserver.url_for("/v1/boards/gitlab/jobs")}]}])

    report = extract_source("gh", data_dir=tmp_path, date="2026-11-01", run_id="r",
                            config=config)

    assert report["status"] == "ok" and report["records"] == 3
    meta = json.loads((tmp_path / "raw/source=gh/date=2026-11-01/gitlab.meta.json").read_text())
    assert meta["status"] == 200 and meta["headers"]["ETag"] == '"v1"'
    assert httpserver.log[0][0].headers["User-Agent"].startswith("microcareer/")


def test_a_failing_partition_is_reported_and_the_rest_still_lands(tmp_path, httpserver):
    body = gzip.decompress(GREENHOUSE.read_bytes())
    httpserver.expect_request("/ok").respond_with_data(body)
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    config = _config(tmp_path, [{"name": "gh", "connector": "greenhouse", "partitions": [
        {"board": "gone", "url": httpserver.url_for("/gone")},
        {"board": "ok", "url": httpserver.url_for("/ok")}]}])

    report = extract_source("gh", data_dir=tmp_path, date="2026-11-01", run_id="r",
                            config=config)

    assert report["status"] == "partial" and report["records"] == 3
    [failure] = report["failed"]
    assert failure["partition"] == "gone" and "/gone" in failure["error"]
    assert "404" in failure["error"]


def test_retry_after_is_honoured_on_503(httpserver):
    httpserver.expect_ordered_request("/flaky").respond_with_data(
        "busy", status=503, headers={"Retry-After": "1"})
    httpserver.expect_ordered_request("/flaky").respond_with_data("{}", status=200)
    client = http.Client(http.Policy(retries=2, backoff=0.01, rate_per_second=1000))

    started = time.monotonic()
    response = client.get(httpserver.url_for("/flaky"))

    assert response.status_code == 200 and len(httpserver.log) == 2
    assert time.monotonic() - started >= 1.0


def test_persistent_server_error_raises_fetch_error_naming_the_url(httpserver):
    httpserver.expect_request("/down").respond_with_data("x", status=502)
    client = http.Client(http.Policy(retries=1, backoff=0.01, rate_per_second=1000))
    with pytest.raises(http.FetchError, match="/down: gave up after 1 retries"):
        client.get(httpserver.url_for("/down"))
    assert len(httpserver.log) == 2


def test_requests_to_one_host_are_rate_limited(httpserver):
    httpserver.expect_request("/x").respond_with_data("{}")
    client = http.Client(http.Policy(rate_per_second=4))
    started = time.monotonic()
    for _ in range(5):
        client.get(httpserver.url_for("/x"))
    assert time.monotonic() - started >= 0.9  # 5 requests at 4 per second
