"""Posting -> NAICS 2022 sector: configured employer sector, the source's own label, the
organisation (e.g. a US federal department), the role's main US sector (BLS OEWS), else null
with the reason recorded in sector_method."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from schemas.project import TAXONOMY
from transform.linking.roles import MIN_ROLE_CONFIDENCE

RULES = Path(__file__).parent / "mappings" / "industries.yaml"


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))




@lru_cache(maxsize=1)
def role_sectors() -> dict[str, str]:
    """SOC occupation -> the NAICS sector employing most of it in the US (BLS OEWS)."""
    bls = (pl.read_parquet(TAXONOMY / "bls_employment.parquet")
           .sort(["soc_code", "employment", "sector"], descending=[False, True, False])
           .unique("soc_code", keep="first", maintain_order=True))
    return dict(zip(bls["soc_code"], bls["sector"], strict=True))


def with_role_prior(frame: pl.DataFrame) -> pl.DataFrame:
    """Postings still without a sector take their role's main US sector (BLS OEWS), when the
    role is confidently assigned: sector_method = role_prior."""
    prior = (pl.col("role").str.slice(0, 7)
             .replace_strict(role_sectors(), default=None, return_dtype=pl.String))
    use = (pl.col("sector").is_null() & pl.col("role").is_not_null()
           & (pl.col("role_confidence") >= MIN_ROLE_CONFIDENCE) & prior.is_not_null())
    return frame.with_columns(
        sector=pl.when(use).then(prior).otherwise(pl.col("sector")),
        sector_method=pl.when(use).then(pl.lit("role_prior")).otherwise(pl.col("sector_method")),
    )


def sector_expr() -> tuple[pl.Expr, pl.Expr]:
    """Expressions for `sector` and `sector_method` over staged posting columns."""
    labels = {k.lower(): str(v) for k, v in rules()["labels"].items()}
    label = (pl.col("industry_label").str.replace_all("&amp;", "&").str.strip_chars()
             .str.to_lowercase().replace_strict(labels, default=None, return_dtype=pl.String))
    org_text = pl.concat_str([pl.col("organisation").fill_null(""),
                              pl.col("company").fill_null("")], separator=" | ")
    org = pl.lit(None, pl.String)
    for rule in reversed(rules()["organisations"]):
        org = pl.when(pl.col("organisation").is_not_null()
                      & org_text.str.contains(rule["pattern"])).then(
            pl.lit(str(rule["sector"]))).otherwise(org)
    sector = pl.coalesce(pl.col("sector"), label, org)
    method = (pl.when(pl.col("sector").is_not_null()).then(pl.lit("config"))
              .when(label.is_not_null()).then(pl.lit("source_label"))
              .when(org.is_not_null()).then(pl.lit("organisation"))
              .otherwise(pl.lit("none")))
    return sector.alias("sector"), method.alias("sector_method")
