"""microcareer_nightly: public job and course listings -> the cross-industry skill-transfer dataset.

    list_sources -> extract (one mapped task per source) -> normalise -> extract_skills
                 -> aggregate -> validate -> publish -> report

A source that produces nothing fails its own extract task; normalise runs on whatever arrived
(trigger rule all_done), and the final `report` task writes the HTML run report
(DATA_DIR/reports/<run id>.html and latest.html), then fails the run, after publishing, when a
source failed, so the nightly run says so.

Each task calls one library function; heavy imports stay inside the tasks so parsing is cheap.
Run parameters: `config` (sources YAML; default $MICROCAREER_CONFIG, else the bundled snapshot)
and `data_dir` (default $MICROCAREER_DATA_DIR, else ./data).

Deployment settings, read from the environment when the file is parsed (docs/deploy.md):
MICROCAREER_SCHEDULE (cron or preset, "none" for manual runs only; default @daily),
MICROCAREER_TASK_RETRIES, MICROCAREER_RETRY_DELAY_SECONDS (first delay, default 300),
MICROCAREER_RETRY_BACKOFF (delay multiplier per try, default 2; 1 = fixed delay),
MICROCAREER_MAX_RETRY_DELAY_SECONDS (cap, default 3600), MICROCAREER_TASK_TIMEOUT_SECONDS
(execution_timeout of every task, default 7200), MICROCAREER_DAGRUN_TIMEOUT_SECONDS
(dagrun_timeout, default 28800), MICROCAREER_DATASET_URL (fsspec URL the published dataset is
also uploaded to), MICROCAREER_ALLOWED_ROOTS (folders the `config` and `data_dir` params may
point into, separated by ':'; default: the project, $MICROCAREER_DATA_DIR and the default
config's folder) and MICROCAREER_NOTIFY_WEBHOOK (failure messages).
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

from microcareer.notify import failure_callbacks

# Retries of every task, sources one more; MICROCAREER_TASK_RETRIES=0 (tests, `make run`)
# turns them all off so a failure shows at once.
RETRIES = int(os.environ.get("MICROCAREER_TASK_RETRIES", "1"))
SOURCE_RETRIES = RETRIES + 1 if RETRIES else 0
RETRY_DELAY = timedelta(seconds=float(os.environ.get("MICROCAREER_RETRY_DELAY_SECONDS", "300")))
RETRY_BACKOFF = float(os.environ.get("MICROCAREER_RETRY_BACKOFF", "2"))
MAX_RETRY_DELAY = timedelta(
    seconds=float(os.environ.get("MICROCAREER_MAX_RETRY_DELAY_SECONDS", "3600")))
# No task and no run can hang the night: a stuck task is failed (and retried) after
# TASK_TIMEOUT, a whole run after DAGRUN_TIMEOUT.
TASK_TIMEOUT = timedelta(seconds=float(os.environ.get("MICROCAREER_TASK_TIMEOUT_SECONDS",
                                                      "7200")))
DAGRUN_TIMEOUT = timedelta(seconds=float(os.environ.get("MICROCAREER_DAGRUN_TIMEOUT_SECONDS",
                                                        "28800")))
_schedule = os.environ.get("MICROCAREER_SCHEDULE", "@daily").strip()
SCHEDULE = None if _schedule.lower() in {"", "none"} else _schedule
DATASET_URL_ENV = "MICROCAREER_DATASET_URL"
# Read when a task starts, by microcareer.pipeline.check_allowed (config/data_dir params).
ALLOWED_ROOTS_ENV = "MICROCAREER_ALLOWED_ROOTS"


def _settings() -> dict[str, str]:
    """data_dir, config, date and run_id of the current run."""
    from microcareer.pipeline import check_allowed, default_data_dir, safe_run_id

    ctx = get_current_context()
    params = ctx["params"]
    return {
        "data_dir": check_allowed(str(params.get("data_dir") or default_data_dir()),
                                  "data_dir"),
        "config": check_allowed(params.get("config") or "", "config"),
        "date": (ctx.get("logical_date") or ctx["dag_run"].run_after).strftime("%Y-%m-%d"),
        "run_id": safe_run_id(ctx["run_id"]),
        "publish_older": bool(params.get("publish_older")),
    }


@dag(
    dag_id="microcareer_nightly",
    schedule=SCHEDULE,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=DAGRUN_TIMEOUT,
    tags=["microcareer", "nightly"],
    default_args={
        "retries": RETRIES,
        "retry_delay": RETRY_DELAY,
        "retry_exponential_backoff": RETRY_BACKOFF,
        "max_retry_delay": MAX_RETRY_DELAY,
        "execution_timeout": TASK_TIMEOUT,
        "on_failure_callback": failure_callbacks() or None,
    },
    params={
        "config": Param(None, type=["null", "string"], description="sources YAML file"),
        "data_dir": Param(None, type=["null", "string"], description="data folder"),
        "publish_older": Param(False, type="boolean",
                               description="make this run's release current even when the "
                                           "current one is for a newer date (backfills)"),
    },
    doc_md=__doc__,
)
def microcareer_nightly() -> None:
    @task
    def list_sources() -> list[str]:
        from extract.config import load_config
        from extract.run import record_configured

        s = _settings()
        names = load_config(s["config"] or None).source_names
        # The run's verdict counts every configured source: one whose task leaves no report
        # (crashed, killed, never scheduled) is a failed source, never a silent one.
        record_configured(s["data_dir"], s["run_id"], names)
        return names

    @task(retries=SOURCE_RETRIES, map_index_template="{{ task.op_kwargs['source'] }}")
    def extract(source: str) -> dict[str, Any]:
        from extract.run import SourceFailed, extract_source

        s = _settings()
        report = extract_source(source, data_dir=s["data_dir"], date=s["date"],
                                run_id=s["run_id"], config=s["config"] or None)
        if report["status"] == "failed":
            problems = [p.get("error") or p.get("reason")
                        for p in [*report["failed"], *report["quarantined"]]]
            raise SourceFailed(f"{source}: no usable payload: " + "; ".join(problems[:5]))
        return report

    @task(trigger_rule="all_done")
    def normalise(sources: list[str]) -> dict[str, Any]:
        from transform import normalise as stage

        s = _settings()
        return stage.run(data_dir=s["data_dir"], date=s["date"], sources=sources)

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
                             release_dir=release, validation=validation,
                             dataset_url=os.environ.get(DATASET_URL_ENV) or None,
                             publish_older=s["publish_older"])
        if manifest.get("current") is False:
            print(f"Backfill: {manifest['note']}")
        print(summarise(s["data_dir"]))
        return {name: t["rows"] for name, t in manifest["tables"].items()}

    @task(trigger_rule="all_done", retries=0)
    def report() -> None:
        from extract.run import SourceFailed
        from microcareer.pipeline import write_run_report
        from microcareer.summary import published_run, source_report

        s = _settings()
        write_run_report(s["data_dir"], s["run_id"])  # DATA_DIR/reports; logs, never raises
        lines, statuses = source_report(s["data_dir"], s["run_id"])
        print("Sources:\n" + lines)
        published = published_run(s["data_dir"])
        import json
        from pathlib import Path

        from microcareer.pipeline import release_dir

        own = release_dir(Path(s["data_dir"]), s["run_id"]) / "manifest.json"
        backfill = own.exists() and json.loads(own.read_text()).get("current") is False
        if published != s["run_id"] and backfill:
            print(f"This run's release {own.parent} was written but is not current: the "
                  f"current release {published} is for a newer date (a backfill)")
        elif published != s["run_id"]:
            # A leaf task decides the run's state: without this, a run whose normalise,
            # validate or publish failed would end "success".
            raise RuntimeError(f"run {s['run_id']} published nothing (an upstream stage failed: "
                               f"see its log); the current dataset is {published or 'none'}")
        failed = [name for name, status in statuses.items() if status == "failed"]
        if failed:
            raise SourceFailed(f"sources failed: {', '.join(failed)}; the dataset was "
                               "published from the others")

    sources = list_sources()
    reports = extract.expand(source=sources)
    normalised = normalise(sources)
    reports >> normalised
    release = aggregate(extract_skills(normalised))
    published = publish(release, validate(release))
    published >> report()


microcareer_nightly()
