"""Paginators on bare payloads (no HTTP server): given the request just made and the decoded
payload (and headers), the next request or None; a payload of the wrong shape ends paging and
never raises. The connectors' own paginators read their recorded fixtures."""

from __future__ import annotations

import pytest

from extract.connectors import CONNECTORS, get_connector
from extract.connectors.base import Connector
from extract.paginators import (
    NextLinkPaginator,
    OffsetPaginator,
    PageNumberPaginator,
    Paginator,
    Request,
    link_header_next,
    same_origin,
)
from tests.sources_helpers import fixture_json

API = "https://api.example.org/v1/jobs"

# payloads of every shape a hostile or broken page may have
ODD = [None, [], {}, "text", 5, 1.5, True, {"next": 5}, {"next": ["x"]}, {"next": {"u": 1}},
       {"links": ["x"]}, {"links": "x"}, {"jobs": "abc"}, {"jobs": {"a": 1}},
       {"jobs": [1], "totalCount": "many"}, {"SearchResult": []}, {"Page": None}]


# ---------- NextLinkPaginator


def test_next_link_from_the_payload():
    pager = NextLinkPaginator()
    nxt = pager.next_request(Request(API), {"next": f"{API}?page=2", "results": [1]})
    assert nxt == Request(f"{API}?page=2", page=2)
    assert pager.next_request(nxt, {"next": f"{API}?page=3"}) == Request(f"{API}?page=3", 3)


@pytest.mark.parametrize("last", [{"next": None}, {"next": ""}, {"next": "  "}, {"results": []}])
def test_next_link_null_or_missing_is_the_last_page(last):
    assert NextLinkPaginator().next_request(Request(API), last) is None


def test_next_link_at_a_nested_path():
    pager = NextLinkPaginator(path=("links", "next"))
    assert pager.next_request(Request(API), {"links": {"next": f"{API}?page=2"}}).url == \
        f"{API}?page=2"
    assert pager.next_request(Request(API), {"links": {"next": None}}) is None
    assert pager.next_request(Request(API), {"next": f"{API}?page=2"}) is None


def test_next_link_relative_is_resolved_against_the_current_url():
    pager = NextLinkPaginator()
    assert pager.next_request(Request(f"{API}?page=1"), {"next": "?page=2"}).url == \
        f"{API}?page=2"
    assert pager.next_request(Request(API), {"next": "/v1/jobs?page=2"}).url == \
        "https://api.example.org/v1/jobs?page=2"


def test_next_link_absolute_is_kept_as_given():
    link = "https://api.example.org/v1/jobs?page=2&"
    assert NextLinkPaginator().next_request(Request(API), {"next": link}).url == link


def test_next_link_from_the_link_header():
    header = f'<{API}?page=1>; rel="prev", <{API}?page=3>; rel="next", <{API}?page=9>; rel=last'
    pager = NextLinkPaginator(path=None, header=True)
    assert pager.next_request(Request(API), None, {"Link": header}).url == f"{API}?page=3"
    assert pager.next_request(Request(API), {}, {"link": header}).url == f"{API}?page=3"
    assert pager.next_request(Request(API), {}, {"Link": f'<{API}?p=9>; rel="last"'}) is None
    assert pager.next_request(Request(API), {}, {}) is None
    assert pager.next_request(Request(API), {}, None) is None


def test_next_link_payload_first_then_header():
    pager = NextLinkPaginator(header=True)
    headers = {"Link": "</from-header>; rel=next"}
    assert pager.next_request(Request(API), {"next": f"{API}?p=2"}, headers).url == f"{API}?p=2"
    assert pager.next_request(Request(API), {"next": None}, headers).url == \
        "https://api.example.org/from-header"
    # without header=True the header is not read
    assert NextLinkPaginator().next_request(Request(API), {"next": None}, headers) is None


def test_next_link_needs_somewhere_to_look():
    with pytest.raises(ValueError, match="path"):
        NextLinkPaginator(path=None)


@pytest.mark.parametrize("value", [
    "", "<>; rel=next", "garbage", "<https://x/y>", '<https://x/y>; rel="nextpage"', "<<<>>>",
    ",,,;;;", "<" * 10_000])
