"""The short, human-readable account of a published dataset that ends every run."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from schemas.layout import DataLayout
from schemas.records import current_manifest, problem_text, problems, read_source_reports
from transform.linking.roles import MIN_ROLE_CONFIDENCE


def summarise(data_dir: str | Path, top: int = 10) -> str:
    """Tables and rows, the most portable skills, sources and validation of the current release."""
    layout = DataLayout(Path(data_dir))
    dataset, manifest_path = layout.current, layout.manifest
    m = current_manifest(layout)
    if m is None:
        return f"No published dataset at {dataset} (no manifest.json): has a run succeeded?"
    lines = [f"microcareer dataset {m['dataset_version']}  run {m['run_id']}  "
             f"logical date {m['logical_date']}", f"  {manifest_path}", "", "Tables:"]
    for name, t in m["tables"].items():
        lines.append(f"  {name:<20} {t['rows']:>10,} rows   schema {t['schema_version']}")
    postings = pl.read_parquet(dataset / m["tables"]["postings"]["path"],
                               columns=["role", "role_confidence", "sector"])
    if postings.height:
        confident = (postings["role_confidence"] >= MIN_ROLE_CONFIDENCE).mean()
        lines += ["", f"Postings: {postings.height:,}; with a role "
                  f"{postings['role'].is_not_null().mean():.1%} (confidence >= "
                  f"{MIN_ROLE_CONFIDENCE}: {confident:.1%}); with a sector "
                  f"{postings['sector'].is_not_null().mean():.1%}"]
    problems = {k: v for k, v in m["sources"].items() if v["status"] != "ok"}
    total = sum(v["records"] for v in m["sources"].values())
    lines += ["", f"Sources: {len(m['sources'])} ({total:,} records); "
              + (", ".join(f"{k}: {v['status']}" for k, v in problems.items()) or "all ok")]
    portable = (pl.read_parquet(dataset / m["tables"]["skill_portability"]["path"])
                .sort(["portability", "postings", "skill_uri"], descending=[True, True, False])
                .head(top))
    lines += ["", f"Top {top} most portable skills across industries "
              "(portability 0-1, sectors demanding / present, postings):"]
    for i, r in enumerate(portable.iter_rows(named=True), 1):
        lines.append(f"  {i:>2}. {r['label']:<40} {r['portability']:.3f}   "
                     f"{r['sectors_demanding']}/{r['sectors_present']}   {r['postings']:,}")
    v = m.get("validation") or {}
    status = "passed" if v.get("success") else "FAILED" if v else "not run"
    lines += ["", f"Validation (Great Expectations): {status}"
              + (f", {v.get('expectations')} expectations on {v.get('tables')} tables"
                 if v.get("success") else "")]
    return "\n".join(lines)


def source_report(data_dir: str | Path, run_id: str) -> tuple[str, dict[str, str]]:
    """Per-source lines of a run (records, failures, quarantined payloads) and each source's
    status (ok, partial or failed)."""
    lines, statuses = [], {}
    for r in read_source_reports(DataLayout(Path(data_dir)), run_id):
        lines.append(f"  {r['source']:<16} {r['status']:<8} {r['records']:>7,} records  "
                     f"{r['payloads']} payloads, {len(r['quarantined'])} quarantined, "
                     f"{len(r['failed'])} failed requests"
                     + (f", {r['records_quarantined']} records quarantined"
                        if r.get("records_quarantined") else ""))
        for problem in [*problems(r), *(r.get("quarantined_records") or [])[:5]]:
            lines.append(f"      {problem['partition']}: "
                         f"{problem_text(problem)}")  # type: ignore[arg-type]
        statuses[r["source"]] = r["status"]
    return "\n".join(lines), statuses
