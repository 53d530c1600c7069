"""Shared fixtures. Airflow's environment is set before anything imports airflow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "snapshot"

os.environ.update(
    AIRFLOW_HOME=tempfile.mkdtemp(prefix="microcareer-airflow-"),
    AIRFLOW__CORE__DAGS_FOLDER=str(ROOT / "dags"),
    AIRFLOW__CORE__LOAD_EXAMPLES="False",
    AIRFLOW__LOGGING__LOGGING_LEVEL="WARNING",
    GX_ANALYTICS_ENABLED="false",
    MICROCAREER_TASK_RETRIES="0",
)
os.environ.pop("MICROCAREER_CONFIG", None)
os.environ.pop("MICROCAREER_DATA_DIR", None)

# Fuzz tests (tests/test_fuzz.py): "fast" in `make test`, "nightly" (HYPOTHESIS_PROFILE=nightly)
# for a longer CI job. Examples are derandomised in "fast" so `make test` is repeatable.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("fast", max_examples=200, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

# A slice of the bundled snapshot: four sectors' postings and two course catalogues.
SMALL_SOURCES = {
    "ashby": ["ashby/1password.json.gz", "ashby/dailypay.json.gz", "ashby/equip.json.gz",
              "ashby/hadrian-automation.json.gz"],
    "nhs_jobs": ["nhs_jobs/nhs_jobs_sample_2020-11.tar.gz"],
    "usajobs_2017": ["usajobs_2017/pharmacy_N_118_20171223141402.csv.gz"],
    "emscad": ["emscad/fake_job_postings_first499.csv.gz"],
    "edx": ["edx/edx_courses.csv.gz"],
    "mit_learn": ["mit_learn/mit_learn_api_v1_courses_ocw_sample.json.gz"],
}


def write_config(folder: Path, sources: dict[str, list[str]] | None = None,
                 extra: list[dict] | None = None) -> Path:
    """A sources YAML replaying `sources` (name -> snapshot payload files) from the snapshot."""
    full = yaml.safe_load((SNAPSHOT / "sources.yaml").read_text())
    chosen = []
    for src in full["sources"]:
        if sources is None or src["name"] in sources:
            keep = [p for p in src["partitions"]
                    if sources is None or p["replay"] in sources[src["name"]]]
            chosen.append({**src, "partitions": keep})
    doc = {"version": 1, "replay_dir": str(SNAPSHOT / "payloads"),
           "sources": chosen + (extra or [])}
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def small_config(tmp_path_factory) -> Path:
    return write_config(tmp_path_factory.mktemp("config"), SMALL_SOURCES)


@pytest.fixture(scope="session")
def small_run(tmp_path_factory, small_config):
    """One in-process run of the pipeline on the small slice; returns (data_dir, result)."""
    from microcareer.pipeline import run_pipeline

    data_dir = tmp_path_factory.mktemp("data")
    result = run_pipeline(config=small_config, data_dir=data_dir, date="2026-11-01",
                          run_id="test_run_1")
    return data_dir, result


@pytest.fixture(scope="session")
def airflow_db():
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True,
                   capture_output=True)
    yield
    shutil.rmtree(os.environ["AIRFLOW_HOME"], ignore_errors=True)
