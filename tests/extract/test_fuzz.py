"""Fuzzing (issue 16): every connector's parser, html_to_text, parse_time and listing_links on
generated input (random bytes, and the connector's own payload shape with hostile values)
raise nothing but PayloadError, and every record is accounted for.

Profiles (tests/conftest.py): "fast" in `make test` (200 examples per test), "nightly" for a
nightly CI job (HYPOTHESIS_PROFILE=nightly: 1,000 examples per test).
"""

from __future__ import annotations

import csv
import io
import json
import re
import string
import tarfile

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.connectors import CONNECTORS, PayloadError, get_connector
from extract.connectors.base import CSVConnector, JSONConnector
from extract.connectors.bulk import JobPostingArchive
from extract.connectors.job_boards import USAJobs
from extract.connectors.scrapers import JSONLDScraper, listing_links
from schemas.tables import STAGED_COURSES, STAGED_POSTINGS
from tests.paths import ROOT
from transform.fields.text import html_to_text
from transform.postings.normalise import parse_time

# Every field name a connector reads (r.get("x"), r["x"]), so generated records hit the code.
_SOURCE = "\n".join(p.read_text() for p in
                    (ROOT / "extract/connectors").glob("*.py"))
KEYS = sorted(set(re.findall(r"""(?:get\(|\[)["']([A-Za-z_@][\w@]*)["']""", _SOURCE)))

huge = st.sampled_from([1e308, -1e308, 2**64, -(2**63), 10**30, 1e20, 0, -1, 0.5])
scalars = st.one_of(st.none(), st.booleans(), st.integers(), huge,
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=40), st.sampled_from(["", "0", "1e400", "NaN", "2026-11-01",
                                                           "<p>x</p>", "1,000", "\x00"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=4)),
    max_leaves=6)
records = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)
record_lists = st.lists(st.one_of(records, values), max_size=4)


def _json_payload(connector, recs) -> bytes:
    if isinstance(connector, USAJobs):
        doc = {"SearchResult": {"SearchResultItems": [{"MatchedObjectDescriptor": r}
                                                      for r in recs]}}
    elif connector.records_key is None:
        doc = recs
    else:
        doc = {connector.records_key: recs}
    return json.dumps(doc).encode()


def _csv_payload(recs) -> bytes:
    header = sorted({k for r in recs if isinstance(r, dict) for k in r}) or ["title"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, header, extrasaction="ignore")
    writer.writeheader()
    for r in recs:
        if isinstance(r, dict):
            writer.writerow({k: json.dumps(v) if isinstance(v, list | dict) else v
                             for k, v in r.items()})
    return buf.getvalue().encode()


def _archive_payload(recs) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for i, r in enumerate(recs):
            data = json.dumps({**r, "@type": "JobPosting"} if isinstance(r, dict) else r).encode()
            info = tarfile.TarInfo(f"{i}.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _html_payload(connector, recs) -> bytes:
    blocks = "".join(
        '<script type="application/ld+json">'
        + json.dumps({**r, "@type": connector.schema_type} if isinstance(r, dict) else r)
        .replace("</", "<\\/") + "</script>" for r in recs)
    return f"<html><head>{blocks}</head><body><p>x</p></body></html>".encode()


def payload(connector, recs) -> bytes:
    if isinstance(connector, JSONConnector):
        return _json_payload(connector, recs)
    if isinstance(connector, CSVConnector):
        return _csv_payload(recs)
    if isinstance(connector, JobPostingArchive):
        return _archive_payload(recs)
    if isinstance(connector, JSONLDScraper):
        return _html_payload(connector, recs)
    raise AssertionError(f"no payload generator for {type(connector).__name__}")


def _check(connector, body: bytes) -> None:
    try:
        rows, rejected = connector.parse_records(body)
    except PayloadError:
        return
    table = STAGED_POSTINGS if connector.kind == "jobs" else STAGED_COURSES
    assert all(set(r) == set(connector.fields) for r in rows)
    pl.DataFrame(rows, schema=table.schema, strict=False)  # the staged table can be built
    assert all(r.reason for r in rejected)


NAMES = sorted(CONNECTORS)


def test_every_connector_has_a_payload_generator():
    for name in NAMES:
        payload(get_connector(name), [])


@pytest.mark.parametrize("name", NAMES)
@given(recs=record_lists)
def test_connector_parses_hostile_values_in_its_own_shape(name, recs):
    connector = get_connector(name)
    body = payload(connector, recs)
    _check(connector, body)
    if isinstance(connector, JSONConnector) and not isinstance(connector, USAJobs):
        try:
            rows, rejected = connector.parse_records(body)
        except PayloadError:
            return
        # every record is staged or rejected (Remote OK drops its legal notice: no id)
        assert len(rows) + len(rejected) <= len(recs)
        if type(connector).records is JSONConnector.records:
            assert len(rows) + len(rejected) == len(recs)


@pytest.mark.parametrize("name", NAMES)
@given(body=st.binary(max_size=2000))
def test_connector_survives_random_bytes(name, body):
    _check(get_connector(name), body)


@given(st.one_of(st.none(), st.text(), st.text(alphabet="<>/&;#x0123456789abp \"'=!-[]",
                                               max_size=200)))
def test_html_to_text_never_raises(value):
    out = html_to_text(value)
    assert isinstance(out, str)


@given(st.one_of(st.none(), st.text(max_size=40),
                 st.text(alphabet=string.digits + "-:T+Z. W", max_size=40)))
def test_parse_time_never_raises(value):
    out = parse_time(value)
    assert out is None or out.tzinfo is not None


link_items = st.lists(st.one_of(values, st.fixed_dictionaries(
    {"url": st.one_of(st.text(max_size=30), st.sampled_from(
        ["javascript:alert(1)", "//evil.example/x", "/job/1", "http://[::1", "http://a:99999/"]),
        values)})), max_size=5)


@given(items=link_items, pattern=st.one_of(st.none(), st.sampled_from(["/job/", "(", ".*"])),
       anchors=st.lists(st.text(max_size=20), max_size=4))
def test_listing_links_never_raises(items, pattern, anchors):
    doc = json.dumps({"@type": "ItemList", "itemListElement": items}).replace("</", "<\\/")
    html = (f'<script type="application/ld+json">{doc}</script>'
            + "".join(f'<a href="{a}">x</a>' for a in anchors)).encode()
    links = listing_links(html, "https://jobs.example.org/list", pattern)
    assert all(u.startswith(("http://", "https://")) for u in links)


@given(body=st.binary(max_size=3000))
def test_listing_links_survives_random_bytes(body):
    listing_links(body, "https://jobs.example.org/list", "/job/")
