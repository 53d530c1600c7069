"""The nightly job's stages, run in-process: the same functions the Airflow DAG's tasks call."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as date_cls
from pathlib import Path
from typing import Any

from extract.config import check_date, load_config
from extract.run import extract_source, read_reports, record_configured
from microcareer.logs import progress

DATA_DIR_ENV = "MICROCAREER_DATA_DIR"
ALLOWED_ROOTS_ENV = "MICROCAREER_ALLOWED_ROOTS"


def check_allowed(path: str, what: str) -> str:
    """`path` (a DAG param) if it is empty or inside one of $MICROCAREER_ALLOWED_ROOTS
    (':'-separated; unset or empty: no limit), else ValueError."""
    roots = [r for r in os.environ.get(ALLOWED_ROOTS_ENV, "").split(":") if r.strip()]
    if not path or not roots:
        return path
    resolved = Path(path).resolve()
    if any(resolved.is_relative_to(Path(r).resolve()) for r in roots):
        return path
    raise ValueError(f"{what} {path!r} is outside the allowed roots ({ALLOWED_ROOTS_ENV}: "
                     f"{':'.join(roots)})")


def default_data_dir() -> Path:
    """$MICROCAREER_DATA_DIR, else ./data."""
    return Path(os.environ.get(DATA_DIR_ENV) or "data").resolve()


def safe_run_id(run_id: str) -> str:
    """A run id usable as a folder name (Airflow's contain ':' and '+')."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", run_id).strip("-")


def release_dir(data_dir: Path, run_id: str) -> Path:
    return data_dir / "dataset" / "releases" / safe_run_id(run_id)


def validate_and_publish(*, data_dir: Path, run_id: str, date: str, release: Path,
                         publish_older: bool = False) -> dict[str, Any]:
    """Make `release` current only if it passes validation (else ValidationFailed, and the
    current dataset stays as it was); return the published manifest."""
    from schemas import validate
    from transform import publish

    validation = validate.run(data_dir=data_dir, run_id=run_id, release_dir=release, date=date)
    return publish.run(data_dir=data_dir, run_id=run_id, date=date, release_dir=release,
                       validation=validation, publish_older=publish_older)


@dataclass
class RunResult:
    run_id: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    stages: dict[str, Any] = field(default_factory=dict)
    report: Path | None = None


def run_pipeline(*, config: str | Path | None = None, data_dir: str | Path | None = None,
                 date: str | None = None, run_id: str | None = None,
                 publish_older: bool = False) -> RunResult:
    """Extract every source, normalise, extract skills, aggregate, validate, publish; the
    whole run holds the data folder's lock (a second run on the folder waits for it)."""
    from schemas.lock import data_lock

    data_dir = Path(data_dir).resolve() if data_dir else default_data_dir()
    date = date or date_cls.today().isoformat()
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
    run_id = safe_run_id(run_id or f"local__{date}__{now}")
    check_date(date)
    cfg = load_config(config)
    with data_lock(data_dir, holder=f"microcareer run {run_id}"):
        return _run_pipeline(cfg=cfg, data_dir=data_dir, date=date, run_id=run_id,
                             publish_older=publish_older)


def _run_pipeline(*, cfg: Any, data_dir: Path, date: str, run_id: str,
                  publish_older: bool) -> RunResult:
    from transform import aggregate, normalise, skills

    result = RunResult(run_id=run_id)
    release = release_dir(data_dir, run_id)
    record_configured(data_dir, run_id, cfg.source_names)

    for i, name in enumerate(cfg.source_names, 1):
        t = time.perf_counter()
        try:
            report = extract_source(name, data_dir=data_dir, date=date, run_id=run_id,
                                    config=cfg.path)
        except Exception:  # any: its report says "failed" with the exception; go on
            report = next(r for r in read_reports(data_dir, run_id) if r["source"] == name)
        result.sources.append(report)
        progress(f"[extract {i}/{len(cfg.source_names)}] {name}: {report['records']:,} records, "
                 f"{report['status']} ({time.perf_counter() - t:.1f} s)")
    steps = [
        ("normalise", lambda: normalise.run(data_dir=data_dir, date=date,
                                            sources=cfg.source_names)),
        ("skills", lambda: skills.run(data_dir=data_dir, date=date)),
        ("aggregate", lambda: aggregate.run(data_dir=data_dir, date=date, release_dir=release)),
        ("validate and publish", lambda: validate_and_publish(
            data_dir=data_dir, run_id=run_id, date=date, release=release,
            publish_older=publish_older)),
    ]
    try:
        for name, step in steps:
            t = time.perf_counter()
            progress(f"[{name}] running")
            result.stages[name] = step()
            progress(f"[{name}] done ({time.perf_counter() - t:.1f} s)")
    finally:
        result.report = write_run_report(data_dir, run_id)
    return result


def write_run_report(data_dir: str | Path, run_id: str) -> Path | None:
    """Write the run's HTML report (also when a stage failed) and print its path; a broken
    report is logged, never raised, so it cannot hide the run's own outcome."""
    from microcareer.report import write_report

    t = time.perf_counter()
    try:
        path = write_report(data_dir, run_id)
    except Exception as exc:  # any: the report must not mask the run's own result
        progress(f"[report] not written: {type(exc).__name__}: {exc}")
        return None
    progress(f"[report] {path} ({time.perf_counter() - t:.1f} s)")
    return path
