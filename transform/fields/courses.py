"""What a course listing publishes about length, workload, cost, level, language and stated
skills -> typed columns (docs/methodology.md, Courses).

- **Duration**: the length ("6 Weeks", "3 - 6 Months", "Less Than 2 Hours", "14 weeks",
  "1.5 hours", ISO 8601 "P6W"/"PT4H") and the workload ("4–6 hours per week", "7 hrs/wk")
  as published. A range counts as its midpoint, "less than N" as N/2, a month as 52/12
  weeks, a year as 52, a day as 1/7 week. `duration_hours` is the published number of hours,
  else weeks x hours per week; `duration_weeks` the published length in weeks (months,
  years). Anything else ("Self-paced on your time") gives null: no number is guessed.
- **Cost**: the source's own free/paid flag, else "free" written in the price, else a price
  of 0. `price` is 0 for a free course (a paid certificate on top does not count), else the
  published amount. The currency is the source's currency field, an ISO 4217 code in the
  price text, or an unambiguous symbol (€, £, ₹); "$" alone names no currency.
- **Level**: introductory, intermediate or advanced by the words of the published level;
  "All Levels", "Mixed", "Undergraduate" and OpenCourseWare's "student|teacher" give null.
  `level_inferred` falls back on what the description says ("a graduate seminar",
  "advanced" -> advanced; "an introduction to", "for beginners" -> introductory).
- **Language**: ISO 639-1 from a code ("en", "en-us"), an English name (pycountry) or the
  language's own name ("Español", "中文").
- **Stated skills**: the published items, whitespace cleaned, deduplicated ignoring case
  (the first in sort order kept), sorted; null when none.
"""

from __future__ import annotations

import re
from functools import lru_cache

import polars as pl

WEEKS_PER = {"week": 1.0, "month": 52 / 12, "year": 52.0, "day": 1 / 7}
_NUM = r"(\d+(?:[.,]\d+)?)"
_RANGE = rf"{_NUM}(?:\s*(?:-|–|—|to)\s*{_NUM})?"
_UNIT = (r"(hours?|hrs?|h|minutes?|mins?|weeks?|wks?|months?|mos?|years?|yrs?|days?)\b")
_LENGTH = re.compile(rf"(less than|under|up to|<)?\s*{_RANGE}\s*{_UNIT}", re.IGNORECASE)
_PER_WEEK = re.compile(rf"{_RANGE}\s*(?:hours?|hrs?|h)\s*(?:per|/|a|each)\s*(?:week|wk)\b",
                       re.IGNORECASE)
_ISO = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                  r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+)M)?)?$")
MAX_HOURS = 2000.0  # about a working year; more is a parsing accident, not a course
MAX_WEEKS = 260.0


def _num(value: str) -> float:
    return float(value.replace(",", "."))


def _mid(low: str, high: str | None, less_than: bool = False) -> float:
    a = _num(low)
    if less_than:
        return a / 2
    return (a + _num(high)) / 2 if high else a


def _unit(unit: str) -> tuple[str, float]:
    """('hours', factor to hours) or ('weeks', factor to weeks) of a unit word."""
    u = unit.lower()
    if u.startswith("min"):
        return "hours", 1 / 60
    if u.startswith("h"):
        return "hours", 1.0
    if u.startswith("mo"):
        return "weeks", WEEKS_PER["month"]
    if u.startswith("y"):
        return "weeks", WEEKS_PER["year"]
    if u.startswith("d"):
        return "weeks", WEEKS_PER["day"]
    return "weeks", WEEKS_PER["week"]


def parse_length(value: str | None) -> tuple[float | None, float | None]:
    """(weeks, hours) of a published length; hours only when the length is given in hours or
    minutes. Workload phrases ("per week") are not lengths."""
    if not value or _PER_WEEK.search(value):
        return None, None
    iso = _ISO.match(value.strip())
    if iso and any(iso.groups()):
        y, mo, w, d, h, mi = (float(x) if x else 0.0 for x in iso.groups())
        weeks = y * 52 + mo * 52 / 12 + w + d / 7
        return (weeks, None) if weeks else (None, (h + mi / 60) or None)
    m = _LENGTH.search(value)
    if not m:
        return None, None
    less, low, high, unit = m.groups()
    kind, factor = _unit(unit)
    amount = _mid(low, high, bool(less)) * factor
    if not amount:
        return None, None
    return (None, amount) if kind == "hours" else (amount, None)


