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

from schemas.layout import DataLayout, safe_run_id
from schemas.tables import COURSES, POSTINGS, STAGED_COURSES, STAGED_POSTINGS
from schemas.taxonomy import Taxonomy
from transform import night_cache
from transform.fields.courses import course_columns
from transform.fields.distinct import distinct_rows, map_distinct, skip_nulls, workers
from transform.fields.employment import employment_expr
from transform.fields.language import with_language
from transform.fields.locations import with_location
from transform.fields.salary import salary_columns
from transform.fields.text import html_to_text
from transform.linking.industries import sector_expr, with_role_prior
from transform.linking.roles import assign_roles, role_matcher, without_foreign_guesses
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


def _kept(frame: pl.DataFrame) -> pl.Expr:
    """The night's staged rows that are records: a title, and the first row of each (source,
    record id). Whole-night: a record may repeat anywhere in the night."""
    first = pl.struct("source", _record_id()).is_first_distinct()
    titled = pl.col("title").str.strip_chars().str.len_chars().fill_null(0) > 0
    return pl.when(titled).then(first.over(titled)).otherwise(False)


def _record_id() -> pl.Expr:
    return pl.coalesce("record_id", "url", "title").alias("record_id")


def _clean(frame: pl.DataFrame) -> pl.DataFrame:
    """Clean text and title, one row per source record (its first)."""
    return _clean_records(frame.filter(_kept(frame)))


def _clean_records(frame: pl.DataFrame) -> pl.DataFrame:
    """Records (`_kept` rows) with their record id, clean text, title and employer."""
    frame = frame.with_columns(_record_id())
    return (
        frame.with_columns(
            _text(frame, "title").to_series(),
            *[_text(frame, "company").to_series() for _ in range("company" in frame.columns)],
            text=_text(frame, "description", "text", keep_nulls=False).to_series(),
        )
        .with_columns(description_chars=pl.col("text").str.len_chars())
        .drop("description")
    )


SHARD_ROWS = 8000  # staged postings a worker prepares per task (shard)
# Canonical postings the reduce sorts and writes at a time: it never holds the night's texts.
POSTINGS_CHUNK = 50_000
SHARD_ENV = "MICROCAREER_NORMALISE_SHARD"
OLD_SHARD_ENV = "MICROCAREER_ROLE_SHARD"  # its name up to b298336 (role shards), still read
ROLE_COLUMNS = ("role", "role_title", "role_confidence", "role_method")
# What a record's prepared row depends on (night_cache.keys): not the file that carried it.
RECORD_KEY_COLUMNS = tuple(c for c in STAGED_POSTINGS.schema.names() if c != "partition")
# What linking duplicates reads of each record: compact, no text.
KEY_COLUMNS = ("posting_id", "source", "record_id", "url_key", "content_key", "title_key",
               "employer_key", "location_key", "signature", "description_chars")
# Set by linking: `link_records`.
LINKED_COLUMNS = ("canonical_id", "duplicates", "first_seen", "last_seen")


def shard_rows() -> int:
    """Staged postings per normalise shard: $MICROCAREER_NORMALISE_SHARD (or the older
    $MICROCAREER_ROLE_SHARD), else SHARD_ROWS. The tables do not depend on it
    (tests/transform/postings/test_scale.py)."""
    for name in (SHARD_ENV, OLD_SHARD_ENV):
        value = os.environ.get(name, "").strip()
        if value:
            return max(1, int(value))
    return SHARD_ROWS


def match_roles(pairs: pl.DataFrame, taxonomy: Taxonomy) -> pl.DataFrame:
    """ROLE_COLUMNS for each row of `pairs` (title, text, sector)."""
    return assign_roles(pairs["title"], pairs["text"], pairs["sector"],
                        matcher=role_matcher(taxonomy))


