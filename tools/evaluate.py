"""Development checks against labelled data in the team's shared folder (never shipped, never
feeding a score). `python -m tools.evaluate transfer|roles|skills`:

- transfer: precision@10 of each role's top-10 role_transfer destinations against O*NET
  Related Occupations, beside the baseline (cosine of O*NET Skills importance vectors) and
  alternative formulas on the same profiles, from the same run;
- roles: top-1 accuracy (detailed O*NET-SOC and SOC major group) of the title matcher on a
  held-out fifth of O*NET's Sample of Reported Titles (left out of the index; --seed picks
  the fifth, --reranker adds the learned re-ranker fitted on the other titles) and on the
  Virginia postings that carry an O*NET code;
- roles --postings benchmarks/role_postings/labels.csv: the same accuracy on the hand-labelled
  real postings (title only, and title with the whole description as the nightly stage
  reads it), and a reliability table: accuracy per confidence band;
- skills: RP@5, RP@10 and MRR of `microcareer skills` on the ESCO skill-linking validation
  sentences (protocol: shared/data/eval/README.md), lexical only, with the ranker by cosine
  alone (`--no-rerank`) and with the ranker ranked again by label cover (the default), and
  the precision / recall of the skill sets the nightly tables would hold.

Reading the O*NET workbooks needs the `build` extra (fastexcel).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import polars as pl

from schemas.taxonomy import Taxonomy


def _top10(scores: np.ndarray, roles: list[str]) -> dict[str, list[str]]:
    s = scores.copy()
    np.fill_diagonal(s, -np.inf)
    order = np.argsort(-s, axis=1, kind="stable")[:, :10]
    return {r: [roles[j] for j in order[i] if np.isfinite(s[i, j]) and s[i, j] > 0]
            for i, r in enumerate(roles)}


def precision_at_10(top: dict[str, list[str]], related: dict[str, set[str]],
                    roles: set[str]) -> float:
    values = [len(set(top[r][:10]) & related[r]) / 10 for r in roles]
    return float(np.mean(values)) if values else float("nan")


def evaluate(dataset: Path, onet: Path) -> list[tuple[str, float, int]]:
    rel = pl.read_excel(onet / "Related Occupations.xlsx").select(
        role=pl.col("O*NET-SOC Code"), rel=pl.col("Related O*NET-SOC Code"))
    related = {r: set(x) for r, x in rel.group_by("role").agg("rel").iter_rows()}
    skills = (pl.read_excel(onet / "Skills.xlsx").filter(pl.col("Scale ID") == "IM")
              .pivot(on="Element Name", index="O*NET-SOC Code", values="Data Value")
              .sort("O*NET-SOC Code"))
    base_roles = skills["O*NET-SOC Code"].to_list()
    x = skills.drop("O*NET-SOC Code").to_numpy().astype(float)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    baseline = _top10(x @ x.T, base_roles)

    transfer = pl.read_parquet(dataset / "role_transfer.parquet")
    ours = {r: list(v) for r, v in (
        transfer.sort(["from_role", "score", "to_role"], descending=[False, True, False])
        .group_by("from_role", maintain_order=True).head(10)
        .group_by("from_role", maintain_order=True).agg("to_role").iter_rows())}

    profiles = pl.read_parquet(dataset / "role_skills.parquet")
    roles = sorted(profiles["role"].unique().to_list())
    skill_ids = {s: i for i, s in enumerate(sorted(profiles["skill_uri"].unique().to_list()))}
    role_ids = {r: i for i, r in enumerate(roles)}
    w = np.zeros((len(roles), len(skill_ids)))
    for r, s, v in profiles.select("role", "skill_uri", "weight").iter_rows():
        w[role_ids[r], skill_ids[s]] = v
    has = (w > 0).astype(float)
    idf = np.log(len(roles) / np.maximum(has.sum(0), 1))
    wn = w / np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-12)
    wi = w * idf
    wi /= np.maximum(np.linalg.norm(wi, axis=1, keepdims=True), 1e-12)
    alternatives = {
        "coverage: sum of destination weights the origin has": _top10(has @ w.T, roles),
        "cosine of role_skills weights (symmetric)": _top10(wn @ wn.T, roles),
        "cosine of idf-weighted role_skills (symmetric)": _top10(wi @ wi.T, roles),
    }

    scored = {r for r, v in ours.items() if len(v) >= 10 and r in related}
    fair = scored & set(base_roles)
    rows = [
        ("role_transfer (published score)", precision_at_10(ours, related, fair), len(fair)),
        ("baseline: cosine of O*NET Skills importance", precision_at_10(baseline, related, fair),
         len(fair)),
    ]
    for name, top in alternatives.items():
        rows.append((f"alternative: {name}", precision_at_10(top, related, fair), len(fair)))
    return rows


def evaluate_roles(shared: Path, seed: int = 7, reranker: bool = False
                   ) -> list[tuple[str, float, float, float, int]]:
    """Top-1 accuracy of the title matcher at O*NET-SOC, SOC detailed (6-digit) and SOC major
    group level: on a fifth of the O*NET reported titles, held out of the index (`reranker`:
    also with the learned re-ranker, about a minute more), and on the Virginia postings
    whose O*NET-SOC 2010 codes are mapped to 2019 codes."""
    import gzip
    import json

    from transform.linking.roles import RoleMatcher

    reported = pl.read_excel(shared / "taxonomy/onet/29.2/Sample of Reported Titles.xlsx")
    reported = reported.select(title="Reported Job Title", role="O*NET-SOC Code")
    held = reported.sample(fraction=0.2, seed=seed, shuffle=True)
    matcher = RoleMatcher(Taxonomy.shipped(), holdout=set(held["title"].to_list()))
    gold = [[g] for g in held["role"].to_list()]
    rows = [_accuracy("O*NET reported titles, held-out fifth", matcher.match_many(
        held["title"].to_list()), gold)]
    if reranker:
        # A learned re-ranker of the similarity search's candidates, fitted on the other four
        # fifths only (tools/train_reranker.py; tried, not shipped).
        from tools.train_reranker import fit

        matcher.reranker = fit(Taxonomy.shipped(), held["title"].to_list(), seed=seed)
        rows.append(_accuracy("  with the learned re-ranker (not shipped)",
                              matcher.match_many(held["title"].to_list()), gold))
        matcher.reranker = None
    # Many reported titles belong to several roles ("Project Engineer": 14); a title-only
    # matcher can at best pick one of them, so this is the most any such matcher can score.
    roles_per_title = reported.group_by("title").agg(
        n8=pl.col("role").n_unique(), n6=pl.col("role").str.slice(0, 7).n_unique(),
        n2=pl.col("role").str.slice(0, 2).n_unique())
    best = held.join(roles_per_title, on="title", how="left").select(
        (1 / pl.col(c)).mean().alias(c) for c in ("n8", "n6", "n2")).row(0)
    rows.append(("  ceiling: titles shared by several roles", *best, held.height))
    # How well a description settles an ambiguous title, with three O*NET task statements of
    # the true role, held out of the role texts, standing in for a description: an optimistic
    # proxy (task statements are O*NET's own wording), as no labelled postings are at hand.
    texts, tasks = _role_texts_without_some_tasks(shared / "taxonomy/onet/29.2")
    with_tasks = RoleMatcher(Taxonomy.shipped(), holdout=set(held["title"].to_list()),
                            texts=texts)
    rows.append(_accuracy("  with 3 held-out O*NET tasks as description", with_tasks.match_many(
        held["title"].to_list(), [tasks.get(g, "") for g in held["role"].to_list()]), gold))

    to2019 = pl.read_csv(shared / "taxonomy/crosswalks/onet_soc_2010_to_2019_crosswalk.csv",
                         separator=";", encoding="utf8-lossy").rename(lambda c: c.lstrip("\ufeff"))
    codes = dict(to2019.group_by("soc2010_code").agg("soc2019_code").iter_rows())
    vec = (shared / "listings/fixtures/vec_virginia"
           / "vec_virginia_job_postings_50_sample_2016-03.jsonl.gz")
    docs = [json.loads(line) for line in gzip.decompress(vec.read_bytes()).splitlines() if line]
    docs = [d for d in docs  # drops 99-9999.00, "not classified"
            if d.get("title") and (d.get("normalizedTitle") or {}).get("onetCode") in codes]
    titles = [d["title"] for d in docs]
    gold = [codes[d["normalizedTitle"]["onetCode"]] for d in docs]
    texts = ["\n".join([d.get("jobDescription") or "", *(d.get("responsibilities") or [])])
             for d in docs]
    rows.append(_accuracy("Virginia postings, title (2010 codes to 2019)",
                          matcher.match_many(titles), gold))
    rows.append(_accuracy("Virginia postings, title and description",
                          matcher.match_many(titles, texts), gold))
    return rows


BANDS = (0.0, 0.3, 0.5, 0.7, 0.9)  # lower bounds of the reliability table's confidence bands


def role_postings(labels: Path, shared: Path, split: str = "all", wave: int | None = None
                  ) -> tuple[pl.DataFrame, list[str]]:
    """The labelled postings of `split` ("dev", "heldout" or "all") and `wave` (1, 2, or
    None for both) that have a role, and each one's description: the whole text as the
    nightly stage reads it when the payload is at hand (snapshot, or the shared folder),
    else the set's first 400 characters."""
    from tools.role_postings import full_texts

    d = pl.read_csv(labels, schema_overrides={"record_id": pl.String, "role": pl.String})
    d = d.filter(pl.col("role").is_not_null() & (pl.col("role") != ""))  # "": no occupation
    if split != "all":
        d = d.filter(pl.col("split") == split)
    if wave is not None:
        d = d.filter(pl.col("wave") == wave)
    texts = full_texts(shared)
    descriptions = [texts.get((st, so, rid), head or "") for st, so, rid, head in
                    d.select("stratum", "source", "record_id", "description").iter_rows()]
    return d, descriptions


