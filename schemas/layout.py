"""The data folder's floor plan: the one place that knows where each stage reads and writes.

    DATA_DIR/raw/source=<name>/date=<day>/          payloads as received (extract)
    DATA_DIR/quarantine/source=<name>/date=<day>/   payloads that did not parse
    DATA_DIR/staging/source=<name>/date=<day>/      each source's rows, common columns
    DATA_DIR/normalised/date=<day>/                 canonical postings and courses, skills
    DATA_DIR/state/seen/last_seen=<YYYY-MM>/        the dedupe state: every source record seen
                                                    so far, in segments by month last seen
    DATA_DIR/state/history/date=<day>.json          the state after each published night: the
                                                    segments it is made of (a manifest)
    DATA_DIR/state/postings_seen.json               the current state: the newest night's manifest
    DATA_DIR/state/postings_seen.parquet            the single-file state of older versions
                                                    (read once, to migrate)
    DATA_DIR/.lock                                  one run (or writing stage) at a time
    DATA_DIR/dataset/releases/<run id>/             each run's release
    DATA_DIR/dataset/manifest.json                  the published dataset: the pointer to
                                                    the current release's tables
    DATA_DIR/dataset/current, *.parquet             symlinks to the current release
    DATA_DIR/quality/<run id>.json, quality/gx/     Great Expectations results
    DATA_DIR/runs/<run id>/extract/<source>.json    per-source extract reports
    DATA_DIR/runs/<run id>/sources.json             the run's configured sources
    DATA_DIR/runs/<run id>/shards/<stage>/          a sharded stage's plan, shard inputs and
                                                    outputs, until its reduce step
    DATA_DIR/reports/<run id>.html, latest.html     the HTML run reports

`DataLayout(data_dir)` names these paths; `RunContext(layout, date, run_id)` adds one run's.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "MICROCAREER_DATA_DIR"
MANIFEST = "manifest.json"
LATEST_REPORT = "latest.html"
STAGED_NAMES = {"jobs": "postings", "courses": "courses"}
SHARDS_KEPT_S = 2 * 86400  # another run's shard folder untouched this long is left over


def default_data_dir() -> Path:
    """$MICROCAREER_DATA_DIR, else ./data."""
    return Path(os.environ.get(DATA_DIR_ENV) or "data").resolve()


def safe_run_id(run_id: str) -> str:
    """A run id usable as a folder name (Airflow's contain ':' and '+')."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", run_id).strip("-")


def table_file(folder: Path, table: str) -> Path:
    """A table's Parquet file in a folder of tables (a release, the current dataset...)."""
    return folder / f"{table}.parquet"


@dataclass(frozen=True)
class DataLayout:
    """Every path under one data folder."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @classmethod
    def of(cls, data_dir: str | Path | DataLayout | None = None) -> DataLayout:
        """The layout of `data_dir` (default: $MICROCAREER_DATA_DIR, else ./data)."""
        if isinstance(data_dir, DataLayout):
            return data_dir
        return cls(Path(data_dir) if data_dir is not None else default_data_dir())

    # -- extract: partitions of each source and day
    def partition(self, zone: str, source: str, date: str) -> Path:
        return self.root / zone / f"source={source}" / f"date={date}"

    def raw(self, source: str, date: str) -> Path:
        return self.partition("raw", source, date)

    def quarantine(self, source: str, date: str) -> Path:
        return self.partition("quarantine", source, date)

    @property
    def staging_root(self) -> Path:
        return self.root / "staging"

    def staging(self, source: str, date: str) -> Path:
        return self.partition("staging", source, date)

    def staged(self, source: str, date: str, kind: str) -> Path:
        """The staged rows of one source and day; kind "jobs" or "courses"."""
        return self.staging(source, date) / f"{STAGED_NAMES[kind]}.parquet"

    def staged_files(self, date: str, name: str, sources: list[str] | None = None) -> list[Path]:
        """Staged `name` ("postings" or "courses") files of `date`, of `sources` (default:
        every source staged that day), sorted by path."""
        files = sorted(self.staging_root.glob(f"source=*/date={date}/{name}.parquet"))
        if sources is not None:
            wanted = {f"source={s}" for s in sources}
            files = [f for f in files if f.parent.parent.name in wanted]
        return files

    @property
    def http_cache(self) -> Path:
        return self.root / "http_cache.sqlite"

    # -- transform
    def normalised(self, date: str) -> Path:
        return self.root / "normalised" / f"date={date}"

    def night_cache(self, stage: str) -> Path:
        """A sharded stage's per-record results of the last night, reused by the next
        (transform/night_cache.py)."""
        return self.root / "cache" / stage

    @property
    def state_root(self) -> Path:
        """The dedupe state's folder (transform/postings/state.py)."""
        return self.root / "state"

    @property
    def state_segments(self) -> Path:
        """The dedupe state's segment files, by month last seen:
        last_seen=<YYYY-MM>/<content digest>.parquet (shared by every night that lists them)."""
        return self.state_root / "seen"

    @staticmethod
    def state_segment_name(month: str, digest: str, kind: str = "rows") -> str:
        """A segment file's name under state_segments (or a candidate's folder): its month
        last seen and content digest; kind "rows", or "deleted" (the rows dropped from one)."""
        suffix = "" if kind == "rows" else f".{kind}"
        return f"last_seen={month}/{digest}{suffix}.parquet"

    @property
    def state_manifest(self) -> Path:
        """The current dedupe state: a copy of the newest published night's manifest."""
        return self.state_root / "postings_seen.json"

    @property
    def state_manifest_previous(self) -> Path:
        """The manifest the current one replaced."""
        return self.state_root / "postings_seen.previous.json"

    @property
    def state_history(self) -> Path:
        """The dedupe state after each published night: date=<day>.json (a manifest), or
        date=<day>.parquet (a whole copy, written by older versions)."""
        return self.state_root / "history"

    def state_snapshot(self, date: str) -> Path:
        return self.state_history / f"date={date}.json"

    def legacy_state_snapshot(self, date: str) -> Path:
        """Night `date`'s whole-state copy, as older versions wrote it."""
        return self.state_history / f"date={date}.parquet"

    @property
    def state_rolled_back(self) -> Path:
        """The manifests of nights withdrawn by a rollback, kept for inspection."""
        return self.state_history / "rolled-back"

    @property
    def state_retention(self) -> Path:
        """What the retention pruned: the oldest night whose snapshot was deleted."""
        return self.state_history / "pruned.json"

    def state_candidate(self, date: str) -> Path:
        """The state normalise built for `date`, waiting for publish: its manifest..."""
        return self.normalised(date) / "postings_seen.json"

    def state_candidate_segments(self, date: str) -> Path:
        """...and the segment files it wrote (the others are the base's, in state/seen)."""
        return self.normalised(date) / "postings_seen"

    def state_candidates(self) -> dict[str, Path]:
        """Every night's candidate state manifest, by date."""
        found = sorted((self.root / "normalised").glob("date=*/postings_seen.json"))
        return {p.parent.name.removeprefix("date="): p for p in found}

    @property
    def seen_postings(self) -> Path:
        """The single-file dedupe state of older versions (one row per source record ever
        seen); read once, when the first night after an upgrade migrates it."""
        return self.state_root / "postings_seen.parquet"

    @property
    def seen_postings_previous(self) -> Path:
        """The single-file state that one replaced (older versions)."""
        return self.state_root / "postings_seen.previous.parquet"

    @property
    def lock(self) -> Path:
        """The data folder's lock file (schemas/lock.py)."""
        return self.root / ".lock"

    # -- the dataset
    @property
    def current(self) -> Path:
        """The published dataset's folder."""
        return self.root / "dataset"

    @property
    def manifest(self) -> Path:
        """The published dataset's manifest.json: the pointer to the current release."""
        return self.current / MANIFEST

    @property
    def current_link(self) -> Path:
        """The symlink to the current release's folder (dataset/<table>.parquet go through
        it)."""
        return self.current / "current"

    @property
    def releases(self) -> Path:
        return self.current / "releases"

    def release(self, run_id: str) -> Path:
        return self.releases / safe_run_id(run_id)

    # -- run records
    @property
    def quality(self) -> Path:
        """The Great Expectations project (results and Data Docs)."""
        return self.root / "quality"

    def quality_result(self, run_id: str) -> Path:
        return self.quality / f"{run_id}.json"

    def extract_reports(self, run_id: str) -> Path:
        return self.root / "runs" / run_id / "extract"

    def source_report(self, run_id: str, source: str) -> Path:
        return self.extract_reports(run_id) / f"{source}.json"

    def configured_sources(self, run_id: str) -> Path:
        """The sources a run is configured with: one without a report is a failed source."""
        return self.root / "runs" / run_id / "sources.json"

    def shards(self, run_id: str, stage: str) -> Path:
        """A sharded stage's working files in one run (its plan, each shard's input and
        output: microcareer/stages.py); its reduce step removes them."""
        return self.root / "runs" / run_id / "shards" / stage

    def stale_shards(self, keep: str, older_than_s: float = SHARDS_KEPT_S) -> list[Path]:
        """The shard folders of runs other than `keep` untouched for `older_than_s`: what
        a failed or killed run left between a plan and its reduce (they hold the night's
        texts). A run still working touches its folder at each shard."""
        now = time.time()
        return sorted(
            f for f in (self.root / "runs").glob("*/shards")
            if f.parent.name != keep
            and now - max((p.stat().st_mtime for p in (f, *f.rglob("*"))), default=0)
            > older_than_s)

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def run_report(self, name: str) -> Path:
        return self.reports / f"{name}.html"

    @property
    def latest_report(self) -> Path:
        return self.reports / LATEST_REPORT


@dataclass(frozen=True)
class RunContext:
    """One run: its data folder, logical date and (folder-safe) run id; `publish_older`: make
    its release current even when the current one is for a newer date (a forced backfill)."""

    layout: DataLayout
    date: str
    run_id: str
    publish_older: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "run_id", safe_run_id(self.run_id))

    @property
    def release(self) -> Path:
        return self.layout.release(self.run_id)

    @property
    def normalised(self) -> Path:
        return self.layout.normalised(self.date)
