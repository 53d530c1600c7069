"""Fault injection: whatever a source does, the run goes on, good records land, the bad
payload is kept with its reason, and every payload is accounted for."""

from __future__ import annotations

import gzip
import json
import socket
import time

import pytest
from werkzeug import Response

from extract.run import extract_source
from tests.paths import SNAPSHOT
from tests.sources_helpers import fixture, write_sources

GOOD = fixture("greenhouse_gitlab.json")
REMOTIVE_BOM = gzip.decompress((SNAPSHOT / "payloads/remotive/"
                                "remotive_api_remote_jobs_35_jobs_utf8bom_2026-07.json.gz")
                               .read_bytes())
LATIN1 = json.dumps({"jobs": [{"id": 1, "title": "Café manager", "content": "Gérer"}]},
                    ensure_ascii=False).encode("latin-1")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def slow(request):
    time.sleep(1.5)
    return Response(GOOD)


# name, how the server answers, expected status, words in the failure or quarantine reason
FAULTS = [
    ("dns", None, "failed", "Failed to resolve 'nonexistent.invalid'"),
    ("connection_refused", None, "failed", "Connection refused"),
    ("timeout", slow, "failed", "Read timed out"),
    ("server_error", Response("oops", status=500), "failed", "too many 500 error responses"),
    ("endless_429", Response("slow down", status=429, headers={"Retry-After": "1"}),
     "failed", "too many 429 error responses"),
    ("malformed_json", Response(b'{"jobs": [{"id": 1, "title": '), "failed", "not valid JSON"),
    ("truncated", Response(GOOD[: len(GOOD) // 2]), "failed", "not valid JSON"),
    ("html_error_page", Response(b"<html><body>Service unavailable</body></html>",
                                 content_type="text/html"), "failed", "not valid JSON"),
    ("wrong_shape", Response(b'{"postings": []}'), "failed", "'jobs'"),
    ("undeclared_latin1", Response(LATIN1, content_type="application/json"), "failed",
     "not UTF-8"),
    ("oversized", Response(GOOD), "failed", "larger than"),
]


@pytest.mark.parametrize(("fault", "answer", "status", "reason"), FAULTS,
                         ids=[f[0] for f in FAULTS])
def test_fault_is_contained_and_explained(tmp_path, httpserver, monkeypatch, fault, answer,
                                         status, reason):
    if fault == "dns":
        # The resolver is not on this machine, so its "no such host" answer is simulated here;
        # everything from there on (urllib3, retries, our handling) is the real code.
        real = socket.getaddrinfo

        def getaddrinfo(host, *args, **kwargs):
            if host == "nonexistent.invalid":
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return real(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    httpserver.expect_request("/good").respond_with_data(GOOD)
    if answer is not None and callable(answer) and not isinstance(answer, Response):
        httpserver.expect_request("/bad").respond_with_handler(answer)
    elif answer is not None:
        httpserver.expect_request("/bad").respond_with_response(answer)
    bad_url = {"dns": "http://nonexistent.invalid/bad",
               "connection_refused": f"http://127.0.0.1:{_closed_port()}/bad"}.get(
        fault, httpserver.url_for("/bad"))
    options = {"timeout": 0.5, "retries": 0} if fault == "timeout" else {}
    if fault == "oversized":
        options = {"max_bytes": 1000}
    config = write_sources(tmp_path, [
        {"name": "bad", "connector": "greenhouse", **options,
         "partitions": [{"key": "bad", "url": bad_url}]},
        {"name": "good", "connector": "greenhouse",
         "partitions": [{"key": "good", "url": httpserver.url_for("/good")}]},
    ])
    data = tmp_path / "data"

    bad = extract_source("bad", data_dir=data, date="2026-11-01", run_id="r", config=config)
    good = extract_source("good", data_dir=data, date="2026-11-01", run_id="r", config=config)

    assert good["status"] == "ok" and good["records"] == 3
    assert bad["status"] == status and bad["records"] == 0
    problems = [*bad["failed"], *bad["quarantined"]]
    assert len(problems) == 1
    assert reason in (problems[0].get("error") or problems[0].get("reason")), problems
    assert bad["payloads"] == bad["parsed"] + len(bad["quarantined"]) + bad["index_pages"]
    if bad["quarantined"]:
        folder = data / "quarantine/source=bad/date=2026-11-01"
        kept = gzip.decompress((folder / "bad.gz").read_bytes())
        assert kept == httpserver.log[0][1].get_data()  # the bad payload, byte for byte
        assert reason in json.loads((folder / "bad.meta.json").read_text())["reason"]
    report = json.loads((data / "runs/r/extract/bad.json").read_text())
    assert report == bad


def test_declared_charset_and_bom_are_decoded(tmp_path, httpserver):
    httpserver.expect_request("/latin1").respond_with_data(
        LATIN1, content_type="application/json; charset=iso-8859-1")
    httpserver.expect_request("/bom").respond_with_data(REMOTIVE_BOM,
                                                        content_type="application/json")
    config = write_sources(tmp_path, [
        {"name": "latin", "connector": "greenhouse",
         "partitions": [{"key": "x", "url": httpserver.url_for("/latin1")}]},
        {"name": "bom", "connector": "remotive",
         "partitions": [{"key": "x", "url": httpserver.url_for("/bom")}]},
    ])
    latin = extract_source("latin", data_dir=tmp_path, date="2026-11-01", run_id="r",
                           config=config)
    bom = extract_source("bom", data_dir=tmp_path, date="2026-11-01", run_id="r",
                         config=config)
    assert latin["status"] == "ok" and bom["status"] == "ok" and bom["records"] == 35
    import polars as pl
    staged = pl.read_parquet(tmp_path / "staging/source=latin/date=2026-11-01/postings.parquet")
    assert staged["title"].to_list() == ["Café manager"]


def test_scraped_page_without_the_expected_markup_is_quarantined(tmp_path, httpserver):
    listing = ('<script type="application/ld+json">{"@type": "ItemList", "itemListElement": '
               '[{"url": "/job/1"}]}</script>')
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/list").respond_with_data(listing, content_type="text/html")
    httpserver.expect_request("/job/1").respond_with_data(
        "<html><body><h1>Nurse</h1><p>No structured data here</p></body></html>",
        content_type="text/html")
    config = write_sources(tmp_path, [{"name": "s", "connector": "jobposting_jsonld",
                                       "partitions": [{"key": "k",
                                                       "url": httpserver.url_for("/list")}]}])
    report = extract_source("s", data_dir=tmp_path, date="2026-11-01", run_id="r",
                            config=config)
    assert report["status"] == "failed" and report["index_pages"] == 1
    [q] = report["quarantined"]
    assert "no schema.org JobPosting JSON-LD" in q["reason"]
