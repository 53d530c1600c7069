"""Validate a release's tables with Great Expectations before it is published."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import polars as pl

from schemas.tables import PUBLISHED

log = logging.getLogger(__name__)


class ValidationFailed(RuntimeError):
    """A release broke expectations; the message names each table, column and expectation."""


def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("great_expectations"):
            logging.getLogger(name).setLevel(logging.WARNING)
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def validate_release(release_dir: str | Path) -> dict[str, Any]:
    """Run every published table's suite on the Parquet files in `release_dir`."""
    import great_expectations as gx

    from schemas.suites import expectations

    release_dir = Path(release_dir)
    ctx = _context()
    source = ctx.data_sources.add_pandas("release")
    results: dict[str, Any] = {}
    for table in PUBLISHED:
        path = release_dir / f"{table.name}.parquet"
        if not path.exists():
            results[table.name] = {"success": False, "failures": [
                {"expectation": "file_exists", "column": None, "detail": str(path)}]}
            continue
        suite = ctx.suites.add(gx.ExpectationSuite(name=table.name,
                                                   expectations=expectations(table)))
        batch = source.add_dataframe_asset(table.name).add_batch_definition_whole_dataframe("all")
        definition = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=table.name, data=batch, suite=suite))
        outcome = definition.run(batch_parameters={"dataframe": pl.read_parquet(path).to_pandas()})
        failures = [
            {"expectation": r.expectation_config.type,
             "column": r.expectation_config.kwargs.get("column")
             or r.expectation_config.kwargs.get("column_list"),
             "detail": _detail(r.result)}
            for r in outcome.results if not r.success
        ]
        results[table.name] = {
            "success": bool(outcome.success),
            "evaluated": outcome.statistics["evaluated_expectations"],
            "failures": failures,
        }
    return {"success": all(r["success"] for r in results.values()), "tables": results}


def _detail(result: dict[str, Any]) -> str:
    if "unexpected_count" in result:
        sample = result.get("partial_unexpected_list", [])[:3]
        return f"{result['unexpected_count']} unexpected values, e.g. {sample}"
    if "observed_value" in result:
        return f"observed {result['observed_value']}"
    return json.dumps(result, default=str)[:200]


def failure_summary(report: dict[str, Any]) -> str:
    lines = []
    for name, r in report["tables"].items():
        for f in r["failures"]:
            lines.append(f"  {name}.{f['column'] or '*'}: {f['expectation']} ({f['detail']})")
    return "\n".join(lines)


def run(*, data_dir: str | Path, run_id: str, release_dir: str | Path) -> dict[str, Any]:
    """Validate the release, store the results under quality/, raise if any expectation broke."""
    report = validate_release(release_dir)
    out = Path(data_dir) / "quality" / f"{run_id}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    if not report["success"]:
        raise ValidationFailed("validation failed; release not published:\n"
                               + failure_summary(report))
    return {"success": True, "tables": len(report["tables"]),
            "expectations": sum(r["evaluated"] for r in report["tables"].values())}
