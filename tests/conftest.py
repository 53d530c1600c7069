"""Shared fixtures. Airflow's environment is set before anything imports airflow."""

from __future__ import annotations

import fcntl
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.paths import ROOT
from tests.sources_helpers import SMALL_SOURCES, write_config

# Each process gets its own Airflow home (metadata DB, logs): under pytest-xdist every worker
# imports this file, so each has its own.
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
# OpenMP threads (move_likelihood's tree predictor) sleep instead of spinning while they wait:
# with the other xdist worker (or anything else) on the cores, spinning burnt ~25% more CPU in
# the aggregate stage. Results are the same; set before scikit-learn loads libgomp.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# Fuzz tests (tests/extract/test_fuzz.py): "fast" in `make test`, "nightly"
# (HYPOTHESIS_PROFILE=nightly) for a longer CI job. Examples are derandomised in "fast" so
# `make test` is repeatable.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("fast", max_examples=200, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

@pytest.fixture(scope="session")
def small_config(tmp_path_factory) -> Path:
    return write_config(tmp_path_factory.mktemp("config"), SMALL_SOURCES)


def _run_small_slice(folder: Path, config: Path):
    from microcareer.pipeline import run_pipeline

    data_dir = folder / "data"
    data_dir.mkdir()
    return data_dir, run_pipeline(config=config, data_dir=data_dir, date="2026-11-01",
                                  run_id="test_run_1")


@pytest.fixture(scope="session")
def small_run(tmp_path_factory, small_config):
    """One in-process run of the pipeline on the small slice; returns (data_dir, result).

    Read-only: a test that writes into the data folder works on a copy. Under pytest-xdist
    (`make test`) the workers share the one run: the first worker to need it runs it while
    the others wait on a lock, then they read its pickled result."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return _run_small_slice(tmp_path_factory.mktemp("small_run"), small_config)
    shared = tmp_path_factory.getbasetemp().parent / "small_run"  # common to the workers
    shared.mkdir(exist_ok=True)
    done = shared / "result.pickle"
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.exists():
            folder = shared / f"by-{worker}"
            folder.mkdir()
            config = write_config(folder, SMALL_SOURCES)
            tmp = done.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(_run_small_slice(folder, config)))
            tmp.rename(done)
    return pickle.loads(done.read_bytes())


def pytest_unconfigure(config):
    # also when no test used it (the xdist controller, a run without the DAG tests)
    shutil.rmtree(os.environ["AIRFLOW_HOME"], ignore_errors=True)


@pytest.fixture(scope="session")
def airflow_db():
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True,
                   capture_output=True)
    yield
    shutil.rmtree(os.environ["AIRFLOW_HOME"], ignore_errors=True)


# `make test` runs on pytest-xdist workers that take the tests one at a time in collection
# order (--maxschedchunk 1). There, the longest tests go first, so that no worker is left with
# one at the end; the first builds `small_run` (its worker), while the DAG runs, which do not
# need it, keep the other worker busy. The rest keep their file order; a serial run is not
# reordered.
LONGEST_FIRST = (
    "tests/e2e/test_scenario.py::",
    "tests/dags/test_dag.py::test_a_release_that_fails_validation",
    "tests/dags/test_dag.py::test_dag_run_publishes_the_dataset",
    "tests/dags/test_dag.py::test_hostile_sources",
    "tests/microcareer/test_pipeline.py::test_tables_do_not_depend_on_the_thread_count",
    "tests/microcareer/test_pipeline.py::test_same_inputs_give_identical_tables",
    "tests/transform/postings/test_duplicates.py::test_two_pipeline_nights",
    "tests/microcareer/test_cli.py::test_validate_passes",
    "tests/microcareer/test_quality_gate.py::",
    "tests/transform/postings/test_scale.py::",
)


def pytest_configure(config):
    # A test moved or renamed would silently lose its place at the front: every entry must
    # name a test file and, after "::", the start of a test function defined in it.
    for prefix in LONGEST_FIRST:
        path, _, name = prefix.partition("::")
        file = ROOT / path
        if not (file.is_file() and re.search(rf"^def {re.escape(name or 'test_')}",
                                             file.read_text(), re.MULTILINE)):
            raise pytest.UsageError(f"LONGEST_FIRST in tests/conftest.py names no test: {prefix}")


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return

    def rank(item) -> int:
        return next((i for i, prefix in enumerate(LONGEST_FIRST)
                     if item.nodeid.startswith(prefix)), len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: file order within a rank
