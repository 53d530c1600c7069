"""Validate a release with Great Expectations before it is published, and build Data Docs.

Results of every run are kept in a file-backed GX project under DATA_DIR/quality/gx (Data Docs:
DATA_DIR/quality/gx/uncommitted/data_docs/local_site/index.html) and summarised in
DATA_DIR/quality/<run id>.json.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

import polars as pl

from schemas.layout import DataLayout, table_file
from schemas.records import ValidationResult
from schemas.tables import PUBLISHED
from schemas.taxonomy import Taxonomy

log = logging.getLogger(__name__)


class ValidationFailed(RuntimeError):
    """A release broke expectations; the message names each table, column and expectation."""


def import_gx() -> None:
    """Import Great Expectations and the parts of it validation uses (1.5-2.5 s of Python
    after the earlier stages' imports), analytics off. `microcareer run` calls it on a thread
    while normalise runs (microcareer/pipeline.py); validation imports them again, finding
    them loaded."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations  # noqa: F401
    import great_expectations.expectations  # noqa: F401
    from great_expectations.core.run_identifier import RunIdentifier  # noqa: F401
    from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: F401
    from great_expectations.datasource.fluent import PandasDatasource  # noqa: F401


def _context(project_root: Path | None):
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for name in ["great_expectations", *logging.root.manager.loggerDict]:
        if name.startswith("great_expectations"):
            logging.getLogger(name).setLevel(logging.WARNING)
    if project_root is None:
        ctx = gx.get_context(mode="ephemeral")
    else:
        project_root.mkdir(parents=True, exist_ok=True)
        ctx = gx.get_context(mode="file", project_root_dir=str(project_root))
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def read_tables(folder: Path) -> dict[str, pl.DataFrame]:
    return {t.name: pl.read_parquet(table_file(folder, t.name))
            for t in PUBLISHED if table_file(folder, t.name).exists()}


def scan_tables(folder: Path) -> dict[str, pl.LazyFrame]:
    """The tables of a release, unread: the previous release's checks need little of them."""
    return {t.name: pl.scan_parquet(table_file(folder, t.name))
            for t in PUBLISHED if table_file(folder, t.name).exists()}


WIDENED = {pl.Int64: (pl.Int8, pl.Int16, pl.Int32, pl.UInt8, pl.UInt16, pl.UInt32),
           pl.Float64: (pl.Float32,)}


def gx_frame(frame: pl.DataFrame) -> Any:
    """`frame` as the pandas frame GX validates: the same values, with the narrower integer
    and Float32 columns widened (exactly) to Int64 and Float64, and list cells as Python
    lists. GX's pandas engine compares only int64 and float64 columns vectorised (for any
    other dtype ColumnValuesBetween calls a Python function per value: 3.4M calls on
    role_transfer's Float32 columns), and it fingerprints every batch with
    hash_pandas_object, pickling the whole frame when a column is unhashable, which numpy
    array cells (Polars' list columns) make 6x slower than lists (5.3 s for
    role_transfer_detail at 100k rows). Nulls stay nulls (NaN or None, as before)."""
    import pandas as pd

    wide = frame.with_columns(*(pl.col(*narrow).cast(to) for to, narrow in WIDENED.items()))
    out = wide.to_pandas()
    for name, dtype in wide.schema.items():
        if isinstance(dtype, pl.List):
            out[name] = pd.Series([None if v is None else v.tolist() for v in out[name]],
                                  dtype=object, index=out.index)
    return out


def release_source(names: list[str]) -> Any:
    """The pandas datasource "release": a dataframe asset per check in `names`, each with
    the whole-frame batch definition "all". Built before it joins the project, which then
    writes its config once, not twice per check (74 rewrites of the YAML for a release)."""
    from great_expectations.datasource.fluent import PandasDatasource

    source = PandasDatasource(name="release")
    for name in names:
        source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
    return source


def validate_release(release_dir: str | Path, *, taxonomy: Taxonomy,
                     previous_dir: str | Path | None = None,
                     logical_date: str | None = None, project_root: Path | None = None,
                     run_name: str | None = None) -> dict[str, Any]:
    """Run every suite on the release in `release_dir`, with references into `taxonomy`;
    compare with `previous_dir` if given."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    from schemas.suites import checks

    started = time.perf_counter()
    release = read_tables(Path(release_dir))
    missing = [t.name for t in PUBLISHED if t.name not in release]
    previous = scan_tables(Path(previous_dir)) if previous_dir else None
    ctx = _context(project_root)
    planned = checks(release, previous, logical_date, taxonomy=taxonomy) if not missing else []
    source = ctx.data_sources.add_or_update_pandas(release_source([c.name for c in planned]))
    run_id = RunIdentifier(run_name=run_name) if run_name else None
    results: dict[str, Any] = {
        name: {"success": False, "evaluated": 0, "failures": [
            {"check": name, "column": None, "expectation": "table_file_exists",
             "detail": f"{name}.parquet missing from {release_dir}"}]}
        for name in missing}
    for check in planned:
        suite = ctx.suites.add_or_update(gx.ExpectationSuite(name=check.name,
                                                             expectations=check.expectations))
        batch = source.get_asset(check.name).get_batch_definition("all")
        definition = ctx.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=check.name, data=batch, suite=suite))
        outcome = definition.run(batch_parameters={"dataframe": gx_frame(check.frame)},
                                 run_id=run_id)
        entry = results.setdefault(check.table, {"success": True, "evaluated": 0,
                                                 "failures": []})
        entry["evaluated"] += outcome.statistics["evaluated_expectations"]
        for r in outcome.results:
            if r.success:
                continue
            entry["success"] = False
            kwargs = r.expectation_config.kwargs
            entry["failures"].append({
                "check": check.name,
                "column": check.column or kwargs.get("column") or kwargs.get("column_list"),
                "expectation": r.expectation_config.type,
                "detail": _detail(r.result, check),
            })
    docs = None
    if project_root is not None:
        prune_history(project_root / "gx" / "uncommitted")
        ctx.build_data_docs()
        docs = next(iter(ctx.get_docs_sites_urls()), {}).get("site_url")
    return {"success": all(r["success"] for r in results.values()), "tables": results,
            "data_docs": docs, "seconds": round(time.perf_counter() - started, 1)}


KEEP_RUNS = 30
RUN_NAME = re.compile(r"^(local|manual|scheduled|backfill|asset_triggered|validate)__")


def prune_history(uncommitted: Path, keep: int = KEEP_RUNS) -> None:
    """Keep the stored results and Data Docs pages of the newest `keep` runs per suite."""
    for tree in (uncommitted / "validations", uncommitted / "data_docs" / "local_site" /
                 "validations"):
        if not tree.exists():
            continue
        parents: dict[Path, list[Path]] = {}
        for folder in tree.rglob("*"):
            if folder.is_dir() and RUN_NAME.match(folder.name):
                parents.setdefault(folder.parent, []).append(folder)
        for runs in parents.values():
            runs.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
            for old in runs[keep:]:
                shutil.rmtree(old, ignore_errors=True)


def _detail(result: dict[str, Any], check) -> str:
    if check.name.endswith(".unknown"):
        values = check.frame["value"].head(3).to_list()
        return f"{check.frame.height} values not in the taxonomy, e.g. {values}"
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
            column = f["column"] if isinstance(f["column"], str) else \
                ",".join(f["column"] or []) or "*"
            lines.append(f"  {name}.{column}: {f['expectation']} [{f['check']}] ({f['detail']})")
    return "\n".join(lines)


def same_major(layout: DataLayout) -> bool:
    """The current release exists and has this code's major dataset version. Volume and
    drift are checked against the previous release only then: a new major version changes
    what tables hold (docs/data-contract.md, Changes), so its first release is not held to
    the old one's row counts."""
    from schemas.records import current_manifest
    from schemas.tables import DATASET_VERSION

    manifest = current_manifest(layout) if layout.manifest.exists() else None
    version = str((manifest or {}).get("dataset_version", ""))
    return bool(manifest) and version.split(".")[0] == DATASET_VERSION.split(".")[0]


def run(*, data_dir: str | Path, run_id: str, release_dir: str | Path, taxonomy: Taxonomy,
        date: str | None = None) -> ValidationResult:
    """Validate a release against the current dataset; store results and Data Docs under
    DATA_DIR/quality; raise ValidationFailed (naming what broke) if any expectation failed."""
    layout = DataLayout(Path(data_dir))
    previous = layout.current if same_major(layout) else None
    report = validate_release(release_dir, taxonomy=taxonomy, previous_dir=previous,
                              logical_date=date,
                              project_root=layout.quality, run_name=run_id)
    out = layout.quality_result(run_id)
    out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    if not report["success"]:
        raise ValidationFailed(f"release {Path(release_dir).name} failed validation and was "
                               "not published; the current dataset is unchanged. Broken:\n"
                               + failure_summary(report))
    return {"success": True, "tables": len(report["tables"]),
            "expectations": sum(r["evaluated"] for r in report["tables"].values()),
            "seconds": report["seconds"], "data_docs": report["data_docs"]}
