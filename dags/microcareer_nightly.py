"""microcareer_nightly: public job and course listings -> the cross-industry skill-transfer dataset.

    list_sources -> extract (one mapped task per source) -> normalise -> extract_skills
                 -> aggregate -> validate -> publish

Each task calls one library function; heavy imports stay inside the tasks so parsing is cheap.
Run parameters: `config` (sources YAML; default $MICROCAREER_CONFIG, else the bundled snapshot)
and `data_dir` (default $MICROCAREER_DATA_DIR, else ./data).
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

# Retries of every task (sources get one more); MICROCAREER_TASK_RETRIES=0 in tests.
RETRIES = int(os.environ.get("MICROCAREER_TASK_RETRIES", "1"))


def _settings() -> dict[str, str]:
    """data_dir, config, date and run_id of the current run."""
    from microcareer.pipeline import default_data_dir, safe_run_id

    ctx = get_current_context()
    params = ctx["params"]
    return {
        "data_dir": str(params.get("data_dir") or default_data_dir()),
        "config": params.get("config") or "",
        "date": (ctx.get("logical_date") or ctx["dag_run"].run_after).strftime("%Y-%m-%d"),
        "run_id": safe_run_id(ctx["run_id"]),
    }


@dag(
    dag_id="microcareer_nightly",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["microcareer", "nightly"],
    default_args={"retries": RETRIES, "retry_delay": timedelta(minutes=5)},
    params={
        "config": Param(None, type=["null", "string"], description="sources YAML file"),
        "data_dir": Param(None, type=["null", "string"], description="data folder"),
    },
    doc_md=__doc__,
)
def microcareer_nightly() -> None:
    @task
    def list_sources() -> list[str]:
        from extract.config import load_config

        return load_config(_settings()["config"] or None).source_names

    @task(retries=RETRIES + 1, map_index_template="{{ task.op_kwargs['source'] }}")
    def extract(source: str) -> dict[str, Any]:
        from extract.run import extract_source

        s = _settings()
        return extract_source(source, data_dir=s["data_dir"], date=s["date"],
                              run_id=s["run_id"], config=s["config"] or None)

    @task
    def normalise(reports: list[dict[str, Any]]) -> dict[str, Any]:
        from transform import normalise as stage

        s = _settings()
        # Index instead of iterating: iteration probes one XCom past the end and logs an error.
        done = [reports[i] for i in range(len(reports))]
        failed = [r["source"] for r in done if r["status"] == "failed"]
        result = stage.run(data_dir=s["data_dir"], date=s["date"],
                           sources=[r["source"] for r in done])
        return {**result, "failed_sources": failed}

    @task
    def extract_skills(_: dict[str, Any]) -> dict[str, int]:
        from transform import skills

        s = _settings()
        return skills.run(data_dir=s["data_dir"], date=s["date"])

    @task
    def aggregate(_: dict[str, int]) -> str:
        from pathlib import Path

        from microcareer.pipeline import release_dir
        from transform import aggregate as stage

        s = _settings()
        release = release_dir(Path(s["data_dir"]), s["run_id"])
        stage.run(data_dir=s["data_dir"], date=s["date"], release_dir=release)
        return str(release)

    @task(retries=0)
    def validate(release: str) -> dict[str, Any]:
        from schemas import validate as stage

        s = _settings()
        return stage.run(data_dir=s["data_dir"], run_id=s["run_id"], release_dir=release,
                         date=s["date"])

    @task(retries=0)
    def publish(release: str, validation: dict[str, Any]) -> dict[str, Any]:
        from microcareer.summary import summarise
        from transform import publish as stage

        s = _settings()
        manifest = stage.run(data_dir=s["data_dir"], run_id=s["run_id"], date=s["date"],
                             release_dir=release, validation=validation)
        print(summarise(s["data_dir"]))
        return {name: t["rows"] for name, t in manifest["tables"].items()}

    reports = extract.expand(source=list_sources())
    release = aggregate(extract_skills(normalise(reports)))
    publish(release, validate(release))


microcareer_nightly()
