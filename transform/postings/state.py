"""The dedupe state's files and life cycle: read as of a night, written per run, promoted with
the release.

Files (paths: schemas/layout.py):

- `state/seen/last_seen=<YYYY-MM>/<digest>.parquet`: **segments**, the state's rows (one per
  source record ever seen: transform/postings/duplicates.py's STATE_SCHEMA and its LSH band
  keys) partitioned by the month the record was last seen, sorted by posting_id, named by a
  digest of their bytes and never changed once written. `<digest>.deleted.parquet`: the
  posting ids a later night took out of a segment without rewriting it.
- `state/history/date=<D>.json`: night D's **manifest**, the list of segments (and deleted
  lists) its state is made of. Nights share every segment they did not change.
- `state/postings_seen.json`: the current state, a copy of the newest night's manifest;
  `postings_seen.previous.json` the one it replaced.

A night (`write_candidate`) reads only the rows it can link to (duplicates.lookup: predicate
scans of the segments' key columns), and writes only: one new segment per month its new or
changed rows belong to (a record seen again moves to the night's month), and, for each segment
holding rows it changed, either a deleted list (REWRITE_SHARE or less of the segment's rows)
or the segment rewritten without them. Then compaction: a month entirely older than the
near-duplicate window becomes one exact-keys-only segment (no signatures, title or employer
keys, band keys), once; a month with more than MAX_SEGMENTS segments has its smallest merged.

Night D is normalised against the snapshot of the newest night before D (`base_for`), so a
re-run of D gives the same tables whatever ran after it. Normalise writes its candidate next to
the night's normalised tables (`normalised/date=<D>/postings_seen.json`, with the base it
started from, and the segments it wrote in `normalised/date=<D>/postings_seen/`); publish
promotes it after the release is validated and published (`promote`: segments first, then the
night's manifest, then the current pointer, each by one rename), under the data folder's
lock, and refuses (StateConflict) when another run promoted a newer base for D in the
meantime, so no run's records are silently dropped. `rollback` withdraws a night's manifest.

Retention: the manifests of the newest KEEP_SNAPSHOTS nights are kept (older ones, and the
whole-state copies older versions wrote, are deleted at promote), and every segment none of
them, the current and previous pointers or a pending candidate lists is deleted. A night whose
base was pruned cannot be re-run reproducibly: `base_for` says so (StatePruned).

A data folder of an older version (a single `postings_seen.parquet`, `history/date=<D>.parquet`
copies) is read as it is; the first night after the upgrade writes its whole state as segments.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import date as date_cls
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl

from schemas.files import atomic_write
from schemas.layout import DataLayout
from transform.postings import duplicates

FORMAT = 2
MAX_SEGMENTS = 8  # a month with more segments than this has its smallest merged...
KEEP_SEGMENTS = 4  # ...down to this many
REWRITE_SHARE = 0.25  # a segment losing more of its rows than this is rewritten without them
KEEP_SNAPSHOTS = 90  # nights whose manifests (and so segments) are kept: re-runnable nights
ROW_GROUP = 65_536  # rows per Parquet row group of a segment: what a scan decodes at once
_DATE = re.compile(r"date=(\d{4}-\d{2}-\d{2})\.(json|parquet)")


class StateConflict(RuntimeError):
    """Another run changed the state this run was built on; re-run this date."""


class StatePruned(RuntimeError):
    """The state a night builds on was deleted by the retention: it cannot be re-run as it
    ran."""


def history(data_dir: Path) -> dict[str, Path]:
    """Published nights' snapshots by date: manifests, or whole-state copies older versions
    wrote (a manifest wins when a night has both)."""
    folder = DataLayout(Path(data_dir)).state_history
    out: dict[str, Path] = {}
    for p in sorted(folder.glob("date=*")) if folder.exists() else []:
        m = _DATE.fullmatch(p.name)
        if m and (m.group(2) == "json" or m.group(1) not in out):
            out[m.group(1)] = p
    return dict(sorted(out.items()))


def _digest(path: Path | None) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else None


def base_for(data_dir: Path, date: str) -> tuple[str | None, Path | None]:
    """(date, file) of the state night `date` builds on: the newest snapshot before it; a
    data folder without history (older versions) uses its current single-file state."""
    layout = DataLayout(Path(data_dir))
    snapshots = history(layout.root)
    earlier = [d for d in snapshots if d < date]
    if earlier:
        return earlier[-1], snapshots[earlier[-1]]
    if layout.state_retention.exists():
        oldest = json.loads(layout.state_retention.read_text(encoding="utf-8"))["oldest"]
        if oldest < date:
            raise StatePruned(
                f"the dedupe state {date} builds on (a night before it, on or after {oldest}) "
                f"was deleted by the retention (the newest {KEEP_SNAPSHOTS} nights are kept): "
                "this night cannot be re-run as it ran")
    if not snapshots and layout.seen_postings.exists():
        return "legacy", layout.seen_postings
    return None, None


# -- reading


@dataclass
class Snapshot:
    """The state as of one night: its segments, found in `folders` (the candidate's own first,
    then state/seen), or a whole state held in memory (`frame`: an older version's file)."""

    segments: list[dict[str, Any]] = field(default_factory=list)
    folders: tuple[Path, ...] = ()
    frame: pl.DataFrame | None = None
    _deleted: pl.DataFrame | None = None

    def file(self, name: str) -> Path:
        for folder in self.folders:
            if (folder / name).exists():
                return folder / name
        return self.folders[-1] / name

    def deleted(self) -> pl.DataFrame:
        """(segment, posting_id) of every row a deleted list takes out of its segment."""
        if self._deleted is None:
            parts = [pl.read_parquet(self.file(s["deleted"])).select(
                pl.lit(s["file"]).alias("segment"), "posting_id")
                for s in self.segments if s.get("deleted")]
            self._deleted = (pl.concat(parts) if parts else
                             pl.DataFrame(schema={"segment": pl.String, "posting_id": pl.String}))
        return self._deleted

    def select(self, predicate: pl.Expr, columns: list[str] | None = None,
               since: str | None = None) -> pl.DataFrame:
        """The live rows matching `predicate` (pushed down into the Parquet scans), with
        `columns` (default STATE_SCHEMA) and `segment`; only months >= `since` when given."""
        columns = list(columns or duplicates.STATE_SCHEMA.names())
        if "posting_id" not in columns:
            columns.insert(0, "posting_id")
        if self.frame is not None:
            return (self.frame.lazy().filter(predicate).select(columns)
                    .with_columns(segment=pl.lit(None, dtype=pl.String)).collect())
        segments = [s for s in self.segments if since is None or s["month"] >= since]
        if not segments:
            schema = {**{c: _STORED[c] for c in columns}, "segment": pl.String()}
            return pl.DataFrame(schema=schema)
        paths = {str(self.file(s["file"])): s["file"] for s in segments}
        found = (pl.scan_parquet(list(paths), include_file_paths="segment")
                 .filter(predicate).select(*columns, "segment")
                 .collect(engine="streaming")
                 .with_columns(pl.col("segment").replace_strict(paths, return_dtype=pl.String)))
        deleted = self.deleted()
        if deleted.height and found.height:
            found = found.join(deleted, on=["segment", "posting_id"], how="anti",
                               maintain_order="left")
        return found

    def read(self) -> pl.DataFrame:
        """Every row (STATE_SCHEMA), sorted by posting_id."""
        rows = self.frame if self.frame is not None else self.select(pl.lit(True))
        return rows.select(duplicates.STATE_SCHEMA.names()).sort("posting_id")

    def rows(self) -> int:
        if self.frame is not None:
            return self.frame.height
        return sum(s["live"] for s in self.segments)


_STORED = pl.Schema({**duplicates.STATE_SCHEMA,
                     **{c: pl.UInt64() for c in duplicates.lsh_columns()}})


def _manifest(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def open_base(data_dir: Path, base: tuple[str | None, Path | None]) -> Snapshot:
    """The state a night builds on (`base_for`'s answer)."""
    layout = DataLayout(Path(data_dir))
    path = base[1]
    if path is None:
        return Snapshot(frame=duplicates.stored(duplicates.empty_state()))
    if path.suffix == ".parquet":  # an older version's single file: read whole, once
        return Snapshot(frame=duplicates.stored(duplicates.read_state_file(path)))
    return Snapshot(_manifest(path)["segments"], (layout.state_segments,))


def read(data_dir: Path, date: str | None = None) -> pl.DataFrame:
    """The state after night `date` (default: the newest night's, the current state), every
    row (STATE_SCHEMA, sorted by posting_id); empty before the first night."""
    layout = DataLayout(Path(data_dir))
    snapshots = history(layout.root)
    if date is not None:
        path: Path | None = snapshots[date]
    elif snapshots:
        path = snapshots[max(snapshots)]
    else:
        path = layout.seen_postings if layout.seen_postings.exists() else None
    return open_base(layout.root, (date, path)).read()


# -- writing a night's candidate


def _bytes(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf, row_group_size=ROW_GROUP)
    return buf.getvalue()


@dataclass
class _Night:
    """The segments of the state being built, and the files written for it."""

    layout: DataLayout
    base: Snapshot
    segments: dict[str, dict[str, Any]]
    files: dict[str, bytes] = field(default_factory=dict)  # new files by name
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)  # new segments' rows

    def rows_of(self, name: str) -> pl.DataFrame:
        """A segment's live rows (stored columns)."""
        seg = self.segments[name]
        rows = (self.frames[name] if name in self.frames
                else pl.read_parquet(self.base.file(name)))
        if seg.get("deleted"):
            gone = (pl.read_parquet(io.BytesIO(self.files[seg["deleted"]]))
                    if seg["deleted"] in self.files
                    else pl.read_parquet(self.base.file(seg["deleted"])))
            rows = rows.join(gone, on="posting_id", how="anti", maintain_order="left")
        return rows

    def add(self, month: str, rows: pl.DataFrame, exact_only: bool) -> None:
        if rows.is_empty():
            return
        rows = duplicates.exact_only(rows) if exact_only else rows
        rows = rows.select(_STORED.names()).cast(dict(_STORED)).sort("posting_id")
        body = _bytes(rows)
        name = self.layout.state_segment_name(month, hashlib.sha256(body).hexdigest()[:24])
        self.files[name] = body
        self.frames[name] = rows
        self.segments[name] = {"month": month, "file": name, "rows": rows.height,
                               "live": rows.height, "deleted": None, "exact_only": exact_only}

    def drop(self, name: str) -> None:
        seg = self.segments.pop(name)
        self.files.pop(name, None)
        self.frames.pop(name, None)
        if seg.get("deleted"):
            self.files.pop(seg["deleted"], None)

    def merge(self, names: list[str], exact_only: bool) -> None:
        month = self.segments[names[0]]["month"]
        rows = pl.concat([self.rows_of(n) for n in names])
        for n in names:
            self.drop(n)
        self.add(month, rows, exact_only)

    def take_out(self, name: str, ids: pl.Series) -> None:
        """Remove rows `ids` from segment `name`: listed as deleted, or the segment rewritten
        without them when it loses more than REWRITE_SHARE of its rows."""
        seg = self.segments[name]
        before = (pl.read_parquet(self.base.file(seg["deleted"]))["posting_id"]
                  if seg.get("deleted") else pl.Series("posting_id", [], dtype=pl.String))
        gone = pl.concat([before, ids.rename("posting_id")]).unique().sort()
        if gone.len() > REWRITE_SHARE * seg["rows"]:
            rows = self.rows_of(name).join(gone.to_frame(), on="posting_id", how="anti")
            self.drop(name)
            self.add(seg["month"], rows, seg["exact_only"])
            return
        body = _bytes(gone.to_frame())
        deleted = self.layout.state_segment_name(seg["month"],
                                                 hashlib.sha256(body).hexdigest()[:24],
                                                 "deleted")
        self.files[deleted] = body
        self.segments[name] = {**seg, "deleted": deleted, "live": seg["rows"] - gone.len()}

    def compact(self, day: date_cls) -> None:
        cutoff = (day - timedelta(days=duplicates.REPOST_WINDOW_DAYS)).strftime("%Y-%m")
        months = sorted({s["month"] for s in self.segments.values()})
        for month in months:
            names = sorted(n for n, s in self.segments.items() if s["month"] == month)
            if month < cutoff and not all(self.segments[n]["exact_only"] for n in names):
                self.merge(names, exact_only=True)  # left the window: exact keys only, once
            elif len(names) > MAX_SEGMENTS:
                smallest = sorted(names, key=lambda n: (self.segments[n]["live"], n))
                chosen = sorted(smallest[:len(names) - KEEP_SEGMENTS + 1])
                self.merge(chosen, all(self.segments[n]["exact_only"] for n in chosen))


def link_night(data_dir: Path, day: date_cls, batch: pl.DataFrame, promote_it: bool = False
               ) -> tuple[duplicates.DedupResult, dict[str, Any]]:
    """One night of keyed records (duplicates.with_keys) linked against the state it builds
    on, its candidate state written (and, with `promote_it`, promoted as publish does):
    (the linking result, what was read and written). For benchmarks and tests; normalise
    runs the same steps around its own parsing."""
    d = day.isoformat()
    base = base_for(data_dir, d)
    snapshot = open_base(data_dir, base)
    before = duplicates.lookup(snapshot.select, batch, day)
    found = duplicates.resolve(batch, before, day)
    found.before = before
    written = write_candidate(data_dir, d, base, snapshot, found)
    if promote_it:
        candidate = pending(data_dir, d)
        check_base(data_dir, d, candidate)
        promote(data_dir, d, candidate)
    return found, written


def write_candidate(data_dir: Path, date: str, base: tuple[str | None, Path | None],
                    snapshot: Snapshot, found: duplicates.DedupResult) -> dict[str, Any]:
    """The state after night `date` next to its normalised tables: the manifest (with the base
    it used) and the segment files it wrote. Returns what was read and written."""
    layout = DataLayout(Path(data_dir))
    day = date_cls.fromisoformat(date)
    night = _Night(layout, snapshot, {s["file"]: dict(s) for s in snapshot.segments})
    before = found.before if found.before is not None else snapshot.read().with_columns(
        segment=pl.lit(None, dtype=pl.String))
    rows, moved = duplicates.changed(found.state, before)
    if snapshot.frame is not None:  # first night, or an older version's file: write it all
        kept = snapshot.frame.join(rows.select("posting_id"), on="posting_id", how="anti")
        rows = pl.concat([kept.select(duplicates.STATE_SCHEMA.names()), rows])
    for name, ids in sorted(moved.group_by("segment").agg("posting_id").rows()):
        night.take_out(name, pl.Series(ids, dtype=pl.String))
    cutoff = (day - timedelta(days=duplicates.REPOST_WINDOW_DAYS)).strftime("%Y-%m")
    rows = duplicates.stored(rows).with_columns(
        _month=pl.col("last_seen").dt.strftime("%Y-%m"))
    for (month,), part in sorted(rows.partition_by("_month", as_dict=True).items()):
        night.add(month, part.drop("_month"), exact_only=month < cutoff)
    night.compact(day)

    segments = sorted(night.segments.values(), key=lambda s: s["file"])
    manifest = {"format": FORMAT, "date": date, "base_date": base[0],
                "base_sha256": _digest(base[1]),
                "window_days": duplicates.REPOST_WINDOW_DAYS,
                "rows": sum(s["live"] for s in segments), "segments": segments}
    folder = layout.state_candidate_segments(date)
    shutil.rmtree(folder, ignore_errors=True)
    listed = _files(manifest)
    for name, body in sorted(night.files.items()):
        if name in listed:
            atomic_write(folder / name, body)
    body = json.dumps(manifest, indent=1, sort_keys=True).encode()
    atomic_write(layout.state_candidate(date), body)
    return {"rows": manifest["rows"], "rows_read": before.height, "rows_written": rows.height,
            "segments": len(segments),
            "bytes_written": sum(len(b) for n, b in night.files.items() if n in listed)
            + len(body)}


def _files(manifest: dict[str, Any]) -> set[str]:
    """Every file a manifest lists: segments and deleted lists."""
    return {n for s in manifest["segments"] for n in (s["file"], s.get("deleted")) if n}


def pending(data_dir: Path, date: str) -> dict[str, Any] | None:
    """The candidate state normalise wrote for `date`, or None."""
    path = DataLayout(Path(data_dir)).state_candidate(date)
    if not path.exists():
        return None
    manifest = _manifest(path)
    return {"path": path, "base_date": manifest["base_date"],
            "base_sha256": manifest["base_sha256"]}


def check_base(data_dir: Path, date: str, candidate: dict[str, Any]) -> None:
    """StateConflict unless the base `candidate` was built on is still the base for `date`."""
    base_date, base_path = base_for(Path(data_dir), date)
    if (base_date, _digest(base_path)) != (candidate["base_date"], candidate["base_sha256"]):
        raise StateConflict(
            f"the dedupe state for {date} changed while this run was working (it started from "
            f"{candidate['base_date'] or 'nothing'}, the base is now {base_date or 'nothing'}): "
            "another run published in between; re-run this date so no records are lost")


# -- promoting, rolling back, retention


def _place(src: Path, dest: Path) -> None:
    """`src` at `dest` by one rename (a hard link, else a copy)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
        tmp.chmod(0o644)
    os.replace(tmp, dest)


def promote(data_dir: Path, date: str, candidate: dict[str, Any]) -> bool:
    """Keep the candidate as night `date`'s snapshot: its new segments into state/seen, then its
    manifest into history; make the newest snapshot the current state (the replaced one kept
    as previous); apply the retention. Returns whether the current state changed."""
    layout = DataLayout(Path(data_dir))
    body = Path(candidate["path"]).read_bytes()
    own = layout.state_candidate_segments(date)
    for name in sorted(_files(json.loads(body))):
        dest = layout.state_segments / name
        if dest.exists():
            continue
        if not (own / name).exists():
            raise StateConflict(f"segment {name} of the dedupe state for {date} is gone (deleted "
                                "by the retention since this run started?): re-run this date")
        _place(own / name, dest)
    atomic_write(layout.state_snapshot(date), body)
    changed = _make_current(layout)
    retain(layout.root)
    return changed


def _make_current(layout: DataLayout) -> bool:
    """The newest snapshot's manifest as the current state, the replaced one as previous."""
    snapshots = history(layout.root)
    newest = snapshots[max(snapshots)] if snapshots else None
    current = layout.state_manifest
    if newest is None or newest.suffix != ".json":  # nothing, or an older version's file
        if not current.exists():
            return False
        _place(current, layout.state_manifest_previous)
        current.unlink()
        return True
    body = newest.read_bytes()
    if current.exists() and current.read_bytes() == body:
        return False
    if current.exists():
        _place(current, layout.state_manifest_previous)
    atomic_write(current, body)
    return True


def rollback(data_dir: Path, date: str | None = None) -> str | None:
    """Withdraw night `date`'s snapshot (default: the newest night's): its manifest moves to
    history/rolled-back/, the newest remaining one becomes current, and the next night builds
    on it. Returns the night withdrawn (None: no snapshot). Holds the data folder's lock."""
    from schemas.lock import data_lock

    layout = DataLayout(Path(data_dir))
    with data_lock(layout, holder="state rollback"):
        snapshots = history(layout.root)
        date = date or (max(snapshots) if snapshots else None)
        if date is None:
            return None
        path = snapshots[date]
        layout.state_rolled_back.mkdir(parents=True, exist_ok=True)
        os.replace(path, layout.state_rolled_back / path.name)
        _make_current(layout)
        return date


def retain(data_dir: Path, keep: int | None = None) -> list[str]:
    """Delete the snapshots of all but the newest `keep` nights (noting the oldest deleted,
    for base_for), then every segment file no kept manifest, current or previous pointer, or
    candidate of a kept night lists. Returns the nights pruned. Called under the lock."""
    layout = DataLayout(Path(data_dir))
    keep = KEEP_SNAPSHOTS if keep is None else keep
    snapshots = history(layout.root)
    pruned = list(snapshots)[:-keep] if len(snapshots) > keep else []
    if pruned:
        oldest = pruned[0]
        if layout.state_retention.exists():
            oldest = min(oldest, _manifest(layout.state_retention)["oldest"])
        atomic_write(layout.state_retention, json.dumps({"oldest": oldest}).encode())
        for night in pruned:
            for path in (layout.state_snapshot(night), layout.legacy_state_snapshot(night)):
                path.unlink(missing_ok=True)
    kept = history(layout.root)
    manifests = [p for p in kept.values() if p.suffix == ".json"]
    manifests += [p for p in (layout.state_manifest, layout.state_manifest_previous)
                  if p.exists()]
    first = min(kept) if kept else ""
    manifests += [p for night, p in layout.state_candidates().items() if night >= first]
    listed = set().union(*(_files(_manifest(p)) for p in manifests))
    folder = layout.state_segments
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        if path.is_file() and path.relative_to(folder).as_posix() not in listed:
            path.unlink()
    for month in sorted(folder.glob("*")) if folder.exists() else []:
        if month.is_dir() and not any(month.iterdir()):
            month.rmdir()
    return pruned
