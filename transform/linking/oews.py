"""The SOC codes BLS OEWS publishes its employment and wages under, for the occupations it
does not publish on their own."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from schemas.taxonomy import Taxonomy


def oews_codes(occupations: Iterable[str], published: Iterable[str]) -> dict[str, str]:
    """SOC occupation -> the code BLS OEWS publishes its figures under, for the occupations
    of `occupations` (O*NET-SOC roles or SOC codes) it does not publish on their own: the
    OEWS-only code of their SOC broad group when the group has exactly one (25-9045
    Teaching Assistants, Except Postsecondary, for 25-9042, 25-9043 and 25-9049; 21-1018
    for substance abuse and mental health counsellors), else the broad group itself where
    OEWS publishes it (51-2090 for Team Assemblers, 31-1120 for home health aides).
    `published`: the SOC codes OEWS publishes."""
    socs = {o[:7] for o in occupations}
    published = set(published)
    own_codes: dict[str, list[str]] = {}
    for code in sorted(published - socs):
        if not code.endswith("0"):  # a broad group's code ends in 0, a detailed one never
            own_codes.setdefault(code[:6], []).append(code)
    found = {}
    for soc in sorted(socs - published):
        group = own_codes.get(soc[:6], [])
        if len(group) == 1:
            found[soc] = group[0]
        elif soc[:6] + "0" in published:
            found[soc] = soc[:6] + "0"
    return found


def oews_soc(role: pl.Expr, codes: dict[str, str]) -> pl.Expr:
    """The SOC code whose BLS OEWS figures stand for an O*NET-SOC `role`: its SOC
    occupation's, or the code OEWS publishes it under (`codes`: `oews_codes`)."""
    return role.str.slice(0, 7).replace(codes)


def role_oews_codes(taxonomy: Taxonomy) -> dict[str, str]:
    """`oews_codes` of the taxonomy's roles against the SOC codes of its BLS employment,
    built once per Taxonomy."""
    return taxonomy.built("oews_codes", lambda t: oews_codes(
        t.roles()["role"], t.bls_employment()["soc_code"].unique()))
