"""The nightly job, declared once: its stages in order, what each takes and hands on, and the
one rule that decides a run's outcome. `microcareer run` (microcareer/pipeline.py) and the
Airflow DAG (dags/microcareer_nightly.py) both run these; neither wires stages of its own.

    list_sources -> extract (per source) -> normalise -> extract_skills -> aggregate
                 -> validate -> publish -> report (always, then the outcome)

    normalise = normalise_plan -> normalise_shard (per shard) -> normalise (reduce)
    extract_skills = extract_skills_plan -> extract_skills_shard (per shard) -> extract_skills

Every stage is `fn(ctx, *inputs) -> output`: `ctx` is the run's `RunContext` (data folder,
logical date, run id), the inputs are earlier stages' outputs, named in `Stage.inputs`, and
each output is a plain JSON value an Airflow task can hand to the next (XCom). The stages that
read the taxonomy take it as the keyword `taxonomy` (default: `Taxonomy.shipped()`, one per
process, so a worker builds each matcher once) and hand it to transform explicitly.

A stage whose per-record work is cut into shards declares `Shards` (plan, map per shard,
reduce) instead of one function: the DAG maps a task over the shards (Celery workers share
them), `microcareer run` runs the same map function over a process pool.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.layout import MANIFEST, DataLayout, RunContext
from schemas.records import (
    Manifest,
    SourceReport,
    ValidationResult,
    current_manifest,
    problem_text,
    problems,
    read_manifest,
    read_source_reports,
)
from schemas.taxonomy import Taxonomy


def list_sources(config: str | Path | None) -> list[str]:
    from extract.config import load_config

    return load_config(config).source_names


def extract(ctx: RunContext, source: str, config: str | Path | None) -> SourceReport:
    """Land, parse and stage one source; its report (also written to the run's folder)."""
    from extract.run import extract_source

    return extract_source(source, data_dir=ctx.layout.root, date=ctx.date, run_id=ctx.run_id,
                          config=config)


def source_failure(report: SourceReport) -> str | None:
    """Why a source produced no usable payload, or None when it produced some."""
    if report["status"] != "failed":
        return None
    return (f"{report['source']}: no usable payload: "
            + "; ".join(problem_text(p) for p in problems(report)[:5]))


def normalise_plan(ctx: RunContext, sources: list[str]) -> list[dict[str, Any]]:
    """normalise, before the per-record work: the courses, which staged rows of `sources`
    are records, and the shards of the staged postings (descriptors)."""
    from transform.postings import normalise as stage

    return stage.plan(data_dir=ctx.layout.root, date=ctx.date, run_id=ctx.run_id,
                      sources=sources)


def normalise_shard(ctx: RunContext, shard: dict[str, Any], *,
                    taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """The per-record work of one shard of staged postings: clean text, dedupe keys,
    fields, sector and role."""
    from transform.postings import normalise as stage

    return stage.prepare_shard(data_dir=ctx.layout.root, run_id=ctx.run_id, shard=shard,
                               taxonomy=taxonomy or Taxonomy.shipped())


def normalise_reduce(ctx: RunContext, shards: list[dict[str, Any]], *,
                     taxonomy: Taxonomy | None = None) -> str:
    """Duplicates linked over the night's compact keys, the candidate state and the
    canonical postings written; returns the normalised folder."""
    from transform.postings import normalise as stage

    stage.reduce(data_dir=ctx.layout.root, date=ctx.date, run_id=ctx.run_id,
                 shards=list(shards), taxonomy=taxonomy or Taxonomy.shipped())
    return str(ctx.normalised)


def skills_plan(ctx: RunContext, normalised: str) -> list[dict[str, Any]]:
    """extract_skills, before the per-record work: the shards of the normalised postings
    and courses (descriptors), and their employer boilerplate lines."""
    from transform.linking import skills

    return skills.plan(data_dir=ctx.layout.root, date=ctx.date, run_id=ctx.run_id)


def skills_shard(ctx: RunContext, shard: dict[str, Any], *,
                 taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """The skills of one shard of postings or courses."""
    from transform.linking import skills

    return skills.match_shard(data_dir=ctx.layout.root, date=ctx.date, run_id=ctx.run_id,
                              shard=shard, taxonomy=taxonomy or Taxonomy.shipped())


def skills_reduce(ctx: RunContext, shards: list[dict[str, Any]], *,
                  taxonomy: Taxonomy | None = None) -> str:
    """posting_skills and course_skills from the shards' skills; returns the normalised
    folder."""
    from transform.linking import skills

    skills.reduce(data_dir=ctx.layout.root, date=ctx.date, run_id=ctx.run_id,
                  shards=list(shards), taxonomy=taxonomy or Taxonomy.shipped())
    return str(ctx.normalised)


def aggregate(ctx: RunContext, normalised: str, *, taxonomy: Taxonomy | None = None) -> str:
    """Every published table into the run's release folder; returns the release folder."""
    from transform.marts import aggregate as stage

    stage.run(data_dir=ctx.layout.root, date=ctx.date, release_dir=ctx.release,
              taxonomy=taxonomy or Taxonomy.shipped())
    return str(ctx.release)


def validate(ctx: RunContext, release: str, *,
             taxonomy: Taxonomy | None = None) -> ValidationResult:
    """Great Expectations on the release; raises ValidationFailed, naming what broke."""
    from schemas import validate as stage

    return stage.run(data_dir=ctx.layout.root, run_id=ctx.run_id, release_dir=release,
                     date=ctx.date, taxonomy=taxonomy or Taxonomy.shipped())


def publish(ctx: RunContext, release: str, validation: ValidationResult,
            dataset_url: str | None = None) -> Manifest:
    """Make the validated release the current dataset, unless it is for an older date than
    the current one and `ctx.publish_older` is not set (a backfill: the manifest's `current`
    is then False and its `note` says why); returns its manifest."""
    from transform.marts import publish as stage

    return stage.run(data_dir=ctx.layout.root, run_id=ctx.run_id, date=ctx.date,
                     release_dir=release, validation=validation, dataset_url=dataset_url,
                     publish_older=ctx.publish_older)


@dataclass(frozen=True)
class Shards:
    """A stage's per-record work in shards: `plan(ctx, *inputs)` does what needs the whole
    night and returns the shard descriptors (small JSON dicts with a "name"), `map(ctx,
    shard)` does one shard (writing its output under `DataLayout.shards`; any worker, any
    order) and returns what it wrote, `reduce(ctx, results)` joins the results, in shard
    order, into the stage's output. The DAG runs them as tasks `<stage>_plan`, `<stage>_<name>`
    (dynamically mapped, one task per shard) and `<stage>`; `microcareer run` runs the map
    steps over a pool of processes (`run_stage`)."""

    name: str  # what a shard does: the mapped task is `<stage>_<name>`
    plan: Callable[..., list[dict[str, Any]]]
    map: Callable[..., dict[str, Any]]
    reduce: Callable[..., Any]


@dataclass(frozen=True)
class Stage:
    name: str  # the DAG's task id (a sharded stage's reduce task), the step's name in
    # `microcareer run`
    run: Callable[..., Any] | None
    inputs: tuple[str, ...]
    output: str
    always: bool = False  # runs when an upstream task failed (the DAG's trigger rule all_done)
    shards: Shards | None = None  # a sharded stage (no `run`)


# After extract (one per source): the chain both orchestrators run, in order.
STAGES: tuple[Stage, ...] = (
    Stage("normalise", None, ("sources",), "normalised", always=True,
          shards=Shards("shard", normalise_plan, normalise_shard, normalise_reduce)),
    Stage("extract_skills", None, ("normalised",), "skills",
          shards=Shards("shard", skills_plan, skills_shard, skills_reduce)),
    Stage("aggregate", aggregate, ("skills",), "release"),
    Stage("validate", validate, ("release",), "validation"),
    Stage("publish", publish, ("release", "validation"), "manifest"),
)


def map_shards(fn: Callable[..., dict[str, Any]], ctx: RunContext,
               shards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`fn(ctx, shard)` for each shard, results in shard order: over a pool of `workers()`
    processes when there are several shards (each process loads the taxonomy once), else in
    this one. Spawned, not forked: a forked child of a process running Polars' thread pool
    can hang."""
    import multiprocessing

    from transform.fields.distinct import workers

    n = min(workers(), len(shards))
    if n <= 1:
        return [fn(ctx, shard) for shard in shards]
    with multiprocessing.get_context("spawn").Pool(n) as pool:
        return pool.starmap(fn, [(ctx, shard) for shard in shards], chunksize=1)


def run_stage(stage: Stage, ctx: RunContext, *inputs: Any) -> Any:
    """One stage in this process (`microcareer run`): its function, or for a sharded stage
    plan, every shard's map step (`map_shards`) and reduce."""
    if stage.shards is None:
        assert stage.run is not None, f"stage {stage.name} has neither run nor shards"
        return stage.run(ctx, *inputs)
    planned = stage.shards.plan(ctx, *inputs)
    return stage.shards.reduce(ctx, map_shards(stage.shards.map, ctx, planned))


@dataclass
class Outcome:
    """How a run ended: whether it published, and which sources failed or had problems."""

    run_id: str
    published: bool  # its release was published (current, or written as a backfill)
    current: str | None  # run id of the current dataset
    failed: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    backfill: str | None = None  # why a published release is not current (an older date)

    @property
    def exit_code(self) -> int:
        """`microcareer run`: 0 all ok, 1 nothing published, 3 published with source
        problems."""
        return 1 if not self.published else 3 if self.failed or self.partial else 0

    @property
    def failure(self) -> str | None:
        """Why the DAG run fails (its last task raises this), or None: it fails when nothing
        was published or a source failed outright (a partial source only shows in the
        report)."""
        if not self.published:
            return (f"run {self.run_id} published nothing (an upstream stage failed: see its "
                    f"log); the current dataset is {self.current or 'none'}")
        if self.failed:
            return (f"sources failed: {', '.join(self.failed)}; the dataset was published "
                    "from the others")
        return None


def outcome(ctx: RunContext) -> Outcome:
    """The one verdict on a run, from what it left in the data folder."""
    manifest = current_manifest(ctx.layout)
    current = manifest.get("run_id") if manifest else None
    # configured sources without a report count as failed (schemas/records.py)
    reports = read_source_reports(ctx.layout, ctx.run_id)
    own = read_manifest(ctx.release / MANIFEST) if current != ctx.run_id else None
    backfill = own.get("note") if own and own.get("current") is False else None
    return Outcome(
        run_id=ctx.run_id, published=current == ctx.run_id or backfill is not None,
        current=current, backfill=backfill,
        failed=[r["source"] for r in reports if r["status"] == "failed"],
        partial=[r["source"] for r in reports if r["status"] == "partial"])


def context(data_dir: str | Path | None, date: str, run_id: str,
            publish_older: bool = False) -> RunContext:
    return RunContext(DataLayout.of(data_dir), date, run_id, publish_older=publish_older)
