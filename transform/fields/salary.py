"""Salary as published -> annual minimum and maximum with an ISO 4217 currency.

Pay per hour, day, week or month is annualised with fixed factors (full-time year: 2,080
hours, 260 working days, 52 weeks, 12 months). Amounts whose annual value is implausible
(below 1,000 or above 5,000,000 in any currency) or without a known period or currency stay
null: a wrong salary is worse than none."""

from __future__ import annotations

import polars as pl

ANNUAL_FACTOR = {"hour": 2080.0, "day": 260.0, "week": 52.0, "month": 12.0, "year": 1.0}
PLAUSIBLE = (1_000.0, 5_000_000.0)
_PERIODS = [  # (regex on the lower-cased published period, period), first match wins
    (r"hour|^ph$|^hr$", "hour"), (r"day|daily", "day"), (r"week", "week"),
    (r"month", "month"), (r"year|annual|^pa$|^py$|^yr$", "year"),
]


def period_expr(col: str = "salary_period") -> pl.Expr:
    """The published pay period as hour, day, week, month or year (null when unknown)."""
    p = pl.col(col).str.to_lowercase().str.strip_chars()
    expr = pl.lit(None, dtype=pl.String)
    for pattern, name in reversed(_PERIODS):
        expr = pl.when(p.str.contains(pattern)).then(pl.lit(name)).otherwise(expr)
    return expr


def salary_columns() -> list[pl.Expr]:
    """salary_period (normalised), salary_currency, salary_annual_min and salary_annual_max."""
    period = period_expr()
    currency = pl.col("salary_currency").str.strip_chars().str.to_uppercase()
    currency = pl.when(currency.str.contains(r"^[A-Z]{3}$")).then(currency)
    factor = period.replace_strict(ANNUAL_FACTOR, default=None, return_dtype=pl.Float64)

    def annual(col: str) -> pl.Expr:
        value = pl.col(col) * factor
        ok = value.is_between(*PLAUSIBLE) & currency.is_not_null()
        return pl.when(ok).then(value.round(2))

    return [period.alias("salary_period"), currency.alias("salary_currency"),
            annual("salary_min").alias("salary_annual_min"),
            annual("salary_max").alias("salary_annual_max")]
