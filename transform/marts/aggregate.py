"""Skills-per-role and per-sector tables and the transfer measures built on them.

Formulas (see docs/methodology.md):
- role_skills: posting evidence weight = share x idf (idf = ln(1 + roles / roles with the
  skill)), each posting counted by its role_confidence and an employer's copies of one ad
  as one posting, normalised per role; taxonomy prior =
  centrality (essential 1 / optional 0.5 summed over the role's mapped ESCO occupations, over
  their number) x fit to the role's O*NET texts, unrelated non-core skills pruned (a role the
  crosswalk misses takes the mean prior of its closest SOC group, or its ISCO groups'),
  normalised per role; blended as a*evidence + (1-a)*prior with a = n / (n + PRIOR_POSTINGS)
  for a role with n (confidence-weighted) ads of evidence, an ad naming k < FULL_AD_SKILLS
  skills counting k / FULL_AD_SKILLS of one.
- role_transfer: the skill score and move_likelihood of transform.marts.transfer.
- industry_skills: share of a sector's postings mentioning a skill, and its RCA.
- industry_transfer(i -> j) = sum_s min(share_i, share_j) / sum_s share_j.
- skill_portability = entropy of a skill's size-corrected sector shares / ln(sectors).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import polars as pl
from scipy import sparse

from schemas.taxonomy import Taxonomy, median_pay
from transform.linking import skill_ranker
from transform.linking.course_relevance import course_relevance
from transform.linking.industries import main_us_sectors
from transform.linking.oews import oews_codes, oews_soc
from transform.linking.roles import MIN_ROLE_CONFIDENCE
from transform.linking.sections import employer_expr, title_key
from transform.linking.skill_fit import SkillFit
from transform.linking.skills import label_table
from transform.marts.transfer import (
    MoveModel,
    RoleSpace,
    move_likelihood,
    onet_similarity,
    skill_overlap,
    skill_score,
    task_similarity,
)

PRIOR_POSTINGS = 10  # ads at which evidence and taxonomy prior weigh the same
# An ad naming fewer skills is part of an ad of evidence (snapshot ads with a role name 3.7).
FULL_AD_SKILLS = 4
MIN_SECTOR_POSTINGS = 20  # sectors with fewer postings are too thin to compare
MIN_SKILL_POSTINGS = 5
DIGITS = 6  # floats are rounded so that parallel sums give byte-identical files


SCALE = 1e12  # float sums are taken in integer units of 1e-12


def fsum(expr: pl.Expr) -> pl.Expr:
    """Sum of a float expression that does not depend on row order or chunking: parallel
    joins and group-bys reorder rows, and float addition is not associative, so a plain sum
    can differ in its last bit between runs and flip a rounded digit."""
    return (expr * SCALE).round().cast(pl.Int64).sum() / SCALE


def _norm(col: str, by: str) -> pl.Expr:
    return pl.col(col) / fsum(pl.col(col)).over(by)


SOC_LEVELS = (7, 6, 5, 2)  # detailed occupation, broad group, minor group, major group
INHERITED_SKILLS = 100  # a group's mean profile keeps its strongest skills only
TECH_PRIOR = 0.5  # a technology skill weighs half an average ESCO skill of the role


FIT_FLOOR, FIT_FULL = 0.2, 0.5  # skill_fit below which a skill is unrelated / fully related
CORE_SHARE = 0.5  # a skill at least half the role's ESCO occupations name is kept regardless
PRIOR_SKILLS = 100  # most skills a role's own or ISCO prior keeps
NARROW = 0.2  # below this centrality (one occupation of five...) a skill must fit well to stay
FIT_BASE = 0.25  # the fit factor of an unrelated skill that is kept (core or transversal)


def _esco_prior(priors: pl.LazyFrame, occupations: pl.LazyFrame | None = None,
                fit: pl.LazyFrame | None = None,
                transversal: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """(role, skill_uri, prior, esco_occupations, role_esco_occupations).

    centrality = (essential + 0.5 optional) / the role's ESCO occupations (`occupations`:
    role, esco_occupations; else the most any of its skills is named by), so a skill every
    mapped occupation names outweighs one of a single narrow occupation; x fit factor
    FIT_BASE + (1 - FIT_BASE) x clip((fit - FIT_FLOOR) / (FIT_FULL - FIT_FLOOR), 0, 1)
    (`fit`: role, skill_uri, fit; see transform.linking.skill_fit; 1 where unknown). A skill with
    fit < FIT_FLOOR, or a narrow one (centrality < NARROW) with fit < FIT_FULL, is dropped
    unless it is core (centrality >= CORE_SHARE) or transversal (`transversal`: skill_uri).
    A role keeps its PRIOR_SKILLS strongest (a catch-all role has no text to prune by).
    Normalised per role."""
    p = priors.with_columns(role_esco_occupations=pl.col("esco_occupations").max().over("role"))
    if occupations is not None:
        p = (p.join(occupations.select("role", n="esco_occupations"), on="role", how="left")
             .with_columns(role_esco_occupations=pl.max_horizontal(
                 "role_esco_occupations", pl.col("n").fill_null(0))).drop("n"))
    p = p.with_columns(centrality=((pl.col("essential") + 0.5 * pl.col("optional"))
                                   / pl.col("role_esco_occupations")).clip(0, 1))
    if fit is None:
        p = p.with_columns(fit=pl.lit(None, dtype=pl.Float64))
    else:
        p = p.join(fit.select("role", "skill_uri", "fit"), on=["role", "skill_uri"], how="left")
    related = pl.col("fit").is_null() | (pl.col("fit") >= FIT_FLOOR)
    narrow = (pl.col("centrality") < NARROW) & (pl.col("fit").fill_null(1.0) < FIT_FULL)
    keep = (related & ~narrow) | (pl.col("centrality") >= CORE_SHARE)
    if transversal is not None:
        p = p.join(transversal.select("skill_uri", transversal=pl.lit(True)), on="skill_uri",
                   how="left")
        keep = keep | pl.col("transversal").fill_null(False)
    factor = (FIT_BASE + (1 - FIT_BASE) * ((pl.col("fit") - FIT_FLOOR) / (FIT_FULL - FIT_FLOOR))
              .clip(0, 1)).fill_null(1.0)
    return (p.filter(keep).with_columns(prior=(pl.col("centrality") * factor).round(9))
            .sort(["role", "prior", "skill_uri"], descending=[False, True, False])
            .group_by("role", maintain_order=True).head(PRIOR_SKILLS)
            .with_columns(prior=_norm("prior", "role"))
            .select("role", "skill_uri", "prior", "esco_occupations", "role_esco_occupations"))


def _group_mean(own: pl.LazyFrame, level: int) -> pl.LazyFrame:
    """(group, skill_uri, prior): mean prior of the roles of each SOC group of `level` chars."""
    group = pl.col("role").str.slice(0, level)
    size = own.select("role").unique().with_columns(group=group).group_by("group").agg(n=pl.len())
    return (own.with_columns(group=group).group_by("group", "skill_uri")
            .agg(total=fsum(pl.col("prior"))).join(size, on="group")
            # rounded so that ties at the cut below are exact, whatever the summation order
            .select("group", "skill_uri", prior=(pl.col("total") / pl.col("n")).round(9))
            .sort(["group", "prior", "skill_uri"], descending=[False, True, False])
            .group_by("group", maintain_order=True).head(INHERITED_SKILLS))


def complete_priors(priors: pl.LazyFrame, roles: pl.LazyFrame,
                    isco: pl.LazyFrame | None = None,
                    tech: pl.LazyFrame | None = None, *,
                    occupations: pl.LazyFrame | None = None,
                    fit: pl.LazyFrame | None = None,
                    transversal: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """Normalised taxonomy prior (role, skill_uri, prior, source, esco_occupations,
    role_esco_occupations) of every role, from the first of: its own ESCO skills (Nesta
    crosswalk; `source` taxonomy); the mean of the roles of its SOC detailed occupation
    (taxonomy_group); the ESCO occupations of its ISCO-08 groups (`isco`, same columns as
    `priors`; taxonomy_isco); the mean of its closest broader SOC group (taxonomy_group).
    Own and ISCO priors are weighted by centrality and fit (see _esco_prior; `occupations`,
    `fit`, `transversal` as there), so inherited ones are pruned the same way. `tech`
    (role, skill_uri): ESCO skills named by the role's O*NET Technology Skills, added to
    every role at TECH_PRIOR x its mean prior (taxonomy)."""
    # `own` and each step's `still` feed several later frames (and each `still` the next):
    # held once here, or every reference would evaluate its whole plan again, doubling
    # with each step (5.8 s of 6 for the shipped taxonomy's priors)
    own = _esco_prior(priors, occupations, fit, transversal).collect().lazy()
    steps: list[tuple[str, pl.LazyFrame | int]] = [("taxonomy_group", SOC_LEVELS[0])]
    if isco is not None:
        steps.append(("taxonomy_isco", isco))
    steps += [("taxonomy_group", level) for level in SOC_LEVELS[1:]]
    frames = [own.with_columns(source=pl.lit("taxonomy"))]
    still = (roles.select("role").join(own.select("role").unique(), on="role", how="anti")
             .collect().lazy())
    counts = pl.Schema({"esco_occupations": pl.UInt32, "role_esco_occupations": pl.UInt32})
    for source, how in steps:
        if isinstance(how, int):
            group = pl.col("role").str.slice(0, how)
            found = (still.with_columns(group=group).join(_group_mean(own, how), on="group")
                     .select("role", "skill_uri", "prior",
                             *(pl.lit(None, dtype=t).alias(c) for c, t in counts.items())))
        else:
            found = _esco_prior(how.join(still, on="role"), occupations, fit, transversal)
        frames.append(found.with_columns(pl.col(c).cast(t) for c, t in counts.items())
                      .with_columns(source=pl.lit(source)))
        still = still.join(found.select("role").unique(), on="role", how="anti").collect().lazy()
    esco = (pl.concat([f.with_columns(pl.col(c).cast(t) for c, t in counts.items())
                       for f in frames])
            .with_columns(prior=_norm("prior", "role")))
    if tech is None:
        return esco
    scale = esco.group_by("role").agg(unit=fsum(pl.col("prior")) / pl.len())
    added = (tech.select("role", "skill_uri").unique().join(scale, on="role", how="left")
             .select("role", "skill_uri", tech_prior=TECH_PRIOR * pl.col("unit").fill_null(1.0)))
    return (
        esco.join(added, on=["role", "skill_uri"], how="full", coalesce=True)
        .select("role", "skill_uri",
                prior=pl.max_horizontal(pl.col("prior").fill_null(0.0),
                                        pl.col("tech_prior").fill_null(0.0)),
                source=pl.col("source").fill_null(pl.lit("taxonomy")),
                esco_occupations="esco_occupations",
                role_esco_occupations="role_esco_occupations")
        .with_columns(prior=_norm("prior", "role"))
    )


def taxonomy_priors(taxonomy: Taxonomy, fitter: SkillFit | None = None) -> pl.LazyFrame:
    """`complete_priors` on the taxonomy's tables, weighted by skill fit (`fitter`)."""
    own = taxonomy.role_skill_priors()
    isco = taxonomy.role_isco_priors()
    fit = None
    if fitter is not None:
        fit = fitter.fit(pl.concat([own.select("role", "skill_uri"),
                                    isco.select("role", "skill_uri")]).unique()).lazy()
    return complete_priors(own.lazy(), taxonomy.roles().lazy(),
                           isco=isco.lazy(),
                           tech=taxonomy.role_tech_skills().lazy(),
                           occupations=taxonomy.role_facts().lazy(),
                           fit=fit, transversal=transversal_skills(taxonomy))


