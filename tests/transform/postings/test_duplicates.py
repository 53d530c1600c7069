"""Duplicate postings on real recorded payloads: the same USAJOBS announcements recorded in
2017 (CSV export) and in 2020 (Search API), the same night replayed later, and a repost
with an edited id and text. Each must count once, with correct first and last seen dates."""

from __future__ import annotations

import csv
import gzip
import io
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from extract.config import load_config
from extract.run import extract_source
from schemas.layout import DataLayout
from schemas.taxonomy import Taxonomy
from tests.paths import SNAPSHOT
from tests.sources_helpers import write_config
from transform.postings import duplicates, normalise, state

SHIPPED = Taxonomy.shipped()

ATTORNEY = "usajobs_2017/attorney_N_180_20171223141257.csv.gz"
CYBER = "usajobs_2017/cyber_N_76_20171223141650.csv.gz"
API = "usajobs/usajobs_search_api_full_fields_25_items_2020-12.json.gz"
# The same vacancy announcement in both recordings, its text edited between them.
DOJ = "https://www.usajobs.gov:443/GetJob/ViewDetails/451842500"
FBI = "https://www.usajobs.gov:443/GetJob/ViewDetails/463484600"


def night(data_dir: Path, config: Path, date: str) -> pl.DataFrame:
    """Extract every configured source and normalise, then promote the night's dedupe state
    as publish does: one night of the pipeline's front half."""
    cfg = load_config(config)
    for name in cfg.source_names:
        extract_source(name, data_dir=data_dir, date=date, run_id=f"t-{date}", config=cfg.path)
    normalise.run(data_dir=data_dir, date=date, sources=cfg.source_names, taxonomy=SHIPPED)
    state.promote(data_dir, date, state.pending(data_dir, date))
    return pl.read_parquet(DataLayout(data_dir).normalised(date) / "postings.parquet")


def by_record(postings: pl.DataFrame, data_dir: Path, record_id: str) -> pl.DataFrame:
    """The published posting that the source record `record_id` collapsed into."""
    seen = state.read(data_dir)
    canonical = seen.filter(pl.col("record_id") == record_id)["canonical_id"].unique()
    assert canonical.len() == 1, canonical
    return postings.filter(pl.col("canonical_id") == canonical[0])


@pytest.fixture(scope="module")
def two_boards(tmp_path_factory):
    folder = tmp_path_factory.mktemp("boards")
    config = write_config(folder, {"usajobs": [API], "usajobs_2017": [ATTORNEY, CYBER]})
    return folder / "data", config


def test_the_same_job_on_two_boards_counts_once(two_boards):
    data_dir, config = two_boards
    postings = night(data_dir, config, "2021-01-25")
    seen = state.read(data_dir)
    for url in (DOJ, FBI):
        records = seen.filter(pl.col("record_id") == url)
        assert sorted(records["source"]) == ["usajobs", "usajobs_2017"]
        row = by_record(postings, data_dir, url)
        assert row.height == 1 and row["duplicates"][0] == 2
    assert postings["canonical_id"].is_unique().all()
    assert postings["duplicates"].sum() == seen.height


def test_the_same_job_on_two_nights_keeps_first_seen(two_boards):
    data_dir, config = two_boards
    first = night(data_dir, config, "2021-01-25")
    out = DataLayout(data_dir).normalised("2021-01-25") / "postings.parquet"
    first_bytes = out.read_bytes()
    later = night(data_dir, config, "2021-02-01")
    doj = by_record(later, data_dir, DOJ)
    assert doj.height == 1
    assert doj["first_seen"][0].isoformat() == "2021-01-25"
    assert doj["last_seen"][0].isoformat() == "2021-02-01"
    assert doj["canonical_id"][0] == by_record(first, data_dir, DOJ)["canonical_id"][0]
    assert later.height == first.height
    assert (later["first_seen"].cast(pl.String) == "2021-01-25").all()

    # Re-running the first night after the second (a backfill) gives that night's tables
    # byte for byte (state read as of the night before it), and leaves the current state,
    # the second night's, alone.
    state_file = DataLayout(data_dir).state_manifest
    current = state_file.read_bytes()
    again = night(data_dir, config, "2021-01-25")
    assert out.read_bytes() == first_bytes
    assert state_file.read_bytes() == current
    doj = by_record(again, data_dir, DOJ)
    assert (doj["first_seen"][0].isoformat(), doj["last_seen"][0].isoformat()) == (
        "2021-01-25", "2021-01-25")


def _repost(src: Path, dest: Path) -> None:
    """The recorded CSV with every announcement re-numbered and one word of each summary
    edited, as a board does when it reposts a vacancy."""
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(src.read_bytes()).decode())))
    for r in rows:
        r["URI"] = r["URI"].replace("/ViewDetails/", "/ViewDetails/9")
        r["PositionID"] = f"R-{r['PositionID']}"
        r["JobSummary"] = r["JobSummary"].replace(" the ", " this ", 1)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    dest.write_bytes(gzip.compress(buf.getvalue().encode(), mtime=0))


