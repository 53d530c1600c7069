"""Production settings: schedule and retry backoff from the environment, the failure webhook,
and the upload of the published dataset to an fsspec URL."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta

import fsspec
import pendulum
import pytest
from airflow.dag_processing.dagbag import DagBag

from microcareer.notify import WEBHOOK_ENV, WebhookNotifier, failure_callbacks
from schemas.tables import PUBLISHED
from tests.paths import ROOT
from transform.marts import publish

DAGS = ROOT / "dags"


def _parse(monkeypatch, **env: str):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    bag = DagBag(dag_folder=DAGS)
    assert bag.import_errors == {}
    return bag.dags["microcareer_nightly"]


def test_schedule_and_retry_backoff_come_from_the_environment(monkeypatch):
    dag = _parse(monkeypatch, MICROCAREER_SCHEDULE="30 2 * * *", MICROCAREER_TASK_RETRIES="3",
                 MICROCAREER_RETRY_DELAY_SECONDS="60", MICROCAREER_RETRY_BACKOFF="3",
                 MICROCAREER_MAX_RETRY_DELAY_SECONDS="900")
    assert dag.schedule == "30 2 * * *"
    task = dag.get_task("normalise")
    assert task.retries == 3 and dag.get_task("extract").retries == 4
    assert task.retry_delay == timedelta(seconds=60)
    assert task.retry_exponential_backoff == 3
    assert task.max_retry_delay == timedelta(seconds=900)
    assert not task.on_failure_callback

    manual = _parse(monkeypatch, MICROCAREER_SCHEDULE="none")
    assert manual.schedule is None


def test_every_task_and_the_run_have_timeouts_from_the_environment(monkeypatch):
    dag = _parse(monkeypatch, MICROCAREER_TASK_TIMEOUT_SECONDS="600",
                 MICROCAREER_DAGRUN_TIMEOUT_SECONDS="5400")
    assert dag.dagrun_timeout == timedelta(seconds=5400)
    assert {t.task_id: t.execution_timeout for t in dag.tasks} == {
        t.task_id: timedelta(seconds=600) for t in dag.tasks}
    for key in ("MICROCAREER_TASK_TIMEOUT_SECONDS", "MICROCAREER_DAGRUN_TIMEOUT_SECONDS"):
        monkeypatch.delenv(key)
    dag = _parse(monkeypatch)
    assert dag.dagrun_timeout == timedelta(hours=8)
    assert all(t.execution_timeout == timedelta(hours=2) for t in dag.tasks)


def test_dag_params_must_stay_inside_the_allowed_roots(monkeypatch, tmp_path):
    from microcareer.pipeline import check_allowed

    monkeypatch.setenv("MICROCAREER_ALLOWED_ROOTS", f"{tmp_path / 'data'}:/opt/microcareer")
    assert check_allowed(str(tmp_path / "data" / "night"), "data_dir")
    with pytest.raises(ValueError, match="outside the allowed roots"):
        check_allowed(str(tmp_path / "data" / ".." / "etc"), "data_dir")
    with pytest.raises(ValueError, match="outside the allowed roots"):
        check_allowed("/etc/passwd", "config")
    monkeypatch.delenv("MICROCAREER_ALLOWED_ROOTS")
    assert check_allowed("/anywhere", "config") == "/anywhere"


def test_defaults_back_off_exponentially_and_send_no_notifications(monkeypatch):
    for key in ("MICROCAREER_SCHEDULE", "MICROCAREER_RETRY_DELAY_SECONDS",
                "MICROCAREER_RETRY_BACKOFF", "MICROCAREER_MAX_RETRY_DELAY_SECONDS", WEBHOOK_ENV):
        monkeypatch.delenv(key, raising=False)
    task = _parse(monkeypatch).get_task("aggregate")
    assert task.retry_delay == timedelta(minutes=5)
    assert task.retry_exponential_backoff == 2
    assert task.max_retry_delay == timedelta(hours=1)
    assert failure_callbacks({}) == []


def test_webhook_notifier_posts_what_failed(httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")

    class TI:
        dag_id, task_id, map_index, try_number = "microcareer_nightly", "aggregate", -1, 2

    notifier = failure_callbacks({WEBHOOK_ENV: httpserver.url_for("/hook")})[0]
    assert isinstance(notifier, WebhookNotifier)
    notifier({"ti": TI(), "run_id": "manual__1", "exception": ValueError("disk full"),
              "logical_date": pendulum.datetime(2026, 11, 1, tz="UTC")})

    (request, _), = httpserver.log
    assert request.headers["Content-Type"] == "application/json"
    assert request.get_json() == {
        "event": "task_failed", "dag_id": "microcareer_nightly", "run_id": "manual__1",
        "task_id": "aggregate", "map_index": -1, "try_number": 2,
        "logical_date": "2026-11-01T00:00:00+00:00", "error": "disk full"}


def test_a_failing_task_in_a_real_dag_run_calls_the_webhook(monkeypatch, airflow_db, tmp_path,
                                                           httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    dag = _parse(monkeypatch, **{WEBHOOK_ENV: httpserver.url_for("/hook")})
    run = dag.test(logical_date=pendulum.datetime(2026, 11, 3, tz="UTC"),
                   run_conf={"config": str(tmp_path / "missing.yaml"),
                             "data_dir": str(tmp_path / "data")})
    failed = {ti.task_id for ti in run.get_task_instances() if ti.state == "failed"}
    messages = [r.get_json() for r, _ in httpserver.log]
    assert "list_sources" in failed and {m["task_id"] for m in messages} == failed
    assert all(m["dag_id"] == "microcareer_nightly" and m["error"] for m in messages)


@pytest.mark.parametrize("scheme", ["file", "memory"])
def test_publish_uploads_tables_then_manifest_to_the_dataset_url(small_run, tmp_path, scheme):
    source, _ = small_run
    data_dir = tmp_path / "data"
    shutil.copytree(source, data_dir)
    release = data_dir / "dataset" / "releases" / "test_run_1"
    url = f"file://{tmp_path}/bucket/microcareer" if scheme == "file" else \
        f"memory://bucket-{tmp_path.name}/microcareer"

    manifest = publish.run(data_dir=data_dir, run_id="test_run_1", date="2026-11-01",
                           release_dir=release, dataset_url=url)

    fs, root = fsspec.core.url_to_fs(url)
    uploaded = json.loads(fs.cat_file(f"{root}/manifest.json"))
    assert uploaded == {k: v for k, v in manifest.items() if k != "current"}
    assert uploaded["release"] == "releases/test_run_1"
    for table in PUBLISHED:
        blob = fs.cat_file(f"{root}/releases/test_run_1/{table.name}.parquet")
        assert blob == (data_dir / "dataset" / f"{table.name}.parquet").read_bytes()
        assert uploaded["tables"][table.name]["path"] == \
            f"releases/test_run_1/{table.name}.parquet"
    assert sorted(fs.ls(f"{root}/releases/test_run_1", detail=False)) == sorted(
        f"{root}/releases/test_run_1/{name}"
        for name in [*(f"{t.name}.parquet" for t in PUBLISHED), "manifest.json"])
    assert sorted(p.rstrip("/").rsplit("/", 1)[1] for p in fs.ls(root, detail=False)) == [
        "manifest.json", "releases"]