def transversal_skills(taxonomy: Taxonomy, languages: bool = True) -> pl.LazyFrame:
    """(skill_uri): ESCO skills of reuse level transversal (never off-topic for a role);
    without ESCO's language skills ("interact verbally in Welsh") unless `languages`."""
    return (taxonomy.esco_skills().lazy()
            .filter(pl.col("reuse_level") == "transversal", languages | ~pl.col("language"))
            .select("skill_uri"))


def role_skills(postings: pl.LazyFrame, posting_skills: pl.LazyFrame,
                priors: pl.LazyFrame) -> pl.LazyFrame:
    """`priors`: the output of `complete_priors`. Each posting counts as much as its
    role_confidence: n = the role's summed confidence, share = summed confidence of the
    postings naming the skill / n; `postings` counts them whatever their confidence. The
    evidence weight and the prior's part count an ad once: an employer's postings of the role
    with one title (the same job posted at several places) share one posting's weight. An ad
    naming few skills is weak evidence of what the role needs: one naming k skills counts
    min(k, FULL_AD_SKILLS) / FULL_AD_SKILLS of an ad against the prior, so one ad naming only
    "Russian" cannot lead a profile."""
    known = (
        postings.filter(pl.col("role").is_not_null())
        .select("posting_id", "role", c=pl.col("role_confidence").fill_null(0.0).clip(0, 1),
                ad=pl.concat_str(employer_expr(), title_key(pl.col("title")), separator="|")
                .fill_null(pl.col("posting_id")))
        .with_columns(c_ad=pl.col("c") / pl.len().over("role", "ad"))
        .drop("ad")
    )
    named = posting_skills.select("posting_id", "skill_uri").unique()
    found = named.group_by("posting_id").agg(k=pl.len())
    role_n = (
        known.join(found, on="posting_id", how="left")
        .group_by("role")
        .agg(role_postings=fsum(pl.col("c")), role_ads=fsum(pl.col("c_ad")),
             role_evidence=fsum(pl.col("c_ad") * pl.col("k").fill_null(0)
                                .clip(upper_bound=FULL_AD_SKILLS) / FULL_AD_SKILLS))
    )
    evidence = (
        named.join(known, on="posting_id")
        .group_by("role", "skill_uri").agg(postings=pl.len(), weighted=fsum(pl.col("c")),
                                           weighted_ads=fsum(pl.col("c_ad")))
        .filter(pl.col("weighted") > 0)
        .join(role_n, on="role")
        .with_columns(share=pl.col("weighted") / pl.col("role_postings"))
        .with_columns(idf=(1 + pl.col("role").n_unique() /
                           pl.col("role").count().over("skill_uri")).log())
        .with_columns(evidence=pl.col("weighted_ads") / pl.col("role_ads") * pl.col("idf"))
        .with_columns(evidence=_norm("evidence", "role"))
        .select("role", "skill_uri", "postings", "share", "evidence")
    )
    prior = priors.select("role", "skill_uri", "prior", "source", "esco_occupations",
                          "role_esco_occupations")
    return (
        evidence.join(prior, on=["role", "skill_uri"], how="full", coalesce=True)
        .join(role_n, on="role", how="left")
        .with_columns(
            pl.col("postings").fill_null(0), pl.col("share").fill_null(0.0),
            has_prior=pl.col("prior").is_not_null().any().over("role"),
            n=pl.col("role_evidence").fill_null(0.0),
        )
        .with_columns(alpha=pl.when(pl.col("has_prior"))
                      .then(pl.col("n") / (pl.col("n") + PRIOR_POSTINGS)).otherwise(1.0))
        .with_columns(weight=pl.col("alpha") * pl.col("evidence").fill_null(0.0)
                      + (1 - pl.col("alpha")) * pl.col("prior").fill_null(0.0))
        .filter(pl.col("weight") > 0)
        .with_columns(
            weight=_norm("weight", "role").round(DIGITS),
            share=pl.col("share").round(DIGITS),
            esco_occupations=pl.col("esco_occupations").fill_null(0),
            role_esco_occupations=pl.col("role_esco_occupations").max().over("role")
            .fill_null(0),
            provenance=pl.when(pl.col("evidence").is_not_null() & pl.col("prior").is_not_null())
            .then(pl.lit("both")).when(pl.col("prior").is_not_null())
            .then(pl.col("source")).otherwise(pl.lit("postings")),
        )
        .select("role", "skill_uri", "postings", "share", "weight", "provenance",
                "esco_occupations", "role_esco_occupations")
    )


