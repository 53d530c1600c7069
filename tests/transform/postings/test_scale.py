"""Normalise gives the same tables whatever the shard sizes and number of worker processes
(issue 18): per-distinct-value work, the worker pools and the numpy MinHash must not change a
byte of the output."""

from __future__ import annotations

import io
import zlib
from datetime import date

import numpy as np
import polars as pl
from datasketch import MinHash

from schemas.tables import STAGED_POSTINGS
from schemas.taxonomy import Taxonomy
from transform.fields import distinct
from transform.postings import duplicates, normalise

SHIPPED = Taxonomy.shipped()

def _night(staged: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    postings, found = normalise.normalise_postings(staged, taxonomy=SHIPPED, day=date(2026, 11, 2))
    return postings, found.state


def test_tables_do_not_depend_on_shards_or_workers(staged, monkeypatch):
    monkeypatch.setenv(distinct.WORKERS_ENV, "1")
    one = _night(staged)
    monkeypatch.setenv(distinct.WORKERS_ENV, "2")
    monkeypatch.setattr(distinct, "SHARD", 7)
    monkeypatch.setattr(distinct, "MIN_PARALLEL", 1)
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


def _stage_night(staged: pl.DataFrame, data_dir, run_id: str) -> dict[str, bytes]:
    """The normalise stage as both orchestrators run it (plan, shards, reduce) on `staged`,
    written as each source's staged rows; the bytes of the tables it writes."""
    from microcareer import stages
    from schemas.layout import DataLayout, RunContext

    layout = DataLayout(data_dir)
    for source, rows in staged.partition_by("source", as_dict=True).items():
        path = layout.staged(source[0], "2026-11-02", "jobs")
        path.parent.mkdir(parents=True)
        rows.write_parquet(path)
    ctx = RunContext(layout, "2026-11-02", run_id)
    stage = next(s for s in stages.STAGES if s.name == "normalise")
    sources = sorted(staged["source"].unique())
    assert stages.run_stage(stage, ctx, sources) == str(ctx.normalised)
    assert not (layout.root / "runs" / run_id / "shards").exists()  # removed by reduce
    return {p.name: p.read_bytes() for p in sorted(ctx.normalised.glob("*.parquet"))}


def test_sharded_stage_writes_the_same_bytes_for_any_shards_and_workers(staged, tmp_path,
                                                                         monkeypatch):
    """Normalise as the DAG's mapped tasks run it: one shard in one process,
    shards of 60 staged rows in one process and shards of 500 over a pool of two give
    byte-identical tables, the same as `normalise.run`'s and as the in-memory
    `normalise_postings` (whose records are the whole night's at once)."""

    planned = []
    plan = normalise.plan

    def counting_plan(**kwargs):
        planned.append(plan(**kwargs))
        return planned[-1]

    monkeypatch.setattr(normalise, "plan", counting_plan)
    runs = {}
    for shard, workers in ((100_000, 1), (60, 1), (500, 2)):
        monkeypatch.setenv(normalise.SHARD_ENV, str(shard))
        monkeypatch.setenv(distinct.WORKERS_ENV, str(workers))
        runs[shard, workers] = _stage_night(staged, tmp_path / f"{shard}-{workers}", "run_1")
    assert [len(p) for p in planned][:2] == [1, -(-staged.height // 60)]  # sources share
    assert planned[1][0]["name"] == f"postings 1/{len(planned[1])}"
    assert sum(s["records"] for s in planned[1]) == sum(s["records"] for s in planned[0])
    assert set(runs[100_000, 1]) == {"courses.parquet", "postings.parquet"}
    assert all(tables == runs[100_000, 1] for tables in runs.values())
    monkeypatch.setenv(normalise.SHARD_ENV, "60")
    whole = tmp_path / "whole"
    (tmp_path / "60-1").rename(whole)
    normalise.run(data_dir=whole, date="2026-11-02", taxonomy=SHIPPED)
    written = (whole / "normalised/date=2026-11-02/postings.parquet").read_bytes()
    assert written == runs[100_000, 1]["postings.parquet"]
    postings, _ = normalise.normalise_postings(staged, taxonomy=SHIPPED, day=date(2026, 11, 2))
    assert pl.read_parquet(written).equals(postings)


def test_a_night_bigger_than_a_chunk_is_written_a_chunk_at_a_time(staged, tmp_path,
                                                                  monkeypatch):
    """A night of more canonical postings than POSTINGS_CHUNK is sorted and written a chunk
    at a time (bounded memory): the same rows in the same order as written in one piece, and
    the same bytes whatever the shard size; nothing of it is left behind."""
    monkeypatch.setenv(distinct.WORKERS_ENV, "1")
    monkeypatch.setenv(normalise.SHARD_ENV, "100000")
    whole = _stage_night(staged, tmp_path / "whole", "run_1")["postings.parquet"]
    one_piece = pl.read_parquet(whole)
    assert one_piece.height > 3 * 40
    monkeypatch.setattr(normalise, "POSTINGS_CHUNK", 40)
    chunked = {}
    for shard in ("100000", "70"):
        monkeypatch.setenv(normalise.SHARD_ENV, shard)
        chunked[shard] = _stage_night(staged, tmp_path / shard, "run_1")["postings.parquet"]
    assert chunked["100000"] != whole  # written by chunks, not in one piece
    assert chunked["70"] == chunked["100000"]
    assert pl.read_parquet(chunked["70"]).equals(one_piece)
    assert not list(tmp_path.glob("*/normalised/*/*.tmp"))


def test_a_record_repeated_across_shards_is_kept_once_in_its_first_row(tmp_path, monkeypatch):
    """Which staged rows are records is decided over the whole night: a record staged twice
    (a re-sent page), in two shards, becomes one posting from its first row, and a row
    without a title none, whatever the shard size."""
    rows = [{"source": "board", "partition": "p", "record_id": f"r{i}", "title": f"Nurse {i}",
             "description": f"<p>Ward {i} needs a registered nurse for night shifts.</p>"}
            for i in range(6)]
    rows.append({**rows[1], "description": "<p>The same record sent again, changed.</p>"})
    rows.append({**rows[2], "record_id": "untitled", "title": "  "})
    staged = pl.DataFrame(rows, schema=STAGED_POSTINGS.schema, strict=False)
    monkeypatch.setenv(distinct.WORKERS_ENV, "1")
    for shard in ("3", "100"):
        monkeypatch.setenv(normalise.SHARD_ENV, shard)
        tables = _stage_night(staged, tmp_path / shard, "run_1")
        postings = pl.read_parquet(io.BytesIO(tables["postings.parquet"]))
        assert postings.height == 6
        assert postings.filter(pl.col("record_id") == "r1")["text"].to_list() == [
            "Ward 1 needs a registered nurse for night shifts."]
        assert "untitled" not in postings["record_id"].to_list()


def test_plan_removes_shards_a_failed_run_left_two_days_ago(tmp_path, monkeypatch):
    """A run killed between plan and reduce leaves its shards (the night's texts); the next
    night's plan removes them once untouched for two days, never those of a recent run."""
    import os
    import time

    old = tmp_path / "runs/killed_run/shards/normalise"
    recent = tmp_path / "runs/running_run/shards/extract_skills"
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "prepared-00000.parquet").write_bytes(b"texts")
    three_days_ago = time.time() - 3 * 86400
    for path in (old / "prepared-00000.parquet", old, old.parent):
        os.utime(path, (three_days_ago, three_days_ago))
    staged = pl.DataFrame([{"source": "board", "partition": "p", "record_id": "r1",
                            "title": "Nurse", "description": "Night shifts on a ward."}],
                          schema=STAGED_POSTINGS.schema, strict=False)
    monkeypatch.setenv(distinct.WORKERS_ENV, "1")
    _stage_night(staged, tmp_path, "run_1")
    assert not old.parent.exists()
    assert (recent / "prepared-00000.parquet").exists()
    assert (tmp_path / "runs/killed_run").exists()  # its reports stay
