"""Run one pipeline stage on an existing normalised snapshot (for timing from outside).

    python benchmarks/stage.py aggregate|skills|normalise|validate DATA_DIR DATE
    python benchmarks/stage.py import DATA_DIR DATE     # the baseline: imports only
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main(stage: str, data_dir: str, date: str) -> None:
    from schemas import validate
    from schemas.layout import DataLayout
    from schemas.taxonomy import Taxonomy
    from transform.linking import skills
    from transform.marts import aggregate
    from transform.postings import normalise

    release = Path(tempfile.mkdtemp(prefix="bench-release-"))
    taxonomy = Taxonomy.shipped()
    if stage == "normalise":
        normalise.run(data_dir=data_dir, date=date, taxonomy=taxonomy)
    elif stage == "skills":
        skills.run(data_dir=data_dir, date=date, taxonomy=taxonomy)
    elif stage == "aggregate":
        aggregate.run(data_dir=data_dir, date=date, release_dir=release,
                      taxonomy=taxonomy)
    elif stage == "validate":
        validate.validate_release(DataLayout(Path(data_dir)).current, taxonomy=taxonomy,
                                  logical_date=date)
    elif stage != "import":
        raise SystemExit(f"unknown stage {stage!r}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