def _role_socs(roles: pl.LazyFrame, employment: pl.LazyFrame) -> pl.LazyFrame:
    """(role, soc_code) of the O*NET roles (`roles`: the taxonomy's onet_roles): the SOC code
    whose OEWS `employment` stands for the role (industries.oews_soc)."""
    published = employment.select("soc_code").unique().collect()["soc_code"].to_list()
    codes = oews_codes(roles.select("role").collect()["role"], published)
    return roles.select("role", soc_code=oews_soc(pl.col("role"), codes))


def main_sectors(postings: pl.LazyFrame, employment: pl.LazyFrame,
                 roles: pl.LazyFrame) -> pl.LazyFrame:
    """Each role of `roles` (onet_roles) with its main sector: its SOC occupation's main US
    sector (transform.linking.industries.main_us_sectors of the BLS OEWS `employment`; that
    of the code OEWS publishes it under where it does not publish it alone:
    oews.oews_codes), else
    the sector with most of its postings. Employment comes first because a night's postings
    are a biased sample (a snapshot rich in government boards would put retail salespersons
    in public administration)."""
    from_postings = (
        postings.filter(pl.col("role").is_not_null() & pl.col("sector").is_not_null())
        .group_by("role", "sector").agg(n=pl.len())
        .sort("role", "n", "sector", descending=[False, True, False])
        .group_by("role", maintain_order=True).first()
        .select("role", posting_sector="sector")
    )
    from_bls = main_us_sectors(employment).select("soc_code", bls_sector="sector")
    return (_role_socs(roles, employment).join(from_postings, on="role", how="left")
            .join(from_bls, on="soc_code", how="left")
            .select("role", main_sector=pl.coalesce("bls_sector", "posting_sector")))


def sector_mixes(postings: pl.LazyFrame, employment: pl.LazyFrame,
                 roles: pl.LazyFrame) -> pl.LazyFrame:
    """(role, sector, mix): each role's (of `roles`, onet_roles) spread over sectors, from US
    employment of its SOC occupation (BLS OEWS), else from its postings; mix sums to 1 per
    role."""
    bls = (_role_socs(roles, employment).join(employment, on="soc_code")
           .filter(pl.col("employment") > 0)
           .select("role", "sector", n=pl.col("employment").cast(pl.Float64)))
    seen = (postings.filter(pl.col("role").is_not_null() & pl.col("sector").is_not_null())
            .group_by("role", "sector").agg(n=pl.len().cast(pl.Float64))
            .join(bls.select("role").unique(), on="role", how="anti"))
    return (pl.concat([bls, seen])
            .select("role", "sector", mix=_norm("n", "role").round(DIGITS)))


def sector_overlap(pairs: pl.LazyFrame, mixes: pl.LazyFrame) -> pl.LazyFrame:
    """`pairs` (from_role, to_role, ...) with sector_overlap = sum over sectors of
    min(mix_from, mix_to): 1 when both roles work in the same sectors in the same proportions,
    0 when they share none (null when a role's sectors are unknown).

    The sums are taken over the roles of `mixes` (one row per role and sector) as dense
    role x role arrays, one sector at a time, rather than by joining every pair with both
    roles' sectors (pairs x sectors rows); each min is counted in integer units of 1/SCALE
    as fsum does, so the sums are exact and the same as fsum's."""
    mix = mixes.select("role", "sector", "mix").collect()
    known = mix.select("role").unique().sort("role")
    names = known["role"]
    at = pl.DataFrame({"role": names, "i": np.arange(len(names), dtype=np.int64)})
    cells = mix.join(at, on="role")
    total = np.zeros((len(names), len(names)), dtype=np.int64)
    for _, cell in cells.group_by("sector"):
        i = cell["i"].to_numpy()
        low = np.minimum.outer(cell["mix"].to_numpy(), cell["mix"].to_numpy())
        units = (pl.DataFrame({"m": low.ravel()})
                 .select((pl.col("m") * SCALE).round().cast(pl.Int64))["m"].to_numpy())
        total[np.ix_(i, i)] += units.reshape(low.shape)
    r, c = np.nonzero(total)
    keep = r != c
    r, c = r[keep], c[keep]
    common = pl.LazyFrame({"from_role": names.gather(r), "to_role": names.gather(c),
                           "sector_overlap": pl.Series(total[r, c]) / SCALE})
    known = known.lazy()
    return (
        pairs.join(common, on=["from_role", "to_role"], how="left")
        .join(known.select(from_role="role", f=pl.lit(True)), on="from_role", how="left")
        .join(known.select(to_role="role", t=pl.lit(True)), on="to_role", how="left")
        .with_columns(sector_overlap=pl.when(pl.col("f") & pl.col("t"))
                      .then(pl.col("sector_overlap").fill_null(0.0).clip(0, 1).round(4)))
        .drop("f", "t")
    )


