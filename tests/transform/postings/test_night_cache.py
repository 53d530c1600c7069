"""A night reuses what the night before worked out for the records it stages again (issue
18: the cost of a night in proportion to its new records), normalise's prepared records and
the skills found, and writes the bytes it would have written without them."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from schemas.layout import DataLayout, RunContext
from schemas.taxonomy import Taxonomy
from transform import night_cache
from transform.fields import distinct
from transform.linking import skills
from transform.postings import normalise

SHIPPED = Taxonomy.shipped()


def _night(staged: pl.DataFrame, data_dir, date: str, run_id: str) -> dict:
    """Normalise and extract_skills as the orchestrators run them on `staged` (staged as
    each source's rows for `date`); the bytes of what they wrote."""
    from microcareer import stages

    layout = DataLayout(data_dir)
    for source, rows in staged.partition_by("source", as_dict=True).items():
        path = layout.staged(source[0], date, "jobs")
        path.parent.mkdir(parents=True)
        rows.write_parquet(path)
    ctx = RunContext(layout, date, run_id)
    stage = next(s for s in stages.STAGES if s.name == "normalise")
    normalised = stages.run_stage(stage, ctx, sorted(staged["source"].unique()))
    skills = next(s for s in stages.STAGES if s.name == "extract_skills")
    stages.run_stage(skills, ctx, normalised)
    state = layout.state_candidate(date)
    return {"postings": (ctx.normalised / "postings.parquet").read_bytes(),
            "skills": (ctx.normalised / "posting_skills.parquet").read_bytes(),
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
    mp.setenv(skills.SKILL_SHARD_ENV, "100")
    root = tmp_path_factory.mktemp("nights")
    first = _night(staged, root / "first", "2026-11-02", "run_1")
    shutil.copytree(root / "first", root / "uncached")
    mp.setenv(night_cache.CACHE_ENV, "0")
    uncached = _night(_second_night(staged), root / "uncached", "2026-11-03", "run_2")
    mp.delenv(night_cache.CACHE_ENV)
    shutil.move(root / "first", root / "cached")
    cached = _night(_second_night(staged), root / "cached", "2026-11-03", "run_2")
    mp.undo()
    return {"first": first, "uncached": uncached, "cached": cached, "root": root}


def test_second_night_writes_the_same_bytes_with_the_cache(nights):
    assert nights["cached"]["postings"] == nights["uncached"]["postings"]
    assert nights["cached"]["skills"] == nights["uncached"]["skills"]
    assert nights["cached"]["state"] == nights["uncached"]["state"]
    assert nights["cached"]["postings"] != nights["first"]["postings"]
    assert nights["cached"]["skills"] != nights["first"]["skills"]


def test_the_cache_is_the_last_night_s_records_only(nights, staged):
    layout = DataLayout(nights["root"] / "cached")
    for stage in ("normalise", "extract_skills"):
        folder = layout.night_cache(stage)
        found = night_cache.current(folder, layout.root)
        assert found is not None and found["date"] == "2026-11-03"
        assert sorted(p.name for p in folder.iterdir()) == ["current.json", "run_2"]
    second = _second_night(staged)
    records = second.filter(normalise._kept(second))
    folder = layout.night_cache("normalise") / "run_2"
    cached = pl.read_parquet(folder / "prepared-*.parquet")
    assert cached.height == records.height
    assert set(cached[night_cache.KEY]) == set(
        night_cache.keys(records, normalise.RECORD_KEY_COLUMNS))
    postings = pl.read_parquet(layout.normalised("2026-11-03") / "postings.parquet")
    skill_keys = pl.read_parquet(layout.night_cache("extract_skills") / "run_2"
                                 / "postings-keys-*.parquet")
    assert skill_keys.height == postings.height


def test_a_shard_looks_its_keys_up_in_the_index_and_reads_only_the_files_holding_them(
        nights, tmp_path):
    layout = DataLayout(nights["root"] / "cached")
    shutil.copytree(layout.night_cache("normalise"), tmp_path / "normalise")
    layout = DataLayout(tmp_path)  # a copy: one of its files is damaged below
    cache = night_cache.current(tmp_path / "normalise", layout.root)
    folder = layout.root / cache["path"]
    files = sorted(folder.glob("prepared-*.parquet"))
    assert len(files) > 1, "the fixture's nights have several shards"
    taxonomy = Taxonomy.shipped()
    first = pl.read_parquet(files[0], columns=[night_cache.KEY])[night_cache.KEY]
    last = pl.read_parquet(files[-1], columns=[night_cache.KEY])[night_cache.KEY]

    assert night_cache.holding(cache, layout.root, first.head(3), taxonomy) == {files[0].name}
    assert night_cache.holding(cache, layout.root, pl.concat([first.head(1), last.tail(1)]),
                               taxonomy) == {files[0].name, files[-1].name}
    assert night_cache.holding(cache, layout.root, pl.Series(["0" * 40]), taxonomy) == set()
    # The other files are not read: damaged, they do not matter to these keys.
    files[-1].write_bytes(b"not parquet")
    only = night_cache.holding(cache, layout.root, first, taxonomy)
    found = night_cache.scan(cache, layout.root, "prepared-*.parquet", taxonomy, only=only)
    assert found.select(night_cache.KEY).collect()[night_cache.KEY].sort().equals(first.sort())


def test_the_reports_count_the_reused_records(staged, tmp_path, monkeypatch):
    """Normalise takes every unchanged record from the cache and prepares the changed ones;
    extract_skills takes the postings whose text is unchanged, but for a few whose
    employer's boilerplate lines (found over the night's other postings) changed with the
    night."""
    monkeypatch.setenv(distinct.WORKERS_ENV, "1")
    monkeypatch.setenv(normalise.SHARD_ENV, "150")
    _night(staged, tmp_path, "2026-11-02", "run_1")
    layout = DataLayout(tmp_path)
    second = _second_night(staged)
    for source, rows in second.partition_by("source", as_dict=True).items():
        path = layout.staged(source[0], "2026-11-03", "jobs")
        path.parent.mkdir(parents=True)
        rows.write_parquet(path)
    report = normalise.run(data_dir=tmp_path, date="2026-11-03", taxonomy=SHIPPED)
    records = second.filter(normalise._kept(second))
    changed = records.join(staged.slice(40, 30), on=["source", "record_id"], how="semi")
    assert changed.height > 20
    assert report["records_from_cache"] == records.height - changed.height
    shards = skills.plan(data_dir=tmp_path, date="2026-11-03", run_id="run_2")
    done = [skills.match_shard(data_dir=tmp_path, date="2026-11-03", run_id="run_2",
                               shard=shard, taxonomy=SHIPPED) for shard in shards]
    counts = skills.reduce(data_dir=tmp_path, date="2026-11-03", run_id="run_2",
                           shards=done, taxonomy=SHIPPED)
    postings = pl.read_parquet(layout.normalised("2026-11-03") / "postings.parquet")
    new_text = postings.join(changed, on=["source", "record_id"], how="semi").height
    assert 0 < new_text <= changed.height
    unchanged = postings.height - new_text
    assert unchanged - 5 <= counts["postings_from_cache"] <= unchanged


def test_a_cache_of_other_code_or_taxonomy_is_not_read(staged, tmp_path):
    """Another taxonomy folder (one file changed) has another fingerprint, and a cache
    made under one fingerprint gives nothing to the other."""
    other = tmp_path / "taxonomy"
    shutil.copytree(SHIPPED.root, other)
    (other / "README.md").write_text((other / "README.md").read_text() + "\nEdited.\n")
    changed = Taxonomy(other)
    assert night_cache.fingerprint(changed) != night_cache.fingerprint(SHIPPED)
    rows = staged.head(20)
    prepared = normalise.prepare_records(rows, SHIPPED)
    (tmp_path / "cache" / "n1").mkdir(parents=True)
    prepared.write_parquet(tmp_path / "cache" / "n1" / "prepared-00000.parquet")
    cache = {"path": "cache/n1", "fingerprint": night_cache.fingerprint(SHIPPED)}
    found = night_cache.scan(cache, tmp_path, "prepared-*.parquet", SHIPPED)
    assert found is not None and found.collect().equals(prepared)
    assert night_cache.scan(cache, tmp_path, "prepared-*.parquet", changed) is None


def test_keys_tell_null_from_empty_and_ignore_the_partition(staged):
    rows = staged.head(3)
    keys = night_cache.keys(rows, normalise.RECORD_KEY_COLUMNS)
    assert keys.n_unique() == 3 and keys.str.len_chars().to_list() == [40] * 3
    moved = rows.with_columns(partition=pl.lit("another-file.gz"))
    assert night_cache.keys(moved, normalise.RECORD_KEY_COLUMNS).equals(keys)
    nulled = rows.with_columns(company=pl.lit(None, pl.String))
    emptied = rows.with_columns(company=pl.lit("", pl.String))
    assert not night_cache.keys(nulled, normalise.RECORD_KEY_COLUMNS).equals(
        night_cache.keys(emptied, normalise.RECORD_KEY_COLUMNS))
