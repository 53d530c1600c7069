"""Normalise >= 100k real postings from ../shared/data/listings/bulk* and report rows/s and
peak RSS (median of several fresh processes, against a read-only baseline).

    python benchmarks/normalise_bulk.py prepare WORKDIR [--shared DIR] [--rows 100000]
    python benchmarks/normalise_bulk.py run WORKDIR        # one normalise (the timed stage)
    python benchmarks/normalise_bulk.py read WORKDIR       # baseline: imports + staged rows only
    python benchmarks/normalise_bulk.py bench WORKDIR [--runs 3]

`prepare` parses the bulk files with the project's own connectors (HN "Who is hiring?"
comments, which have none, are mapped here: title and employer from the first line) and
stages them as one night. The bulk folders hold about 59k distinct postings: when they are
fewer than --rows, whole sources are copied under a `<name>_replica` source name until the
count is reached, so the copies are cross-source duplicates that dedup must collapse. Each
`run` starts from an empty seen-postings state (a first night).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas.layout import DataLayout  # noqa: E402

DATE = "2026-11-01"
DEFAULT_SHARED = ROOT.parent / "shared" / "data" / "listings"


def _hn_rows(folder: Path) -> list[dict]:
    """HN 'Who is hiring?' comments: 'Company | Title | Place | ...' on the first line."""
    from transform.fields.text import html_to_text

    rows = []
    for path in sorted(folder.glob("*.json.gz")):
        for r in json.loads(gzip.decompress(path.read_bytes())):
            first = html_to_text((r.get("full_html") or "").split("<p>")[0])
            parts = [p.strip() for p in re.split(r"\s[|\u2013-]\s", first) if p.strip()]
            rows.append({
                "record_id": r.get("url"), "url": r.get("url"),
                "title": parts[1] if len(parts) > 1 else first[:120],
                "company": parts[0] if parts else None, "description": r.get("full_html"),
                "location": r.get("location") or r.get("address"), "country": r.get("country"),
                "remote": bool(r.get("remote")), "posted_at": f"{path.name[:7]}-01",
            })
    return rows


def bulk_plan(shared: Path) -> list[tuple[str, str, list[Path]]]:
    """(source, connector, files) of the postings recorded in ../shared/data/listings/bulk*."""
    bulk, industries = shared / "bulk", shared / "bulk_industries"
    return [
        ("ashby", "ashby", sorted((bulk / "ashby_posting_api_2025-10/companies").glob("*.gz"))),
        ("nhs_jobs", "jobposting_archive", sorted((industries / "nhs_jobs_2020-11").glob("*.gz"))),
        ("usajobs_2017", "usajobs_csv",
         sorted((industries / "usajobs_search_api_2017-12/collected_data").glob("*.csv.gz"))),
        ("linkedin", "linkedin_csv",
         sorted((industries / "linkedin_postings_sample_2024-04").glob("*.gz"))),
        ("emscad", "emscad_csv", sorted(industries.glob("emscad_*/*.gz"))),
    ]


def parse_file(connector: str, path: Path) -> list[dict]:
    """A recorded payload file's records, through the connector (gzip undone, tar kept)."""
    from extract.connectors import get_connector

    body = path.read_bytes()
    if path.suffix == ".gz" and not path.name.endswith(".tar.gz"):
        body = gzip.decompress(body)
    return list(get_connector(connector).parse(body))