def evaluate_role_postings(labels: Path, shared: Path, split: str = "all",
                           calibrated: bool = True, wave: int | None = None):
    """Accuracy rows (as `evaluate_roles`) and the reliability table (band, postings,
    accuracy, mean confidence) of the matcher on the labelled postings."""
    from transform.linking.roles import RoleMatcher

    d, descriptions = role_postings(labels, shared, split, wave)
    matcher = RoleMatcher(Taxonomy.shipped(), calibrated=calibrated)
    titles, gold = d["title"].to_list(), [[g] for g in d["role"].to_list()]
    title_only = matcher.match_many(titles)
    nightly = matcher.match_many(titles, descriptions)
    rows = [_accuracy(f"labelled postings ({split}), title", title_only, gold),
            _accuracy(f"labelled postings ({split}), title and description", nightly, gold)]
    return rows, reliability([m.confidence for m in nightly],
                             [m.role == g[0] for m, g in zip(nightly, gold, strict=True)])


def reliability(confidence: list[float], right: list[bool]
                ) -> list[tuple[str, int, float, float]]:
    """(band, postings, share right, mean confidence) per BANDS band, then all postings."""
    c, r = np.asarray(confidence, float), np.asarray(right, bool)
    out = []
    for lo, hi in zip(BANDS, [*BANDS[1:], np.inf], strict=True):
        inside = (c >= lo) & (c < hi)
        name = f">= {lo:.1f}" if hi == np.inf else f"{lo:.1f}-{hi:.1f}"
        out.append((name, int(inside.sum()), float(r[inside].mean()) if inside.any()
                    else float("nan"), float(c[inside].mean()) if inside.any() else float("nan")))
    out.append(("all", len(c), float(r.mean()), float(c.mean())))
    return out


