"""Location as published -> ISO 3166-1 alpha-2 country, ISO 3166-2 region (US, Canada,
Australia) and a remote flag, parsed conservatively: several countries give no country."""

from __future__ import annotations

import re
from functools import lru_cache

import polars as pl
import pycountry

from transform.fields.distinct import map_distinct

REGION_COUNTRIES = ("US", "CA", "AU")
_ALIASES = {
    "usa": "US", "us": "US", "u s": "US", "u s a": "US", "united states of america": "US",
    "america": "US", "uk": "GB", "u k": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "great britain": "GB", "britain": "GB", "deutschland": "DE",
    "south korea": "KR", "korea": "KR", "russia": "RU", "vietnam": "VN", "czechia": "CZ",
    "turkey": "TR", "uae": "AE", "the netherlands": "NL", "holland": "NL", "méxico": "MX",
    "brasil": "BR", "españa": "ES", "österreich": "AT", "schweiz": "CH",
}
REMOTE = re.compile(r"(?i)\b(?:remote|anywhere|worldwide|work from home|wfh|telecommut\w*|"
                    r"home[- ]?office|fully distributed)\b")
_PLACES = re.compile(r"\s*(?:[|;]|\bor\b|\band\b)\s*")
_SEGMENTS = re.compile(r"\s*[,()\[\]\-–—·/:]\s*")


def _key(value: str) -> str:
    return re.sub(r"[^\w]+", " ", value.lower()).strip()


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, str]]:
    """Region name or postal abbreviation (lower case) -> (country, ISO 3166-2 code)."""
    out: dict[str, tuple[str, str]] = {}
    for country in REGION_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country) or []:
            out[_key(sub.name)] = (country, sub.code)
            out[sub.code.split("-")[1].lower()] = (country, sub.code)
    out.pop("in", None)  # "IN" (Indiana) is far more often India
    return out


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name, alpha-2 or alpha-3 code; None if unknown."""
    if not value or not value.strip():
        return None
    key = _key(value)
    if key in _ALIASES:
        return _ALIASES[key]
    if len(key) < 2 or key in _regions() and len(key) == 2:
        return None
    try:
        return pycountry.countries.lookup(value.strip()).alpha_2
    except LookupError:
        return None


@lru_cache(maxsize=65536)
def parse_location(location: str | None, country: str | None) -> tuple[str | None, str | None]:
    """(country, region) of a published location and country field. Each place of a list
    ("Seattle, Washington|Denver, Colorado") is read from its last part back; a country or a
    region that the places disagree on is left null."""
    given = country_code(country)
    countries, regions = set(), set()
    for place in _PLACES.split(location or ""):
        c = r = None
        for seg in reversed([s for s in _SEGMENTS.split(place) if s.strip()]):
            key = _key(seg)
            found = country_code(seg) if len(key) > 2 or key in _ALIASES else None
            if found and c is None:
                c = found
                continue
            hit = _regions().get(key)
            if hit and (c in (None, hit[0])) and (given in (None, hit[0])):
                c, r = hit
                break
        if c:
            countries.add(c)
        if r:
            regions.add(r)
    if given:
        countries = {given}
    code = next(iter(countries)) if len(countries) == 1 else None
    region = next(iter(regions)) if len(regions) == 1 and code else None
    return code, region if region and region.startswith(f"{code}-") else None


def with_location(frame: pl.DataFrame) -> pl.DataFrame:
    """country_code, region_code and is_remote from location, country, remote and title
    (each distinct location and country parsed once)."""
    parsed = map_distinct(frame, ["location", "country"], parse_location,
                          {"country_code": pl.String(), "region_code": pl.String()})
    return frame.hstack(parsed).with_columns(
        (pl.col("remote").fill_null(False)
         | pl.col("location").fill_null("").str.contains(REMOTE.pattern)
         | pl.col("title").fill_null("").str.contains(REMOTE.pattern)).alias("is_remote"),
    )
