"""`microcareer run`: the nightly job's stages (microcareer/stages.py), in-process, in order;
the same functions, inputs and outcome rule as the Airflow DAG's tasks."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as date_cls
from pathlib import Path
from typing import Any

from extract.config import check_date, load_config
from microcareer import stages
from microcareer.logs import progress
from schemas.layout import DATA_DIR_ENV, DataLayout, RunContext, default_data_dir, safe_run_id
from schemas.records import Manifest, SourceReport, read_source_reports, record_configured
from schemas.validate import import_gx

ALLOWED_ROOTS_ENV = "MICROCAREER_ALLOWED_ROOTS"

__all__ = ["ALLOWED_ROOTS_ENV", "DATA_DIR_ENV", "RunResult", "check_allowed",
           "default_data_dir", "release_dir", "run_pipeline", "safe_run_id",
           "validate_and_publish", "write_run_report"]


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


def release_dir(data_dir: Path, run_id: str) -> Path:
    return DataLayout(data_dir).release(run_id)


def validate_and_publish(*, data_dir: Path, run_id: str, date: str, release: Path,
                         publish_older: bool = False) -> Manifest:
    """Make `release` current only if it passes validation (else ValidationFailed, and the
    current dataset stays as it was); return the published manifest."""
    ctx = RunContext(DataLayout(data_dir), date, run_id, publish_older=publish_older)
    return stages.publish(ctx, str(release), stages.validate(ctx, str(release)))


@dataclass
class RunResult:
    run_id: str
    sources: list[SourceReport] = field(default_factory=list)
    stages: dict[str, Any] = field(default_factory=dict)
    report: Path | None = None
    outcome: stages.Outcome | None = None


def run_pipeline(*, config: str | Path | None = None, data_dir: str | Path | None = None,
                 date: str | None = None, run_id: str | None = None,
                 publish_older: bool = False) -> RunResult:
    """Extract every source, then run each of `stages.STAGES`; the run report is written
    whatever happens, and `result.outcome` says how the run ended (a failed stage raises).
    The whole run holds the data folder's lock (a second run on the folder waits for it)."""
    from schemas.lock import data_lock

    data_dir = Path(data_dir).resolve() if data_dir else default_data_dir()
    date = date or date_cls.today().isoformat()
    check_date(date)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
    ctx = RunContext(DataLayout(data_dir), date, run_id or f"local__{date}__{now}",
                     publish_older=publish_older)
    cfg = load_config(config)
    with data_lock(ctx.layout, holder=f"microcareer run {ctx.run_id}"):
        return _run_pipeline(ctx, cfg)


def _run_pipeline(ctx: RunContext, cfg: Any) -> RunResult:
    data_dir = ctx.layout.root
    result = RunResult(run_id=ctx.run_id)
    record_configured(ctx.layout, ctx.run_id, cfg.source_names)

    for i, name in enumerate(cfg.source_names, 1):
        t = time.perf_counter()
        try:
            report = stages.extract(ctx, name, cfg.path)
        except Exception:  # any: its report says "failed" with the exception; go on
            report = next(r for r in read_source_reports(ctx.layout, ctx.run_id)
                          if r["source"] == name)
        result.sources.append(report)
        progress(f"[extract {i}/{len(cfg.source_names)}] {name}: {report['records']:,} records, "
                 f"{report['status']} ({time.perf_counter() - t:.1f} s)")
    values: dict[str, Any] = {"sources": cfg.source_names}
    try:
        for stage in stages.STAGES:
            t = time.perf_counter()
            progress(f"[{stage.name}] running")
            if stage.name == "normalise":
                _beside(import_gx)
            values[stage.output] = stages.run_stage(stage, ctx,
                                                         *(values[i] for i in stage.inputs))
            result.stages[stage.name] = values[stage.output]
            progress(f"[{stage.name}] done ({time.perf_counter() - t:.1f} s)")
    finally:
        result.report = write_run_report(data_dir, ctx.run_id)
    result.outcome = stages.outcome(ctx)
    return result


def _beside(fn: Any) -> None:
    """`fn()` on a thread, errors ignored: a later stage's imports (validate's Great
    Expectations, 1.5-2.5 s of Python) while normalise's shards run in their own processes
    and this one only waits for them (normalise leaves a fifth of the two cores idle); the
    stage then finds them loaded. Not beside aggregate: a thread holding the GIL there
    slows the move model's trees, which take it back for each of thousands of short calls
    (aggregate +4-5 s). Only here: each Airflow task is a process of its own. Not a daemon:
    an exit waits for it."""
    def run() -> None:
        # any error: the stage imports it again and reports the error itself
        with contextlib.suppress(Exception):
            fn()

    threading.Thread(target=run, name=f"beside-{fn.__name__}").start()


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