def prepare_records(rows: pl.DataFrame, taxonomy: Taxonomy) -> pl.DataFrame:
    """The per-record work of normalise on staged rows that are records (`_kept`): clean
    text, ids, dedupe keys (`duplicates.record_keys`), posting time, employment, salary,
    location, language, sector and role (once per distinct title and text). Every
    published column but LINKED_COLUMNS, with `text` and the KEY_COLUMNS. Row by row: a
    shard of the night gives the rows the whole night would."""
    frame = (_clean_records(rows).pipe(_ids, ["source", "record_id"], "posting_id")
             .pipe(duplicates.record_keys))
    sector, method = sector_expr()
    frame = frame.with_columns(sector, method)
    pairs, pair = distinct_rows(frame, ["title", "text", "sector"])
    roles = match_roles(pairs, taxonomy).select(pl.col(ROLE_COLUMNS).gather(pair))
    posted = map_distinct(frame, ["posted_at"], parse_time,
                          {"posted_at": pl.Datetime("us", "UTC")})
    prepared = (
        frame.with_columns(posted.to_series(), employment_category=employment_expr())
        .with_columns(*salary_columns())
        .pipe(with_location)
        .pipe(with_language)
        .hstack(roles)
        .pipe(without_foreign_guesses, taxonomy)
    )
    published = [c for c in POSTINGS.schema.names() if c not in LINKED_COLUMNS]
    return prepared.select(*published, "text",
                           *(c for c in KEY_COLUMNS if c not in published))


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


def link_records(keys: pl.DataFrame, *, day: date_cls,
                 seen: pl.DataFrame | duplicates.Select | None = None,
                 ) -> tuple[pl.DataFrame, duplicates.DedupResult]:
    """The whole-night step of normalise, on the night's records' KEY_COLUMNS in night
    order: duplicates linked to each other and to `seen` (the state before: all of it, a
    reader of it, or None), and the canonical postings chosen: (posting_id and
    LINKED_COLUMNS of each, the dedupe result)."""
    keys = duplicates.drop_shared_urls(keys)
    before = None
    if seen is None:
        seen = duplicates.empty_state()
    elif not isinstance(seen, pl.DataFrame):
        seen = before = duplicates.lookup(seen, keys, day)
    found = duplicates.resolve(keys, seen, day)
    found.before = before
    chosen = canonical_postings(keys, found).select("posting_id", *LINKED_COLUMNS)
    return chosen, found


def finish_postings(prepared: pl.DataFrame | pl.LazyFrame, chosen: pl.DataFrame, *,
                    taxonomy: Taxonomy) -> pl.DataFrame:
    """The normalised postings: the `prepared` records (`prepare_records`) that are
    canonical (`chosen`, from `link_records`), with the sectors their roles imply."""
    return (
        prepared.lazy().join(chosen.lazy(), on="posting_id")
        .pipe(with_role_prior, taxonomy)
        .select(*POSTINGS.schema.names(), "text")
        .sort("posting_id")
        .collect()
    )


