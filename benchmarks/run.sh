#!/usr/bin/env bash
# Times each pipeline stage on the bundled snapshot with farm-bench (median of 5 runs, peak
# RSS), paired against a baseline that only imports the same modules, so the ratio is the
# stage's own cost. Needs a published snapshot dataset: run `make run` first.
# Usage: benchmarks/run.sh [DATA_DIR] [DATE]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-data}
DATE=${2:-$(ls "$DATA/normalised" | sed -n 's/^date=//p' | sort | tail -1)}
PY=.venv/bin/python
command -v farm-bench >/dev/null || { echo "farm-bench not found" >&2; exit 2; }
for stage in normalise skills aggregate validate; do
  echo "== $stage (data: $DATA, date: $DATE) vs import-only baseline"
  farm-bench -n 5 --timeout 900 --vs "$PY benchmarks/stage.py import $DATA $DATE" \
    -- "$PY" benchmarks/stage.py "$stage" "$DATA" "$DATE"
done
# Skill extraction alone on >=10k real postings (not the snapshot): needs the team's shared
# folder beside the repository; see benchmarks/README.md.
if [ -d ../shared/data/listings/bulk ]; then
  echo "== skills throughput on real bulk postings (../shared/data/listings/bulk*)"
  "$PY" benchmarks/skills_throughput.py
else
  echo "== skills throughput skipped: ../shared/data/listings/bulk not found"
fi
