"""Check role_transfer against O*NET Related Occupations (never used by any score).

For every role with related occupations and at least 10 scored destinations: precision@10 of
its top-10 destinations. Printed beside, from the same run: the baseline (cosine similarity of
O*NET Skills importance vectors) and alternative transfer formulas computed on the same
role_skills profiles. Reads O*NET 29.2 workbooks from the team's shared data (needs the
`build` extra for fastexcel).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import polars as pl


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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m microcareer.evaluate", description=__doc__)
    p.add_argument("--dataset", type=Path, default=Path("data/dataset"))
    p.add_argument("--onet", type=Path, default=Path("../shared/data/taxonomy/onet/29.2"))
    args = p.parse_args(argv)
    rows = evaluate(args.dataset, args.onet)
    print(f"{'method':<62} {'P@10':>6} {'roles':>6}")
    for name, value, n in rows:
        print(f"{name:<62} {value:>6.3f} {n:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
