"""A night reuses the records the night before prepared (issue 18: the cost of a night in
proportion to its new records) and writes the bytes it would have written without them."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from schemas.layout import DataLayout, RunContext
from schemas.taxonomy import Taxonomy
from transform.fields import distinct
from transform.postings import normalise, record_cache

SHIPPED = Taxonomy.shipped()


def _night(staged: pl.DataFrame, data_dir, date: str, run_id: str) -> dict:
    """Normalise as the orchestrators run it on `staged` (staged as each source's rows for
    `date`); its report, and the bytes of what it wrote."""
    from microcareer import stages

    layout = DataLayout(data_dir)
    for source, rows in staged.partition_by("source", as_dict=True).items():
        path = layout.staged(source[0], date, "jobs")
        path.parent.mkdir(parents=True)
        rows.write_parquet(path)
    ctx = RunContext(layout, date, run_id)
    stage = next(s for s in stages.STAGES if s.name == "normalise")
    stages.run_stage(stage, ctx, sorted(staged["source"].unique()))
    state = layout.state_candidate(date)
    return {"postings": (ctx.normalised / "postings.parquet").read_bytes(),
            "state": sorted((p.relative_to(state).as_posix(), p.read_bytes())
                            for p in state.rglob("*") if p.is_file())}


def _second_night(staged: pl.DataFrame) -> pl.DataFrame:
    """The first night less its first 40 rows, 30 of its rows changed (a new description:
    other records) and every row under another partition (file) name."""
    changed = staged.slice(40, 30).with_columns(
        pl.col("description") + pl.lit(" Updated: the closing date is extended."))
    return pl.concat([changed, staged.slice(70)]).with_columns(partition=pl.lit("night-2"))


@pytest.fixture(scope="module")
def nights(staged, tmp_path_factory):
    """The second night on the first night's data folder, with the cache and without it."""
    mp = pytest.MonkeyPatch()
    mp.setenv(distinct.WORKERS_ENV, "1")
    mp.setenv(normalise.SHARD_ENV, "150")
    root = tmp_path_factory.mktemp("nights")
    first = _night(staged, root / "first", "2026-11-02", "run_1")
    shutil.copytree(root / "first", root / "uncached")
    mp.setenv(record_cache.CACHE_ENV, "0")
    uncached = _night(_second_night(staged), root / "uncached", "2026-11-03", "run_2")
    mp.delenv(record_cache.CACHE_ENV)
    shutil.move(root / "first", root / "cached")
    cached = _night(_second_night(staged), root / "cached", "2026-11-03", "run_2")
    mp.undo()
    return {"first": first, "uncached": uncached, "cached": cached, "root": root}


def test_second_night_writes_the_same_bytes_with_the_cache(nights):
    assert nights["cached"]["postings"] == nights["uncached"]["postings"]
    assert nights["cached"]["state"] == nights["uncached"]["state"]
    assert nights["cached"]["postings"] != nights["first"]["postings"]


def test_the_cache_is_the_last_night_s_records_only(nights, staged):
    layout = DataLayout(nights["root"] / "cached")
    found = record_cache.current(layout.normalise_cache)
    assert found is not None and found["date"] == "2026-11-03"
    assert sorted(p.name for p in layout.normalise_cache.iterdir()) == ["current.json", "run_2"]
    second = _second_night(staged)
    records = second.filter(normalise._kept(second))
    cached = pl.read_parquet(layout.normalise_cache / "run_2")
    assert found["records"] == cached.height == records.height
    assert set(cached[record_cache.KEY]) == set(record_cache.row_keys(records))


def test_the_report_counts_the_reused_records(staged, tmp_path, monkeypatch):
    monkeypatch.setenv(distinct.WORKERS_ENV, "1")
    monkeypatch.setenv(normalise.SHARD_ENV, "150")
    normalise_run = normalise.run
    kept = staged.filter(normalise._kept(staged))
    _night(staged, tmp_path, "2026-11-02", "run_1")
    layout = DataLayout(tmp_path)
    for source, rows in _second_night(staged).partition_by("source", as_dict=True).items():
        path = layout.staged(source[0], "2026-11-03", "jobs")
        path.parent.mkdir(parents=True)
        rows.write_parquet(path)
    report = normalise_run(data_dir=tmp_path, date="2026-11-03", taxonomy=SHIPPED)
    second = _second_night(staged)
    records = second.filter(normalise._kept(second)).height
    changed = kept.join(staged.slice(40, 30).select("source", "record_id"),
                        on=["source", "record_id"]).height
    assert report["records_from_cache"] == records - changed
    assert report["records_from_cache"] > 0.8 * records


def test_a_cache_of_other_code_or_taxonomy_is_not_read(staged, tmp_path):
    """Another taxonomy folder (one file changed) has another fingerprint, and a cache
    made under one fingerprint gives nothing to the other."""
    other = tmp_path / "taxonomy"
    shutil.copytree(SHIPPED.root, other)
    (other / "README.md").write_text((other / "README.md").read_text() + "\nEdited.\n")
    changed = Taxonomy(other)
    assert record_cache.fingerprint(changed) != record_cache.fingerprint(SHIPPED)
    rows = staged.head(20)
    keys = record_cache.row_keys(rows)
    folder = tmp_path / "cache"
    (folder / "n1").mkdir(parents=True)
    prepared = normalise.prepare_records(rows, SHIPPED).with_columns(keys)
    prepared.write_parquet(folder / "n1" / "prepared-00000.parquet")
    cache = {"path": "cache/n1", "fingerprint": record_cache.fingerprint(SHIPPED)}
    found = record_cache.lookup(cache, keys, SHIPPED, tmp_path)
    assert found is not None and found.equals(prepared)
    assert record_cache.lookup(cache, keys, changed, tmp_path) is None


def test_row_keys_tell_null_from_empty_and_ignore_the_partition(staged):
    rows = staged.head(3)
    keys = record_cache.row_keys(rows)
    assert keys.n_unique() == 3 and keys.str.len_chars().to_list() == [40] * 3
    moved = record_cache.row_keys(rows.with_columns(partition=pl.lit("another-file.gz")))
    assert moved.equals(keys)
    nulled = rows.with_columns(company=pl.lit(None, pl.String))
    emptied = rows.with_columns(company=pl.lit("", pl.String))
    assert not record_cache.row_keys(nulled).equals(record_cache.row_keys(emptied))
