"""The dedupe state's life cycle: read as of a night, written per run, promoted with the release.

- `state/history/date=<D>.parquet`: the state after night D, one file per published night.
- `state/postings_seen.parquet`: the current state, the newest night's snapshot;
  `state/postings_seen.previous.parquet` is the one it replaced (roll back a bad night by
  copying it back, or by deleting the night's history file).

Night D is normalised against the snapshot of the newest night before D (`base_for`), so a
re-run of D gives the same tables whatever ran after it. Normalise writes its candidate state
next to the night's normalised tables (`normalised/date=<D>/postings_seen.parquet`, with the
base it started from); publish promotes it after the release is validated and published
(`promote`), under the data folder's lock, and refuses (StateConflict) when another run
promoted a newer base for D in the meantime, so no run's records are silently dropped.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import polars as pl

from schemas.files import atomic_write
from schemas.layout import DataLayout

CANDIDATE = "postings_seen.parquet"
CANDIDATE_META = "postings_seen.base.json"
_DATE = re.compile(r"date=(\d{4}-\d{2}-\d{2})\.parquet")


class StateConflict(RuntimeError):
    """Another run changed the state this run was built on; re-run this date."""


def history(data_dir: Path) -> dict[str, Path]:
    """Published nights' snapshots by date."""
    folder = DataLayout(Path(data_dir)).state_history
    out = {}
    for p in sorted(folder.glob("date=*.parquet")) if folder.exists() else []:
        m = _DATE.fullmatch(p.name)
        if m:
            out[m.group(1)] = p
    return out


def _digest(path: Path | None) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else None


def base_for(data_dir: Path, date: str) -> tuple[str | None, Path | None]:
    """(date, file) of the state night `date` builds on: the newest snapshot before it; a
    data folder without history (older versions) uses its current state file."""
    snapshots = history(data_dir)
    earlier = [d for d in snapshots if d < date]
    if earlier:
        return earlier[-1], snapshots[earlier[-1]]
    legacy = DataLayout(Path(data_dir)).seen_postings
    if not snapshots and legacy.exists():
        return "legacy", legacy
    return None, None


def write_candidate(folder: Path, state: pl.DataFrame, base: tuple[str | None, Path | None]
                    ) -> None:
    """The state after this night, next to its normalised tables, with the base it used."""
    buf = io.BytesIO()
    state.sort("posting_id").write_parquet(buf)
    atomic_write(folder / CANDIDATE, buf.getvalue())
    atomic_write(folder / CANDIDATE_META,
                 json.dumps({"base_date": base[0], "base_sha256": _digest(base[1])}).encode())


def pending(data_dir: Path, date: str) -> dict[str, Any] | None:
    """The candidate state normalise wrote for `date`, or None."""
    folder = DataLayout(Path(data_dir)).normalised(date)
    if not (folder / CANDIDATE).exists() or not (folder / CANDIDATE_META).exists():
        return None
    return {"path": folder / CANDIDATE,
            **json.loads((folder / CANDIDATE_META).read_text(encoding="utf-8"))}


def check_base(data_dir: Path, date: str, candidate: dict[str, Any]) -> None:
    """StateConflict unless the base `candidate` was built on is still the base for `date`."""
    base_date, base_path = base_for(Path(data_dir), date)
    if (base_date, _digest(base_path)) != (candidate["base_date"], candidate["base_sha256"]):
        raise StateConflict(
            f"the dedupe state for {date} changed while this run was working (it started from "
            f"{candidate['base_date'] or 'nothing'}, the base is now {base_date or 'nothing'}): "
            "another run published in between; re-run this date so no records are lost")


def promote(data_dir: Path, date: str, candidate: dict[str, Any]) -> bool:
    """Keep the candidate as night `date`'s snapshot; make the newest snapshot the current
    state (the replaced one kept as previous). Returns whether the current state changed."""
    layout = DataLayout(Path(data_dir))
    body = Path(candidate["path"]).read_bytes()
    atomic_write(layout.state_snapshot(date), body)
    snapshots = history(layout.root)
    newest = snapshots[max(snapshots)]
    current = layout.seen_postings
    if current.exists() and current.read_bytes() == newest.read_bytes():
        return False
    if current.exists():
        previous = layout.seen_postings_previous
        tmp = previous.with_name(f".{previous.name}.tmp")
        shutil.copyfile(current, tmp)
        tmp.chmod(0o644)
        tmp.replace(previous)
    atomic_write(current, newest.read_bytes())
    return True
