"""Per-row Python functions applied once per distinct value, in bulk.

A night repeats many values (titles, employers, places, dates); a Python function called per
row through `map_elements` pays for every repeat and holds the GIL for the whole column.
`map_distinct` calls it once per distinct combination of the input columns and joins the
results back, so the output is the same as row by row, in the frame's order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl


def map_distinct(frame: pl.DataFrame, cols: list[str], fn: Callable[..., Any],
                 schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """One row per row of `frame` with the columns of `schema`: `fn(*values of cols)` (a
    tuple, or a single value for a one-column schema), computed once per distinct combination
    of `cols` (nulls included: fn sees None)."""
    keys = frame.select(cols)
    distinct = keys.unique(maintain_order=True)
    values = [fn(*row) for row in distinct.iter_rows()]
    names = list(schema)
    if len(names) == 1:
        out = pl.DataFrame({names[0]: pl.Series(values, dtype=schema[names[0]])})
    else:
        out = pl.DataFrame(values, schema=schema, orient="row")
    key_names = [f"__key{i}" for i in range(len(cols))]
    return (keys.rename(dict(zip(cols, key_names, strict=True)))
            .join(distinct.rename(dict(zip(cols, key_names, strict=True))).hstack(out),
                  on=key_names, how="left", nulls_equal=True, maintain_order="left")
            .select(names))


def skip_nulls(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` that gives None for a None argument (as `map_elements` skips nulls)."""
    return lambda *args: None if any(a is None for a in args) else fn(*args)
