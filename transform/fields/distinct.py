"""Per-row Python functions applied once per distinct value, in bulk.

A night repeats many values (titles, employers, places, dates); a Python function called per
row through `map_elements` pays for every repeat and holds the GIL for the whole column.
`map_distinct` calls it once per distinct combination of the input columns and joins the
results back, so the output is the same as row by row, in the frame's order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any

import polars as pl

WORKERS_ENV = "MICROCAREER_WORKERS"
POOL_CONTEXT = "forkserver"  # children forked from a clean, single-threaded server
SHARD = 2000  # values a worker converts per task: its memory is bounded by this, not the night
MIN_PARALLEL = 4 * SHARD  # fewer distinct values than this are converted in-process


def workers() -> int:
    """Processes for per-value Python work: $MICROCAREER_WORKERS, else every core; 1 inside
    a daemonic process (e.g. a Celery prefork worker), which may not start children."""
    if multiprocessing.current_process().daemon:
        return 1
    value = os.environ.get(WORKERS_ENV, "").strip()
    return max(1, int(value)) if value else (os.cpu_count() or 1)


def _apply(task: tuple[Callable[..., Any], list[tuple]]) -> list[Any]:
    fn, rows = task
    return [fn(*row) for row in rows]


def apply_rows(fn: Callable[..., Any], frame: pl.DataFrame, parallel: bool = True
               ) -> list[Any]:
    """[fn(*row) for row in frame.iter_rows()], in shards of SHARD rows (only a shard's
    values are Python objects at a time), over a pool of `workers()` processes when there are
    many: the same results, in order, whatever the shard size or number of workers (fn must
    be a pure, picklable function of its arguments). The workers come from a fork server,
    never forked from this process: a child forked from a process running Polars' thread
    pool can inherit a held lock and hang (it did, under pytest)."""
    n = workers() if parallel else 1
    tasks = ((fn, s.rows()) for s in frame.iter_slices(SHARD))
    if n <= 1 or frame.height < MIN_PARALLEL:
        return [v for task in tasks for v in _apply(task)]
    with multiprocessing.get_context(POOL_CONTEXT).Pool(n) as pool:
        return [v for part in pool.imap(_apply, tasks) for v in part]


def apply_batches(fn: Callable[[list[Any]], list[Any]], values: list[Any],
                  parallel: bool = True) -> list[Any]:
    """`fn` (a list of values -> a list of results, one each) over shards of SHARD values,
    concatenated in order; over the worker pool as `apply_rows`."""
    n = workers() if parallel else 1
    shards = [values[i:i + SHARD] for i in range(0, len(values), SHARD)]
    if n <= 1 or len(values) < MIN_PARALLEL:
        return [v for s in shards for v in fn(s)]
    with multiprocessing.get_context(POOL_CONTEXT).Pool(n) as pool:
        return [v for part in pool.imap(fn, shards) for v in part]


def distinct_rows(frame: pl.DataFrame, cols: list[str]) -> tuple[pl.DataFrame, pl.Series]:
    """The distinct combinations of `cols` in order of first appearance, and for each row of
    `frame` the index of its combination among them (UInt32): `distinct.gather(index)` gives
    `frame`'s `cols` back, and so does any per-combination result."""
    key = pl.struct(cols)
    group = frame.select(key.rank("dense").cast(pl.Int64) - 1).to_series()
    first = frame.select(key.is_first_distinct()).to_series()
    order = group.filter(first).arg_sort()  # a group's position in order of first appearance
    return frame.filter(first).select(cols), order.gather(group).cast(pl.UInt32)


def per_distinct(frame: pl.DataFrame, cols: list[str],
                 batch: Callable[[pl.DataFrame], pl.DataFrame]) -> pl.DataFrame:
    """`batch` (a frame of distinct `cols` rows -> a frame of results, one row each) applied
    to the distinct combinations of `cols` in order of first appearance, and its results
    spread back to one row per row of `frame`."""
    distinct, index = distinct_rows(frame, cols)
    return batch(distinct).select(pl.all().gather(index))


def map_distinct(frame: pl.DataFrame, cols: list[str], fn: Callable[..., Any],
                 schema: dict[str, pl.DataType], parallel: bool = False) -> pl.DataFrame:
    """One row per row of `frame` with the columns of `schema`: `fn(*values of cols)` (a
    tuple, or a single value for a one-column schema), computed once per distinct combination
    of `cols` (nulls included: fn sees None); with `parallel`, in a process pool
    (`apply_rows`: for slow functions)."""
    names = list(schema)

    def batch(distinct: pl.DataFrame) -> pl.DataFrame:
        values = apply_rows(fn, distinct, parallel)
        if len(names) == 1:
            return pl.DataFrame({names[0]: pl.Series(values, dtype=schema[names[0]])})
        return pl.DataFrame(values, schema=schema, orient="row")

    return per_distinct(frame, cols, batch)


class skip_nulls:  # noqa: N801 (used as a function wrapper)
    """`fn` that gives None for a None argument (as `map_elements` skips nulls); picklable,
    so it can go to a worker process."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn

    def __call__(self, *args: Any) -> Any:
        return None if any(a is None for a in args) else self.fn(*args)