def test_link_header_without_a_next_link(value):
    assert link_header_next({"Link": value}) is None


def test_link_header_with_several_rels_and_commas_in_the_url():
    assert link_header_next({"Link": '<https://x/y?a=1,2>; rel="prev next"'}) == \
        "https://x/y?a=1,2"


# ---------- OffsetPaginator


def test_offset_advances_by_the_records_on_the_page():
    pager = OffsetPaginator(records=("jobs",))
    nxt = pager.next_request(Request(f"{API}?limit=20&offset=0"), {"jobs": [1, 2, 3]})
    assert nxt == Request(f"{API}?limit=20&offset=3", page=2)
    nxt = pager.next_request(nxt, {"jobs": [4, 5]})
    assert nxt.url == f"{API}?limit=20&offset=5" and nxt.page == 3


def test_offset_starts_at_zero_when_the_url_has_none():
    pager = OffsetPaginator(records=("results",), param="start")
    assert pager.next_request(Request(API), {"results": [1, 2]}).url == f"{API}?start=2"


def test_offset_stops_on_an_empty_page_or_at_the_total():
    pager = OffsetPaginator(records=("jobs",), total=("totalCount",))
    first = Request(f"{API}?offset=0")
    assert pager.next_request(first, {"jobs": []}) is None
    assert pager.next_request(first, {"jobs": [1, 2], "totalCount": 2}) is None
    assert pager.next_request(first, {"jobs": [1, 2], "totalCount": 5}).url == f"{API}?offset=2"
    # a total that is no integer is ignored, the empty page still ends paging
    assert pager.next_request(first, {"jobs": [1], "totalCount": "1"}).url == f"{API}?offset=1"
    assert pager.next_request(first, {"jobs": [1], "totalCount": True}).url == f"{API}?offset=1"


def test_offset_that_is_no_number_ends_paging():
    pager = OffsetPaginator(records=("jobs",))
    assert pager.next_request(Request(f"{API}?offset=abc"), {"jobs": [1]}) is None


# ---------- PageNumberPaginator


def test_page_number_counts_up_to_the_page_count():
    pager = PageNumberPaginator(param="Page", total_pages=("Result", "Pages"))
    nxt = pager.next_request(Request(f"{API}?q=nurse"), {"Result": {"Pages": "3"}})
    assert nxt == Request(f"{API}?q=nurse&Page=2", page=2)
    nxt = pager.next_request(nxt, {"Result": {"Pages": 3}})
    assert nxt.url == f"{API}?q=nurse&Page=3" and nxt.page == 3
    assert pager.next_request(nxt, {"Result": {"Pages": 3}}) is None


def test_page_number_starts_from_the_url():
    pager = PageNumberPaginator(total_pages=("pages",))
    assert pager.next_request(Request(f"{API}?page=4"), {"pages": 9}).url == f"{API}?page=5"


@pytest.mark.parametrize("pages", [None, 0, "0", "1", "abc", "1e400", [], {}, 1.5, True])
def test_page_number_without_a_usable_page_count_is_one_page(pages):
    pager = PageNumberPaginator(total_pages=("pages",))
    assert pager.next_request(Request(API), {"pages": pages}) is None


def test_page_number_by_records_stops_on_an_empty_page():
    pager = PageNumberPaginator(records=("data",))
    assert pager.next_request(Request(f"{API}?page=1"), {"data": [1]}).url == f"{API}?page=2"
    assert pager.next_request(Request(f"{API}?page=2"), {"data": []}) is None


def test_page_number_needs_a_way_to_find_the_last_page():
    with pytest.raises(ValueError, match="last page"):
        PageNumberPaginator()


# ---------- every paginator on hostile payloads


PAGERS = [NextLinkPaginator(), NextLinkPaginator(path=("links", "next"), header=True),
          OffsetPaginator(records=("jobs",), total=("totalCount",)),
          PageNumberPaginator(param="Page", total_pages=("SearchResult", "UserArea",
                                                         "NumberOfPages")),
          PageNumberPaginator(records=("data",))]


