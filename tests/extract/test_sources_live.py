"""Every connector fetched live from a local HTTP server serving real recorded payloads:
records, pagination, conditional requests, robots.txt and the JSON-LD scrapers."""

from __future__ import annotations

import json

import pytest
from werkzeug import Response

from extract.connectors.scrapers import listing_links
from extract.run import extract_source
from tests.sources_helpers import fixture, fixture_json, write_sources


def _run(tmp_path, sources, name, date="2026-11-01", run_id="r"):
    config = write_sources(tmp_path, sources)
    return extract_source(name, data_dir=tmp_path / "data", date=date, run_id=run_id,
                          config=config)


# connector, fixture, how many records the recorded payload holds (counted independently)
CASES = [
    ("greenhouse", "greenhouse_gitlab.json", lambda d: len(d["jobs"])),
    ("ashby", "ashby_notion.json", lambda d: len(d["jobs"])),
    ("lever", "lever_leverdemo.json", len),
    ("remoteok", "remoteok.json", lambda d: sum(1 for x in d if x.get("id"))),
    ("jobicy", "jobicy.json", lambda d: len(d["jobs"])),
    ("arbeitnow", "arbeitnow.json", lambda d: len(d["data"])),
    ("himalayas", "himalayas.json", lambda d: len(d["jobs"])),
    ("mit_learn", "mitxonline_courses.json", lambda d: len(d["results"])),
    ("edx_discovery", "edx_discovery_mitx.json", lambda d: len(d["results"])),
]


@pytest.mark.parametrize(("connector", "name", "count"), CASES, ids=[c[0] for c in CASES])
def test_connector_fetches_a_recorded_payload(tmp_path, httpserver, connector, name, count):
    httpserver.expect_request("/feed").respond_with_data(fixture(name),
                                                         content_type="application/json")
    report = _run(tmp_path, [{"name": "s", "connector": connector, "max_pages": 1,
                              "partitions": [{"key": "p", "url": httpserver.url_for("/feed")}]}],
                  "s")
    assert report["status"] == "ok", report
    assert report["records"] == count(fixture_json(name)) > 0
    meta = json.loads((tmp_path / "data/raw/source=s/date=2026-11-01/p.meta.json").read_text())
    assert meta["status"] == 200 and meta["url"].endswith("/feed")


def test_usajobs_sends_its_key_and_pages(tmp_path, httpserver, monkeypatch):
    monkeypatch.setenv("USAJOBS_API_KEY", "k-123")
    monkeypatch.setenv("USAJOBS_EMAIL", "data@example.org")
    body = fixture("usajobs_search.json.gz")
    httpserver.expect_request("/api/search").respond_with_data(body)
    report = _run(tmp_path, [{"name": "u", "connector": "usajobs", "max_pages": 2,
                              "partitions": [{"key": "nurse",
                                              "url": httpserver.url_for("/api/search")}]}], "u")
    pages = [r.args.get("Page") for r, _ in httpserver.log]
    assert pages == [None, "2"]  # NumberOfPages says 400; max_pages caps at 2
    assert all(r.headers["Authorization-Key"] == "k-123" for r, _ in httpserver.log)
    # Both pages land and stage; page 2 repeats page 1's ids, which normalise de-duplicates.
    assert report["payloads"] == 2 and report["records"] == 50


def test_usajobs_without_a_key_is_skipped_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.delenv("USAJOBS_API_KEY", raising=False)
    report = _run(tmp_path, [{"name": "u", "connector": "usajobs",
                              "partitions": [{"keyword": "nurse"}]}], "u")
    assert report["status"] == "failed" and "USAJOBS_API_KEY" in report["failed"][0]["error"]
    assert report["requests"] == 0


def test_next_link_pagination_follows_until_null(tmp_path, httpserver):
    page = fixture_json("mitxonline_courses.json")
    second = {**page, "next": None,
              "results": [{**r, "readable_id": r["readable_id"] + "-b"} for r in page["results"]]}
    httpserver.expect_request("/courses", query_string="").respond_with_json(
        {**page, "next": httpserver.url_for("/courses") + "?page=2"})
    httpserver.expect_request("/courses", query_string="page=2").respond_with_json(second)
    report = _run(tmp_path, [{"name": "m", "connector": "mit_learn", "partitions": [
        {"key": "all", "url": httpserver.url_for("/courses")}]}], "m")
    assert report["payloads"] == 2 and report["records"] == 2 * len(page["results"])


def test_link_header_pagination_follows_rel_next_on_the_same_origin(tmp_path, httpserver,
                                                                    monkeypatch):
    from extract.connectors import CONNECTORS
    from extract.connectors.job_boards import Greenhouse
    from extract.paginators import NextLinkPaginator

    class LinkedBoard(Greenhouse):
        name = "linked_board"
        paginator = NextLinkPaginator(path=None, header=True)

    monkeypatch.setitem(CONNECTORS, LinkedBoard.name, LinkedBoard)
    body = fixture("greenhouse_gitlab.json")
    httpserver.expect_request("/board", query_string="").respond_with_response(Response(
        body, headers={"Link": '</board?page=2>; rel="next"'}, content_type="application/json"))
    httpserver.expect_request("/board", query_string="page=2").respond_with_response(Response(
        body, headers={"Link": '<http://169.254.169.254/latest>; rel="next"'},
        content_type="application/json"))
    report = _run(tmp_path, [{"name": "l", "connector": "linked_board", "partitions": [
        {"key": "b", "url": httpserver.url_for("/board")}]}], "l")
    assert [r.args.get("page") for r, _ in httpserver.log] == [None, "2"]
    assert report["payloads"] == 2 and report["records"] == 6
    assert "169.254.169.254" in report["failed"][0]["error"]
    assert "not followed" in report["failed"][0]["error"]