def _role_texts_without_some_tasks(onet: Path):
    """Role texts built without a quarter of the task statements (by hash), and for each role
    its first three held-out tasks (sorted) as one text."""
    from tools.taxonomy import onet_role_texts
    from transform.linking.role_texts import RoleTexts

    tasks = pl.read_excel(onet / "Task Statements.xlsx").select(role="O*NET-SOC Code",
                                                                 text="Task")
    held = tasks.filter(pl.col("text").hash(3) % 4 == 0)
    texts = onet_role_texts(onet, without=set(held["text"].to_list()))
    pseudo = held.group_by("role").agg(pl.col("text").sort().head(3).str.join(" "))
    return RoleTexts(texts), dict(pseudo.iter_rows())


def _accuracy(name: str, found: list, gold: list[list[str]]
              ) -> tuple[str, float, float, float, int]:
    """Share of matches whose role is one of the gold codes, at 10, 7 and 2 characters."""
    def share(n: int) -> float:
        return float(np.mean([bool(m.role) and m.role[:n] in {g[:n] for g in gs}
                              for m, gs in zip(found, gold, strict=True)]))
    return name, share(10), share(7), share(2), len(gold)


def evaluate_skills(shared: Path, ranker: bool = True, rerank: bool = True
                    ) -> list[tuple[str, float, float, float, int, float, float]]:
    """Per split: RP@5, RP@10, MRR of `microcareer skills` (top 10; `rerank`: ranked again by
    label cover, the CLI's default, else `--no-rerank`), sentences, and the
    micro precision / recall of the unranked skill set the nightly tables would hold
    (extract_skills with the nightly settings: lexical, plus ranker rows with cosine >= 0.55
    when `ranker`)."""
    from microcareer import jsonl
    from transform.linking.skills import extract_skills, load_ranker

    taxonomy = Taxonomy.shipped()
    labels = taxonomy.esco_skills().select("skill_uri", "label")
    by_label = dict(zip(labels["label"].str.to_lowercase(), labels["skill_uri"], strict=False))
    rows = []
    for name in ("tech", "house"):
        raw = pl.read_csv(shared / f"eval/skill_linking/{name}_validation_annotations.csv")
        gold = (raw.with_columns(pl.col("label").str.strip_chars())
                .filter(~pl.col("label").is_in(["LABEL NOT PRESENT", "UNDERSPECIFIED"]))
                .group_by("sentence", maintain_order=True).agg(pl.col("label").unique()))
        ranked = jsonl.skills([{"id": i, "text": s} for i, s in enumerate(gold["sentence"])],
                              top_k=10, ranker=ranker, rerank=rerank)
        nightly = extract_skills(
            pl.LazyFrame({"row": range(gold.height), "text": gold["sentence"]},
                         schema={"row": pl.Int64, "text": pl.String}),
            "row", taxonomy=taxonomy,
            ranker=load_ranker(taxonomy) if ranker else None).collect()
        found_sets = {r: set(u) for r, u in nightly.group_by("row").agg("skill_uri").iter_rows()}
        rp5, rp10, rr = [], [], []
        hits = found = relevant = 0
        for i, (labels_, result) in enumerate(zip(gold["label"].to_list(), ranked, strict=True)):
            truth = {by_label.get(x.lower()) for x in labels_} - {None}
            uris = [s["uri"] for s in result["skills"]]
            k_gold = max(len(truth), 1)
            rp5.append(len(truth & set(uris[:5])) / min(5, k_gold))
            rp10.append(len(truth & set(uris[:10])) / min(10, k_gold))
            first = next((i for i, u in enumerate(uris, 1) if u in truth), None)
            rr.append(1 / first if first else 0.0)
            got = found_sets.get(i, set())
            hits, found, relevant = hits + len(got & truth), found + len(got), relevant + len(truth)
        rows.append((name.upper(), float(np.mean(rp5)), float(np.mean(rp10)),
                     float(np.mean(rr)), gold.height, hits / max(found, 1),
                     hits / max(relevant, 1)))
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.evaluate", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("check", choices=["transfer", "roles", "skills"])
    p.add_argument("--dataset", type=Path, default=Path("data/dataset"))
    p.add_argument("--shared", type=Path, default=Path("../shared/data"))
    p.add_argument("--postings", type=Path, default=None,
                   help="roles: score the hand-labelled postings set (e.g. "
                        "benchmarks/role_postings/labels.csv) instead of the O*NET titles")
    p.add_argument("--split", choices=["dev", "heldout", "all"], default="all",
                   help="roles --postings: which half of the set")
    p.add_argument("--wave", type=int, choices=[1, 2], default=None,
                   help="roles --postings: only the postings of this wave (default: both)")
    p.add_argument("--uncalibrated", action="store_true",
                   help="roles --postings: the matcher's own score, not the calibrated one")
    p.add_argument("--reranker", action="store_true",
                   help="roles: also score the learned re-ranker (tried, not shipped) on the "
                        "held-out titles, fitted on the others (about a minute more)")
    p.add_argument("--seed", type=int, default=7,
                   help="roles: which fifth of the O*NET reported titles is held out")
    p.add_argument("--ranker", action=argparse.BooleanOptionalAction, default=None,
                   help="skills: only with (--ranker) or without (--no-ranker) the ranker; "
                        "default: both, one row each")
    args = p.parse_args(argv)
    if args.check == "transfer":
        rows = evaluate(args.dataset, args.shared / "taxonomy/onet/29.2")
        print(f"{'method':<62} {'P@10':>6} {'roles':>6}")
        for name, value, n in rows:
            print(f"{name:<62} {value:>6.3f} {n:>6}")
    elif args.check == "roles" and args.postings is not None:
        rows, bands = evaluate_role_postings(args.postings, args.shared, args.split,
                                             calibrated=not args.uncalibrated, wave=args.wave)
        print(f"{'postings':<52} {'O*NET-SOC':>9} {'SOC 6-digit':>11} {'major':>6} {'n':>5}")
        for name, onet, detailed, major, n in rows:
            print(f"{name:<52} {onet:>9.3f} {detailed:>11.3f} {major:>6.3f} {n:>5}")
        print(f"\nreliability (title and description; confidence "
              f"{'uncalibrated' if args.uncalibrated else 'as published'}):")
        print(f"{'confidence':<12} {'postings':>8} {'right':>6} {'mean confidence':>16}")
        for name, n, right, mean in bands:
            print(f"{name:<12} {n:>8} {right:>6.3f} {mean:>16.3f}")
    elif args.check == "roles":
        print(f"{'titles':<46} {'O*NET-SOC':>9} {'SOC 6-digit':>11} {'major':>6} {'n':>6}")
        for name, onet, detailed, major, n in evaluate_roles(args.shared, args.seed,
                                                             args.reranker):
            print(f"{name:<46} {onet:>9.3f} {detailed:>11.3f} {major:>6.3f} {n:>6}")
    else:
        print(f"{'split':<8} {'method':<16} {'RP@5':>6} {'RP@10':>6} {'MRR':>6} "
              f"{'sentences':>10}   nightly set: {'P':>5} {'R':>5}")
        modes = [(False, False), (True, False), (True, True)]
        for ranker, rerank in [m for m in modes if args.ranker in (None, m[0])]:
            method = ("lexical+ranker" if rerank else "--no-rerank") if ranker else "lexical"
            for name, rp5, rp10, mrr, n, prec, rec in evaluate_skills(args.shared, ranker,
                                                                      rerank):
                print(f"{name:<8} {method:<16} {rp5:>6.3f} {rp10:>6.3f} {mrr:>6.3f} {n:>10}"
                      f"                {prec:>5.3f} {rec:>5.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
