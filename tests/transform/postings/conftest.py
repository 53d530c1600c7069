"""The staged postings the normalise tests share: real recorded payloads of the snapshot."""

from __future__ import annotations

import gzip

import polars as pl
import pytest

from extract.connectors import get_connector
from schemas.tables import STAGED_POSTINGS
from tests.paths import SNAPSHOT

PAYLOADS = [("usajobs_csv", "usajobs_2017/attorney_N_180_20171223141257.csv.gz"),
            ("usajobs_csv", "usajobs_2017/cyber_N_76_20171223141650.csv.gz"),
            ("jobposting_archive", "nhs_jobs/nhs_jobs_sample_2020-11.tar.gz")]


@pytest.fixture(scope="module")
def staged() -> pl.DataFrame:
    rows = []
    for connector, name in PAYLOADS:
        path = SNAPSHOT / "payloads" / name
        body = path.read_bytes()
        if not name.endswith(".tar.gz"):
            body = gzip.decompress(body)
        rows += [{"source": name.split("/")[0], "partition": path.name, **r}
                 for r in get_connector(connector).parse(body)]
    return pl.DataFrame(rows, schema=STAGED_POSTINGS.schema, strict=False)
