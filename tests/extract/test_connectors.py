"""Connectors parse the real recorded payloads of their source and reject broken ones."""

from __future__ import annotations

import gzip
import json

import pytest

from extract.config import load_config
from extract.connectors import CONNECTORS, PayloadError, get_connector
from extract.connectors.base import RUNNER_COLUMNS, ContractError
from extract.connectors.job_boards import Greenhouse
from schemas.tables import STAGED_COURSES, STAGED_POSTINGS
from tests.paths import FIXTURES as FIXTURE_DIR
from tests.sources_helpers import fixture


def _payloads():
    return [pytest.param(source.connector, part.replay, id=f"{source.name}-{part.key}")
            for source in load_config().sources for part in source.partitions[:3]]


@pytest.mark.parametrize(("connector", "path"), _payloads())
def test_every_snapshot_payload_parses_into_titled_records(connector, path):
    rows, rejected = get_connector(connector).parse_records(gzip.decompress(path.read_bytes()))
    assert rows
    # the only records left out are placeholders (MIT OpenCourseWare's course "test")
    assert all(r.reason.startswith("placeholder title") for r in rejected)
    assert all(r["record_id"] for r in rows)
    # Sources do publish the odd blank record (Remote OK: 1 of 97); normalise drops those.
    assert sum(bool(r["title"]) for r in rows) >= 0.95 * len(rows)


def test_truncated_json_is_a_payload_error():
    with pytest.raises(PayloadError, match="not valid JSON"):
        get_connector("greenhouse").parse(b'{"jobs": [{"id": 1, "title": "Nur')


def test_unexpected_shape_names_the_missing_key():
    with pytest.raises(PayloadError, match="'jobs'"):
        get_connector("ashby").parse(b'{"postings": []}')


def test_truncated_archive_is_a_payload_error():
    path = load_config().source("nhs_jobs").partitions[0].replay
    body = gzip.decompress(path.read_bytes())
    with pytest.raises(PayloadError, match="archive"):
        get_connector("jobposting_archive").parse(body[: len(body) // 2])


def test_windows_1252_csv_is_decoded():
    body = ("URI,PositionTitle,JobSummary\r\nhttps://x/1,Caf\xe9 Manager,Runs the caf\xe9\r\n"
            ).encode("cp1252")
    rows = get_connector("usajobs_csv").parse(body)
    assert rows[0]["title"] == "Café Manager"


def test_remoteok_skips_its_legal_notice_element():
    body = b'[{"legal": "terms"}, {"id": "7", "position": "Editor", "description": "x"}]'
    rows = get_connector("remoteok").parse(body)
    assert [r["title"] for r in rows] == ["Editor"]


def test_emscad_leaves_out_ads_labelled_fraudulent():
    body = (b"job_id,title,description,fraudulent,industry\n"
            b"1,Nurse,Care,0,Hospital & Health Care\n2,Easy money,Cash,1,\n")
    assert [r["title"] for r in get_connector("emscad_csv").parse(body)] == ["Nurse"]


def test_a_placeholder_record_is_quarantined_alone_with_its_reason():
    # MIT OpenCourseWare publishes a course titled "test" (01-test3-spring-2023)
    body = (b'[{"id": "1", "position": "test", "description": "x"},'
            b' {"id": "2", "position": "Testing Engineer", "description": "x"},'
            b' {"id": "3", "position": "Untitled", "description": "x"}]')
    rows, rejected = get_connector("remoteok").parse_records(body)
    assert [r["title"] for r in rows] == ["Testing Engineer"]
    assert [r.index for r in rejected] == [0, 2]
    assert "placeholder title 'test'" in rejected[0].reason


# ---------- the staged table is each connector's contract


class MisspeltGreenhouse(Greenhouse):
    name = "misspelt_greenhouse"

    def row(self, r):
        return {**super().row(r), "salery_min": 1.0}  # a typo of salary_min


# Every recorded fixture a connector reads (tests/fixtures/README.md), through `parse`.
FIXTURES = [
    ("greenhouse", "greenhouse_gitlab.json"), ("ashby", "ashby_notion.json"),
    ("lever", "lever_leverdemo.json"), ("remoteok", "remoteok.json"),
    ("jobicy", "jobicy.json"), ("arbeitnow", "arbeitnow.json"), ("himalayas", "himalayas.json"),
    ("usajobs", "usajobs_search.json.gz"), ("mit_learn", "mitxonline_courses.json"),
    ("edx_discovery", "edx_discovery_mitx.json"), ("udemy_csv", "udemy_courses_sample.csv"),
]


def test_connector_fields_are_the_staged_columns_it_maps():
    for table, kind in ((STAGED_POSTINGS, "jobs"), (STAGED_COURSES, "courses")):
        staged = [c.name for c in table.columns]
        connector = next(c() for c in CONNECTORS.values() if c.kind == kind)
        assert connector.schema is table
        assert list(connector.fields) == [c for c in staged if c not in RUNNER_COLUMNS]
    assert RUNNER_COLUMNS.issubset(c.name for c in STAGED_POSTINGS.columns)


@pytest.mark.parametrize(("connector", "name"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_recorded_fixtures_map_only_staged_columns(connector, name):
    c = get_connector(connector)
    rows, rejected = c.parse_records(fixture(name))  # ContractError on a key outside it
    assert rows and not rejected
    assert all(list(r) == list(c.fields) for r in rows)
    for record in c.records(fixture(name)):
        assert c.row(record).keys() <= set(c.fields)


def test_jsonld_connectors_map_only_staged_columns():
    for path in sorted(FIXTURE_DIR.glob("nhs_jobposting_*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for connector in ("jobposting_archive", "jobposting_jsonld"):
            assert get_connector(connector).row(doc).keys() <= set(STAGED_POSTINGS.schema)


def test_a_key_outside_the_staged_schema_is_an_error_naming_the_connector():
    with pytest.raises(ContractError, match=r"'misspelt_greenhouse'.*'salery_min'.*"
                                            r"staged_postings"):
        MisspeltGreenhouse().parse(fixture("greenhouse_gitlab.json"))
    # not a payload's fault: parse_records lets it out instead of rejecting the records
    with pytest.raises(ContractError):
        MisspeltGreenhouse().parse_records(fixture("greenhouse_gitlab.json"))
    assert not issubclass(ContractError, PayloadError)


def test_a_connector_of_an_unknown_kind_is_refused_when_defined():
    with pytest.raises(TypeError, match="kind 'jobz'"):
        type("Jobz", (Greenhouse,), {"name": "jobz", "kind": "jobz"})
