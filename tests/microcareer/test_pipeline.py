"""The whole job in-process on a slice of the snapshot: manifest, determinism, bad sources,
and a release that fails validation never being published."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys

import polars as pl
import pytest

from microcareer.pipeline import run_pipeline
from schemas.tables import PUBLISHED
from schemas.taxonomy import Taxonomy
from schemas.validate import ValidationFailed
from schemas.validate import run as validate_run
from tests.paths import SNAPSHOT
from tests.sources_helpers import SMALL_SOURCES, write_config

SHIPPED = Taxonomy.shipped()

REQUIRED = {"postings", "courses", "posting_skills", "role_skills", "role_transfer",
            "industry_transfer"}


def _manifest(data_dir):
    return json.loads((data_dir / "dataset" / "manifest.json").read_text())


def test_manifest_lists_every_table_with_rows_hash_and_schema_version(small_run):
    data_dir, _ = small_run
    manifest = _manifest(data_dir)
    assert set(manifest["tables"]) >= REQUIRED
    for table in PUBLISHED:
        entry = manifest["tables"][table.name]
        path = data_dir / "dataset" / entry["path"]  # relative to the manifest's folder
        assert entry["rows"] == pl.read_parquet(path).height > 0
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["schema_version"] == table.version
    assert manifest["logical_date"] == "2026-11-01"
    assert manifest["sources"]["nhs_jobs"]["records"] > 0


def test_postings_span_several_sectors_and_roles(small_run):
    data_dir, _ = small_run
    postings = pl.read_parquet(data_dir / "dataset" / "postings.parquet")
    assert postings["sector"].drop_nulls().n_unique() >= 4
    assert postings["posting_id"].is_unique().all()
    assert postings["role"].is_not_null().mean() > 0.5
    transfer = pl.read_parquet(data_dir / "dataset" / "role_transfer.parquet")
    assert transfer["crosses_industry"].any() and transfer["score"].is_between(0, 1).all()


def test_same_inputs_give_identical_tables_and_a_broken_source_costs_nothing(
        small_run, tmp_path):
    first_dir, _ = small_run
    replay = tmp_path / "replay"
    replay.mkdir()
    good = gzip.decompress((SNAPSHOT / "payloads/remotive/"
                            "remotive_api_remote_jobs_35_jobs_utf8bom_2026-07.json.gz")
                           .read_bytes())
    (replay / "cut.json").write_bytes(good[: len(good) // 3])
    config = write_config(tmp_path, SMALL_SOURCES, extra=[
        {"name": "broken", "connector": "remotive",
         "partitions": [{"replay": str(replay / "cut.json")}]}])

    result = run_pipeline(config=config, data_dir=tmp_path / "data", date="2026-11-01",
                          run_id="test_run_2")

    first, second = _manifest(first_dir), _manifest(tmp_path / "data")
    for name, entry in first["tables"].items():
        assert second["tables"][name]["sha256"] == entry["sha256"], name
    assert second["sources"]["broken"]["status"] == "failed"
    assert second["sources"]["broken"]["quarantined"] == 1
    [report] = [s for s in result.sources if s["source"] == "broken"]
    assert "not valid JSON" in report["quarantined"][0]["reason"]


def test_a_release_that_breaks_expectations_is_rejected_with_names(small_run, tmp_path):
    data_dir, result = small_run
    release = tmp_path / "release"
    shutil.copytree(data_dir / "dataset", release, ignore=shutil.ignore_patterns("releases"))
    frame = pl.read_parquet(release / "role_transfer.parquet")
    frame.with_columns(score=pl.col("score") * 3).write_parquet(release / "role_transfer.parquet")
    before = (data_dir / "dataset" / "manifest.json").read_bytes()

    with pytest.raises(ValidationFailed, match=r"role_transfer\.score") as err:
        validate_run(data_dir=tmp_path, run_id="bad", release_dir=release, taxonomy=SHIPPED)

    assert "expect_column_values_to_be_between" in str(err.value)
    assert (data_dir / "dataset" / "manifest.json").read_bytes() == before
    stored = json.loads((tmp_path / "quality" / "bad.json").read_text())
    assert stored["success"] is False and stored["tables"]["postings"]["success"] is True


def test_normalise_reads_only_the_sources_of_this_run(small_run, tmp_path):
    from transform.postings import normalise

    data_dir = tmp_path / "data"  # normalise rewrites the day's normalised tables
    shutil.copytree(small_run[0], data_dir, symlinks=True)
    report = normalise.run(data_dir=data_dir, date="2026-11-01", sources=["emscad"],
                           taxonomy=SHIPPED)
    assert 0 < report["postings"] < 500
    report = normalise.run(data_dir=data_dir, date="2026-11-01",
                           sources=list(SMALL_SOURCES), taxonomy=SHIPPED)
    assert report["postings"] > 1000


def test_tables_do_not_depend_on_the_thread_count(small_run, tmp_path):
    """Parallel joins and group-bys order rows differently with more threads, and BLAS and the
    tree predictor split work by thread; sums must not change."""
    data_dir, _ = small_run
    digests = []
    for threads in ("1", "3"):
        out = tmp_path / f"threads{threads}"
        code = ("from schemas.taxonomy import Taxonomy; from transform.marts import aggregate; "
                f"aggregate.run(data_dir={str(data_dir)!r}, date='2026-11-01', "
                f"release_dir={str(out)!r}, taxonomy=Taxonomy.shipped())")
        subprocess.run([sys.executable, "-c", code], check=True,
                       env={**os.environ, "POLARS_MAX_THREADS": threads,
                            "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads})
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted(out.glob("*.parquet"))})
    assert len(digests[0]) == len(PUBLISHED)
    assert digests[0] == digests[1]


def test_one_rule_decides_the_outcome_for_the_cli_and_the_dag():
    from microcareer.stages import Outcome

    ok = Outcome(run_id="r", published=True, current="r")
    assert ok.exit_code == 0 and ok.failure is None
    partial = Outcome(run_id="r", published=True, current="r", partial=["a"])
    assert partial.exit_code == 3 and partial.failure is None
    failed = Outcome(run_id="r", published=True, current="r", failed=["a"])
    assert failed.exit_code == 3 and "sources failed: a" in failed.failure
    nothing = Outcome(run_id="r", published=False, current="q")
    assert nothing.exit_code == 1 and "published nothing" in nothing.failure
