"""Posting -> NAICS 2022 sector (transform/linking/industries.py): the precedence of the rules in
transform/linking/mappings/industries.yaml, the role prior from BLS OEWS, and sector_method."""

from __future__ import annotations

import polars as pl
import yaml

from schemas.taxonomy import Taxonomy
from transform.linking.industries import RULES, sector_expr, with_role_prior

SHIPPED = Taxonomy.shipped()

STAGED = {"sector": pl.String, "industry_label": pl.String, "organisation": pl.String,
          "company": pl.String}


def assign(*rows):
    """(sector, sector_method) of staged rows (sector, industry_label, organisation, company)."""
    frame = pl.DataFrame(list(rows), schema=STAGED, orient="row")
    out = frame.select(*sector_expr())
    return list(zip(out["sector"], out["sector_method"], strict=True))


def with_prior(*rows):
    """(sector, sector_method) after the role prior, of rows (sector, method, role, conf)."""
    frame = pl.DataFrame(list(rows), orient="row", schema={
        "sector": pl.String, "sector_method": pl.String, "role": pl.String,
        "role_confidence": pl.Float64})
    out = with_role_prior(frame, SHIPPED)
    return list(zip(out["sector"], out["sector_method"], strict=True))


def test_configured_employer_sector_wins_over_label_and_organisation():
    """A board configured with a sector keeps it, whatever the posting says."""
    assert assign(("52", "Hospital & Health Care", "Department of Veterans Affairs",
                   "Veterans Health Administration")) == [("52", "config")]


def test_source_label_is_matched_after_unescaping_case_and_spaces():
    """A source's own industry label maps to its sector even HTML-escaped, any case, padded."""
    assert assign((None, "Hospital &amp; Health Care ", None, "St Mary's"),
                  (None, "OIL & ENERGY", None, "Shell"),
                  (None, "Computer Software", None, "Acme")) == [
        ("62", "source_label"), ("21", "source_label"), ("51", "source_label")]


def test_source_label_wins_over_organisation():
    """The source's label is preferred to the organisation rules."""
    assert assign((None, "Higher Education", "Department of Defense", "Army University")
                  ) == [("61", "source_label")]


def test_federal_health_employers_are_health_care_not_public_administration():
    """VA hospitals and the Indian Health Service are NAICS 62, not 92: the first rule wins."""
    assert assign((None, None, "Department of Veterans Affairs", "Veterans Health Administration"),
                  (None, None, "Department of Health And Human Services",
                   "Indian Health Service")) == [("62", "organisation"), ("62", "organisation")]


def test_other_federal_departments_are_public_administration():
    """A US federal department or agency is NAICS 92 (Public Administration)."""
    assert assign((None, None, "Department of the Interior", "National Park Service"),
                  (None, None, "Social Security Administration",
                   "Social Security Administration"),
                  (None, None, "Legislative Branch", "Library of Congress")) == [
        ("92", "organisation"), ("92", "organisation"), ("92", "organisation")]


def test_organisation_rules_need_a_parent_organisation():
    """A private employer named like an agency is not public administration."""
    assert assign((None, None, None, "Creative Artists Agency")) == [(None, "none")]


def test_unknown_label_and_nothing_else_leaves_sector_null():
    """No rule applies: the sector stays null and sector_method says none."""
    assert assign((None, "Widgets and Gadgets", None, "Acme"),
                  (None, None, None, None)) == [(None, "none"), (None, "none")]


def test_role_prior_is_the_main_us_sector_of_the_role():
    """A posting without a sector takes its role's main US sector (BLS OEWS May 2024)."""
    assert with_prior((None, "none", "29-1141.00", 0.9),  # Registered Nurses: hospitals
                      (None, "none", "29-1051.00", 0.9),  # Pharmacists: retail pharmacies
                      (None, "none", "25-2021.00", 0.9),  # Elementary school teachers
                      (None, "none", "47-2061.00", 0.9),  # Construction Laborers
                      ) == [("62", "role_prior"), ("44-45", "role_prior"),
                            ("61", "role_prior"), ("23", "role_prior")]


def test_role_prior_needs_a_confident_role():
    """Only a role assigned with confidence >= 0.5 lends its sector."""
    assert with_prior((None, "none", "29-1141.00", 0.5),
                      (None, "none", "29-1141.00", 0.49),
                      (None, "none", None, 0.0)) == [
        ("62", "role_prior"), (None, "none"), (None, "none")]


def test_role_prior_never_overrides_an_assigned_sector():
    """A sector from configuration, label or organisation is kept over the role's."""
    assert with_prior(("52", "config", "29-1141.00", 1.0),
                      ("92", "organisation", "29-1141.00", 1.0)) == [
        ("52", "config"), ("92", "organisation")]


def test_role_without_bls_employment_gets_no_prior():
    """Fishing and hunting workers (45-3031) and military occupations have no BLS OEWS line
    at all: no prior. Mental Health Counselors (21-1014) have none of their own, but OEWS
    counts them with substance abuse counsellors as 21-1018, mostly in health care."""
    assert with_prior((None, "none", "45-3031.00", 1.0), (None, "none", "55-1011.00", 1.0),
                      (None, "none", "21-1014.00", 1.0)) == [
        (None, "none"), (None, "none"), ("62", "role_prior")]


def test_every_rule_assigns_a_naics_2022_sector_of_the_taxonomy():
    """Sectors from the rules file are codes the published tables may reference."""
    doc = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    sectors = set(SHIPPED.naics_sectors()["sector"])
    assigned = {str(s) for s in doc["labels"].values()} | {
        str(rule["sector"]) for rule in doc["organisations"]}
    assert assigned <= sectors
    assert {"62", "92", "31-33", "44-45", "48-49"} <= sectors


def test_the_sector_a_source_gives_reaches_the_role_matcher():
    """normalise matches roles with the sector the source or employer gives (not the role
    prior): the same "Discharge Matron" is a nurse at a hospital, and stays the metal
    worker its words find where nothing says the industry."""
    from datetime import date

    from schemas.tables import STAGED_POSTINGS
    from transform.postings import normalise

    rows = [{"source": "board", "partition": "p", "record_id": f"r{i}", "title": "Discharge Matron",
             "description": f"<p>Lead the discharge team on ward {i}.</p>",
             "industry_label": label}
            for i, label in enumerate(["Hospital & Health Care", None])]
    staged = pl.DataFrame(rows, schema=STAGED_POSTINGS.schema, strict=False)
    postings, _ = normalise.normalise_postings(staged, taxonomy=SHIPPED, day=date(2026, 11, 2))
    got = postings.sort("record_id").select("sector_method", "role", "role_method").rows()
    assert got[0] == ("source_label", "29-1141.00", "industry")
    assert got[1][1:] == ("51-4199.00", "similar")