def parse_effort(value: str | None) -> float | None:
    """Hours per week of a published workload ("4–6 hours per week" -> 5.0)."""
    m = _PER_WEEK.search(value or "")
    return _mid(m.group(1), m.group(2)) if m else None


def duration(length: str | None, effort: str | None) -> dict[str, float | None]:
    """duration_weeks and duration_hours from the published length and workload."""
    weeks, hours = parse_length(length)
    per_week = parse_effort(effort) or parse_effort(length)
    if hours is None and weeks is not None and per_week is not None:
        hours = weeks * per_week
    return {"duration_weeks": _sane(weeks, MAX_WEEKS), "duration_hours": _sane(hours, MAX_HOURS)}


def _sane(value: float | None, top: float) -> float | None:
    """`value` rounded to 2 decimals when in (0, top], else None."""
    return round(value, 2) if value is not None and 0 < value <= top else None


# ---------- cost

# A code written next to the amount ("$49 USD", "USD 49", "49.00 EUR"), so that a word in
# capitals elsewhere ("ALL", "TOP", "CUP" are codes too) is not taken for one.
_CODE = re.compile(r"\b([A-Z]{3})\s*[$€£]?\s*\d|\d\s*([A-Z]{3})\b")
_SYMBOLS = {"€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₪": "ILS", "₺": "TRY"}
_AMOUNT = re.compile(r"(\d+(?:[.,]\d{3})*(?:\.\d+)?)")
_FREE = re.compile(r"^\s*free\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def currency_of(value: str | None) -> str | None:
    """ISO 4217 code named in a price text or field: a code, or an unambiguous symbol."""
    if not value:
        return None
    if value.strip().upper() in _currencies():  # a currency field
        return value.strip().upper()
    for pair in _CODE.findall(value):
        code = pair[0] or pair[1]
        if code in _currencies():
            return code
    return next((c for s, c in _SYMBOLS.items() if s in value), None)


def cost(text: str | None, currency: str | None, is_free: bool | None,
         ) -> dict[str, bool | float | str | None]:
    """is_free, price and price_currency from what the source publishes."""
    amount = None
    if text and not _FREE.match(text):
        m = _AMOUNT.search(text)
        amount = float(m.group(1).replace(",", "")) if m else None
    if is_free is None:
        if text and _FREE.match(text):
            is_free = True
        elif amount is not None:
            is_free = amount == 0
    price = 0.0 if is_free else amount
    code = currency_of(currency) or currency_of(text)
    return {"is_free": is_free, "price": price,
            "price_currency": code if price is not None else None}


# ---------- level

_LEVELS = [  # (regex on the lower-cased published level, level), first match wins
    (r"\b(all levels|mixed)\b", None),
    (r"\b(introductory|intro|beginners?|basic|elementary|novice|foundations?|high school)\b",
     "introductory"),
    (r"\b(intermediate)\b", "intermediate"),
    (r"\b(advanced|expert|graduate)\b", "advanced"),
]


_GRADUATE = re.compile(r"(?<!under)(?<!under-)graduate[- ](level|course|seminar|subject|class)"
                       r"|\bfor graduate students|\badvanced\b", re.IGNORECASE)
_INTRO = re.compile(r"\bintroduct(ion|ory)\b|\bbeginners?\b|\bno (prior|previous) "
                    r"(experience|knowledge)\b", re.IGNORECASE)


def level_from_text(text: str | None) -> str | None:
    """The level a course description states: advanced for a graduate-level or advanced
    subject (also when it calls itself an introduction), introductory for an introduction
    or a course for beginners; None when it says neither."""
    if not text:
        return None
    if _GRADUATE.search(text):
        return "advanced"
    return "introductory" if _INTRO.search(text) else None


def level(value: str | None) -> str | None:
    """The published level as introductory, intermediate or advanced (None otherwise);
    "Undergraduate" spans all three."""
    v = (value or "").lower()
    if not v or "undergraduate" in v:
        return None
    for pattern, name in _LEVELS:
        if re.search(pattern, v):
            return name
    return None


# ---------- language

# Languages as they name themselves (edX publishes "Español", "中文"...); English names and
# codes go through pycountry.
ENDONYMS = {
    "español": "es", "castellano": "es", "français": "fr", "deutsch": "de", "italiano": "it",
    "português": "pt", "中文": "zh", "日本語": "ja", "한국어": "ko", "русский": "ru",
    "العربية": "ar", "اللغة العربية": "ar", "हिन्दी": "hi", "nederlands": "nl",
    "türkçe": "tr", "polski": "pl", "svenska": "sv", "ελληνικά": "el", "עברית": "he",
    "bahasa indonesia": "id", "tiếng việt": "vi", "українська": "uk",
}


@lru_cache(maxsize=512)
def language_code(value: str | None) -> str | None:
    """ISO 639-1 code of a published language (code, English name or own name), else None."""
    if not value:
        return None
    v = value.strip()
    if v.lower() in ENDONYMS:
        return ENDONYMS[v.lower()]
    import pycountry

    if re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*", v):  # a code, maybe with a region
        base = re.split(r"[-_]", v)[0].lower()
        lang = (pycountry.languages.get(alpha_2=base) if len(base) == 2
                else pycountry.languages.get(alpha_3=base)
                or pycountry.languages.get(bibliographic=base))
    else:  # a name: pycountry's lookup also matches codes, and "En" is a language's name
        try:
            lang = pycountry.languages.lookup(v)
        except LookupError:
            lang = None
    return getattr(lang, "alpha_2", None)


# ---------- stated skills

_WS = re.compile(r"\s+")


def stated_skills(items: list[str] | None) -> list[str] | None:
    """Published skill/topic items cleaned, deduplicated ignoring case, sorted; None if none."""
    cleaned = sorted({_WS.sub(" ", str(x)).strip() for x in items or [] if x is not None} - {""})
    seen: dict[str, str] = {}
    for item in cleaned:
        seen.setdefault(item.casefold(), item)
    out = sorted(seen.values(), key=lambda x: (x.casefold(), x))
    return out or None


def course_columns() -> list[pl.Expr]:
    """The typed course columns from the staged ones (duration, effort, cost, currency,
    is_free, level, language, skills)."""
    dur = pl.struct("duration", "effort").map_elements(
        lambda r: duration(r["duration"], r["effort"]),
        return_dtype=pl.Struct({"duration_weeks": pl.Float64, "duration_hours": pl.Float64}))
    price = pl.struct("cost", "currency", "is_free").map_elements(
        lambda r: cost(r["cost"], r["currency"], r["is_free"]),
        return_dtype=pl.Struct({"is_free": pl.Boolean, "price": pl.Float64,
                                "price_currency": pl.String}))
    text = pl.concat_str([pl.col("duration"), pl.col("effort")], separator="; ",
                         ignore_nulls=True)
    return [
        pl.when(text.str.strip_chars() != "").then(text.str.strip_chars())
        .alias("duration_text"),
        dur.struct.field("duration_weeks"), dur.struct.field("duration_hours"),
        price.struct.field("is_free"), price.struct.field("price"),
        price.struct.field("price_currency"),
        pl.col("level").map_elements(level, return_dtype=pl.String).alias("level_normalised"),
        pl.col("language").map_elements(language_code, return_dtype=pl.String)
        .alias("language_code"),
        pl.coalesce(pl.col("level").map_elements(level, return_dtype=pl.String),
                    pl.col("text").map_elements(level_from_text, return_dtype=pl.String))
        .alias("level_inferred"),
        pl.col("skills").map_elements(lambda items: stated_skills(items.to_list()),
                                      return_dtype=pl.List(pl.String))
        .alias("stated_skills"),
    ]