@pytest.mark.parametrize("pager", PAGERS, ids=lambda p: type(p).__name__)
@pytest.mark.parametrize("payload", ODD, ids=repr)
def test_a_payload_of_the_wrong_shape_never_raises(pager, payload):
    nxt = pager.next_request(Request(f"{API}?offset=0&page=1"), payload,
                             {"Link": "not a link header"})
    assert nxt is None or (isinstance(nxt, Request) and nxt.page == 2)


# ---------- the security rule the fetch loop applies to whatever a paginator says


@pytest.mark.parametrize(("url", "ok"), [
    (f"{API}?page=2", True),
    ("HTTPS://API.EXAMPLE.ORG/v1/jobs?page=2", True),
    ("http://api.example.org/v1/jobs?page=2", False),  # scheme downgrade
    ("https://api.example.org:8443/v1/jobs", False),  # another port
    ("https://evil.example.net/v1/jobs", False),
    ("https://169.254.169.254/latest/meta-data", False),
    ("file:///etc/passwd", False),
    ("javascript:alert(1)", False),
    ("https://api.example.org@evil.example.net/", False),
])
def test_next_pages_stay_on_the_scheme_host_and_port(url, ok):
    assert same_origin(url, API) is ok


def test_a_scheme_relative_next_link_resolves_off_origin_and_is_not_followed():
    nxt = NextLinkPaginator().next_request(Request(API), {"next": "//169.254.169.254/x"})
    assert nxt.url == "https://169.254.169.254/x" and not same_origin(nxt.url, API)


# ---------- the connectors' paginators on their recorded payloads


def test_paged_connectors_declare_a_paginator_and_none_overrides_next_url():
    paged = {n for n, c in CONNECTORS.items() if c.paginator is not None}
    assert paged == {"himalayas", "arbeitnow", "usajobs", "mit_learn", "edx_discovery"}
    assert all(isinstance(CONNECTORS[n].paginator, Paginator) for n in paged)
    assert not any(hasattr(c, "next_url") for c in CONNECTORS.values())
    assert Connector.paginator is None


def test_himalayas_pages_by_offset_on_its_recorded_payload():
    doc = fixture_json("himalayas.json")
    pager = get_connector("himalayas").paginator
    url = "https://himalayas.app/jobs/api?limit=20&offset=0"
    nxt = pager.next_request(Request(url), doc)
    total = doc.get("totalCount")
    if isinstance(total, int) and total <= len(doc["jobs"]):
        assert nxt is None
    else:
        assert nxt.url == f"https://himalayas.app/jobs/api?limit=20&offset={len(doc['jobs'])}"


def test_usajobs_pages_by_number_on_its_recorded_payload():
    doc = fixture_json("usajobs_search.json.gz")  # NumberOfPages "400"
    pager = get_connector("usajobs").paginator
    url = "https://data.usajobs.gov/api/search?Keyword=nurse&ResultsPerPage=500"
    nxt = pager.next_request(Request(url), doc)
    assert nxt.url == url + "&Page=2" and nxt.page == 2
    assert pager.next_request(Request(url + "&Page=400", page=400), doc) is None


def test_arbeitnow_follows_links_next_on_its_recorded_payload():
    doc = fixture_json("arbeitnow.json")
    nxt = get_connector("arbeitnow").paginator.next_request(
        Request("https://www.arbeitnow.com/api/job-board-api?page=1"), doc)
    link = (doc.get("links") or {}).get("next")
    assert (nxt.url if nxt else None) == (link or None)


@pytest.mark.parametrize(("name", "fixture"), [("mit_learn", "mitxonline_courses.json"),
                                               ("edx_discovery", "edx_discovery_mitx.json")])
def test_course_apis_follow_next_on_their_recorded_payloads(name, fixture):
    doc = fixture_json(fixture)
    nxt = get_connector(name).paginator.next_request(Request("https://x.example/api"), doc)
    assert (nxt.url if nxt else None) == (doc.get("next") or None)


def test_connector_next_request_decodes_the_body():
    mit = get_connector("mit_learn")
    body = b'{"next": "https://x.example/api?page=2", "results": []}'
    assert mit.next_request(Request("https://x.example/api"), body).url == \
        "https://x.example/api?page=2"
    assert mit.next_request(Request("https://x.example/api"), b'{"next": "trunc') is None
    assert get_connector("greenhouse").next_request(Request(API), body) is None
