"""The sharded stages on one Celery worker against two, each with one task slot.

    make bench-celery        # = python benchmarks/celery_workers.py
    make bench-celery CONFIG=/tmp/microcareer-bench-scale-60000/night1/sources.yaml

Runs the CeleryExecutor topology of tests/integration/run_celery_topology.py (PostgreSQL,
Redis, Airflow's api-server, scheduler, dag-processor and triggerer, and the workers; the
bundled snapshot, small shards so normalise and skills are several mapped task
instances) once per configuration, one undisturbed run each, and prints per configuration
the run's wall time and, for each mapped task of a sharded stage, its span (first instance
started to last ended, from the task instances in the metadata database) and the seconds
two instances ran at once; then the speed-up of the mapped stages (the sum of the spans) of
2 workers over 1, and whether the 13 published tables are byte-identical. Needs the
`deploy` extra (make test-integration installs it) and PostgreSQL and Redis from Debian's
packages (installed when missing, as the integration test does). Reads nothing outside
the repository, unless `--config` names a sources YAML (a `make bench-scale` night, built
from ../shared): then the runs read it, with the stages' default shard sizes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "integration" / "run_celery_topology.py"
CONFIGS = ((1, 1), (2, 1))  # (workers, slots per worker)


def run(workers: int, slots: int, out: Path, config: Path | None, pin: bool) -> dict:
    subprocess.run([sys.executable, str(SCRIPT), "--undisturbed-only", "--workers",
                    str(workers), "--slots", str(slots), "--json", str(out),
                    *(["--config", str(config)] if config else []),
                    *(["--pin-workers"] if pin else [])], check=True)
    return json.loads(out.read_text())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1, help="runs per configuration (medians)")
    ap.add_argument("--config", type=Path, help="sources YAML instead of the snapshot, e.g. "
                    "the first night of `make bench-scale N=60000` "
                    "(/tmp/microcareer-bench-scale-60000/night1/sources.yaml)")
    ap.add_argument("--pin-workers", action="store_true", help="each worker on a CPU of its "
                    "own (taskset), as two one-core machines; unpinned, one task's threads "
                    "already use both cores of this machine")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="microcareer-bench-celery-"))
    results: dict[tuple[int, int], list[dict]] = {c: [] for c in CONFIGS}
    for k in range(args.runs):
        for workers, slots in CONFIGS:  # alternated, so machine load hits both alike
            results[workers, slots].append(
                run(workers, slots, folder / f"w{workers}s{slots}-{k}.json", args.config,
                    args.pin_workers))

    def median(values: list[float]) -> float:
        v = sorted(values)
        return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2

    print("| workers x slots | run s | " + " | ".join(
        f"{t} span s / overlap s" for t in ("normalise_shard", "extract_skills_shard"))
        + " | mapped s |")
    print("|---|---:|---:|---:|---:|")
    mapped = {}
    for config, runs in results.items():
        spans = {t: median([r["mapped"][t]["span_s"] for r in runs])
                 for t in ("normalise_shard", "extract_skills_shard")}
        overlaps = {t: median([r["mapped"][t]["overlap_s"] for r in runs]) for t in spans}
        mapped[config] = sum(spans.values())
        print(f"| {config[0]} x {config[1]} | {median([r['undisturbed_s'] for r in runs]):.0f} | "
              + " | ".join(f"{spans[t]:.1f} / {overlaps[t]:.1f}" for t in spans)
              + f" | {mapped[config]:.1f} |")
    tables = {json.dumps(r["tables"], sort_keys=True) for rs in results.values() for r in rs}
    print(f"mapped stages, 2 workers over 1: {mapped[1, 1] / mapped[2, 1]:.2f}x; "
          f"tables {'identical' if len(tables) == 1 else 'DIFFER'} in every run")
    return 0 if len(tables) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
