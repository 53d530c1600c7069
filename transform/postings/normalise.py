"""Staged rows of every source -> canonical `postings` and `courses` with clean text, role,
sector, location, salary, employment type and language. Postings: one row per job, across
sources and nights (transform/postings/duplicates.py); courses: one per distinct record and content,
with duration, cost, level, language and stated skills (transform/fields/courses.py)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from datetime import UTC, datetime
from datetime import date as date_cls
from pathlib import Path
from typing import Any

import polars as pl

from schemas.layout import DataLayout
from schemas.tables import COURSES, POSTINGS, STAGED_COURSES, STAGED_POSTINGS
from schemas.taxonomy import Taxonomy
from transform.fields.courses import course_columns
from transform.fields.distinct import distinct_rows, map_distinct, skip_nulls, workers
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


ROLE_SHARD = 8000  # distinct (title, text) pairs a worker matches per task (shard)
ROLE_SHARD_ENV = "MICROCAREER_ROLE_SHARD"
ROLE_COLUMNS = ("role", "role_title", "role_confidence", "role_method")
PAIR = "__pair"  # a prepared posting's row in the night's distinct (title, text) pairs


def role_shard() -> int:
    """Distinct (title, text) pairs per role-matching shard: $MICROCAREER_ROLE_SHARD, else
    ROLE_SHARD. The tables do not depend on it (tests/transform/postings/test_scale.py)."""
    value = os.environ.get(ROLE_SHARD_ENV, "").strip()
    return max(1, int(value)) if value else ROLE_SHARD


# A pool worker's taxonomy, set once per worker process by `_start_worker`.
_worker_taxonomy: Taxonomy | None = None


def _start_worker(taxonomy: Taxonomy) -> None:
    global _worker_taxonomy
    _worker_taxonomy = taxonomy


def _assign_shard(shard: tuple[list[str], list[str]]) -> pl.DataFrame:
    assert _worker_taxonomy is not None, "a role worker starts with _start_worker"
    titles, texts = shard
    return match_roles(pl.DataFrame({"title": titles, "text": texts},
                                    schema={"title": pl.String, "text": pl.String}),
                       _worker_taxonomy)


def match_roles(pairs: pl.DataFrame, taxonomy: Taxonomy) -> pl.DataFrame:
    """ROLE_COLUMNS for each row of `pairs` (title, text): the per-record work of role
    matching, one shard of it (the same function in the pool below and in the mapped
    `normalise_roles` task)."""
    return assign_roles(pairs["title"], pairs["text"], matcher=role_matcher(taxonomy))


def _assign_roles(pairs: pl.DataFrame, taxonomy: Taxonomy) -> pl.DataFrame:
    """`match_roles` of each (title, text), in shards of `role_shard()` over a pool of
    `workers()` processes when there are several shards (each receives the Taxonomy once,
    without its memos, and builds the matcher once).
    Spawned, not forked: a forked child of a process running Polars' thread pool can hang."""
    size = role_shard()
    n = min(workers(), -(-pairs.height // size))
    if n <= 1:
        return match_roles(pairs, taxonomy)
    shards = [(s["title"].to_list(), s["text"].to_list()) for s in pairs.iter_slices(size)]
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


def prepare_postings(staged: pl.DataFrame, *, day: date_cls | None = None,
                     seen: pl.DataFrame | duplicates.Select | None = None,
                     ) -> tuple[pl.DataFrame, pl.DataFrame, duplicates.DedupResult]:
    """Everything of `normalise_postings` but the roles: the canonical postings of `day`
    (every published column but ROLE_COLUMNS, with `text` and PAIR), the night's distinct
    (title, text) pairs in order of first appearance (the work `match_roles` does, cut into
    shards), and the dedupe result. `finish_postings` joins the roles back."""
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
    pairs, pair = distinct_rows(frame, ["title", "text"])
    posted = map_distinct(frame, ["posted_at"], parse_time,
                          {"posted_at": pl.Datetime("us", "UTC")})
    prepared = (
        frame.with_columns(posted.to_series(), employment_category=employment_expr())
        .with_columns(*salary_columns())
        .pipe(with_location)
        .pipe(with_language)
        .with_columns(sector, method, pair.alias(PAIR))
        .select(*(c for c in POSTINGS.schema.names() if c not in ROLE_COLUMNS), "text", PAIR)
    )
    return prepared, pairs, found


def finish_postings(prepared: pl.DataFrame, roles: pl.DataFrame, *,
                    taxonomy: Taxonomy) -> pl.DataFrame:
    """The normalised postings: `prepared` (`prepare_postings`) with the roles of its
    distinct pairs (`roles`: one row per pair, in their order) and the sectors they imply."""
    return (
        prepared.hstack(roles.select(ROLE_COLUMNS).select(pl.all().gather(prepared[PAIR])))
        .pipe(with_role_prior, taxonomy)
        .select(*POSTINGS.schema.names(), "text")
        .sort("posting_id")
    )


def normalise_postings(staged: pl.DataFrame, *, taxonomy: Taxonomy,
                       day: date_cls | None = None,
                       seen: pl.DataFrame | duplicates.Select | None = None,
                       ) -> tuple[pl.DataFrame, duplicates.DedupResult]:
    """Canonical postings of `day` from staged rows, with roles and sectors from `taxonomy`,
    and the updated seen-postings state. `seen`: the state before (all of it; None = nothing
    seen yet), or a reader of it (`state.Snapshot.select`), from which the night reads the
    rows it can link to (duplicates.lookup; they are then the result's `before`)."""
    prepared, pairs, found = prepare_postings(staged, day=day, seen=seen)
    return finish_postings(prepared, _assign_roles(pairs, taxonomy), taxonomy=taxonomy), found


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
    lock. In one call, role shards in this process's pool; the nightly stage runs the same
    steps as `plan`, `match_shard` per shard and `reduce`."""
    from schemas.lock import data_lock

    with data_lock(data_dir, holder=f"normalise {date}"):
        prepared, pairs, counts = _prepare(Path(data_dir), date, sources)
        postings = finish_postings(prepared, _assign_roles(pairs, taxonomy), taxonomy=taxonomy)
        return _write_postings(Path(data_dir), date, postings, counts)


def _prepare(data_dir: Path, date: str, sources: list[str] | None
             ) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, Any]]:
    """The night before role matching: courses and the candidate dedupe state written, the
    prepared postings and their distinct (title, text) pairs, and the counts known so far."""
    from transform.postings import state as state_files

    layout = DataLayout(data_dir)
    staged_p = _staged(data_dir, date, "postings", STAGED_POSTINGS.schema, sources)
    staged_c = _staged(data_dir, date, "courses", STAGED_COURSES.schema, sources)
    if staged_p.is_empty():
        raise RuntimeError(f"no staged postings for {date} under {layout.staging_root}: "
                           "every job source failed or none is configured")
    base = state_files.base_for(data_dir, date)
    snapshot = state_files.open_base(data_dir, base)
    prepared, pairs, found = prepare_postings(staged_p, day=date_cls.fromisoformat(date),
                                              seen=snapshot.select)
    courses = normalise_courses(staged_c)
    out = layout.normalised(date)
    out.mkdir(parents=True, exist_ok=True)
    courses.write_parquet(out / "courses.parquet")
    written = state_files.write_candidate(data_dir, date, base, snapshot, found)
    return prepared, pairs, {
        "staged_postings": staged_p.height, "duplicate_links": found.links,
        "staged_courses": staged_c.height, "courses": courses.height,
        "state": {"base": base[0], **written},
    }


def _write_postings(data_dir: Path, date: str, postings: pl.DataFrame,
                    counts: dict[str, Any]) -> dict[str, Any]:
    postings.write_parquet(DataLayout(data_dir).normalised(date) / "postings.parquet")
    report = {
        "staged_postings": counts["staged_postings"], "postings": postings.height,
        "duplicate_records": int(postings["duplicates"].sum() - postings.height),
        "duplicate_links": counts["duplicate_links"],
        "postings_seen_before": int((postings["first_seen"] < date_cls.fromisoformat(date))
                                    .sum()),
        "staged_courses": counts["staged_courses"], "courses": counts["courses"],
        "postings_with_role": int(postings["role"].is_not_null().sum()),
        "postings_with_sector": int(postings["sector"].is_not_null().sum()),
        "state": counts["state"],
    }
    log.info("normalised: %s", report)
    return report


# -- The stage in steps, for mapped tasks (microcareer/stages.py): `plan` does the night's
# whole-night work and cuts role matching into shards, `match_shard` matches one shard (any
# worker, any order, no lock: it writes only its own file), `reduce` joins the roles back.
# Their files live in DataLayout.shards(run id, "normalise") until reduce removes them.
SHARD_STAGE = "normalise"
PLAN = "plan.json"
PREPARED = "prepared.parquet"


def _shard_file(folder: Path, kind: str, index: int) -> Path:
    return folder / f"{kind}-{index:05d}.parquet"


def plan(*, data_dir: str | Path, date: str, run_id: str,
         sources: list[str] | None = None) -> list[dict[str, Any]]:
    """Everything of `run` but role matching (courses and the candidate state written, the
    prepared postings kept in the run's shard folder), and the night's distinct (title,
    text) pairs cut into shards of `role_shard()`: one Parquet file each, described by
    {"stage", "index", "shards", "pairs", "name"}, the list returned (JSON, for XCom).
    Holds the data folder's lock; starts from an empty shard folder (a retried plan)."""
    from schemas.lock import data_lock

    layout = DataLayout(data_dir)
    with data_lock(layout, holder=f"normalise plan {date}"):
        folder = layout.shards(run_id, SHARD_STAGE)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        prepared, pairs, counts = _prepare(layout.root, date, sources)
        prepared.write_parquet(folder / PREPARED)
        parts = list(pairs.iter_slices(role_shard()))
        for i, part in enumerate(parts):
            part.write_parquet(_shard_file(folder, "pairs", i))
        (folder / PLAN).write_text(json.dumps({"date": date, "shards": len(parts),
                                               "counts": counts}))
    return [{"stage": SHARD_STAGE, "index": i, "shards": len(parts), "pairs": part.height,
             "name": f"roles {i + 1}/{len(parts)}"} for i, part in enumerate(parts)]


def match_shard(*, data_dir: str | Path, run_id: str, shard: dict[str, Any],
                taxonomy: Taxonomy) -> dict[str, Any]:
    """`match_roles` of one shard of `plan`, written next to its pairs (atomically, so a
    killed or retried task never leaves half a file); returns the descriptor with the rows
    written. Takes no lock: shards run side by side."""
    folder = DataLayout(data_dir).shards(run_id, SHARD_STAGE)
    pairs = pl.read_parquet(_shard_file(folder, "pairs", shard["index"]))
    roles = match_roles(pairs, taxonomy)
    if roles.height != pairs.height:
        raise RuntimeError(f"shard {shard['name']}: {roles.height} roles for "
                           f"{pairs.height} pairs")
    out = _shard_file(folder, "roles", shard["index"])
    tmp = out.with_suffix(".tmp")
    roles.write_parquet(tmp)
    os.replace(tmp, out)
    return {**shard, "roles": roles.height}


def reduce(*, data_dir: str | Path, date: str, run_id: str, shards: list[dict[str, Any]],
           taxonomy: Taxonomy) -> dict[str, Any]:
    """The normalised postings from `plan`'s prepared postings and every shard's roles (in
    shard order; `shards`: what `match_shard` returned, each shard once), written next to the
    courses; then the run's shard folder is removed. Returns `run`'s report."""
    from schemas.lock import data_lock

    layout = DataLayout(data_dir)
    with data_lock(layout, holder=f"normalise reduce {date}"):
        folder = layout.shards(run_id, SHARD_STAGE)
        planned = json.loads((folder / PLAN).read_text())
        done = sorted(s["index"] for s in shards)
        if done != list(range(planned["shards"])):
            raise RuntimeError(f"normalise: shards {done} of {planned['shards']} matched")
        roles = pl.concat([pl.read_parquet(_shard_file(folder, "roles", i))
                           for i in range(planned["shards"])])
        postings = finish_postings(pl.read_parquet(folder / PREPARED), roles,
                                   taxonomy=taxonomy)
        report = _write_postings(layout.root, date, postings, planned["counts"])
        shutil.rmtree(folder)
        with contextlib.suppress(OSError):  # the run's shards folder, once it is empty
            folder.parent.rmdir()
    return report