def normalise_postings(staged: pl.DataFrame, *, taxonomy: Taxonomy,
                       day: date_cls | None = None,
                       seen: pl.DataFrame | duplicates.Select | None = None,
                       ) -> tuple[pl.DataFrame, duplicates.DedupResult]:
    """Canonical postings of `day` from staged rows, with roles and sectors from `taxonomy`,
    and the updated seen-postings state, in this process. `seen`: the state before (all of
    it; None = nothing seen yet), or a reader of it (`state.Snapshot.select`), from which
    the night reads the rows it can link to (duplicates.lookup; they are then the result's
    `before`)."""
    prepared = prepare_records(staged.filter(_kept(staged)), taxonomy)
    chosen, found = link_records(prepared.select(KEY_COLUMNS),
                                 day=day or date_cls(1970, 1, 1), seen=seen)
    return finish_postings(prepared, chosen, taxonomy=taxonomy), found


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
    to them, promoted by publish (transform/postings/state.py). In one call: `plan`, every
    shard's `prepare_shard` (over a pool of `workers()` processes when there are several)
    and `reduce`, in a run folder of its own."""
    run_id = f"normalise-{date}-{os.getpid()}"
    shards = plan(data_dir=data_dir, date=date, run_id=run_id, sources=sources)
    n = min(workers(), len(shards))
    if n <= 1:
        done = [prepare_shard(data_dir=data_dir, run_id=run_id, shard=s, taxonomy=taxonomy)
                for s in shards]
    else:
        # Spawned, not forked: a forked child of a process running Polars' thread pool can
        # hang. Each worker receives the Taxonomy once (without its memos).
        with multiprocessing.get_context("spawn").Pool(
                n, initializer=_start_worker, initargs=(taxonomy,)) as pool:
            done = pool.starmap(_prepare_in_worker, [(data_dir, run_id, s) for s in shards],
                                chunksize=1)
    report = reduce(data_dir=data_dir, date=date, run_id=run_id, shards=done,
                    taxonomy=taxonomy)
    with contextlib.suppress(OSError):  # its own run folder, left empty by reduce
        DataLayout(data_dir).shards(run_id, SHARD_STAGE).parent.parent.rmdir()
    return report


# A pool worker's taxonomy, set once per worker process by `_start_worker`.
_worker_taxonomy: Taxonomy | None = None


def _start_worker(taxonomy: Taxonomy) -> None:
    global _worker_taxonomy
    _worker_taxonomy = taxonomy


def _prepare_in_worker(data_dir: str | Path, run_id: str, shard: dict[str, Any]
                       ) -> dict[str, Any]:
    assert _worker_taxonomy is not None, "a normalise worker starts with _start_worker"
    return prepare_shard(data_dir=data_dir, run_id=run_id, shard=shard,
                         taxonomy=_worker_taxonomy)


# -- The stage in steps, for mapped tasks (microcareer/stages.py): `plan` decides which
# staged rows are records (whole night, on four narrow columns), writes the courses and
# cuts the staged postings into shards; `prepare_shard` does one shard's per-record work
# (any worker, any order, no lock: it writes only its own file); `reduce` links duplicates
# over the night's compact keys, writes the candidate state and the canonical postings.
# Their files live in DataLayout.shards(run id, "normalise") until reduce removes them.
SHARD_STAGE = "normalise"
PLAN = "plan.json"


def _shard_file(folder: Path, kind: str, index: int) -> Path:
    return folder / f"{kind}-{index:05d}.parquet"


def _cut(night: pl.DataFrame, files: list[str], size: int) -> list[dict[str, Any]]:
    """The night's staged rows (file by file, in order) cut into shards of `size` rows: a
    shard takes slices ("pieces") of one or several files, so small sources share one."""
    shards: list[dict[str, Any]] = []
    counts = night.group_by("file", maintain_order=True).len()
    start = 0
    for file, rows in counts.iter_rows():
        offset = 0
        while offset < rows:
            if not shards or shards[-1]["rows"] == size:
                shards.append({"start": start + offset, "rows": 0, "pieces": []})
            take = min(size - shards[-1]["rows"], rows - offset)
            shards[-1]["pieces"].append({"file": files[file], "offset": offset, "rows": take})
            shards[-1]["rows"] += take
            offset += take
        start += rows
    return shards


def plan(*, data_dir: str | Path, date: str, run_id: str,
         sources: list[str] | None = None) -> list[dict[str, Any]]:
    """The night's courses normalised and written; its staged postings cut into shards of
    `shard_rows()` rows (slices of one or several staged files, in order), each with the
    rows in it that are records (`_kept`, decided over the whole night) written to the
    run's shard folder. Returns the shard descriptors {"stage", "index", "shards",
    "pieces": [{"file", "offset", "rows"}], "rows", "records", "name"} (JSON, for XCom).
    Holds the data folder's lock; starts from an empty shard folder (a retried plan), and
    removes the shard folders other runs left untouched for two days (`stale_shards`)."""
    from schemas.lock import data_lock

    layout = DataLayout(data_dir)
    with data_lock(layout, holder=f"normalise plan {date}"):
        for stale in layout.stale_shards(keep=run_id):
            log.warning("removing %s: shards left by a run that did not finish", stale)
            shutil.rmtree(stale, ignore_errors=True)
        folder = layout.shards(run_id, SHARD_STAGE)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        files = layout.staged_files(date, "postings", sources)
        heads = [pl.read_parquet(f, columns=["source", "record_id", "url", "title"])
                 .with_columns(file=pl.lit(i, pl.UInt32)) for i, f in enumerate(files)]
        if not heads or not sum(h.height for h in heads):
            raise RuntimeError(f"no staged postings for {date} under {layout.staging_root}: "
                               "every job source failed or none is configured")
        night = pl.concat(heads)
        night = night.with_columns(kept=_kept(night))
        shards = _cut(night, [str(f.relative_to(layout.root)) for f in files], shard_rows())
        for index, shard in enumerate(shards):
            part = night.slice(shard.pop("start"), shard["rows"])
            part.with_row_index("row").filter("kept").select("row").write_parquet(
                _shard_file(folder, "records", index))
            shard.update(stage=SHARD_STAGE, index=index, records=int(part["kept"].sum()))
        cache = night_cache.current(layout.night_cache(SHARD_STAGE), layout.root)
        staged_c = _staged(layout.root, date, "courses", STAGED_COURSES.schema, sources)
        courses = normalise_courses(staged_c)
        out = layout.normalised(date)
        out.mkdir(parents=True, exist_ok=True)
        courses.write_parquet(out / "courses.parquet")
        counts = {"staged_postings": night.height, "staged_courses": staged_c.height,
                  "courses": courses.height}
        (folder / PLAN).write_text(json.dumps({"date": date, "shards": len(shards),
                                               "counts": counts}))
    return [{**s, "shards": len(shards), "name": f"postings {s['index'] + 1}/{len(shards)}",
             "cache": cache} for s in shards]


def prepare_shard(*, data_dir: str | Path, run_id: str, shard: dict[str, Any],
                  taxonomy: Taxonomy) -> dict[str, Any]:
    """`prepare_records` of one shard of `plan`, written next to its record list
    (atomically, so a killed or retried task never leaves half a file); returns the
    descriptor with the records written. Takes no lock: shards run side by side."""
    layout = DataLayout(data_dir)
    folder = layout.shards(run_id, SHARD_STAGE)
    records = pl.read_parquet(_shard_file(folder, "records", shard["index"]))
    pieces = [pl.scan_parquet(layout.root / p["file"]).slice(p["offset"], p["rows"])
              .select(STAGED_POSTINGS.schema.names()).cast(dict(STAGED_POSTINGS.schema))
              for p in shard["pieces"]]
    rows = (pl.concat(pieces).with_row_index("row")
            .join(records.lazy(), on="row", how="semi", maintain_order="left")
            .drop("row").collect())
    prepared, reused = _prepare_cached(rows, shard.get("cache"), taxonomy, layout.root)
    if prepared.height != shard["records"]:
        raise RuntimeError(f"normalise shard {shard['name']}: {prepared.height} records "
                           f"prepared of {shard['records']}")
    out = _shard_file(folder, "prepared", shard["index"])
    tmp = out.with_suffix(".tmp")
    prepared.write_parquet(tmp)
    os.replace(tmp, out)
    return {**shard, "prepared": prepared.height, "from_cache": reused}


def _prepare_cached(rows: pl.DataFrame, cache: dict | None, taxonomy: Taxonomy,
                    root: Path) -> tuple[pl.DataFrame, int]:
    """`prepare_records` of `rows` with their night_cache.KEY, taking the records the last
    night prepared from `cache`; and how many were taken."""
    key = night_cache.KEY
    keys = night_cache.keys(rows, RECORD_KEY_COLUMNS)
    files = night_cache.holding(cache, root, keys, taxonomy)
    cached = night_cache.scan(cache, root, "prepared-*.parquet", taxonomy, only=files)
    if cached is not None:
        cached = night_cache.collect(
            cached.filter(pl.col(key).is_in(keys.implode()))
            .unique(key, keep="first", maintain_order=True), "normalise")
    if cached is None or not cached.height:
        return prepare_records(rows, taxonomy).with_columns(keys), 0
    order = pl.DataFrame({key: keys, "_i": pl.int_range(rows.height, dtype=pl.UInt32,
                                                         eager=True)})
    hit = keys.is_in(cached[key].implode())
    parts = [cached.join(order, on=key)]
    if not hit.all():
        parts.append(prepare_records(rows.filter(~hit), taxonomy).hstack(order.filter(~hit)))
    return pl.concat(parts).sort("_i").drop("_i"), parts[0].height


def reduce(*, data_dir: str | Path, date: str, run_id: str, shards: list[dict[str, Any]],
           taxonomy: Taxonomy) -> dict[str, Any]:
    """Duplicates linked over every shard's compact keys (in shard order; `shards`: what
    `prepare_shard` returned, each shard once) against the state as of the night before
    `date`, the candidate state written, the canonical postings written next to the
    courses; then the run's shard folder is removed. Returns the stage's report."""
    from schemas.lock import data_lock
    from transform.postings import state as state_files

    layout = DataLayout(data_dir)
    with data_lock(layout, holder=f"normalise reduce {date}"):
        folder = layout.shards(run_id, SHARD_STAGE)
        planned = json.loads((folder / PLAN).read_text())
        done = sorted(s["index"] for s in shards)
        if done != list(range(planned["shards"])):
            raise RuntimeError(f"normalise: shards {done} of {planned['shards']} prepared")
        files = [_shard_file(folder, "prepared", i) for i in range(planned["shards"])]
        keys = pl.concat([pl.read_parquet(f, columns=list(KEY_COLUMNS)) for f in files])
        base = state_files.base_for(layout.root, date)
        snapshot = state_files.open_base(layout.root, base)
        chosen, found = link_records(keys, day=date_cls.fromisoformat(date),
                                     seen=snapshot.select)
        written = state_files.write_candidate(layout.root, date, base, snapshot, found)
        postings = write_postings(files, chosen, layout.normalised(date) / "postings.parquet",
                                  taxonomy=taxonomy, work=folder / "chunks")
        counts = {**planned["counts"], "duplicate_links": found.links,
                  "state": {"base": base[0], **written},
                  "records_from_cache": sum(s.get("from_cache", 0) for s in shards)}
        report = _postings_report(date, postings, counts)
        night_cache.keep(layout.night_cache(SHARD_STAGE), files, name=safe_run_id(run_id),
                         date=date, taxonomy=taxonomy, index="prepared-*.parquet")
        shutil.rmtree(folder)
        with contextlib.suppress(OSError):  # the run's shards folder, once it is empty
            folder.parent.rmdir()
    return report


REPORT_COLUMNS = ("duplicates", "first_seen", "role", "sector")


def write_postings(files: list[Path], chosen: pl.DataFrame, out: Path, *, taxonomy: Taxonomy,
                   work: Path, chunk: int | None = None) -> pl.DataFrame:
    """`finish_postings` of the prepared shard `files` written to `out`, sorted by
    posting_id: in one piece for a night of at most `chunk` canonical postings, else
    `chunk` postings (by posting_id) at a time, each shard's rows first set apart in `work`
    by chunk, so memory is bounded by a chunk and a shard, not the night. Returns the
    postings' REPORT_COLUMNS. `chunk`: POSTINGS_CHUNK unless given."""
    chunk = chunk or POSTINGS_CHUNK
    tmp = out.with_suffix(".tmp")
    if chosen.height <= chunk:
        postings = finish_postings(pl.scan_parquet(files), chosen, taxonomy=taxonomy)
        postings.write_parquet(tmp)
        os.replace(tmp, out)
        return postings.select(REPORT_COLUMNS)
    import pyarrow.parquet as pq

    work.mkdir(parents=True, exist_ok=True)
    chosen = chosen.with_columns(
        _chunk=((pl.col("posting_id").rank("ordinal") - 1) // chunk).cast(pl.UInt32))
    for i, file in enumerate(files):
        part = (pl.scan_parquet(file).join(chosen.lazy(), on="posting_id")
                .pipe(with_role_prior, taxonomy)
                .select(*POSTINGS.schema.names(), "text", "_chunk").collect())
        for (c,), piece in part.partition_by("_chunk", as_dict=True).items():
            piece.drop("_chunk").write_parquet(work / f"{c:05d}-{i:05d}.parquet")
    compact, writer = [], None
    try:
        for c in range(int(chosen["_chunk"].max()) + 1):
            pieces = sorted(work.glob(f"{c:05d}-*.parquet"))
            postings = pl.read_parquet(pieces).sort("posting_id")
            table = postings.to_arrow()
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=chunk)
            compact.append(postings.select(REPORT_COLUMNS))
            for piece in pieces:
                piece.unlink()
    finally:
        if writer is not None:
            writer.close()
    os.replace(tmp, out)
    return pl.concat(compact)


def _postings_report(date: str, postings: pl.DataFrame,
                     counts: dict[str, Any]) -> dict[str, Any]:
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
        "records_from_cache": counts["records_from_cache"],
    }
    log.info("normalised: %s", report)
    return report