def test_offset_pagination_stops_on_an_empty_page(tmp_path, httpserver):
    first = fixture("himalayas.json")
    httpserver.expect_request("/jobs", query_string="limit=20&offset=0").respond_with_data(first)
    httpserver.expect_request("/jobs", query_string="limit=20&offset=3").respond_with_json(
        {"jobs": []})
    report = _run(tmp_path, [{"name": "h", "connector": "himalayas", "partitions": [
        {"key": "all", "url": httpserver.url_for("/jobs") + "?limit=20&offset=0"}]}], "h")
    assert [r.args["offset"] for r, _ in httpserver.log] == ["0", "3"]
    assert report["records"] == 3 and report["status"] == "ok"


def test_unchanged_board_costs_a_304(tmp_path, httpserver):
    body = fixture("greenhouse_gitlab.json")

    def board(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(body, headers={"ETag": '"v1"', "Content-Type": "application/json"})

    httpserver.expect_request("/board").respond_with_handler(board)
    source = [{"name": "g", "connector": "greenhouse", "partitions": [
        {"key": "gitlab", "url": httpserver.url_for("/board")}]}]
    first = _run(tmp_path, source, "g", date="2026-11-01", run_id="r1")
    second = _run(tmp_path, source, "g", date="2026-11-02", run_id="r2")

    (_, r1), (req2, r2) = httpserver.log
    assert r1.status_code == 200 and r2.status_code == 304
    assert req2.headers["If-None-Match"] == '"v1"'
    assert first["records"] == second["records"] == 3
    meta = json.loads((tmp_path / "data/raw/source=g/date=2026-11-02/gitlab.meta.json")
                      .read_text())
    assert meta["from_cache"] is True


def _page(doc: dict) -> bytes:
    ld = json.dumps(doc)
    return (f"<html><head><title>{doc.get('title')}</title><script type=\"application/ld+json\">"
            f"{ld}</script></head><body><h1>{doc.get('title')}</h1></body></html>").encode()


def test_jsonld_scraper_follows_the_listing_and_obeys_robots(tmp_path, httpserver):
    docs = [fixture_json("nhs_jobposting_915390428.json"),
            fixture_json("nhs_jobposting_915700878.json")]
    listing = {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "position": i, "url": f"/jobs/{i}"} for i in (1, 2, 3)]}
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /jobs/3\n")
    httpserver.expect_request("/search").respond_with_data(
        _page(listing), content_type="text/html")
    for i, doc in enumerate(docs, 1):
        httpserver.expect_request(f"/jobs/{i}").respond_with_data(_page(doc),
                                                                  content_type="text/html")
    report = _run(tmp_path, [{"name": "nhs", "connector": "jobposting_jsonld", "partitions": [
        {"key": "nurses", "url": httpserver.url_for("/search"), "sector": "62"}]}], "nhs")

    assert report["records"] == 2 and report["index_pages"] == 1
    assert report["payloads"] == report["parsed"] + report["index_pages"]
    [blocked] = report["failed"]
    assert "disallowed by robots.txt" in blocked["error"]
    assert "/jobs/3" not in [r.path for r, _ in httpserver.log]


def test_listing_links_read_a_real_itemlist():
    links = listing_links(fixture("jobillico_listing.html.gz"), "https://www.jobillico.com/")
    assert len(links) == 10
    assert all(u.startswith("https://www.jobillico.com/en/job-offer/") for u in links)


def test_refetch_window_keeps_to_a_sources_request_limit(tmp_path, httpserver):
    httpserver.expect_request("/remote-jobs").respond_with_data(
        b'{"jobs": [{"id": 1, "title": "Editor", "description": "Edit"}]}',
        content_type="application/json")
    source = [{"name": "remotive", "connector": "remotive", "refetch_after_hours": 6,
               "partitions": [{"key": "all", "url": httpserver.url_for("/remote-jobs")}]}]
    first = _run(tmp_path, source, "remotive", run_id="r1")
    second = _run(tmp_path, source, "remotive", run_id="r2")
    assert len(httpserver.log) == 1  # the second run within 6 hours is served from the cache
    assert first["records"] == second["records"] == 1


def test_course_jsonld_scraper(tmp_path, httpserver):
    # A schema.org Course built from a real MIT OpenCourseWare record of the snapshot.
    course = {"@context": "https://schema.org", "@type": "Course",
              "name": "Unified Engineering I, II, III, & IV",
              "description": "This course introduces fundamental concepts of aeronautics "
                             "and astronautics: statics, materials, structures, signals.",
              "provider": {"@type": "Organization", "name": "MIT OpenCourseWare"},
              "url": httpserver.url_for("/courses/16-01"), "inLanguage": "en",
              "about": [{"name": "Engineering"}, {"name": "Aerospace Engineering"}]}
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/courses").respond_with_data(
        '<a href="/courses/16-01">16.01</a><a href="/about">About</a>',
        content_type="text/html")
    httpserver.expect_request("/courses/16-01").respond_with_data(_page(course),
                                                                  content_type="text/html")
    report = _run(tmp_path, [{"name": "ocw", "connector": "course_jsonld", "partitions": [
        {"key": "aero", "url": httpserver.url_for("/courses"),
         "link_pattern": "^/courses/"}]}], "ocw")
    assert report["status"] == "ok" and report["records"] == 1
    import polars as pl
    staged = pl.read_parquet(tmp_path / "data/staging/source=ocw/date=2026-11-01/courses.parquet")
    row = staged.row(0, named=True)
    assert row["provider"] == "MIT OpenCourseWare"
    assert row["subjects"] == "Engineering, Aerospace Engineering"
