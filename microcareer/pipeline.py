"""`microcareer run`: the nightly job's stages (microcareer/stages.py), in-process, in order;
the same functions, inputs and outcome rule as the Airflow DAG's tasks."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as date_cls
from pathlib import Path
from typing import Any

from extract.config import load_config
from microcareer import stages
from microcareer.logs import progress
from schemas.layout import DATA_DIR_ENV, DataLayout, RunContext, default_data_dir, safe_run_id
from schemas.records import Manifest, SourceReport

__all__ = ["DATA_DIR_ENV", "RunResult", "default_data_dir", "release_dir", "run_pipeline",
           "safe_run_id", "validate_and_publish", "write_run_report"]


def release_dir(data_dir: Path, run_id: str) -> Path:
    return DataLayout(data_dir).release(run_id)


def validate_and_publish(*, data_dir: Path, run_id: str, date: str, release: Path) -> Manifest:
    """Make `release` current only if it passes validation (else ValidationFailed, and the
    current dataset stays as it was); return the published manifest."""
    ctx = RunContext(DataLayout(data_dir), date, run_id)
    return stages.publish(ctx, str(release), stages.validate(ctx, str(release)))


@dataclass
class RunResult:
    run_id: str
    sources: list[SourceReport] = field(default_factory=list)
    stages: dict[str, Any] = field(default_factory=dict)
    report: Path | None = None
    outcome: stages.Outcome | None = None


def run_pipeline(*, config: str | Path | None = None, data_dir: str | Path | None = None,
                 date: str | None = None, run_id: str | None = None) -> RunResult:
    """Extract every source, then run each of `stages.STAGES`; the run report is written
    whatever happens, and `result.outcome` says how the run ended (a failed stage raises)."""
    data_dir = Path(data_dir).resolve() if data_dir else default_data_dir()
    date = date or date_cls.today().isoformat()
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
    ctx = RunContext(DataLayout(data_dir), date, run_id or f"local__{date}__{now}")
    cfg = load_config(config)
    result = RunResult(run_id=ctx.run_id)

    for i, name in enumerate(cfg.source_names, 1):
        t = time.perf_counter()
        report = stages.extract(ctx, name, cfg.path)
        result.sources.append(report)
        progress(f"[extract {i}/{len(cfg.source_names)}] {name}: {report['records']:,} records, "
                 f"{report['status']} ({time.perf_counter() - t:.1f} s)")
    values: dict[str, Any] = {"sources": cfg.source_names}
    try:
        for stage in stages.STAGES:
            t = time.perf_counter()
            progress(f"[{stage.name}] running")
            values[stage.output] = stage.run(ctx, *(values[i] for i in stage.inputs))
            result.stages[stage.name] = values[stage.output]
            progress(f"[{stage.name}] done ({time.perf_counter() - t:.1f} s)")
    finally:
        result.report = write_run_report(data_dir, ctx.run_id)
    result.outcome = stages.outcome(ctx)
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
