"""microcareer_nightly: public job and course listings -> the cross-industry skill-transfer dataset.

    list_sources -> extract (one mapped task per source)
                 -> normalise_plan -> normalise_shard (one mapped task per shard) -> normalise
                 -> extract_skills_plan -> extract_skills_shard (one per shard)
                 -> extract_skills -> aggregate -> validate -> publish -> report

A source that produces nothing fails its own extract task; normalise_plan runs on whatever
arrived (trigger rule all_done), and the final `report` task writes the HTML run report
(DATA_DIR/reports/<run id>.html and latest.html), then fails the run, after publishing, when a
source failed, so the nightly run says so (the same rule as `microcareer run`'s exit status:
microcareer/stages.py `outcome`). The publish task emits an event on the Asset DATASET.

The stages after extract are those of microcareer/stages.py (`STAGES`, also run by
`microcareer run`): one task each, handing on real values (the normalised folder, the release
folder, the validation result, the manifest); a sharded stage is three, its plan, one mapped
task per shard and its reduce (normalise: role matching per shard of distinct titles and
texts; extract_skills: per shard of postings or courses). Heavy imports stay inside the tasks
so parsing is cheap.
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
from airflow.sdk import Asset, Param, dag, get_current_context, task

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
# The published dataset: downstream DAGs can be scheduled on it (schedule=[DATASET]); the
# publish task emits an asset event each time a release goes live. Its name (= its URI) must
# not depend on the data folder: Airflow deactivates an asset whose name comes back with
# another URI (AirflowInactiveAssetInInletOrOutletException).
DATASET = Asset(name="microcareer_dataset", group="microcareer")


def _run() -> tuple[Any, str | None]:
    """The current run's RunContext (data folder, logical date, run id, publish_older) and
    sources file; the `config` and `data_dir` params must lie in the allowed roots."""
    from microcareer import stages
    from microcareer.pipeline import check_allowed

    ctx = get_current_context()
    params = ctx["params"]
    date = (ctx.get("logical_date") or ctx["dag_run"].run_after).strftime("%Y-%m-%d")
    data_dir = check_allowed(params.get("data_dir") or "", "data_dir") or None
    config = check_allowed(params.get("config") or "", "config") or None
    return (stages.context(data_dir, date, ctx["run_id"],
                           publish_older=bool(params.get("publish_older"))), config)


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
    from microcareer.stages import STAGES

    @task
    def list_sources() -> list[str]:
        from microcareer import stages
        from schemas.records import record_configured

        ctx, config = _run()
        names = stages.list_sources(config)
        # The run's verdict counts every configured source: one whose task leaves no report
        # (crashed, killed, never scheduled) is a failed source, never a silent one.
        record_configured(ctx.layout, ctx.run_id, names)
        return names

    @task(retries=SOURCE_RETRIES, map_index_template="{{ task.op_kwargs['source'] }}")
    def extract(source: str) -> dict[str, Any]:
        from extract.run import SourceFailed
        from microcareer import stages

        ctx, config = _run()
        report = stages.extract(ctx, source, config)
        failure = stages.source_failure(report)
        if failure:
            raise SourceFailed(failure)
        return dict(report)

    def stage_task(stage: Any) -> Any:
        """One task per stage of microcareer/stages.py: it runs the stage on its inputs (the
        upstream tasks' outputs) and hands its output on."""
        options: dict[str, Any] = {"task_id": stage.name}
        if stage.always:
            options["trigger_rule"] = "all_done"
        if stage.name in ("validate", "publish"):
            options["retries"] = 0
        if stage.name == "publish":
            options["outlets"] = [DATASET]

        def run_stage(*inputs: Any) -> Any:
            ctx, _ = _run()
            if stage.name == "publish":
                from microcareer.summary import summarise

                manifest = stage.run(ctx, *inputs,
                                     dataset_url=os.environ.get(DATASET_URL_ENV) or None)
                if manifest.get("current") is False:
                    print(f"Backfill: {manifest.get('note')}")
                print(summarise(ctx.layout.root))
                return manifest
            return stage.run(ctx, *inputs)

        run_stage.__name__ = stage.name
        run_stage.__doc__ = stage.run.__doc__
        return task(**options)(run_stage)

    def sharded_tasks(stage: Any, *inputs: Any) -> tuple[Any, Any]:
        """A sharded stage (stages.Shards) as `<stage>_plan` -> `<stage>_<shards.name>`,
        mapped over the plan's shard descriptors (one task instance per shard, named by the
        shard) -> `<stage>`, the reduce step, which receives every shard's result; returns
        the first and the last task."""
        steps = stage.shards

        def plan(*inputs: Any) -> list[dict[str, Any]]:
            ctx, _ = _run()
            return steps.plan(ctx, *inputs)

        def one_shard(shard: dict[str, Any]) -> dict[str, Any]:
            ctx, _ = _run()
            return steps.map(ctx, shard)

        def reduce(results: Any) -> Any:
            ctx, _ = _run()
            return steps.reduce(ctx, list(results))

        for fn, step in ((plan, steps.plan), (one_shard, steps.map), (reduce, steps.reduce)):
            fn.__doc__ = step.__doc__
        planned = task(task_id=f"{stage.name}_plan",
                       trigger_rule="all_done" if stage.always else "all_success")(plan)(*inputs)
        mapped = task(task_id=f"{stage.name}_{steps.name}",
                      map_index_template="{{ task.op_kwargs['shard']['name'] }}",
                      )(one_shard).expand(shard=planned)
        return planned, task(task_id=stage.name)(reduce)(mapped)

    @task(trigger_rule="all_done", retries=0)
    def report() -> None:
        from extract.run import SourceFailed
        from microcareer import stages
        from microcareer.pipeline import write_run_report
        from microcareer.summary import source_report

        ctx, _ = _run()
        write_run_report(ctx.layout.root, ctx.run_id)  # DATA_DIR/reports; logs, never raises
        lines, _ = source_report(ctx.layout.root, ctx.run_id)
        print("Sources:\n" + lines)
        # A leaf task decides the run's state, by the same rule as `microcareer run`'s exit
        # status: without it, a run whose normalise, validate or publish failed would end
        # "success". A configured source that left no report counts as failed.
        outcome = stages.outcome(ctx)
        if outcome.backfill:
            print(f"Backfill: {outcome.backfill}")
        if outcome.failure:
            raise (RuntimeError if not outcome.published else SourceFailed)(outcome.failure)

    sources = list_sources()
    values: dict[str, Any] = {"sources": sources}
    reports = extract.expand(source=sources)
    first = None
    for stage in STAGES:
        inputs = [values[i] for i in stage.inputs]
        if stage.shards is not None:
            head, values[stage.output] = sharded_tasks(stage, *inputs)
        else:
            head = values[stage.output] = stage_task(stage)(*inputs)
        first = first or head
    reports >> first
    values[STAGES[-1].output] >> report()


microcareer_nightly()
