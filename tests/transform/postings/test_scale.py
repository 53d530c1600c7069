"""Normalise gives the same tables whatever the shard sizes and number of worker processes
(issue 18): per-distinct-value work, the worker pools and the numpy MinHash must not change a
byte of the output."""

from __future__ import annotations

import gzip
import zlib
from datetime import date

import numpy as np
import polars as pl
import pytest
from datasketch import MinHash

from extract.connectors import get_connector
from schemas.tables import STAGED_POSTINGS
from schemas.taxonomy import Taxonomy
from tests.paths import SNAPSHOT
from transform.fields import distinct
from transform.postings import duplicates, normalise

SHIPPED = Taxonomy.shipped()

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


def _night(staged: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    postings, found = normalise.normalise_postings(staged, taxonomy=SHIPPED, day=date(2026, 11, 2))
    return postings, found.state


def test_tables_do_not_depend_on_shards_or_workers(staged, monkeypatch):
    monkeypatch.setenv(distinct.WORKERS_ENV, "1")
    one = _night(staged)
    monkeypatch.setenv(distinct.WORKERS_ENV, "2")
    monkeypatch.setattr(distinct, "SHARD", 7)
    monkeypatch.setattr(distinct, "MIN_PARALLEL", 1)
    monkeypatch.setattr(normalise, "ROLE_SHARD", 60)
    monkeypatch.setattr(duplicates, "SIGNATURE_TEXTS", 5)
    monkeypatch.setattr(duplicates, "BATCH_SHINGLES", 300)
    sharded = _night(staged)
    assert one[0].height > 200
    assert one[0].equals(sharded[0])
    assert one[1].equals(sharded[1])


def test_signatures_are_datasketch_minhash(staged):
    """The numpy signatures are the bytes datasketch's MinHash (affine32) gives."""
    texts = staged.head(60).select(duplicates.words_expr("description"))["description"]
    texts = pl.concat([texts, pl.Series(["", "a b", " ".join(["x"] * 40)])])
    got = duplicates.signatures(texts).to_list()
    for text, sig in zip(texts, got, strict=True):
        tokens = text.split()
        if len(tokens) < duplicates.MIN_TOKENS:
            assert sig is None
            continue
        ids = np.array([zlib.crc32(t.encode()) for t in
                        tokens[: duplicates.MAX_SHINGLES + duplicates.SHINGLE - 1]], np.uint64)
        n = len(ids) - duplicates.SHINGLE + 1
        shingles = np.zeros(n, dtype=np.uint64)
        for j in range(duplicates.SHINGLE):
            shingles = (shingles * np.uint64(0x9E3779B1) + ids[j: j + n]) & np.uint64(0xFFFFFFFF)
        m = MinHash(num_perm=duplicates.NUM_PERM, seed=duplicates.SEED, hashfunc=int,
                    scheme=duplicates.SCHEME)
        m.update_batch(np.unique(shingles).tolist())
        assert sig == m.hashvalues.astype("<u4").tobytes()


def test_batched_language_is_py3langid(staged):
    from transform.fields import language

    texts = [*staged["description"].head(80).to_list(), None, "", "short", "ÄÖÜ ß " * 20,
             "1234567890 " * 10]
    assert language.detect_many(texts) == [language.detect(t) for t in texts]