def role_transfer(profiles: pl.LazyFrame, sectors: pl.LazyFrame,
                  mixes: pl.LazyFrame | None = None, *, space: RoleSpace,
                  model: MoveModel | None = None) -> pl.LazyFrame:
    """Every ordered pair of roles sharing at least one profile skill, with the skill score,
    its components and move_likelihood (transform.marts.transfer; null without `model`);
    `mixes` (see sector_mixes) adds sector_overlap, else it is null."""
    frame = profiles.select("role", "skill_uri", "weight").collect()
    overlap = skill_overlap(frame, space)
    tasks = task_similarity(space)
    onet = onet_similarity(space)
    score = skill_score(overlap, tasks, onet)
    likely = None
    if model is not None:
        likely = move_likelihood(model, space, {
            "skill_overlap": overlap, "task_similarity": tasks, "onet_similarity": onet,
            "score": score})
    idx = space.index
    known = frame.filter(pl.col("role").is_in(space.roles))
    skills = {s: j for j, s in enumerate(sorted(set(known["skill_uri"].to_list())))}
    has = sparse.csr_matrix(
        (np.ones(known.height), (np.array([idx[r] for r in known["role"]], dtype=np.int64),
                                 np.array([skills[s] for s in known["skill_uri"]],
                                          dtype=np.int64))),
        shape=(len(space.roles), len(skills)))
    shared = (has @ has.T).tocoo()
    keep = (shared.row != shared.col) & (shared.data > 0)
    r, c = shared.row[keep], shared.col[keep]
    roles = np.array(space.roles)
    onet_rc = onet[r, c]
    pairs = pl.DataFrame({
        "from_role": roles[r], "to_role": roles[c],
        "score": np.round(score[r, c], DIGITS),
        "skill_overlap": np.round(overlap[r, c], 4),
        "task_similarity": np.round(tasks[r, c], 4),
        "onet_similarity": pl.Series(np.round(onet_rc, 4)).fill_nan(None),
        "move_likelihood": (pl.Series(np.round(likely[r, c], 7)) if likely is not None
                            else pl.Series([None] * len(r), dtype=pl.Float64)),
        "shared_skills": shared.data[keep].astype(np.uint32),
    })
    scored = (
        pairs.lazy()
        .join(sectors.select(from_role="role", s_from="main_sector"), on="from_role", how="left")
        .join(sectors.select(to_role="role", s_to="main_sector"), on="to_role", how="left")
        .with_columns(crosses_industry=(pl.col("s_from") != pl.col("s_to")).fill_null(False))
        .filter(pl.col("score") > 0)
        .select("from_role", "to_role", "score", "skill_overlap", "task_similarity",
                "onet_similarity", "move_likelihood", "shared_skills", "crosses_industry")
    )
    if mixes is None:
        return scored.with_columns(sector_overlap=pl.lit(None, dtype=pl.Float64))
    return sector_overlap(scored, mixes)


def industry_skills(postings: pl.LazyFrame, posting_skills: pl.LazyFrame) -> pl.LazyFrame:
    sectored = postings.filter(pl.col("sector").is_not_null()).select("posting_id", "sector")
    eligible = sector_sizes(postings)
    total = eligible.select(pl.col("sector_postings").sum().alias("all_postings"))
    counts = (
        posting_skills.join(sectored, on="posting_id")
        .group_by("sector", "skill_uri").agg(postings=pl.col("posting_id").n_unique())
        .join(eligible, on="sector")
    )
    overall = counts.group_by("skill_uri").agg(skill_postings=pl.col("postings").sum())
    return (
        counts.join(overall, on="skill_uri").join(total, how="cross")
        .with_columns(share=pl.col("postings") / pl.col("sector_postings"))
        .with_columns(rca=(pl.col("share") / (pl.col("skill_postings") /
                                              pl.col("all_postings"))).round(DIGITS),
                      share=pl.col("share").round(DIGITS))
        .select("sector", "skill_uri", "postings", "share", "rca")
    )