def test_a_reposted_job_with_a_new_id_counts_once(tmp_path):
    data_dir = tmp_path / "data"
    first = write_config(tmp_path, {"usajobs_2017": [ATTORNEY]})
    night1 = night(data_dir, first, "2017-12-23")
    repost = tmp_path / "attorney_reposted.csv.gz"
    _repost(SNAPSHOT / "payloads" / ATTORNEY, repost)
    second_dir = tmp_path / "second"
    second_dir.mkdir()
    second = write_config(second_dir, {}, extra=[{
        "name": "usajobs_2017", "connector": "usajobs_csv",
        "partitions": [{"replay": str(repost)}]}])
    night2 = night(data_dir, second, "2017-12-30")

    assert night2.height == night1.height  # nothing new: every record is a repost
    assert set(night2["canonical_id"]) == set(night1["canonical_id"])
    assert (night2["first_seen"].cast(pl.String) == "2017-12-23").all()
    assert (night2["last_seen"].cast(pl.String) == "2017-12-30").all()
    assert set(night2["posting_id"]).isdisjoint(night1["posting_id"])  # new ids all


def test_near_duplicate_needs_the_same_title_and_place():
    frame = pl.DataFrame({
        "source": ["a", "b", "c"], "record_id": ["1", "2", "3"],
        "url": [None, None, None], "title": ["Army Reserve Administrator"] * 3,
        "company": ["U.S. Army Reserve Command"] * 3,
        "location": ["Fort Knox, Kentucky", "Fort Knox, Kentucky", "Des Moines, Iowa"],
        "text": [" ".join(f"w{i}" for i in range(200)) + " kentucky",
                 " ".join(f"w{i}" for i in range(200)) + " kentucky unit",
                 " ".join(f"w{i}" for i in range(200)) + " iowa"],
        "posting_id": ["p1", "p2", "p3"],
    }).pipe(duplicates.with_keys)
    found = duplicates.resolve(frame, duplicates.empty_state(), date(2026, 1, 1))
    canon = dict(zip(found.members["posting_id"], found.members["canonical_id"], strict=True))
    assert canon["p1"] == canon["p2"] == "p1"
    assert canon["p3"] == "p3"
    assert found.links["near_duplicate"] == 1


def test_two_pipeline_nights_publish_each_job_once_with_its_first_night(small_run,
                                                                         small_config, tmp_path):
    """The whole pipeline on a later night, over a copy of the small run's data: the same jobs
    publish again, once each, first seen on the first night and last seen on the second."""
    import shutil

    from microcareer.pipeline import run_pipeline

    first_dir, _ = small_run
    data_dir = tmp_path / "data"
    shutil.copytree(first_dir, data_dir)
    first = pl.read_parquet(data_dir / "dataset" / "postings.parquet")
    run_pipeline(config=small_config, data_dir=data_dir, date="2026-11-02", run_id="night_2")
    second = pl.read_parquet(data_dir / "dataset" / "postings.parquet")
    assert second.height == first.height
    assert second["canonical_id"].is_unique().all()
    assert set(second["canonical_id"]) == set(first["canonical_id"])
    assert (second["first_seen"].cast(pl.String) == "2026-11-01").all()
    assert (second["last_seen"].cast(pl.String) == "2026-11-02").all()


def test_near_duplicates_link_within_an_employer_or_with_an_unnamed_one():
    """One text, one title, one place, posted by three employers, by two of them twice, and
    once with no employer named: the candidate pairs are those of one employer or with the
    unnamed copy, as many employers as post it; without the unnamed copy, each employer's
    copies are one job and the employers' jobs stay apart."""
    text = " ".join(f"w{i}" for i in range(200))
    companies = ["Acme", "Acme", None, "Globex", "Globex", "Initech"]
    frame = pl.DataFrame({
        "source": ["a"] * 6, "record_id": [str(i) for i in range(6)], "url": [None] * 6,
        "title": ["Warehouse Associate"] * 6, "company": companies,
        "location": ["Leeds"] * 6, "text": [f"{text} x{i}" for i in range(6)],
        "posting_id": [f"p{i}" for i in range(6)],
    }).pipe(duplicates.with_keys)
    rows = frame.select("signature", "title_key", "employer_key", in_batch=pl.lit(True),
                        recent=pl.lit(True))
    # By the definition: every ordered pair whose employers are the same or unknown on one
    # side (all six signatures are near-identical).
    expected = [(i, j) for i in range(6) for j in range(6) if i != j
                and (companies[i] is None or companies[j] is None
                     or companies[i] == companies[j])]
    assert duplicates.near_duplicate_candidates(rows) == expected
    named = frame.filter(pl.col("posting_id") != "p2")
    found = duplicates.resolve(named, duplicates.empty_state(), date(2026, 1, 1))
    canon = dict(zip(found.members["posting_id"], found.members["canonical_id"], strict=True))
    assert canon == {"p0": "p0", "p1": "p0", "p3": "p3", "p4": "p3", "p5": "p5"}