def prepare(workdir: Path, shared: Path, rows_wanted: int) -> None:
    import polars as pl

    from schemas.tables import STAGED_POSTINGS

    if workdir.exists():
        shutil.rmtree(workdir)
    frames = {}
    for source, connector, files in bulk_plan(shared):
        frames[source] = [{"source": source, "partition": f.name, **row}
                          for f in files for row in parse_file(connector, f)]
    hn = shared / "bulk" / "hn_whoishiring_2013-2018"
    if hn.exists():
        frames["hn_whoishiring"] = [{"source": "hn_whoishiring", "partition": "hn", **r}
                                    for r in _hn_rows(hn)]
    staged = {s: pl.DataFrame(r, schema=STAGED_POSTINGS.schema) for s, r in frames.items() if r}
    distinct = sum(f.select("record_id").n_unique() for f in staged.values())
    total = sum(f.height for f in staged.values())
    replicas, copy = {}, 0
    names = sorted(staged, key=lambda s: -staged[s].height)
    while total < rows_wanted:  # whole sources copied under another source name
        name = names[copy % len(names)]
        replica = f"{name}_replica{copy // len(names) + 1}"
        replicas[replica] = staged[name].with_columns(source=pl.lit(replica))
        total += staged[name].height
        copy += 1
    for source, frame in {**staged, **replicas}.items():
        folder = DataLayout(workdir).staging(source, DATE)
        folder.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(folder / "postings.parquet")
    info = {"sources": {s: f.height for s, f in staged.items()}, "distinct_records": distinct,
            "replica_sources": {s: f.height for s, f in replicas.items()},
            "staged_rows": total}
    (workdir / "bench.json").write_text(json.dumps(info, indent=2))
    print(json.dumps(info, indent=2))


def run(workdir: Path, read_only: bool) -> None:
    from transform.postings import normalise

    if read_only:
        for source in ("postings", "courses"):
            normalise._staged(workdir, DATE, source, normalise.STAGED_POSTINGS.schema, None)
        return
    shutil.rmtree(DataLayout(workdir).state_root, ignore_errors=True)
    from schemas.taxonomy import Taxonomy

    report = normalise.run(data_dir=workdir, date=DATE, taxonomy=Taxonomy.shipped())
    (workdir / "last_report.json").write_text(json.dumps(report, indent=2, default=str))


def _timed(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed")
    return wall, usage.ru_maxrss // 1024


def bench(workdir: Path, runs: int) -> None:
    info = json.loads((workdir / "bench.json").read_text())
    rows = info["staged_rows"]
    me = [sys.executable, str(Path(__file__).resolve())]
    norm, base = [], []
    for _ in range(runs):  # A B A B ...: drift of a shared machine hits both alike
        norm.append(_timed([*me, "run", str(workdir)]))
        base.append(_timed([*me, "read", str(workdir)]))
    report = json.loads((workdir / "last_report.json").read_text())
    wall = statistics.median(w for w, _ in norm)
    rss = statistics.median(r for _, r in norm)
    base_wall = statistics.median(w for w, _ in base)
    base_rss = statistics.median(r for _, r in base)
    ratio = statistics.median(a[0] / b[0] for a, b in zip(norm, base, strict=True))
    print(f"load average at end: {os.getloadavg()[0]:.2f} (cpus: {os.cpu_count()})")
    print(f"staged rows: {rows:,} ({info['distinct_records']:,} distinct source records; "
          f"replica sources: {', '.join(info['replica_sources']) or 'none'})")
    print(f"canonical postings out: {report['postings']:,}; duplicate records collapsed: "
          f"{report['duplicate_records']:,}; links: {report['duplicate_links']}")
    print(f"normalise: median {wall:.1f} s over {runs} runs "
          f"(min {min(w for w, _ in norm):.1f}, max {max(w for w, _ in norm):.1f}) "
          f"= {rows / wall:,.0f} rows/s; peak RSS median {rss:,} MiB")
    print(f"baseline (imports + read staged rows): median {base_wall:.1f} s, "
          f"peak RSS {base_rss:,} MiB; normalise/baseline wall ratio (median of pairs) "
          f"{ratio:.1f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("command", choices=["prepare", "run", "read", "bench"])
    p.add_argument("workdir", type=Path)
    p.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    if a.command == "prepare":
        if not a.shared.exists():
            raise SystemExit(f"{a.shared} not found: this benchmark needs ../shared/data")
        prepare(a.workdir, a.shared, a.rows)
    elif a.command in ("run", "read"):
        run(a.workdir, read_only=a.command == "read")
    else:
        bench(a.workdir, a.runs)


if __name__ == "__main__":
    main()
