"""Bounded fetches and credentials (issue 16): a body is refused at its cap on the wire and
after decompression without being held in memory, a dripping server cannot hold a request past
its deadline, and a credential goes to its own host only and is stored nowhere."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest
from werkzeug import Response

from extract import http
from extract.run import extract_source
from tests.sources_helpers import MIB, drip, fixture, gzip_bomb, stream_zeros, write_sources

PEAK = textwrap.dedent("""
    import sys, json
    from extract import http

    def peak():
        # this process's own peak (KiB): ru_maxrss would start at pytest's size, kept across
        # exec, and hide any growth below it
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

    before = peak()
    client = http.Client(http.Policy(max_bytes=1024 * 1024, retries=0, rate_per_second=1000))
    try:
        client.get(sys.argv[1])
        error = None
    except http.FetchError as exc:
        error = str(exc)
    after = peak()
    print(json.dumps({"error": error, "grew_kib": after - before}))
""")


def _peak(url: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PEAK, url], capture_output=True, text=True,
                         check=True, timeout=120)
    return json.loads(out.stdout)


def test_a_64_mib_body_is_refused_at_1_mib_without_being_held(httpserver):
    httpserver.expect_request("/big").respond_with_handler(stream_zeros(64 * MIB))
    result = _peak(httpserver.url_for("/big"))
    assert "larger than 1048576 bytes on the wire" in result["error"]
    assert result["grew_kib"] < 20 * 1024, result  # was ~64 MiB + a copy before


def test_a_gzip_bomb_is_refused_after_inflating_its_cap(httpserver):
    bomb = gzip_bomb(1024 * MIB)  # 1 GiB of zeros, ~1 MiB on the wire
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="application/json")
    result = _peak(httpserver.url_for("/bomb"))
    assert "after decompression" in result["error"], result
    assert result["grew_kib"] < 20 * 1024, result  # was 2.1 GB before


def test_a_dripping_server_is_cut_at_the_deadline(httpserver):
    httpserver.expect_request("/drip").respond_with_handler(lambda r: drip(r, 0.3))
    client = http.Client(http.Policy(timeout=(3, 3), deadline=2, retries=0,
                                     rate_per_second=1000))
    started = time.monotonic()
    with pytest.raises(http.FetchError, match="deadline"):
        client.get(httpserver.url_for("/drip"))
    assert time.monotonic() - started < 4  # was 30 s: every byte came within the read timeout


def test_gzip_and_plain_bodies_under_the_cap_are_read_whole(httpserver):
    good = fixture("greenhouse_gitlab.json")
    httpserver.expect_request("/gz").respond_with_data(
        _gzip(good),
        headers={"Content-Encoding": "gzip"}, content_type="application/json")
    httpserver.expect_request("/plain").respond_with_data(good, content_type="application/json")
    client = http.Client(http.Policy(rate_per_second=1000, retries=0))
    assert client.get(httpserver.url_for("/gz")).content == good
    assert client.get(httpserver.url_for("/plain")).content == good


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


FAKE_KEY = "fake-usajobs-key-5d1c0a77e4"


def test_credentials_go_to_their_host_only_and_are_stored_nowhere(tmp_path, httpserver,
                                                                  monkeypatch, caplog):
    """USAJOBS's key is sent to the configured host; a redirect to another host (here
    localhost vs 127.0.0.1) gets no key, and no file under the data folder holds it."""
    monkeypatch.setenv("USAJOBS_API_KEY", FAKE_KEY)
    monkeypatch.setenv("USAJOBS_EMAIL", "ops@example.org")
    port = httpserver.port
    page = json.dumps({"SearchResult": {"SearchResultItems": [], "UserArea":
                                        {"NumberOfPages": "1"}}})
    httpserver.expect_request("/search").respond_with_response(
        Response(status=302, headers={"Location": f"http://localhost:{port}/elsewhere"}))
    httpserver.expect_request("/elsewhere").respond_with_data(page,
                                                              content_type="application/json")
    config = write_sources(tmp_path, [{"name": "usajobs", "connector": "usajobs",
                                       "partitions": [{"key": "nurse",
                                                       "url": f"http://127.0.0.1:{port}/search"}]}])
    data = tmp_path / "data"
    caplog.set_level("DEBUG")

    report = extract_source("usajobs", data_dir=data, date="2026-11-01", run_id="r",
                            config=config)

    assert report["parsed"] == 1, report
    [(first, _), (second, _)] = httpserver.log
    assert first.headers.get("Authorization-Key") == FAKE_KEY
    assert first.headers.get("Host") == f"127.0.0.1:{port}"  # no fixed Host header
    assert "Authorization-Key" not in second.headers, dict(second.headers)
    leaks = [p for p in data.rglob("*") if p.is_file() and FAKE_KEY.encode() in p.read_bytes()]
    assert leaks == []
    assert FAKE_KEY not in caplog.text


def test_pagination_stays_on_the_source_host_and_scheme(tmp_path, httpserver):
    doc = json.loads(fixture("arbeitnow.json"))
    port = httpserver.port
    httpserver.expect_request("/p1").respond_with_json(
        {**doc, "links": {"next": f"http://localhost:{port}/p2"}})  # another host name
    httpserver.expect_request("/p2").respond_with_json(doc)
    config = write_sources(tmp_path, [{"name": "an", "connector": "arbeitnow", "partitions": [
        {"key": "k", "url": f"http://127.0.0.1:{port}/p1"}]}])
    report = extract_source("an", data_dir=tmp_path, date="2026-11-01", run_id="r",
                            config=config)
    assert [r.path for r, _ in httpserver.log] == ["/p1"]
    assert "not followed" in report["failed"][0]["error"]
