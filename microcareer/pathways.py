"""`microcareer pathways`: ranked sequences of role moves, read from the published dataset.

A pathway starts at a role (an O*NET-SOC code, or a job title put through the same title
normaliser as postings) and takes up to `steps` moves along `role_transfer_detail` (each
role's 100 best destinations) until it reaches a goal role: one whose main sector is
`to_industry`, or by default any sector other than the origin's. Each step is valued
sqrt(score x relative_likelihood): the skill score (what carries over) and how often workers
leaving the role actually go there, relative to its most likely destination
(role_transfer_detail; the score alone without a move model). Pathways are ranked by the
product of their steps' values, so a detour must beat the direct move at every step; one
pathway per end role, so the list shows different places to go. Tried and rejected on five
test titles: the geometric mean of the steps (a near-1.0 step between two roles with the same
inherited profile lifted detours above direct moves) and the hardest step (detours through
thinly evidenced roles).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from schemas.onet import EDUCATION_LEVELS
from schemas.taxonomy import Taxonomy, median_pay
from transform.linking.course_relevance import OTHER_SCRIPT
from transform.linking.oews import role_oews_codes
from transform.marts.aggregate import catch_all_codes

BEAM = 300  # partial pathways kept after each step
SHOW_SKILLS, SHOW_COURSES = 5, 3
CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")


class PathwayError(ValueError):
    """The request cannot be answered: unknown title or sector, or no published dataset."""


@dataclass
class Role:
    role: str
    title: str
    main_sector: str | None
    sector_title: str | None
    us_employment: int | None
    postings: int
    median_wage: float | None = None
    job_zone: int | None = None
    education: str | None = None
    # Where OEWS counts the occupation only together with others: the code it counts them
    # under (transform.linking.oews.oews_codes) and that code's US employment.
    counted_in: str | None = None
    counted_in_employment: int | None = None


@dataclass
class Step:
    to: Role
    value: float
    score: float
    move_likelihood: float | None
    crosses_industry: bool
    wage_change: float | None
    flags: list[str]
    carried_over: list[str]
    gaps: list[str]
    courses: list[dict[str, Any]]
    gaps_without_course: list[str] = field(default_factory=list)
    # The licence a `needs a licence` or `needs a short licence` move needs.
    licence: str | None = None


@dataclass
class Pathway:
    score: float
    steps: list[Step] = field(default_factory=list)


@dataclass
class Alternative:
    role: str
    title: str | None
    score: float


@dataclass
class HeldBack:
    """A move into a goal destination that the rules leave out, and why (their names)."""
    role: str
    title: str
    reasons: list[str]


@dataclass
class Result:
    query: str
    origin: Role
    matched_by: str
    confidence: float
    alternatives: list[Alternative]
    goal: str
    dataset: dict[str, Any]
    pathways: list[Pathway]
    rules: dict[str, Any] = field(default_factory=dict)
    # When no pathway passes: the most worthwhile direct moves the rules leave out.
    held_back: list[HeldBack] = field(default_factory=list)
    # The probability published as a posting's role_confidence for this title (the
    # calibrated match, as `microcareer roles` prints it); None for a code or --role.
    role_confidence: float | None = None


class Dataset:
    """The current release's tables that pathways need, read once, and the taxonomy's skill
    labels, sector titles and role facts (`taxonomy`: default the shipped one)."""

    def __init__(self, data_dir: str | Path, taxonomy: Taxonomy | None = None) -> None:
        from schemas.layout import DataLayout
        from schemas.records import current_manifest

        layout = DataLayout(Path(data_dir))
        folder = layout.current
        manifest = current_manifest(layout)
        if manifest is None:
            raise PathwayError(f"no published dataset in {folder} (no manifest.json): "
                               "run `make run` or `microcareer run` first")
        self.manifest = manifest

        def table(name: str) -> pl.DataFrame:
            return pl.read_parquet(folder / self.manifest["tables"][name]["path"])

        self.detail = table("role_transfer_detail")
        self.demand = table("role_demand")
        self.courses = {r["course_id"]: r for r in table("courses").select(
            "course_id", "title", "provider", "url", "language_code", "level_inferred",
            "is_free", "duration_hours").iter_rows(named=True)}
        self.teaching: dict[str, list[tuple[str, float]]] = {}
        for skill, course, relevance in (table("pathway_courses").sort("skill_uri", "rank")
                                         .select("skill_uri", "course_id", "relevance")
                                         .iter_rows()):
            self.teaching.setdefault(skill, []).append((course, relevance))
        self.taxonomy = taxonomy or Taxonomy.shipped()
        self.labels = dict(self.taxonomy.esco_skills().select("skill_uri", "label").iter_rows())
        self.sector_titles = dict(self.taxonomy.naics_sectors().iter_rows())
        self.roles = {r["role"]: r for r in self.demand.iter_rows(named=True)}
        self.facts = self.taxonomy.role_facts().with_columns(median_wage=median_pay())
        self.fact = {r["role"]: r for r in self.facts.iter_rows(named=True)}
        self.detail = with_flags(self.detail, self.facts, self.taxonomy.related_roles())
        self.counted_in = role_oews_codes(self.taxonomy)
        self.employment = dict(self.taxonomy.bls_employment().group_by("soc_code")
                               .agg(pl.col("employment").sum()).iter_rows())
        # SOC occupations O*NET splits into several roles (Market Research Analysts and
        # Marketing Specialists, Search Marketing Strategists): OEWS counts them together.
        roles_per_soc = Counter(code[:7] for code in self.roles)
        self.split_socs = {soc for soc, n in roles_per_soc.items() if n > 1}

    def role(self, code: str) -> Role:
        r, f = self.roles[code], self.fact.get(code, {})
        level = f.get("education_level")
        soc = code[:7]
        group = (self.counted_in.get(soc) if r["us_employment"] is None
                 else soc if soc in self.split_socs else None)
        return Role(code, r["title"], r["main_sector"], self.sector_titles.get(r["main_sector"]),
                    r["us_employment"], r["postings"], f.get("median_wage"), f.get("job_zone"),
                    EDUCATION_LEVELS.get(level) if level is not None else None,
                    group, self.employment.get(group) if group else None)


MAX_SECTOR_OVERLAP = 0.3  # a pathway's last move must change most of the industries worked in
# A move into another line of work (another SOC major group, and O*NET does not suggest the
# destination to the origin's workers) needs workers to make it: at least this
# relative_likelihood.
UNRELATED_LIKELIHOOD = 0.4
SAME_INDUSTRIES = 0.5  # sector_overlap of a move within the industries the origin works in
MORE_EDUCATION = 2  # typical education this many O*NET levels higher: a gated move
PAY_CUT = -0.10  # median wage 10% lower or more: flagged
STEP_DOWN = -0.25  # median wage a quarter lower or more (or a pay cut into a lower job zone)
MIN_SCORE = 0.2  # a move where less of the weighted skill profile carries over: no reason
MIN_US_EMPLOYMENT = 5_000  # destinations with fewer US jobs (OEWS) have too few openings
# A move is suggested only to one of the role's MAX_RANK most worthwhile destinations
# (role_transfer_detail.rank, by the step value over all destinations, filtered or not): on
# the judged moves of review lists C-G, 10% of moves to the 5 best were stretches and 55%
# of moves beyond the 40th (benchmarks/pathways_review).
MAX_RANK = 20
# Where O*NET publishes no education for a role, the level its job zone describes
# (zone 3: training in vocational schools or an associate's degree; 5: a graduate degree).
ZONE_EDUCATION = {1: 2, 2: 2, 3: 4, 4: 6, 5: 8}
CLOSE_TITLE = 0.8  # title similarity (RoleMatcher.closest) of an alternative worth listing
# How a known title is matched: as written, or once rank, grade and seniority words are
# taken off ("Senior Housing Officer", "Rail Track Worker": the "track worker" line). Such a
# title is answered however ambiguous (it had been refused while "Housing Officer" was not).
KNOWN_TITLE = frozenset({"exact", "cleaned"})
FIELD_EXPERIENCE = 0.5  # share of incumbents with over 2 years' related work experience
# A destination in this Job Zone or above (a bachelor's degree and several years of related
# experience, O*NET) needs the origin among the destination's O*NET related occupations: on
# the judged moves of review lists C-G into such posts, 55% of those from a role it does not
# list were stretches, 20% of the rest (benchmarks/pathways_review).
PROFESSIONAL_ZONE = 4
MILITARY = "55-"  # O*NET's military-specific occupations: no civilian openings
MANAGEMENT = "11-"  # SOC major group 11, Management Occupations
# SOC first-line supervisors: minor group 1 of the major groups 33-53 ("33-1021",
# "41-1011"); with managers (11-), the posts that lead others' work.
SUPERVISOR = r"^(?:3[3-9]|4\d|5[0-3])-1"
LICENCES = Path(__file__).parent / "mappings" / "licensed_occupations.tsv"
SHORT_LICENCES = Path(__file__).parent / "mappings" / "short_licences.tsv"
PORTFOLIOS = Path(__file__).parent / "mappings" / "portfolio_occupations.tsv"
BROAD_GROUP = 6  # characters of an O*NET-SOC code naming its SOC broad group ("27-204")
# SOC groups whose practice needs a degree in the field itself (BLS Occupational Outlook
# Handbook, "How to Become One"): accountants and auditors (13-2011: a bachelor's in
# accounting), engineers (17-2), life (19-1), physical (19-2) and social (19-3: a master's
# or doctorate) scientists, postsecondary teachers (25-1: a doctoral or master's degree in
# the subject taught), except career and technical education teachers, hired on work
# experience, and medical laboratory technologists (29-2011: a bachelor's in medical
# laboratory science or a life science; since 3.4.5).
DEGREE_FIELDS = ("13-2011", "17-2", "19-1", "19-2", "19-3", "25-1", "29-2011")
DEGREE_FIELD_EXEMPT = ("25-1194",)
# Posts whose field credential only the named groups' workers hold (since 3.4.7; BLS
# Occupational Outlook Handbook, "How to Become One"): medical and clinical laboratory
# technicians (29-2012) need an associate's degree or a postsecondary certificate in medical
# laboratory technology, and employers ask for certification (a licence in some states):
# open to the laboratory technologists and their specialties (29-2010), not to biological,
# chemical or surgical technicians (blind pathway reviews: every one of 18 judgements of a
# move into it from outside the group was a stretch); architectural and engineering managers
# (11-9041) need a bachelor's degree in architecture or engineering and work experience as an
# architect or engineer: open to architects and engineers (17-1, 17-2), not to construction
# managers or cost estimators (13 judgements of 13: stretch).
FIELD_HOME_GROUPS = {"29-2012": ("29-201",), "11-9041": ("11-9041", "17-1", "17-2")}
# Judges, magistrates and administrative law judges are appointed, elected or hired from
# lawyers of years' standing (BLS Occupational Outlook Handbook, "Judges and Hearing
# Officers": work experience in a related occupation, 5 years or more; federal
# administrative law judges, 7 years as a licensed attorney and an OPM examination): field
# experience is needed even from the lawyers O*NET relates to them, from any role outside
# their SOC broad group, 23-102 (since 3.4.6; blind pathway reviews BW, BZ and CA: lawyers
# -> judges a stretch 4 times in 4, lawyers -> administrative law judges 3 times in 6).
# Human resources managers need years of work in human resources (BLS Occupational Outlook
# Handbook: a bachelor's degree and several years of related work experience, as human
# resources, labor relations or compensation and benefits specialists): social and community
# service managers' move into it, which O*NET relates, was a stretch in all 23 blind
# judgements (since 3.4.7; pathway reviews BW-CC). Posts hired from the named groups'
# experienced workers only, whatever O*NET relates to them:
EXPERIENCE_HOMES = {"23-1021": ("23-102",), "23-1023": ("23-102",),
                    "11-3121": ("11-3111", "11-3121", "11-3131", "13-107", "13-1141",
                                "13-1151", "43-4161")}
GATES = ("more education", "needs a degree in the field", "needs a licence",
         "needs field experience", "needs a portfolio or audition")
FLAGS = (*GATES, "needs a short licence", "pay cut", "lower job zone", "step down")
OWN_LICENCE = "the occupation's own state licence"


def prefix_rules(roles: list[str], path: Path) -> dict[str, str]:
    """role -> the value of the longest SOC prefix of `path` (a mappings/ TSV: soc_prefix,
    value) it starts with; `*` stands for the role's own SOC code; roles no prefix matches
    are absent."""
    table = pl.read_csv(path, separator="\t", comment_prefix="#")
    rules = sorted(table.iter_rows(), key=lambda r: -len(r[0]))
    keys = {}
    for role in roles:
        for prefix, value in rules:
            if role.startswith(prefix):
                keys[role] = role[:7] if value == "*" else value
                break
    return keys


def licence_keys(roles: list[str], path: Path = LICENCES) -> dict[str, str]:
    """role -> the licence its practice needs (mappings/licensed_occupations.tsv; `*`: the
    occupation's own licence, keyed by its SOC code); roles that need none are absent."""
    return prefix_rules(roles, path)


def short_licences(roles: list[str], path: Path = SHORT_LICENCES) -> dict[str, str]:
    """role -> the licence of weeks or months of training its practice needs
    (mappings/short_licences.tsv: a CDL, a real estate licence); roles that need none are
    absent."""
    return prefix_rules(roles, path)


def portfolio_roles(roles: list[str], path: Path = PORTFOLIOS) -> list[str]:
    """The roles hired on an audition, a portfolio or published work
    (mappings/portfolio_occupations.tsv)."""
    return sorted(prefix_rules(roles, path))


def catch_alls(roles: dict[str, dict[str, Any]]) -> list[str]:
    """O*NET's "All Other" residual roles and the specialties O*NET carves out of them
    ("Wind Energy Operations Managers" of "Managers, All Other"): OEWS counts and pays a
    specialty only within its residual occupation and the move model knows only that
    occupation, so a specialty's jobs, wage and likelihood are not its own (role_demand's
    `catch_all`, which datasets before 3.5.0 lack)."""
    titles = pl.LazyFrame({"role": list(roles), "title": [v["title"] for v in roles.values()]},
                          schema={"role": pl.String, "title": pl.String})
    residual = set(catch_all_codes(titles).collect()["soc_code"])
    return sorted(r for r in roles if r[:7] in residual)


def occupation(column: str) -> pl.Expr:
    """The SOC detailed occupation of the role in `column` ("51-8013" of 51-8013.03): an
    O*NET specialty and its occupation share it, and OEWS's jobs and wage."""
    return pl.col(column).str.slice(0, 7)


def leads(column: str) -> pl.Expr:
    """Whether the role in `column` leads others' work: a manager's or first-line
    supervisor's post."""
    role = pl.col(column)
    return role.str.starts_with(MANAGEMENT) | role.str.contains(SUPERVISOR)


def from_outside(homes: dict[str, tuple[str, ...]]) -> pl.Expr:
    """A move into one of the posts `homes` names (O*NET-SOC prefix -> the prefixes of the
    groups whose workers it hires) from a role in none of its groups."""
    moves = [pl.col("to_role").str.starts_with(post)
             & ~pl.any_horizontal(pl.col("from_role").str.starts_with(h) for h in groups)
             for post, groups in homes.items()]
    return pl.any_horizontal(moves) if moves else pl.lit(False)


def flag_columns() -> list[pl.Expr]:
    """Boolean columns, one per FLAGS entry, of a move from role_facts columns suffixed `_a`
    (origin) and `_b` (destination), `licence_a`/`licence_b` (licence_keys) and `related`
    (O*NET lists either role among the other's related occupations), `suggested` (O*NET
    lists the destination among the origin's related occupations), `listed` (the origin
    among the destination's): `more education` (the
    destination's typical education is MORE_EDUCATION or more O*NET levels higher, the job
    zone's level standing in where O*NET gives none: several more years of study), `needs a
    degree in the field` (the destination is an accountant's, engineer's, life, physical or
    social scientist's, postsecondary teacher's or medical laboratory technologist's post
    and the origin is outside the group,
    or in another discipline of it that O*NET does not suggest: DEGREE_FIELDS; a medical
    laboratory technician's or an architectural and engineering manager's from outside the
    groups whose workers hold its credential: FIELD_HOME_GROUPS), `needs a
    licence` (the destination's practice needs a licence the origin's does not give),
    `needs a short licence` (the same for a licence of weeks or months of training,
    `short_licence_a`/`short_licence_b`: short_licences; a flag, not a gate),
    `needs field experience` (more than FIELD_EXPERIENCE of the destination's incumbents
    report over two years of related work experience, and the origin is neither related to
    it in O*NET nor, unless it is a manager's post, in its SOC minor group; where O*NET has
    no experience data, Job Zone 4 and 5 count as needing it; a first-line supervisor's
    post needs it from any role outside its SOC major group, a manager's from any outside
    its SOC broad group, that O*NET does not relate to it; a post of PROFESSIONAL_ZONE or
    above from any role outside its SOC broad group that O*NET does not list among the
    destination's related occupations, `listed`; a judge's or administrative law judge's
    post from any role outside its SOC broad group, a human resources manager's from outside
    human resources work: EXPERIENCE_HOMES), `needs a portfolio
    or audition`
    (the destination hires on shown work, `portfolio_b`: portfolio_roles, and the origin
    is outside its SOC broad group), `pay cut` (median wage PAY_CUT
    or more lower), `lower job zone` (less preparation needed) and `step down` (pay
    STEP_DOWN or more lower, a pay cut into a lower job zone, or a manager's or
    supervisor's post left for one that leads nobody, for less pay).
    Education is the level most incumbents report and the mean level: a move needs more
    education when either rises by MORE_EDUCATION (a role where a bachelor's is the most
    common answer but most hold a graduate degree still needs one)."""
    def education(side: str, column: str = "education_level") -> pl.Expr:
        return pl.col(f"{column}_{side}").cast(pl.Float64).fill_null(
            pl.col(f"job_zone_{side}").replace_strict(ZONE_EDUCATION, default=None,
                                                      return_dtype=pl.Float64))

    change = pl.col("median_wage_b") / pl.col("median_wage_a") - 1
    pay_cut = (change <= PAY_CUT).fill_null(False)
    lower = (pl.col("job_zone_b") < pl.col("job_zone_a")).fill_null(False)
    def needs(column: str) -> pl.Expr:
        a, b = pl.col(f"{column}_a"), pl.col(f"{column}_b")
        return b.is_not_null() & (a.is_null() | (a != b))

    licence = needs("licence")
    # A manager's post needs experience of the field managed, whatever the SOC group.
    same_minor = ((pl.col("from_role").str.slice(0, 4) == pl.col("to_role").str.slice(0, 4))
                  & ~pl.col("to_role").str.starts_with(MANAGEMENT))
    # No O*NET experience data (newer SOC codes): Job Zone 4 and 5 are defined as needing
    # "a minimum of two to four years of work-related skill, knowledge, or experience".
    needs_years = ((pl.col("experience_share_b") > FIELD_EXPERIENCE)
                   .fill_null(pl.col("job_zone_b") >= 4).fill_null(False))
    # Those who lead know the work they lead: a manager's post only from a role O*NET
    # relates to it or in its SOC broad group (marketing -> sales managers), a supervisor's
    # also from its SOC major group (retail salesperson -> retail supervisor).
    def differ(chars: int) -> pl.Expr:
        return pl.col("from_role").str.slice(0, chars) != pl.col("to_role").str.slice(0, chars)

    supervises = ((pl.col("to_role").str.starts_with(MANAGEMENT) & differ(6))
                  | (pl.col("to_role").str.contains(SUPERVISOR) & differ(2)))
    experience = (needs_years & ~same_minor | supervises) & ~pl.col("related").fill_null(False)
    # A professional post (Job Zone 4-5) is open to those O*NET names among its own related
    # occupations (its workers' backgrounds), or in its SOC broad group.
    professional = ((pl.col("job_zone_b") >= PROFESSIONAL_ZONE).fill_null(False)
                    & differ(BROAD_GROUP) & ~pl.col("listed").fill_null(False))
    experience = experience | professional | from_outside(EXPERIENCE_HOMES)
    more = pl.max_horizontal(
        education("b") - education("a"),
        education("b", "education_mean") - education("a", "education_mean"))
    demoted = leads("from_role") & ~leads("to_role") & (change < 0).fill_null(False)
    field = pl.lit(False)
    exempt = pl.any_horizontal(pl.col("to_role").str.starts_with(e) for e in DEGREE_FIELD_EXEMPT)
    for group in DEGREE_FIELDS:
        into = pl.col("to_role").str.starts_with(group) & ~exempt
        field = field | (into & ~pl.col("from_role").str.starts_with(group))
        # another discipline of the group: unless O*NET suggests it to the origin's workers
        field = field | (into & pl.col("from_role").str.starts_with(group) & differ(7)
                         & ~pl.col("suggested").fill_null(False))
    field = field | from_outside(FIELD_HOME_GROUPS)
    portfolio = pl.col("portfolio_b").fill_null(False) & differ(BROAD_GROUP)
    return [(more >= MORE_EDUCATION).fill_null(False).alias("more education"),
            field.alias("needs a degree in the field"),
            licence.alias("needs a licence"), experience.alias("needs field experience"),
            portfolio.alias("needs a portfolio or audition"),
            needs("short_licence").alias("needs a short licence"),
            pay_cut.alias("pay cut"), lower.alias("lower job zone"),
            ((change <= STEP_DOWN).fill_null(False) | (pay_cut & lower) | demoted)
            .alias("step down")]


def licence_needed() -> pl.Expr:
    """The name of the licence a flagged move needs (`needs a licence`, else `needs a short
    licence`); a practice with a licence of its own (`*`, keyed by its SOC code) says so."""
    own = pl.col("licence_b").str.contains(r"^\d\d-\d{4}$")
    return (pl.when(pl.col("needs a licence"))
            .then(pl.when(own).then(pl.lit(OWN_LICENCE)).otherwise(pl.col("licence_b")))
            .when(pl.col("needs a short licence")).then(pl.col("short_licence_b")))


def with_flags(moves: pl.DataFrame, facts: pl.DataFrame, related: pl.DataFrame
               ) -> pl.DataFrame:
    """`moves` (from_role, to_role, ...) with the FLAGS columns from both roles' facts
    (role_facts; pay as `median_pay`), their licences (licence_keys) and O*NET's related
    occupations (role, related_role; either direction counts, except between disciplines of
    a degree field), `onet_related` and `onet_suggested` (O*NET lists the destination among
    the origin's related occupations) and `licence_needed` (licence_needed)."""
    cols = ["education_level", "education_mean", "job_zone", "median_wage", "experience_share",
            "licence", "short_licence", "portfolio"]
    roles = facts["role"].to_list()
    keys, short = licence_keys(roles), short_licences(roles)
    facts = facts.with_columns(
        median_wage=median_pay(),
        licence=pl.col("role").replace_strict(keys, default=None, return_dtype=pl.String),
        short_licence=pl.col("role").replace_strict(short, default=None,
                                                    return_dtype=pl.String),
        portfolio=pl.col("role").is_in(portfolio_roles(roles)))
    side = {s: facts.select(pl.col("role").alias(f"{k}_role"),
                            *(pl.col(c).alias(f"{c}_{s}") for c in cols))
            for s, k in (("a", "from"), ("b", "to"))}
    one = related.select(from_role="role", to_role="related_role").unique()
    return (moves.join(side["a"], on="from_role", how="left")
            .join(side["b"], on="to_role", how="left")
            .join(one.with_columns(suggested=pl.lit(True)), on=["from_role", "to_role"],
                  how="left")
            .join(one.select(from_role="to_role", to_role="from_role")
                  .with_columns(listed=pl.lit(True)), on=["from_role", "to_role"], how="left")
            .with_columns(pl.col("suggested", "listed").fill_null(False))
            # either direction: O*NET relates the two roles
            .with_columns(related=pl.col("suggested") | pl.col("listed"))
            .with_columns(flag_columns())
            .with_columns(pl.col("related").alias("onet_related"),
                          pl.col("suggested").alias("onet_suggested"),
                          licence_needed=licence_needed())
            .drop("related", "suggested", "listed", *(f"{c}_{s}" for c in cols for s in "ab")))


def resolve(query: str, data: Dataset
            ) -> tuple[str, str, float, list[Alternative], float | None]:
    """(role, how it was matched, confidence, other roles the title could mean, the
    calibrated probability a posting with this title alone is published with, as
    `microcareer roles` prints it; None for a code) for a code or a free-text title. A
    known title (O*NET's or an override line's, also with rank or grade words around it:
    "Senior Housing Officer") is always answered, however ambiguous;
    another needs MIN_ROLE_CONFIDENCE. An ambiguous title says so: its
    confidence is shared among the candidates, and the alternatives also list roles whose
    titles are as close as CLOSE_TITLE (e.g. "administrative assistant": the general
    secretaries beside the executive ones O*NET files it under)."""
    from transform.linking.roles import MIN_ROLE_CONFIDENCE, calibrate, posting_title, role_matcher

    text = query.strip()
    if CODE.match(text):
        code = text if "." in text else f"{text}.00"
        if code in data.roles:
            return code, "code", 1.0, [], None
        raise PathwayError(f"unknown O*NET-SOC code {text!r}")
    matcher = role_matcher(data.taxonomy)
    match = matcher.match(text)
    read = posting_title(text)  # as the matcher reads it: "Stroke Consultant", "Stroke physician"
    if (match.role in data.roles
            and (match.confidence >= MIN_ROLE_CONFIDENCE or match.method in KNOWN_TITLE)):
        published = calibrate(match.confidence)
        others = [Alternative(r, t, v) for r, t, v in matcher.alternatives(text, match.role)
                  if r in data.roles]
        if not others and match.confidence >= MIN_ROLE_CONFIDENCE:
            return match.role, f"title ({match.method})", match.confidence, [], published
        share = match.confidence / (1 + sum(a.score for a in others))
        seen = {match.role, *(a.role for a in others)}
        others += [Alternative(r, t, round(v, 3)) for r, t, v in matcher.closest(read)
                   if v >= CLOSE_TITLE and r in data.roles and r not in seen]
        return (match.role, f"title ({match.method}; ambiguous: {len(others) + 1} roles fit)",
                round(share, 3), others, published)
    near = "; ".join(f"{t} ({r}, similarity {s:.2f})" for r, t, s in matcher.closest(read))
    raise PathwayError(f"no role fits the title {query!r} well enough"
                       + (f". Closest: {near}" if near else "")
                       + ". Try one of these codes, or a more usual title.")


def _sector(code: str | None, data: Dataset) -> str | None:
    if code is None:
        return None
    code = code.strip()
    for known in data.sector_titles:
        if code == known or known.startswith(code + "-"):
            return known
    valid = ", ".join(f"{k} {v}" for k, v in sorted(data.sector_titles.items()))
    raise PathwayError(f"unknown NAICS sector {code!r}; sectors: {valid}")


UNRELATED_MOVE = "rarely made: another line of work"
# The other liftable rules, as reasons a held-back move names (docs/cli.md).
FEW_SKILLS = "few skills carry over"
BEYOND_RANK = "beyond the role's {} most worthwhile moves"
CATCH_ALL_MOVE = "a catch-all or the role's own specialty"
FEW_JOBS = "few US jobs"
SAME_SECTORS = "much the same industries"
SHOW_HELD_BACK = 3  # moves listed, with their reasons, when no pathway passes the rules


Rule = tuple[str, pl.Expr]  # a liftable rule: the reason it names, and when a move breaks it


def _edges(data: Dataset, origin: str, *, goal_sector: str | None,
           include_gated: bool = False, include_step_downs: bool = False,
           min_us_employment: int | None = MIN_US_EMPLOYMENT, min_score: float = MIN_SCORE,
           max_sector_overlap: float | None = MAX_SECTOR_OVERLAP,
           include_catch_alls: bool = False,
           min_unrelated_likelihood: float | None = UNRELATED_LIKELIHOOD,
           max_rank: int | None = MAX_RANK
           ) -> tuple[pl.DataFrame, list[Rule], pl.Expr, pl.Expr]:
    """The moves `search` may take (see there) before the rules a user can lift; those rules
    in force, each as (the reason it names, when a move breaks it: gates, a step down, a
    rarely made move into another line of work, few skills carried over, a rank beyond
    `max_rank`, a catch-all, few US jobs); the expression telling a destination in a goal
    sector, and the one telling a last move that keeps more than `max_sector_overlap` of the
    sector mix."""
    sectors = data.demand.select(to_role="role", to_sector="main_sector",
                                 to_jobs="us_employment")
    edges = data.detail.join(sectors, on="to_role").filter(
        pl.col("score").is_not_null(), ~pl.col("to_role").str.starts_with(MILITARY))
    rules: list[Rule] = []
    if min_unrelated_likelihood:
        other_line = (~pl.col("onet_suggested")
                      & (pl.col("from_role").str.slice(0, 2) != pl.col("to_role").str.slice(0, 2))
                      & ~(leads("to_role")
                          & (pl.col("sector_overlap") >= SAME_INDUSTRIES).fill_null(False)))
        rare = other_line & (pl.col("relative_likelihood") < min_unrelated_likelihood)
        rules.append((UNRELATED_MOVE, rare))
    if not include_gated:
        rules += [(g, pl.col(g)) for g in GATES]
    if not include_step_downs:
        rules.append(("step down", pl.col("step down")))
    rules.append((FEW_SKILLS, pl.col("score") < min_score))
    if max_rank is not None:
        rules.append((BEYOND_RANK.format(max_rank), pl.col("rank") > max_rank))
    if not include_catch_alls:
        caught = (pl.col("to_role").is_in(catch_alls(data.roles))
                  | (occupation("to_role") == origin[:7]))
        rules.append((CATCH_ALL_MOVE, caught))
    if min_us_employment:
        rules.append((FEW_JOBS, pl.col("to_jobs") < min_us_employment))
    rules = [(reason, broken.fill_null(False)) for reason, broken in rules]
    origin_sector = data.roles[origin]["main_sector"]
    if goal_sector is not None:
        in_goal = pl.col("to_sector") == goal_sector
    elif origin_sector is None:
        in_goal = pl.col("to_sector").is_not_null()
    else:
        in_goal = pl.col("to_sector").is_not_null() & (pl.col("to_sector") != origin_sector)
    too_close = (pl.lit(False) if max_sector_overlap is None
                 else (pl.col("sector_overlap") > max_sector_overlap).fill_null(False))
    return edges, rules, in_goal, too_close


def held_back(data: Dataset, origin: str, **rules: Any) -> list[tuple[str, list[str]]]:
    """(destination, reasons) of the SHOW_HELD_BACK direct moves into a goal destination
    that the rules the user can lift leave out (`rules`: as `search` takes), those the fewest
    rules hold back first, then the most worthwhile: the moves nearest to passing."""
    edges, in_force, in_goal, too_close = _edges(data, origin, **rules)
    # a direct move is also a pathway's last: the sector-mix rule is one of its reasons
    reasons = [pl.when(broken).then(pl.lit(reason))
               for reason, broken in [*in_force, (SAME_SECTORS, too_close)]]
    rows = (edges.filter(pl.col("from_role") == origin, in_goal)
            .with_columns(held_back=pl.concat_list(reasons).list.drop_nulls(),
                          value=step_value())
            .filter(pl.col("held_back").list.len() > 0)
            .with_columns(rules=pl.col("held_back").list.len(),
                          occupation=occupation("to_role"))
            .sort(["rules", "value", "to_role"], descending=[False, True, False])
            .unique("occupation", keep="first", maintain_order=True)  # as search: one each
            .head(SHOW_HELD_BACK))
    return [(r, list(why)) for r, why in rows.select("to_role", "held_back").iter_rows()]


def search(data: Dataset, origin: str, *, goal_sector: str | None, steps: int,
           top: int, include_gated: bool = False, include_step_downs: bool = False,
           min_us_employment: int | None = MIN_US_EMPLOYMENT, min_score: float = MIN_SCORE,
           max_sector_overlap: float | None = MAX_SECTOR_OVERLAP,
           include_catch_alls: bool = False,
           min_unrelated_likelihood: float | None = UNRELATED_LIKELIHOOD,
           max_rank: int | None = MAX_RANK,
           ) -> list[tuple[float, list[str]]]:
    """Best (product of step values, [origin, ..., end]) pathways, one per end occupation
    (SOC detailed code: a specialty and its occupation are one). Left out unless asked,
    at every step: gated moves (GATES: much more education, a degree in the destination's
    own field, a licence the origin does not give, or years of experience
    in an unrelated field; `include_gated`)
    and steps down (`include_step_downs`; see flag_columns), destinations with fewer than
    `min_us_employment` US jobs, moves with a skill score under `min_score`, "All Other"
    catch-all roles and their specialties (catch_alls) and the origin's own O*NET
    specialties (`include_catch_alls`), moves into another line of work (another SOC major
    group, and O*NET does not list the destination among the origin's related occupations)
    that fewer workers make than `min_unrelated_likelihood` of the origin's most likely move
    (relative_likelihood: skill overlap alone is weak evidence across occupational families,
    and O*NET relating the origin to the destination's workers, not the destination to the
    origin's, is no better: home health aide -> animal caretaker; a manager's or supervisor's
    post in the industries the origin works in, sector_overlap >= SAME_INDUSTRIES, is not
    another line of work: nurse -> health services manager); moves to a destination beyond
    the `max_rank` most worthwhile of the role left (role_transfer_detail.rank; None: any);
    and a last step whose
    sector_overlap exceeds `max_sector_overlap` (the move would stay in the same industries
    in all but name). Military occupations are never destinations.
    """
    edges, in_force, in_goal, too_close = _edges(
        data, origin, goal_sector=goal_sector, include_gated=include_gated,
        include_step_downs=include_step_downs, min_us_employment=min_us_employment,
        min_score=min_score, max_sector_overlap=max_sector_overlap,
        include_catch_alls=include_catch_alls,
        min_unrelated_likelihood=min_unrelated_likelihood, max_rank=max_rank)
    is_goal = in_goal & ~too_close
    edges = (edges.filter(~pl.any_horizontal([broken for _, broken in in_force]))
             .select("from_role", "to_role", "sector_overlap", "to_sector",
                     score=step_value()))
    frontier = pl.DataFrame({"path": [[origin]], "last": [origin], "total": [1.0]})
    found = []
    for _ in range(steps):
        grown = (frontier.join(edges, left_on="last", right_on="from_role")
                 .filter(~pl.col("path").list.contains(pl.col("to_role")))
                 .select(path=pl.concat_list("path", "to_role"),
                         last="to_role", total=(pl.col("total") * pl.col("score")).round(9),
                         goal=is_goal))
        found.append(grown.filter("goal"))
        frontier = (grown.filter(~pl.col("goal"))
                    .sort(["total", "last"], descending=[True, False]).head(BEAM)
                    .select("path", "last", "total"))
        if frontier.is_empty():
            break
    hits = pl.concat(found) if found else pl.DataFrame()
    if hits.is_empty():
        return []
    # one pathway per destination occupation: an O*NET specialty (51-8013.03 Biomass Plant
    # Technicians) shares its occupation's SOC code, jobs and wage (51-8013.00)
    best = (hits.with_columns(n=pl.col("path").list.len(),
                              occupation=occupation("last"))
            .sort(["total", "n", "last"], descending=[True, False, False])
            .unique("occupation", keep="first", maintain_order=True).head(top))
    return [(t, p) for p, t in best.select("path", "total").iter_rows()]


def step_value() -> pl.Expr:
    """sqrt(score x relative_likelihood) of a role_transfer_detail row (see the docstring)."""
    return (pl.col("score") * pl.col("relative_likelihood").fill_null(1.0)).sqrt()


LEVELS = ("introductory", "intermediate", "advanced")


@dataclass(frozen=True)
class CourseFilter:
    """Which courses a learner wants: taught in `language` (None: any) or in an unpublished
    one with a Latin-script title, free only, and at most `max_level` (a course of unknown
    level passes)."""

    language: str | None = "en"
    free_only: bool = False
    max_level: str | None = None

    def accepts(self, course: dict[str, Any]) -> bool:
        level, language = course["level_inferred"], course["language_code"]
        return ((self.language is None or language == self.language
                 or (language is None and not re.search(OTHER_SCRIPT, course["title"] or "")))
                and (not self.free_only or course["is_free"] is True)
                and (self.max_level is None or level is None
                     or LEVELS.index(level) <= LEVELS.index(self.max_level)))


def gap_courses(data: Dataset, gaps: list[str], wanted: CourseFilter = CourseFilter(),
                ) -> tuple[list[dict[str, Any]], list[str]]:
    """For the gap skills in order, the best course teaching each (pathway_courses) that
    `wanted` accepts, each course once, at most SHOW_COURSES; and the gap skills no such
    course teaches."""
    courses: list[dict[str, Any]] = []
    untaught = []
    for skill in gaps:
        fit = [(c, r) for c, r in data.teaching.get(skill, []) if c in data.courses
               and wanted.accepts(data.courses[c])]
        if not fit:
            untaught.append(data.labels.get(skill, skill))
            continue
        used = {c["course_id"] for c in courses}
        course_id, relevance = next(((c, r) for c, r in fit if c not in used), fit[0])
        if course_id in used or len(courses) >= SHOW_COURSES:
            continue
        c = data.courses[course_id]
        courses.append({
            "course_id": course_id, "title": c["title"], "provider": c["provider"],
            "url": c["url"], "teaches": data.labels.get(skill, skill), "skill_uri": skill,
            "relevance": relevance, "language": c["language_code"],
            "level": c["level_inferred"], "is_free": c["is_free"],
            "duration_hours": c["duration_hours"]})
    return courses, untaught


def _step(data: Dataset, a: str, b: str, wanted: CourseFilter) -> Step:
    row = (data.detail.filter(from_role=a, to_role=b).with_columns(value=step_value())
           .row(0, named=True))
    courses, untaught = gap_courses(data, row["gap_skills"][:SHOW_SKILLS], wanted)
    to = data.role(b)
    likely = row["move_likelihood"]
    wa, wb = data.fact.get(a, {}).get("median_wage"), to.median_wage
    return Step(
        to=to, value=round(row["value"], 4), score=row["score"],
        move_likelihood=None if likely is None else round(likely, 5),
        wage_change=round(wb / wa - 1, 3) if wa and wb else None,
        flags=[f for f in FLAGS if row[f]],
        crosses_industry=data.roles[a]["main_sector"] != to.main_sector,
        carried_over=[data.labels.get(s, s) for s in row["shared_skills"][:SHOW_SKILLS]],
        gaps=[data.labels.get(s, s) for s in row["gap_skills"][:SHOW_SKILLS]],
        courses=courses, gaps_without_course=untaught, licence=row["licence_needed"])


def pathways(query: str, *, data_dir: str | Path, to_industry: str | None = None,
             steps: int = 2, top: int = 5, include_gated: bool = False,
             include_step_downs: bool = False,
             min_us_employment: int | None = MIN_US_EMPLOYMENT, min_score: float = MIN_SCORE,
             role: str | None = None, max_sector_overlap: float | None = MAX_SECTOR_OVERLAP,
             include_catch_alls: bool = False,
             min_unrelated_likelihood: float | None = UNRELATED_LIKELIHOOD,
             max_rank: int | None = MAX_RANK,
             courses: CourseFilter = CourseFilter(),
             taxonomy: Taxonomy | None = None) -> Result:
    """Ranked pathways from the role `query` names (see the module docstring), with the
    labels, facts and role matcher of `taxonomy` (default: the shipped one)."""
    if steps < 1:
        raise PathwayError("--steps must be at least 1")
    data = Dataset(data_dir, taxonomy)
    goal_sector = _sector(to_industry, data)
    origin, how, confidence, alternatives, published = resolve(query, data)
    if role is not None:
        code = role if "." in role else f"{role}.00"
        if code not in data.roles:
            raise PathwayError(f"unknown O*NET-SOC code {role!r} (--role)")
        origin, how, confidence, alternatives, published = code, "--role", 1.0, [], None
    rules: dict[str, Any] = {
        "goal_sector": goal_sector, "include_gated": include_gated,
        "include_step_downs": include_step_downs, "min_us_employment": min_us_employment,
        "min_score": min_score, "max_sector_overlap": max_sector_overlap,
        "include_catch_alls": include_catch_alls,
        "min_unrelated_likelihood": min_unrelated_likelihood, "max_rank": max_rank}
    found = search(data, origin, steps=steps, top=top, **rules)
    out = [Pathway(round(total, 4),
                   [_step(data, a, b, courses) for a, b in zip(path, path[1:], strict=False)])
           for total, path in found]
    kept = [] if out else [HeldBack(r, data.role(r).title, why)
                           for r, why in held_back(data, origin, **rules)]
    origin_role = data.role(origin)
    goal = (f"main sector {goal_sector} {data.sector_titles[goal_sector]}" if goal_sector
            else f"a main sector other than {origin_role.main_sector or 'unknown'}")
    m = data.manifest
    return Result(query, origin_role, how, confidence, alternatives, goal,
                  {"dataset_version": m["dataset_version"], "run_id": m["run_id"],
                   "logical_date": m["logical_date"]}, out,
                  {"include_gated": include_gated, "include_step_downs": include_step_downs,
                   "min_us_employment": min_us_employment or 0, "min_score": min_score,
                   "max_sector_overlap": max_sector_overlap,
                   "include_catch_alls": include_catch_alls,
                   "min_unrelated_likelihood": min_unrelated_likelihood or 0,
                   "max_rank": max_rank or 0}, kept, published)


def to_json(result: Result) -> str:
    return json.dumps(asdict(result), indent=2, ensure_ascii=False)


def _role_line(r: Role) -> str:
    jobs = f"{r.us_employment:,} US jobs" if r.us_employment else "US jobs n/a"
    if r.counted_in_employment:
        jobs = f"{r.counted_in_employment:,} US jobs with others in {r.counted_in}"
    return (f"{r.role} {r.title}  [{r.main_sector or '?'} {r.sector_title or 'sector unknown'}; "
            f"{jobs}; {r.postings:,} postings here]")


def _worth_line(origin: Role, to: Role, s: Step) -> str:
    def wage(r: Role) -> str:
        return f"${r.median_wage:,.0f}" if r.median_wage else "n/a"

    change = f" ({s.wage_change:+.0%})" if s.wage_change is not None else ""
    return (f"     median wage {wage(origin)} -> {wage(to)}{change}; job zone "
            f"{origin.job_zone or '?'} -> {to.job_zone or '?'}; typical education "
            f"{origin.education or 'n/a'} -> {to.education or 'n/a'}"
            + (f"; NOTE: {', '.join(_flag(f, s) for f in s.flags)}" if s.flags else ""))


def _flag(name: str, s: Step) -> str:
    licensed = name in ("needs a licence", "needs a short licence") and s.licence
    return f"{name}: {s.licence}" if licensed else name


def _confidence(result: Result) -> str:
    """The calibrated confidence first, as `microcareer roles` and the postings publish it;
    the matcher's own score (shared among the roles an ambiguous title fits) after it."""
    if result.role_confidence is None:
        return f"confidence {result.confidence:.2f}"
    shared = " shared among the roles that fit" if result.alternatives else ""
    return (f"confidence {result.role_confidence:.2f} (the role_confidence a posting with this "
            f"title alone is published with; the matcher's score{shared}: "
            f"{result.confidence:.2f})")


def to_table(result: Result) -> str:
    lines = [f"From {result.query!r}: {_role_line(result.origin)}",
             f"  matched by {result.matched_by}, " + _confidence(result) + "; "
             f"dataset {result.dataset['dataset_version']} ({result.dataset['logical_date']})",
             *(["  the title could also mean: " + "; ".join(
                 f"{a.role} {a.title}" for a in result.alternatives)
                + " (choose with --role CODE)"] if result.alternatives else []),
             f"Pathways ending in {result.goal}, best first (value = product of the steps' "
             "sqrt(skill score x likelihood relative to the role's most likely move)):"]
    if not result.pathways:
        lines.append("  none within the steps and filters allowed; try more --steps, another "
                     "--to-industry, or show the moves left out: --include-gated (more "
                     "education, a degree in the field, a licence, field experience, a "
                     "portfolio or an audition needed), "
                     "--include-step-downs "
                     "(less pay or a lower level), --include-catch-alls, "
                     "--min-unrelated-likelihood 0 (rarely made moves into other lines of "
                     f"work), --max-rank 0 (moves beyond a role's {MAX_RANK} most worthwhile)")
        if result.held_back:
            lines.append("  the most worthwhile moves the rules leave out, and why:")
            lines += [f"    {h.role} {h.title}: {', '.join(h.reasons)}"
                      for h in result.held_back]
    shown: dict[tuple[str, str], int] = {}  # move -> the pathway that first detailed it
    for i, p in enumerate(result.pathways, 1):
        lines += ["", f"{i}. value {p.score:.3f}  " + " -> ".join(
            [result.origin.title, *(s.to.title for s in p.steps)])]
        previous = result.origin
        for n, s in enumerate(p.steps, 1):
            move = (previous.role, s.to.role)
            if move in shown:  # the same move, word for word: said once
                lines.append(f"   step {n}: {s.to.role} {s.to.title} (as in pathway "
                             f"{shown[move]})")
                previous = s.to
                continue
            shown[move] = i
            cross = "crosses industry" if s.crosses_industry else "same industry"
            lines.append(f"   step {n}: {_role_line(s.to)}")
            lines.append(_worth_line(previous, s.to, s))
            previous = s.to
            likely = ("n/a" if s.move_likelihood is None
                      else f"{100 * s.move_likelihood:.2f}% of the role's leavers")
            lines.append(f"     skill score {s.score:.3f} (how much of the role's skills carry "
                         f"over); move likelihood {likely}; {cross}")
            lines.append("     carries over: " + (", ".join(s.carried_over) or
                         "no skill both roles list (the score comes from general or "
                         "thinly evidenced skills)"))
            lines.append(f"     to learn:     {', '.join(s.gaps) or '-'}")
            for c in s.courses:
                facts = ", ".join(x for x in (
                    c["provider"], c["level"], None if c["language"] in (None, "en")
                    else c["language"], {True: "free", False: "paid"}.get(c["is_free"]),
                    f"{c['duration_hours']:g} h" if c["duration_hours"] else None) if x)
                lines.append(f"     course for {c['teaches']}: {c['title']}"
                             + (f" ({facts})" if facts else "")
                             + (f" {c['url']}" if c["url"] else ""))
            if s.gaps_without_course:
                lines.append("     no course in the catalogue teaches: "
                             + ", ".join(s.gaps_without_course))
    return "\n".join(lines)
