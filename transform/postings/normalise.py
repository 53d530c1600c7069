"""Staged rows of every source -> canonical `postings` and `courses` with clean text, role,
sector, location, salary, employment type and language. Postings: one row per job, across
sources and nights (transform/postings/duplicates.py); courses: one per distinct record and content,
with duration, cost, level, language and stated skills (transform/fields/courses.py)."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
from datetime import UTC, datetime
from datetime import date as date_cls
from pathlib import Path
from typing import Any

import polars as pl

from schemas.layout import DataLayout
from schemas.tables import COURSES, POSTINGS, STAGED_COURSES, STAGED_POSTINGS
from schemas.taxonomy import Taxonomy
from transform.fields.courses import course_columns
from transform.fields.distinct import map_distinct, per_distinct, skip_nulls, workers
from transform.fields.employment import employment_expr
from transform.fields.language import with_language
from transform.fields.locations import with_location
from transform.fields.salary import salary_columns
from transform.fields.text import html_to_text
from transform.linking.industries import sector_expr, with_role_prior
from transform.linking.roles import assign_roles, role_matcher
from transform.postings import duplicates

log = logging.getLogger(__name__)


def _staged(data_dir: Path, date: str, name: str, schema: pl.Schema,
            sources: list[str] | None) -> pl.DataFrame:
    files = DataLayout(data_dir).staged_files(date, name, sources)
    frames = [pl.read_parquet(f) for f in files]
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def parse_time(value: str | None) -> datetime | None:
    """ISO 8601 date or time in any of the forms sources use, as UTC (naive = UTC)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def stable_id(value: str) -> str:
    """16 hex digits of SHA-1: the same id for the same input on every machine and version."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


def _ids(frame: pl.DataFrame, cols: list[str], name: str) -> pl.DataFrame:
    """`frame` with `name`: the stable_id of its `cols` (each distinct key hashed once)."""
    key = frame.select(key=pl.concat_str([pl.col(c).fill_null("") for c in cols],
                                         separator="\x1f"))
    return frame.hstack(map_distinct(key, ["key"], stable_id, {name: pl.String()}))


def _text(frame: pl.DataFrame, col: str, name: str | None = None,
          keep_nulls: bool = True) -> pl.DataFrame:
    """`col` as clean text (transform/fields/text.py), each distinct value converted once; nulls
    stay null with keep_nulls, else become ""."""
    fn = skip_nulls(html_to_text) if keep_nulls else html_to_text
    return map_distinct(frame, [col], fn, {name or col: pl.String()}, parallel=True)


def _clean(frame: pl.DataFrame) -> pl.DataFrame:
    """Clean text and title, one row per source record (its first)."""
    frame = (frame.filter(pl.col("title").str.strip_chars().str.len_chars() > 0)
             .with_columns(record_id=pl.coalesce("record_id", "url", "title"))
             .unique(["source", "record_id"], keep="first", maintain_order=True))
    return (
        frame.with_columns(
            _text(frame, "title").to_series(),
            *[_text(frame, "company").to_series() for _ in range("company" in frame.columns)],
            text=_text(frame, "description", "text", keep_nulls=False).to_series(),
        )
        .with_columns(description_chars=pl.col("text").str.len_chars())
        .drop("description")
    )


ROLE_SHARD = 8000  # distinct (title, text) pairs a worker matches per task


# A pool worker's taxonomy, set once per worker process by `_start_worker`.
_worker_taxonomy: Taxonomy | None = None


def _start_worker(taxonomy: Taxonomy) -> None:
    global _worker_taxonomy
    _worker_taxonomy = taxonomy


def _assign_shard(shard: tuple[list[str], list[str]]) -> pl.DataFrame:
    assert _worker_taxonomy is not None, "a role worker starts with _start_worker"
    titles, texts = shard
    return assign_roles(pl.Series(titles, dtype=pl.String), pl.Series(texts, dtype=pl.String),
                        matcher=role_matcher(_worker_taxonomy))


def _assign_roles(pairs: pl.DataFrame, taxonomy: Taxonomy) -> pl.DataFrame:
    """`assign_roles` of each (title, text) with the role matcher of `taxonomy`, in shards of
    ROLE_SHARD over a pool of `workers()` processes when there are several shards (each
    receives the Taxonomy once, without its memos, and builds the matcher once).
    Spawned, not forked: a forked child of a process running Polars' thread pool can hang."""
    n = min(workers(), -(-pairs.height // ROLE_SHARD))
    if n <= 1:
        return assign_roles(pairs["title"], pairs["text"], matcher=role_matcher(taxonomy))
    shards = [(s["title"].to_list(), s["text"].to_list())
              for s in pairs.iter_slices(ROLE_SHARD)]
    with multiprocessing.get_context("spawn").Pool(
            n, initializer=_start_worker, initargs=(taxonomy,)) as pool:
        return pl.concat(pool.imap(_assign_shard, shards))


def canonical_postings(frame: pl.DataFrame, found: duplicates.DedupResult) -> pl.DataFrame:
    """One row per canonical posting of the night: the record that holds the canonical id,
    else the longest text (then the smallest posting_id), with how many records it stands
    for and the job's first and last seen dates."""
    return (
        frame.join(found.members, on="posting_id")
        .with_columns(duplicates=pl.len().over("canonical_id").cast(pl.UInt32))
        .sort(pl.col("posting_id") != pl.col("canonical_id"), pl.col("description_chars"),
              "posting_id", descending=[False, True, False])
        .unique("canonical_id", keep="first", maintain_order=True)
    )


def normalise_postings(staged: pl.DataFrame, *, taxonomy: Taxonomy,
                       day: date_cls | None = None,
                       seen: pl.DataFrame | duplicates.Select | None = None,
                       ) -> tuple[pl.DataFrame, duplicates.DedupResult]:
    """Canonical postings of `day` from staged rows, with roles and sectors from `taxonomy`,
    and the updated seen-postings state. `seen`: the state before (all of it; None = nothing
    seen yet), or a reader of it (`state.Snapshot.select`), from which the night reads the
    rows it can link to (duplicates.lookup; they are then the result's `before`)."""
    day = day or date_cls(1970, 1, 1)
    frame = (_clean(staged).pipe(_ids, ["source", "record_id"], "posting_id")
             .pipe(duplicates.with_keys))
    before = None
    if seen is None:
        seen = duplicates.empty_state()
    elif not isinstance(seen, pl.DataFrame):
        seen = before = duplicates.lookup(seen, frame, day)
    found = duplicates.resolve(frame, seen, day)
    found.before = before
    frame = canonical_postings(frame, found)
    sector, method = sector_expr()
    # Role matching once per distinct (title, text), in the order of first appearance (the
    # matcher's title batches are then the same as row by row).
    roles = per_distinct(frame, ["title", "text"], lambda pairs: _assign_roles(pairs, taxonomy))
    posted = map_distinct(frame, ["posted_at"], parse_time,
                          {"posted_at": pl.Datetime("us", "UTC")})
    return (
        frame.with_columns(posted.to_series(), employment_category=employment_expr())
        .with_columns(*salary_columns())
        .pipe(with_location)
        .pipe(with_language)
        .with_columns(sector, method)
        .hstack(roles)
        .pipe(with_role_prior, taxonomy)
        .select(*POSTINGS.schema.names(), "text")
        .sort("posting_id")
    ), found


def normalise_courses(staged: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct course (title and text), with duration, cost, level, language
    and stated skills normalised (transform/fields/courses.py)."""
    frame = (_clean(staged).pipe(_ids, ["title", "text"], "content_key")
             .unique("content_key", keep="first", maintain_order=True)
             .pipe(_ids, ["source", "record_id"], "course_id")
             .with_columns(*course_columns()))
    return frame.select(*COURSES.schema.names(), "text").sort("course_id")


def run(*, data_dir: str | Path, date: str, taxonomy: Taxonomy,
        sources: list[str] | None = None) -> dict[str, Any]:
    """Build normalised postings and courses for `date` from the staged rows of `sources`
    (default: every source staged for that date), against the dedupe state as of the night
    before `date`, roles and sectors from `taxonomy`; the updated state is a candidate next
    to them, promoted by publish (transform/postings/state.py). Holds the data folder's
    lock."""
    from schemas.lock import data_lock

    with data_lock(data_dir, holder=f"normalise {date}"):
        return _run(data_dir=Path(data_dir), date=date, sources=sources, taxonomy=taxonomy)


def _run(*, data_dir: Path, date: str, sources: list[str] | None,
         taxonomy: Taxonomy) -> dict[str, Any]:
    from transform.postings import state as state_files

    layout = DataLayout(data_dir)
    staged_p = _staged(data_dir, date, "postings", STAGED_POSTINGS.schema, sources)
    staged_c = _staged(data_dir, date, "courses", STAGED_COURSES.schema, sources)
    if staged_p.is_empty():
        raise RuntimeError(f"no staged postings for {date} under {layout.staging_root}: "
                           "every job source failed or none is configured")
    base = state_files.base_for(data_dir, date)
    snapshot = state_files.open_base(data_dir, base)
    postings, found = normalise_postings(staged_p, taxonomy=taxonomy,
                                         day=date_cls.fromisoformat(date), seen=snapshot.select)
    courses = normalise_courses(staged_c)
    out = layout.normalised(date)
    out.mkdir(parents=True, exist_ok=True)
    postings.write_parquet(out / "postings.parquet")
    courses.write_parquet(out / "courses.parquet")
    written = state_files.write_candidate(data_dir, date, base, snapshot, found)
    report = {
        "staged_postings": staged_p.height, "postings": postings.height,
        "duplicate_records": int(postings["duplicates"].sum() - postings.height),
        "duplicate_links": found.links,
        "postings_seen_before": int((postings["first_seen"] < date_cls.fromisoformat(date))
                                    .sum()),
        "staged_courses": staged_c.height, "courses": courses.height,
        "postings_with_role": int(postings["role"].is_not_null().sum()),
        "postings_with_sector": int(postings["sector"].is_not_null().sum()),
        "state": {"base": base[0], **written},
    }
    log.info("normalised: %s", report)
    return report
