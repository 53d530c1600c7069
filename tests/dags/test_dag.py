"""The Airflow DAG: it imports cleanly, has the pipeline's shape, and runs end to end."""

from __future__ import annotations

import json

import pendulum
import polars as pl
import pytest
from airflow.dag_processing.dagbag import DagBag

from schemas.tables import PUBLISHED
from tests.paths import ROOT

DAGS = ROOT / "dags"


@pytest.fixture(scope="module")
def dag():
    bag = DagBag(dag_folder=DAGS)
    assert bag.import_errors == {}
    return bag.dags["microcareer_nightly"]


def test_dag_has_the_pipeline_shape(dag):
    chain = ["list_sources", "extract", "normalise_plan", "normalise_shard", "normalise",
             "extract_skills_plan", "extract_skills_shard", "extract_skills", "aggregate",
             "validate", "publish", "report"]
    assert set(dag.task_ids) == set(chain)
    for upstream, downstream in zip(chain, chain[1:], strict=False):
        assert downstream in dag.get_task(upstream).downstream_task_ids
    assert "publish" in dag.get_task("aggregate").downstream_task_ids
    assert dag.get_task("extract").retries >= dag.get_task("normalise").retries
    assert dag.schedule == "@daily" and not dag.catchup
    assert dag.get_task("normalise_plan").trigger_rule == "all_done"
    assert dag.get_task("normalise").trigger_rule == "all_success"
    assert dag.get_task("report").trigger_rule == "all_done"


def test_sharded_stages_are_mapped_tasks_over_their_plan(dag):
    """Each sharded stage of microcareer/stages.py is plan -> map (expanded over the plan's
    output, one task instance per shard, named by the shard) -> reduce, and only those."""
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    from microcareer.stages import STAGES

    sharded = [s for s in STAGES if s.shards is not None]
    assert [s.name for s in sharded] == ["normalise", "extract_skills"]
    mapped = {t.task_id for t in dag.tasks if isinstance(t, MappedOperator)}
    assert mapped == {"extract"} | {f"{s.name}_{s.shards.name}" for s in sharded}
    for stage in sharded:
        task = dag.get_task(f"{stage.name}_{stage.shards.name}")
        assert task.upstream_task_ids == {f"{stage.name}_plan"}
        assert task.downstream_task_ids == {stage.name}
        (name, source), = task.op_kwargs_expand_input.value.items()
        assert name == "shard" and source.operator.task_id == f"{stage.name}_plan"
        assert "shard" in task.map_index_template


def test_dag_tasks_are_the_declared_stages_and_publish_emits_the_dataset_asset(dag):
    from airflow.sdk import Asset

    from microcareer.stages import STAGES

    for stage in STAGES:
        dag.get_task(stage.name)  # a sharded stage's reduce step: the stage's output
        task = dag.get_task(f"{stage.name}_plan" if stage.shards else stage.name)
        upstream = {s.output: s.name for s in STAGES}
        assert {upstream[i] for i in stage.inputs if i in upstream} <= task.upstream_task_ids
    outlets = dag.get_task("publish").outlets
    assert len(outlets) == 1 and isinstance(outlets[0], Asset)
    assert outlets[0].name == outlets[0].uri == "microcareer_dataset"


def test_dag_run_publishes_the_dataset(dag, airflow_db, small_config, tmp_path, monkeypatch):
    from transform.linking.skills import SKILL_SHARD_ENV
    from transform.postings.normalise import SHARD_ENV

    monkeypatch.setenv(SHARD_ENV, "400")  # normalise in several mapped tasks
    monkeypatch.setenv(SKILL_SHARD_ENV, "1000")  # and skills
    run = dag.test(logical_date=pendulum.datetime(2026, 11, 1, tz="UTC"),
                   run_conf={"config": str(small_config), "data_dir": str(tmp_path)})
    assert run.state == "success"
    shards = [ti for ti in run.get_task_instances() if ti.task_id == "normalise_shard"]
    assert len(shards) > 1 and all(ti.state == "success" for ti in shards)
    assert sorted(ti.rendered_map_index for ti in shards) == \
        sorted(f"postings {i}/{len(shards)}" for i in range(1, len(shards) + 1))
    skill_shards = {ti.rendered_map_index: ti.state for ti in run.get_task_instances()
                    if ti.task_id == "extract_skills_shard"}
    assert {"postings 1/2", "postings 2/2", "courses 1/1"} <= set(skill_shards)
    assert set(skill_shards.values()) == {"success"}
    assert not list(tmp_path.glob("runs/*/shards"))  # the reduce step removed them
    manifest = json.loads((tmp_path / "dataset" / "manifest.json").read_text())
    for table in PUBLISHED:
        entry = manifest["tables"][table.name]
        frame = pl.read_parquet(tmp_path / "dataset" / entry["path"])
        assert frame.columns == [c.name for c in table.columns]
        assert frame.height == entry["rows"] > 0, table.name
    assert manifest["validation"]["success"] is True
    assert set(manifest["sources"]) == {"ashby", "nhs_jobs", "usajobs_2017", "emscad", "edx",
                                        "mit_learn"}


def test_hostile_sources_fail_their_tasks_and_the_run_but_the_rest_is_published(
        dag, airflow_db, tmp_path, httpserver):
    """The scenario of issue 16 (tests/e2e/test_scenario.py) under Airflow: the run ends failed,
    not success, with the dataset published from the good sources and every problem source
    named in the manifest."""
    from tests.sources_helpers import SMALL_SOURCES, fault_sources, write_config

    faults, reasons = fault_sources(httpserver)
    config = write_config(tmp_path, SMALL_SOURCES, extra=faults)
    run = dag.test(logical_date=pendulum.datetime(2026, 11, 2, tz="UTC"),
                   run_conf={"config": str(config), "data_dir": str(tmp_path / "data")})

    states = {(ti.task_id, ti.map_index): ti.state for ti in run.get_task_instances()}
    assert run.state == "failed"
    assert states[("publish", -1)] == "success"
    assert states[("report", -1)] == "failed"
    manifest = json.loads((tmp_path / "data/dataset/manifest.json").read_text())
    assert manifest["logical_date"] == "2026-11-02"
    failed = {n for n, s in manifest["sources"].items() if s["status"] == "failed"}
    troubled = {n for n, s in manifest["sources"].items() if s["status"] != "ok"}
    assert troubled >= set(reasons) - {"f_content_length"}
    extract_failed = sum(1 for (t, _), s in states.items() if t == "extract" and s == "failed")
    assert extract_failed == len(failed) > 0
    assert all(manifest["sources"][n]["status"] == "ok" for n in SMALL_SOURCES)
    assert manifest["tables"]["postings"]["rows"] > 0


def test_a_release_that_fails_validation_fails_the_run_and_publishes_nothing(
        dag, airflow_db, small_config, tmp_path, monkeypatch):
    # Newest snapshot posting is months old: a one-day freshness limit breaks validation.
    monkeypatch.setenv("MICROCAREER_FRESHNESS_DAYS", "1")
    run = dag.test(logical_date=pendulum.datetime(2026, 11, 3, tz="UTC"),
                   run_conf={"config": str(small_config), "data_dir": str(tmp_path)})
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states["validate"] == "failed" and states["publish"] == "upstream_failed"
    assert states["report"] == "failed" and run.state == "failed"
    assert not (tmp_path / "dataset" / "manifest.json").exists()
    assert list((tmp_path / "reports").glob("*.html"))  # the report still says what happened
