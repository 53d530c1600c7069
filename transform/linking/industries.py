"""Posting -> NAICS 2022 sector: configured employer sector, the source's own label, the
organisation (e.g. a US federal department), the role's main US sector (BLS OEWS), else null
with the reason recorded in sector_method."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from schemas.taxonomy import Taxonomy
from transform.linking.oews import oews_soc, role_oews_codes
from transform.linking.roles import MIN_ROLE_CONFIDENCE

RULES = Path(__file__).parent / "mappings" / "industries.yaml"


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """mappings/industries.yaml (code-owned rules, read once per process)."""
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def main_us_sectors(employment: pl.LazyFrame) -> pl.LazyFrame:
    """(soc_code, sector): the main US sector of each SOC occupation, the NAICS sector
    employing most of it (BLS OEWS: `employment` is soc_code, sector, employment); ties go
    to the lowest sector code. The one rule for a role's main sector: the posting's
    role prior (`with_role_prior`) and the published main_sector
    (transform.marts.aggregate.main_sectors) both use it."""
    return (employment.sort(["soc_code", "employment", "sector"], descending=[False, True, False])
            .unique("soc_code", keep="first", maintain_order=True)
            .select("soc_code", "sector"))


def role_sectors(taxonomy: Taxonomy) -> dict[str, str]:
    """SOC code OEWS publishes -> its main US sector (`main_us_sectors` of the taxonomy's
    BLS employment), built once per Taxonomy; look a role up by `oews_soc`."""
    return taxonomy.built("role_sectors", lambda t: dict(
        main_us_sectors(t.bls_employment().lazy()).collect().iter_rows()))


def with_role_prior(frame: pl.DataFrame, taxonomy: Taxonomy) -> pl.DataFrame:
    """Postings still without a sector take their role's main US sector (BLS OEWS), when the
    role is confidently assigned: sector_method = role_prior."""
    sectors = role_sectors(taxonomy)
    prior = (oews_soc(pl.col("role"), role_oews_codes(taxonomy))
             .replace_strict(sectors, default=None, return_dtype=pl.String))
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
