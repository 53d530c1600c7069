"""Employment type as published -> a small vocabulary: full_time, part_time, permanent,
contract, temporary, internship, volunteer, other (null when the source says nothing)."""

from __future__ import annotations

import polars as pl

_RULES = [  # (regex on the lower-cased published type, category), first match wins
    (r"intern|praktikum|apprentice|trainee", "internship"),
    (r"volunt", "volunteer"),
    (r"part[\s_-]*time|teilzeit|\bside\b", "part_time"),
    (r"contract|freelanc|consult|1099", "contract"),
    (r"temp|seasonal|intermittent|fixed[\s_-]*term|befristet|locum|bank\b", "temporary"),
    (r"full[\s_-]*time|vollzeit|regular", "full_time"),
    (r"permanent|unbefristet|indefinite", "permanent"),
]


def employment_expr(col: str = "employment_type") -> pl.Expr:
    """The published employment type mapped to full_time, part_time, permanent, contract,
    temporary, internship or volunteer ('other' when unrecognised)."""
    value = pl.col(col).str.to_lowercase().str.strip_chars()
    expr = pl.when(value.is_null() | (value == "")).then(None).otherwise(pl.lit("other"))
    for pattern, name in reversed(_RULES):
        expr = pl.when(value.str.contains(pattern)).then(pl.lit(name)).otherwise(expr)
    return expr.alias("employment_category")
