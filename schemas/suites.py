"""Great Expectations suites for the published tables, derived from their contract in tables.py
plus the reference sets they must stay within (ESCO skills, O*NET-SOC roles, NAICS sectors)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from schemas.tables import PUBLISHED, Table

TAXONOMY = Path(__file__).resolve().parents[1] / "taxonomy"
REFERENCES = {  # column -> (taxonomy table, its key column)
    "skill_uri": ("esco_skills", "skill_uri"),
    "role": ("onet_roles", "role"), "from_role": ("onet_roles", "role"),
    "to_role": ("onet_roles", "role"),
    "sector": ("naics_sectors", "sector"), "from_sector": ("naics_sectors", "sector"),
    "to_sector": ("naics_sectors", "sector"),
}


@cache
def reference_set(table: str, column: str) -> tuple[str, ...]:
    return tuple(pl.read_parquet(TAXONOMY / f"{table}.parquet")[column].to_list())


def expectations(table: Table) -> list:
    """The expectation list of one table's suite."""
    import great_expectations.expectations as gxe

    exp: list = [
        gxe.ExpectTableColumnsToMatchOrderedList(column_list=[c.name for c in table.columns]),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
    ]
    for c in table.columns:
        if not c.nullable:
            exp.append(gxe.ExpectColumnValuesToNotBeNull(column=c.name))
        if c.min_value is not None or c.max_value is not None:
            exp.append(gxe.ExpectColumnValuesToBeBetween(
                column=c.name, min_value=c.min_value, max_value=c.max_value))
        if c.name in REFERENCES:
            ref_table, ref_col = REFERENCES[c.name]
            exp.append(gxe.ExpectColumnValuesToBeInSet(
                column=c.name, value_set=list(reference_set(ref_table, ref_col))))
    if len(table.key) == 1:
        exp.append(gxe.ExpectColumnValuesToBeUnique(column=table.key[0]))
    elif table.key:
        exp.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(table.key)))
    return exp


def suites() -> dict[str, list]:
    return {t.name: expectations(t) for t in PUBLISHED}