def industry_transfer(sector_skills: pl.LazyFrame, sizes: pl.LazyFrame,
                      moves: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """Sector x sector: score = sum_s min(share_i, share_j) / sum_s share_j, with the counts
    behind it: each sector's postings, the skills both demand, and `moves` (from_sector,
    to_sector, role_moves): top-100 role destinations leading from one sector to the other."""
    a = sector_skills.select(from_sector="sector", skill_uri="skill_uri", s_from="share")
    b = sector_skills.select(to_sector="sector", skill_uri="skill_uri", s_to="share")
    sectors = sector_skills.select("sector").unique()
    pairs = (sectors.select(from_sector="sector").join(sectors.select(to_sector="sector"),
                                                       how="cross")
             .filter(pl.col("from_sector") != pl.col("to_sector")))
    overlap = (a.join(b, on="skill_uri")
               .filter(pl.col("from_sector") != pl.col("to_sector"))
               .group_by("from_sector", "to_sector")
               .agg(common=fsum(pl.min_horizontal("s_from", "s_to")),
                    shared_skills=pl.len().cast(pl.UInt32)))
    demand = sector_skills.group_by("sector").agg(demand=fsum(pl.col("share")))
    if moves is None:
        moves = pairs.with_columns(role_moves=pl.lit(0, dtype=pl.UInt32))
    return (
        pairs.join(overlap, on=["from_sector", "to_sector"], how="left")
        .join(demand.select(to_sector="sector", demand="demand"), on="to_sector")
        .join(sizes.select(from_sector="sector", from_postings="sector_postings"),
              on="from_sector", how="left")
        .join(sizes.select(to_sector="sector", to_postings="sector_postings"),
              on="to_sector", how="left")
        .join(moves, on=["from_sector", "to_sector"], how="left")
        .select("from_sector", "to_sector",
                score=(pl.col("common").fill_null(0) / pl.col("demand")).clip(0, 1)
                .round(DIGITS),
                shared_skills=pl.col("shared_skills").fill_null(0),
                from_postings=pl.col("from_postings").cast(pl.UInt32),
                to_postings=pl.col("to_postings").cast(pl.UInt32),
                role_moves=pl.col("role_moves").fill_null(0).cast(pl.UInt32))
    )


def sector_sizes(postings: pl.LazyFrame) -> pl.LazyFrame:
    """(sector, sector_postings) of the sectors large enough to compare."""
    return (postings.filter(pl.col("sector").is_not_null()).group_by("sector")
            .agg(sector_postings=pl.len())
            .filter(pl.col("sector_postings") >= MIN_SECTOR_POSTINGS))


def role_moves(detail: pl.LazyFrame, sectors: pl.LazyFrame) -> pl.LazyFrame:
    """(from_sector, to_sector, role_moves): role_transfer_detail rows (each role's top-100
    destinations) from a role whose main sector is one to a role whose main sector is the other."""
    return (detail.select("from_role", "to_role")
            .join(sectors.select(from_role="role", from_sector="main_sector"), on="from_role")
            .join(sectors.select(to_role="role", to_sector="main_sector"), on="to_role")
            .group_by("from_sector", "to_sector").agg(role_moves=pl.len().cast(pl.UInt32)))


def skill_portability(sector_skills: pl.LazyFrame, labels: pl.LazyFrame) -> pl.LazyFrame:
    n_sectors = sector_skills.select(pl.col("sector").n_unique().alias("n_sectors"))
    return (
        sector_skills
        .with_columns(p=pl.col("share") / fsum(pl.col("share")).over("skill_uri"))
        .group_by("skill_uri")
        .agg(postings=pl.col("postings").sum().cast(pl.UInt32),
             sectors_present=pl.len().cast(pl.UInt32),
             sectors_demanding=(pl.col("rca") > 1).sum().cast(pl.UInt32),
             demanding_sectors=pl.col("sector").filter(pl.col("rca") > 1).sort(),
             entropy=-fsum(pl.col("p") * pl.col("p").log()))
        .filter(pl.col("postings") >= MIN_SKILL_POSTINGS)
        .join(n_sectors, how="cross")
        .with_columns(portability=(pl.col("entropy") / pl.col("n_sectors").cast(pl.Float64)
                                   .log()).clip(0, 1).round(DIGITS))
        .join(labels.select("skill_uri", "label"), on="skill_uri")
        .select("skill_uri", "label", "postings", "sectors_present", "sectors_demanding",
                "demanding_sectors", pl.col("entropy").round(DIGITS), "portability")
    )


def role_industry_skills(postings: pl.LazyFrame, posting_skills: pl.LazyFrame) -> pl.LazyFrame:
    """(role, sector) cells: postings of the cell and share of them naming each skill."""
    cells = postings.filter(pl.col("role").is_not_null() & pl.col("sector").is_not_null()
                            & (pl.col("role_confidence") >= MIN_ROLE_CONFIDENCE))
    sizes = cells.group_by("role", "sector").agg(cell_postings=pl.len().cast(pl.UInt32))
    return (
        posting_skills.join(cells.select("posting_id", "role", "sector"), on="posting_id")
        .group_by("role", "sector", "skill_uri")
        .agg(postings=pl.col("posting_id").n_unique().cast(pl.UInt32))
        .join(sizes, on=["role", "sector"])
        .with_columns(share=(pl.col("postings") / pl.col("cell_postings")).round(DIGITS))
        .select("role", "sector", "skill_uri", "postings", "cell_postings", "share")
    )


CATCH_ALL = "All Other"  # O*NET's residual occupations ("Managers, All Other")


def catch_all_codes(roles: pl.LazyFrame) -> pl.LazyFrame:
    """(soc_code): the SOC occupations of O*NET's "All Other" residual roles (`roles`: role,
    title), whose specialties ("Wind Energy Operations Managers" of "Managers, All Other")
    OEWS counts and pays only within the residual occupation."""
    return (roles.filter(pl.col("title").str.contains(CATCH_ALL, literal=True))
            .select(soc_code=pl.col("role").str.slice(0, 7)).unique())


def role_demand(postings: pl.LazyFrame, employment: pl.LazyFrame,
                sectors: pl.LazyFrame, roles: pl.LazyFrame) -> pl.LazyFrame:
    """Per role of `roles` (onet_roles): postings in this dataset and US employment (BLS OEWS
    May 2024, all sectors; O*NET specialties of one SOC occupation share its figure), and
    whether it is a catch-all (catch_all_codes)."""
    counted = (postings.filter(pl.col("role").is_not_null()
                               & (pl.col("role_confidence") >= MIN_ROLE_CONFIDENCE))
               .group_by("role").agg(postings=pl.len().cast(pl.UInt32)))
    bls = employment.group_by("soc_code").agg(us_employment=pl.col("employment").sum())
    residual = catch_all_codes(roles).with_columns(catch_all=pl.lit(True))
    return (
        roles.select("role", "title", soc_code=pl.col("role").str.slice(0, 7))
        .join(counted, on="role", how="left")
        .join(bls, on="soc_code", how="left")
        .join(sectors, on="role", how="left")
        .join(residual, on="soc_code", how="left")
        .select("role", "title", "soc_code", pl.col("postings").fill_null(0), "us_employment",
                "main_sector", pl.col("catch_all").fill_null(False))
    )


DETAIL_DESTINATIONS = 100
DETAIL_SHARED, DETAIL_GAPS, DETAIL_COURSES = 20, 10, 5
DETAIL_SKILLS = 50  # shared and gap skills are drawn from the destination's strongest 50
DETAIL_MIN_POSTINGS = 2  # a skill known from postings alone is listed once 2 postings say so
PATHWAY_COURSES = 10  # courses listed per gap skill
DETAIL_LANGUAGES = ("en",)  # role_transfer_detail lists courses taught in these (or unknown)
# how a skill's courses are ranked (teaching: listed_after; then best relevance first)
COURSE_ORDER = ["skill_uri", "listed_after", "relevance", "course_id"]
COURSE_DESCENDING = [False, False, True, False]
DETAIL_BLOCK = 128  # origins whose moves role_transfer_detail builds at once


def title_matches(course_skills: pl.LazyFrame, courses: pl.LazyFrame) -> pl.LazyFrame:
    """(course_id, skill_uri, title_match): the lexical matches of course_skills whose
    evidence (a label of the skill) is written in the course's title."""
    from transform.linking.skills import normalise_expr

    titles = courses.select("course_id", title=normalise_expr("title"))
    return (
        course_skills.select("course_id", "skill_uri", "evidence")
        .join(titles, on="course_id", how="left")
        .select("course_id", "skill_uri", title_match=pl.col("title").fill_null("")
                .str.contains(" " + pl.col("evidence") + " ", literal=True))
        .filter("title_match")
    )


def titled_skills(courses: pl.LazyFrame, labels: pl.DataFrame) -> pl.LazyFrame:
    """(course_id, skill_uri, score): the skill whose label is a course title's whole
    subject ("Customer Service Fundamentals", "JavaScript for beginners"), with the label's
    lexical score (`labels`: transform.linking.skills.label_table); a title that only
    contains a label ("Introduction to English Common Law") names no skill."""
    from transform.linking.course_relevance import title_subject

    return (courses.select("course_id", pattern=title_subject(pl.col("title")))
            .join(labels.lazy(), on="pattern")
            .select("course_id", "skill_uri", "score"))


def teaching(relevance: pl.LazyFrame, course_skills: pl.LazyFrame,
             courses: pl.LazyFrame) -> pl.LazyFrame:
    """The courses that teach each skill (transform.linking.course_relevance), with title_match, the
    course's language_code, its title (course_title) and `listed_after` (a university
    subject's published materials whose title does not name the skill: see
    course_relevance.listed_after)."""
    from transform.linking.course_relevance import listed_after

    return (relevance
            .join(title_matches(course_skills, courses), on=["course_id", "skill_uri"],
                  how="left")
            .join(courses.select("course_id", "language_code", "url", course_title="title"),
                  on="course_id", how="left")
            .with_columns(pl.col("title_match").fill_null(False),
                          listed_after=listed_after(pl.col("url"), pl.col("title_similarity")))
            .drop("url"))


def pathway_courses(detail: pl.LazyFrame, relevance: pl.LazyFrame) -> pl.LazyFrame:
    """For every gap skill of role_transfer_detail, the PATHWAY_COURSES courses teaching it
    best (COURSE_ORDER: courses made for learners before a university subject's materials
    whose title does not name the skill, then relevance, then course_id); a skill no course
    teaches has no row."""
    gaps = (detail.select(skill_uri=pl.col("gap_skills")).explode("skill_uri").drop_nulls()
            .group_by("skill_uri").agg(gap_pairs=pl.len().cast(pl.UInt32)))
    return (
        relevance.join(gaps, on="skill_uri")
        .sort(COURSE_ORDER, descending=COURSE_DESCENDING)
        .group_by("skill_uri", maintain_order=True).head(PATHWAY_COURSES)
        .with_columns(rank=pl.int_range(1, pl.len() + 1).over("skill_uri").cast(pl.UInt16))
        .select("skill_uri", "rank", "course_id", "relevance", "title_similarity",
                "stated_similarity", "text_similarity", "title_match", "gap_pairs")
    )


def best_courses(relevance: pl.LazyFrame, languages: tuple[str, ...] = DETAIL_LANGUAGES,
                 ) -> pl.LazyFrame:
    """(course_id, skill_uri, relevance): each skill's PATHWAY_COURSES best courses taught in
    one of `languages` or in an unpublished language with a Latin-script title, as
    pathway_courses ranks them."""
    from transform.linking.course_relevance import maybe_taught_in

    return (relevance
            .filter(maybe_taught_in(pl.col("language_code"), pl.col("course_title"), languages))
            .sort(COURSE_ORDER, descending=COURSE_DESCENDING)
            .group_by("skill_uri", maintain_order=True).head(PATHWAY_COURSES)
            .select("course_id", "skill_uri", "relevance"))


def relative_likelihood() -> pl.Expr:
    """move_likelihood over the origin's highest (1 for its most likely destination; null
    without a model)."""
    return (pl.col("move_likelihood") / pl.col("move_likelihood").max().over("from_role")
            ).fill_nan(None).round(DIGITS)


def pathway_value() -> pl.Expr:
    """How role_transfer_detail and `microcareer pathways` rank a move: the geometric mean of
    the skill score and relative_likelihood, sqrt(score x relative_likelihood); the score
    alone without a model."""
    return (pl.col("score") * pl.col("relative_likelihood").fill_null(1.0)).sqrt()


LIST_FIT = 0.3  # fit a listed skill needs unless a mapped ESCO occupation names it


def listable(profiles: pl.LazyFrame, transversal: pl.LazyFrame) -> pl.LazyFrame:
    """The profile rows role_transfer_detail may list as a role's skill: those a mapped
    ESCO occupation of the role names, and others (postings, O*NET technology examples,
    priors inherited from a SOC or ISCO group) when they fit the role's O*NET texts
    (fit >= LIST_FIT) or are in `transversal`; a skill known from postings alone also needs
    DETAIL_MIN_POSTINGS postings. role_transfer_detail leaves languages out of the
    transversal skills (a Welsh-speaking NHS post does not make Welsh a pharmacy
    technician's skill)."""
    named = pl.col("esco_occupations").fill_null(0) >= 1
    fits = (pl.col("fit") >= LIST_FIT).fill_null(True) | pl.col("transversal").fill_null(False)
    enough = (pl.col("provenance") != "postings") | (pl.col("postings") >= DETAIL_MIN_POSTINGS)
    return (profiles.join(transversal.select("skill_uri", transversal=pl.lit(True)),
                          on="skill_uri", how="left")
            .filter((named | fits) & enough)
            .drop("transversal"))


def strongest(listed: pl.LazyFrame) -> pl.LazyFrame:
    """(role, skill_uri, weight, fit): each role's DETAIL_SKILLS strongest listable skills,
    by weight, then fit (equal weights come from flat taxonomy priors), then skill_uri."""
    return (listed.with_columns(fit=pl.col("fit").fill_null(0.0))
            .sort(["role", "weight", "fit", "skill_uri"], descending=[False, True, True, False])
            .group_by("role", maintain_order=True).head(DETAIL_SKILLS)
            .select("role", "skill_uri", "weight", "fit"))


def both_ways(pairs: pl.LazyFrame) -> pl.LazyFrame:
    """(a, b) pairs and their reverses, once each."""
    return pl.concat([pairs.select("a", "b"), pairs.select(a="b", b="a")]).unique()


def skill_neighbours(broader: pl.LazyFrame) -> pl.LazyFrame:
    """(a, b): b is the broader or a narrower skill of a in ESCO's skill hierarchy."""
    return both_ways(broader.select(a="skill_uri", b="broader_uri"))


# Leading words that make an ESCO skill the use of the knowledge concept its label names
# ("use CAD software", "perform market research", "provide first aid"): whoever has the one
# has the other. Other leading words ("maintain", "manage", "design", "sell") name work on the
# concept that knowing it does not give.
SAME_SKILL_VERBS = ("apply", "use", "perform", "provide", "conduct", "implement", "utilise")


def label_variants(skills: pl.LazyFrame) -> pl.LazyFrame:
    """(skill_uri, knowledge_uri, same) for each ESCO skill/competence whose label is one
    leading word and the label of a knowledge concept ("maintain customer service",
    "customer service"); `same` when the word is one of SAME_SKILL_VERBS. `skills`:
    skill_uri, label, skill_type (Taxonomy.esco_skills)."""
    knowledge = skills.filter(pl.col("skill_type") == "knowledge").select(
        knowledge_uri="skill_uri", rest="label")
    return (skills.filter(pl.col("skill_type") == "skill/competence")
            .select("skill_uri", word=pl.col("label").str.extract(r"^(\S+)\s+\S", 1),
                    rest=pl.col("label").str.replace(r"^\S+\s+", ""))
            .filter(pl.col("word").is_not_null())
            .join(knowledge, on="rest")
            .select("skill_uri", "knowledge_uri",
                    same=pl.col("word").is_in(SAME_SKILL_VERBS))
            .unique().sort("skill_uri", "knowledge_uri"))


def distinct_skills(rows: pl.LazyFrame, related: pl.LazyFrame, by: list[str]) -> pl.LazyFrame:
    """`rows` (sorted, best first within `by`) without a skill that a skill earlier in its
    group is `related` to ((a, b) pairs: skill_neighbours, label variants): near-duplicates
    listed once, as the better one."""
    ranked = rows.with_columns(_i=pl.int_range(pl.len()).over(by))
    later = (ranked.select(*by, "_i", a="skill_uri").join(related, on="a")
             .join(ranked.select(*by, b="skill_uri", _j="_i"), on=[*by, "b"])
             .filter(pl.col("_j") < pl.col("_i")).select(*by, "_i").unique())
    return ranked.join(later, on=[*by, "_i"], how="anti", maintain_order="left").drop("_i")


def role_transfer_detail(transfer: pl.LazyFrame, profiles: pl.LazyFrame,
                         relevance: pl.LazyFrame, broader: pl.LazyFrame,
                         transversal: pl.LazyFrame,
                         variants: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """Each role's top destinations by pathway_value, with the skills carried over (those
    both roles weigh most: the product of their weights), the gap skills (by the
    destination's weight, then fit) and, for the gap skills in that order, the best course
    teaching each (best_courses: English or unpublished language), each course once,
    with the gap skill it was chosen for. `profiles` needs role, skill_uri, weight,
    postings and provenance; `relevance` course_id, skill_uri, relevance and language_code
    (see teaching). A skill is listed by `listable`; a gap is one the origin has neither
    itself nor as a broader or narrower ESCO skill (`broader`: skill_uri, broader_uri) nor
    in other words (`variants`, label_variants: a skill that is the use of a knowledge
    concept, and that concept), and of two related gaps only the heavier is listed, two
    skills of a variant pair counting as related whatever their leading word; the skills
    carried over are listed by the same rule; `transversal` (skill_uri) as in `listable`
    (the pipeline: `transversal_skills(taxonomy, languages=False)`)."""
    top = (transfer.with_columns(relative_likelihood=relative_likelihood())
           .with_columns(value=pathway_value())
           .sort(["from_role", "value", "to_role"], descending=[False, True, False])
           .group_by("from_role", maintain_order=True).head(DETAIL_DESTINATIONS)
           .with_columns(rank=pl.int_range(1, pl.len() + 1).over("from_role").cast(pl.UInt16))
           .select("from_role", "to_role", "rank", "score", "move_likelihood",
                   "relative_likelihood", "sector_overlap"))
    top = top.collect()
    # each move numbered in (from_role, to_role) order: the blocks below group, rank and join
    # on this one integer rather than on the two role names (the same rows, in the same order)
    top = top.join(top.select("from_role", "to_role").sort("from_role", "to_role")
                   .with_row_index("move"), on=["from_role", "to_role"], maintain_order="left")
    if variants is None:
        variants = pl.LazyFrame(schema={"skill_uri": pl.String, "knowledge_uri": pl.String,
                                        "same": pl.Boolean})
    variants = variants.select(a="skill_uri", b="knowledge_uri", same="same")
    related = pl.concat([skill_neighbours(broader),
                         both_ways(variants.filter("same"))]).unique().collect().lazy()
    near = pl.concat([related, both_ways(variants)]).unique().collect().lazy()
    credible = listable(profiles, transversal).collect().lazy()
    # the origin "has" a skill it names, or a broader or narrower one (no false gaps); it
    # "carries over" a skill both profiles list by the same rule
    own = profiles.select(from_role="role", a="skill_uri")
    has = (pl.concat([own.select("from_role", skill_uri="a"),
                      own.join(related, on="a").select("from_role", skill_uri="b")])
           .unique().with_columns(has=pl.lit(True))).collect()
    carries = credible.select(from_role="role", skill_uri="skill_uri",
                              origin_weight="weight").collect()
    # strongest ranks each destination's skills by weight, then fit (equal weights: flat
    # taxonomy priors; the skill that fits the role's O*NET texts better first, not the
    # first URI), then skill_uri: k is that rank
    destination = (strongest(credible).rename({"role": "to_role"})
                   .with_columns(k=pl.int_range(pl.len(), dtype=pl.UInt32).over("to_role"))
                   .collect().lazy())
    course_of = (best_courses(relevance).group_by("skill_uri")
                 .agg(course_id=pl.col("course_id").first()).collect().lazy())
    parts: list[list[pl.DataFrame]] = []
    # a move's rows depend on its origin only: origins in blocks of DETAIL_BLOCK, so that
    # the moves x destination skills rows (about 5M at 60k postings) are never all held
    origins = top["from_role"].unique().sort()
    for begin in range(0, max(len(origins), 1), DETAIL_BLOCK):  # one empty block if none
        block = origins.slice(begin, DETAIL_BLOCK).to_frame().lazy()
        skills = (
            top.lazy().join(block, on="from_role", how="semi")
            .select("move", "from_role", "to_role")
            .join(destination, on="to_role")
            .join(has.lazy().join(block, on="from_role", how="semi"),
                  on=["from_role", "skill_uri"], how="left")
            .join(carries.lazy().join(block, on="from_role", how="semi"),
                  on=["from_role", "skill_uri"], how="left")
            .with_columns(pl.col("has").fill_null(False))
            .sort("move", "k")
            .select("move", "skill_uri", "weight", "has", "origin_weight", "k")
            .collect().lazy()
        )
        # what carries over: the skills both roles weigh most (the product of their weights),
        # not the destination's strongest that the origin merely lists ("make legal
        # decisions" is a judge's skill that lawyers' profiles list, not lawyers' work)
        shared = (distinct_skills(
            skills.filter(pl.col("origin_weight").is_not_null())
            .sort(["move", pl.col("weight") * pl.col("origin_weight"), "k"],
                  descending=[False, True, False])
            .group_by("move", maintain_order=True)
            .head(2 * DETAIL_SHARED), near, ["move"])
            .group_by("move", maintain_order=True)
            .agg(shared_skills=pl.col("skill_uri").head(DETAIL_SHARED)))
        gap_rows = distinct_skills(
            skills.filter(~pl.col("has")).group_by("move", maintain_order=True)
            .head(2 * DETAIL_GAPS), near, ["move"],
        ).group_by("move", maintain_order=True).head(DETAIL_GAPS)
        gaps = gap_rows.group_by("move", maintain_order=True).agg(
            gap_skills=pl.col("skill_uri"), gap_weight=fsum(pl.col("weight")).round(DIGITS))
        courses = (
            gap_rows.with_columns(gap=pl.int_range(pl.len()).over("move"))
            .join(course_of, on="skill_uri")
            .sort(["move", "gap"])
            .unique(["move", "course_id"], keep="first", maintain_order=True)
            .group_by("move", maintain_order=True)
            .agg(courses=pl.col("course_id").head(DETAIL_COURSES),
                 course_gap_skills=pl.col("skill_uri").head(DETAIL_COURSES))
        )
        parts.append(pl.collect_all([shared, gaps, courses]))
    shared, gaps, courses = (pl.concat([p[i] for p in parts]).lazy() for i in range(3))
    empty = pl.lit([], dtype=pl.List(pl.String))
    return (
        top.lazy().join(shared, on="move", how="left")
        .join(gaps, on="move", how="left")
        .join(courses, on="move", how="left")
        .with_columns(pl.col("shared_skills").fill_null(empty),
                      pl.col("gap_skills").fill_null(empty),
                      pl.col("courses").fill_null(empty),
                      pl.col("course_gap_skills").fill_null(empty),
                      pl.col("gap_weight").fill_null(0.0))
        .select("from_role", "to_role", "rank", "score", "move_likelihood",
                "relative_likelihood", "sector_overlap", "shared_skills", "gap_skills",
                "gap_weight", "courses", "course_gap_skills")
    )


def with_move_facts(detail: pl.LazyFrame, facts: pl.LazyFrame) -> pl.LazyFrame:
    """role_transfer_detail with what a move is worth (role_facts of both roles):
    wage_change (destination's median wage over the origin's, minus 1; the SOC broad
    group's where OEWS publishes none for the occupation), job_zone_change and
    education_change (O*NET Job Zone and typical education level, destination minus
    origin); null where either role's figure is unknown."""
    def side(prefix: str) -> pl.LazyFrame:
        return facts.select(pl.col("role").alias(f"{prefix}_role"),
                            median_pay().alias(f"_{prefix}_wage"),
                            pl.col("job_zone").cast(pl.Int8).alias(f"_{prefix}_zone"),
                            pl.col("education_level").cast(pl.Int8).alias(f"_{prefix}_edu"))

    return (detail.join(side("from"), on="from_role", how="left")
            .join(side("to"), on="to_role", how="left")
            .with_columns(wage_change=(pl.col("_to_wage") / pl.col("_from_wage") - 1)
                          .round(4).cast(pl.Float32),
                          job_zone_change=pl.col("_to_zone") - pl.col("_from_zone"),
                          education_change=pl.col("_to_edu") - pl.col("_from_edu"))
            .drop(pl.selectors.starts_with("_")))


def run(*, data_dir: str | Path, date: str, release_dir: str | Path,
        taxonomy: Taxonomy) -> dict[str, int]:
    """Write every published table for `date` into `release_dir`, from the normalised tables
    and `taxonomy`; return their row counts."""
    from schemas.layout import DataLayout
    from schemas.tables import BY_NAME

    src = DataLayout(Path(data_dir)).normalised(date)
    out = Path(release_dir)
    out.mkdir(parents=True, exist_ok=True)
    # the move model (importing scikit-learn's tree predictor, about 2 s of Python) loads on
    # a thread while this one builds the profiles and course relevance, which run mostly in
    # Polars and numpy without the GIL; its trees are first needed by role_transfer
    model_path = taxonomy.move_model_path
    loader = ThreadPoolExecutor(1, thread_name_prefix="move-model")
    model_loaded = loader.submit(lambda: MoveModel(model_path) if model_path.exists() else None)
    loader.shutdown(wait=False)
    postings = pl.scan_parquet(src / "postings.parquet")
    posting_skills = pl.scan_parquet(src / "posting_skills.parquet")
    # not the taxonomy's memoised ranker: its vectors are freed once the profiles are built
    ranker = skill_ranker.SkillRanker(taxonomy.skill_ranker_path)
    fitter = SkillFit(ranker, taxonomy.role_texts())
    priors = taxonomy_priors(taxonomy, fitter)
    profiles = fitter.fit(role_skills(postings, posting_skills, priors).collect())
    course_skills = pl.scan_parquet(src / "course_skills.parquet")
    courses = pl.scan_parquet(src / "courses.parquet")
    transversal = transversal_skills(taxonomy, languages=False)
    can_be_gaps = (strongest(listable(profiles.lazy(), transversal))
                   .select("skill_uri").unique().collect()["skill_uri"].to_list())
    relevance = teaching(
        course_relevance(courses.select("course_id", "title", "stated_skills", "text")
                         .collect(), can_be_gaps, ranker,
                         stated=course_skills.filter(method="stated")
                         .select("course_id", "skill_uri", "score").collect(),
                         titled=titled_skills(courses, label_table(taxonomy))
                         .collect()).lazy(),
        course_skills, courses).collect().lazy()
    courses = courses.drop("text")
    del fitter, priors, ranker
    employment = taxonomy.bls_employment().lazy()
    roles = taxonomy.roles().lazy()
    sectors = main_sectors(postings, employment, roles).collect().lazy()
    mixes = sector_mixes(postings, employment, roles).collect().lazy()
    sector_skills = industry_skills(postings, posting_skills).collect()
    space = RoleSpace.load(taxonomy, taxonomy.roles()["role"].to_list())
    model = model_loaded.result()
    transfer = role_transfer(profiles.lazy(), sectors, mixes, space=space, model=model).collect()
    detail = role_transfer_detail(transfer.lazy(), profiles.lazy(), relevance,
                                  taxonomy.skill_broader().lazy(), transversal,
                                  label_variants(taxonomy.esco_skills().lazy())).collect()
    tables = {
        "postings": postings.drop("text"),
        "courses": courses,
        "posting_skills": posting_skills,
        "course_skills": course_skills,
        "role_skills": profiles.lazy(),
        "industry_skills": sector_skills.lazy(),
        "role_industry_skills": role_industry_skills(postings, posting_skills),
        "skill_portability": skill_portability(
            sector_skills.lazy(), taxonomy.esco_skills().lazy()),
        "role_transfer": transfer.lazy(),
        "role_transfer_detail": with_move_facts(
            detail.lazy(), taxonomy.role_facts().lazy()),
        "role_demand": role_demand(postings, employment, sectors, roles),
        "industry_transfer": industry_transfer(sector_skills.lazy(), sector_sizes(postings),
                                               role_moves(detail.lazy(), sectors)),
        "pathway_courses": pathway_courses(detail.lazy(), relevance),
    }
    rows = {}
    for name, frame in tables.items():
        table = BY_NAME[name].conform(frame.collect())
        table.write_parquet(out / f"{name}.parquet", compression="zstd", statistics=True)
        rows[name] = table.height
    return rows
