"""Connectors parse the real recorded payloads of their source and reject broken ones."""

from __future__ import annotations

import gzip

import pytest

from extract.config import load_config
from extract.connectors import PayloadError, get_connector


def _payloads():
    return [pytest.param(source.connector, part.replay, id=f"{source.name}-{part.key}")
            for source in load_config().sources for part in source.partitions[:3]]


@pytest.mark.parametrize(("connector", "path"), _payloads())
def test_every_snapshot_payload_parses_into_titled_records(connector, path):
    rows = get_connector(connector).parse(gzip.decompress(path.read_bytes()))
    assert rows
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
