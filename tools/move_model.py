"""Fit the move-likelihood model on the development half of observed US moves and export it
as ``taxonomy/move_model.npz`` (`make move-model`; needs ../shared and the `build` extra).

Data: the CPS ASEC occupational mobility network (del Rio-Chanona et al. 2021), development
half of its source occupations, ``../shared/data/eval/transitions``: P(target | source) over
SOC 2010 OEWS-level nodes. Roles reach nodes as in that folder's ``transfer_eval.py`` (its
own mapping code is used). One training row per ordered pair of roles whose origin node is
a development source: the features of ``transform.marts.transfer.FEATURES`` on taxonomy-only
profiles (no postings, so the model does not depend on a night's data), the label whether
the node pair has an observed move, and for observed pairs the share of the origin's leavers
P(target | source) / (1 - P(source | source)).

Model: a hurdle of two scikit-learn HistGradientBoosting ensembles, P(observed) x
exp(E[log share | observed]); chosen among the variants listed in docs/move-model.md by
5-fold cross-validation grouped by origin node. The export holds each tree's nodes as numpy
arrays (transform.marts.transfer.Trees evaluates them with numpy only, checked here against
scikit-learn), the features, the cross-validated metrics and the calibration table.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl

from schemas.taxonomy import MOVE_MODEL, SHIPPED, Taxonomy
from transform.linking import skill_ranker
from transform.linking.skill_fit import SkillFit
from transform.marts import aggregate
from transform.marts.transfer import (
    FEATURES,
    RoleSpace,
    Trees,
    feature_matrix,
    onet_similarity,
    pair_features,
    skill_overlap,
    skill_score,
    task_similarity,
)

SHARED = Path("../shared/data")
FOLDS = 5
SEED = 0
CLASSIFIER = {"max_iter": 300, "learning_rate": 0.05, "max_leaf_nodes": 15,
              "min_samples_leaf": 200, "early_stopping": False, "random_state": SEED}
REGRESSOR = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15,
             "min_samples_leaf": 50, "early_stopping": False, "random_state": SEED}


def load_eval(shared: Path):
    """The transfer_eval module of the shared folder (its data loading and metrics)."""
    path = shared / "eval/transitions/transfer_eval.py"
    spec = importlib.util.spec_from_file_location("transfer_eval", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def taxonomy_features(folder: Path) -> tuple[RoleSpace, dict[str, np.ndarray]]:
    """FEATURES of every role pair on taxonomy-only profiles (the taxonomy in `folder`)."""
    taxonomy = Taxonomy(folder)
    roles = taxonomy.roles()["role"].to_list()
    space = RoleSpace.load(taxonomy, roles)
    fitter = SkillFit(skill_ranker.SkillRanker(taxonomy.skill_ranker_path),
                      taxonomy.role_texts())
    empty_postings = pl.LazyFrame(schema={"posting_id": pl.String, "role": pl.String,
                                          "role_confidence": pl.Float64})
    empty_skills = pl.LazyFrame(schema={"posting_id": pl.String, "skill_uri": pl.String})
    profiles = aggregate.role_skills(empty_postings, empty_skills,
                                     aggregate.taxonomy_priors(taxonomy, fitter)).collect()
    overlap, tasks = skill_overlap(profiles, space), task_similarity(space)
    onet = onet_similarity(space)
    components = {"skill_overlap": overlap, "task_similarity": tasks, "onet_similarity": onet,
                  "score": skill_score(overlap, tasks, onet)}
    return space, pair_features(space, components)


def training_rows(te, space: RoleSpace):
    """(origin role idx, destination role idx, origin node idx, observed, leaver share)."""
    nodes, _, P = te.load_observed(te.EDGES)
    soc_map = te.load_soc_map(te.CROSSWALK, nodes, True)
    node_of = {n: i for i, n in enumerate(nodes)}
    role_node: dict[int, int] = {}
    for role, node in (pl.DataFrame({"role": space.roles})
                       .with_columns(soc2018=pl.col("role").str.slice(0, 7))
                       .join(soc_map, on="soc2018").sort("role", "node")
                       .select("role", "node").iter_rows()):
        role_node.setdefault(space.index[role], node_of[node])
    stay = np.diag(P)
    observed = P > 0
    sources = np.array([observed[i].sum() - observed[i, i] > 0 for i in range(len(nodes))])
    mapped = np.array(sorted(role_node))
    a, b = (x.ravel() for x in np.meshgrid(mapped, mapped, indexing="ij"))
    na = np.array([role_node[i] for i in a])
    nb = np.array([role_node[i] for i in b])
    keep = (a != b) & (na != nb) & sources[na]
    a, b, na, nb = a[keep], b[keep], na[keep], nb[keep]
    share = np.divide(P[na, nb], 1 - stay[na], out=np.zeros(len(na)), where=stay[na] < 1)
    return a, b, na, observed[na, nb], share, (nodes, P, role_node)


def fit_hurdle(x: np.ndarray, y: np.ndarray, share: np.ndarray):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    occurs = HistGradientBoostingClassifier(**CLASSIFIER).fit(x, y)
    seen = y & (share > 0)
    amount = HistGradientBoostingRegressor(**REGRESSOR).fit(x[seen], np.log(share[seen]))
    return occurs, amount


def export(model, prefix: str) -> dict[str, np.ndarray]:
    """A fitted HistGradientBoosting ensemble as flat numpy arrays (see transfer.Trees)."""
    trees = [p[0].nodes for p in model._predictors]
    offsets = np.cumsum([0] + [len(t) for t in trees])
    cat = np.concatenate(trees)
    if cat["is_categorical"].any():
        raise ValueError("categorical splits are not supported by transform.Trees")
    return {
        f"{prefix}_baseline": np.asarray(model._baseline_prediction, dtype=np.float64).ravel()[:1],
        f"{prefix}_offsets": offsets.astype(np.int64),
        f"{prefix}_feature": cat["feature_idx"].astype(np.int64),
        f"{prefix}_threshold": cat["num_threshold"].astype(np.float64),
        f"{prefix}_left": cat["left"].astype(np.int64),
        f"{prefix}_right": cat["right"].astype(np.int64),
        f"{prefix}_leaf": cat["is_leaf"].astype(bool),
        f"{prefix}_value": cat["value"].astype(np.float64),
        f"{prefix}_missing_left": cat["missing_go_to_left"].astype(np.uint8),
    }


def normalise(pred: np.ndarray) -> np.ndarray:
    np.fill_diagonal(pred, 0)
    total = pred.sum(axis=1, keepdims=True)
    return np.divide(pred, total, out=np.zeros_like(pred), where=total > 0)


def evaluate(te, scores: np.ndarray, space: RoleSpace, origins: np.ndarray,
             path: Path, bootstrap: int) -> dict:
    """transfer_eval metrics of `scores` (roles x roles) over the rows of `origins`."""
    r, c = np.nonzero(scores[origins] > 0)
    roles = np.array(space.roles)
    frame = pl.DataFrame({"from_role": roles[origins][r], "to_role": roles[c],
                          "score": scores[origins][r, c]})
    frame.write_parquet(path)
    nodes, _, P = te.load_observed(te.EDGES)
    agg, _ = te.map_scores(te.load_scores(path), te.load_soc_map(te.CROSSWALK, nodes, True))
    S, has = te.dense(agg, "max", nodes)
    res = te.evaluate(S, P, has, 10)
    out = {"auc": res["auc"], "spearman": res["spearman"], "p_at_10": res["p_at_k"],
           "sources": res["sources"]}
    if bootstrap:
        ci = te.bootstrap(res["per_source"], bootstrap)
        out["ci95"] = {"auc": ci["auc"], "spearman": ci["spearman"], "p_at_10": ci["p_at_k"]}
    return out


def calibration(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict]:
    """Reliability of P(observed move): pairs in deciles of the prediction."""
    edges = np.quantile(p, np.linspace(0, 1, bins + 1))
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, bins - 1)
    return [{"predicted": float(p[which == k].mean()), "observed": float(y[which == k].mean()),
             "pairs": int((which == k).sum())} for k in range(bins) if (which == k).any()]


def build(taxonomy: Path, shared: Path, out: Path, cv_out: Path | None,
          bootstrap: int) -> dict:
    from sklearn.model_selection import GroupKFold

    te = load_eval(shared)
    space, features = taxonomy_features(taxonomy)
    a, b, na, y, share, _ = training_rows(te, space)
    x = feature_matrix(features, a, b)
    n = len(space.roles)
    cv_pred = np.zeros((n, n))
    cv_occurs = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=FOLDS).split(x, y, groups=na):
        occurs, amount = fit_hurdle(x[train], y[train], share[train])
        p = occurs.predict_proba(x[test])[:, 1]
        cv_occurs[test] = p
        cv_pred[a[test], b[test]] = p * np.exp(amount.predict(x[test]))
    origins = np.unique(a)
    cv_scores = normalise(cv_pred)
    metrics = evaluate(te, cv_scores, space, origins, cv_out or Path("/tmp/move_cv.parquet"),
                       bootstrap)
    skill = evaluate(te, features["score"], space, origins, Path("/tmp/skill_cv.parquet"),
                     bootstrap)
    occurs, amount = fit_hurdle(x, y, share)
    arrays = {**export(occurs, "occurs"), **export(amount, "share")}
    check = Trees(arrays, "occurs").raw(x[:5000])
    if not np.allclose(check, occurs._raw_predict(x[:5000]).ravel(), atol=1e-9):
        raise AssertionError("exported trees differ from scikit-learn's predictions")
    check = Trees(arrays, "share").raw(x[:5000])
    if not np.allclose(check, amount.predict(x[:5000]), atol=1e-9):
        raise AssertionError("exported share trees differ from scikit-learn's predictions")
    meta = {
        "features": list(FEATURES),
        "model": "hurdle: HistGradientBoostingClassifier(observed move) x "
                 "exp(HistGradientBoostingRegressor(log share of leavers | observed))",
        "classifier": CLASSIFIER, "regressor": REGRESSOR,
        "training": {"rows": int(len(y)), "observed": int(y.sum()),
                     "origin_nodes": int(len(np.unique(na))),
                     "data": "CPS ASEC mobility network, development half of source "
                             "occupations (del Rio-Chanona et al. 2021, CC BY 4.0)"},
        "cross_validation": {"folds": FOLDS, "grouped_by": "origin CPS node",
                             "move_likelihood": metrics, "skill_score": skill},
        "calibration": calibration(cv_occurs, y.astype(float)),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--taxonomy", type=Path, default=SHIPPED)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--out", type=Path, default=SHIPPED / MOVE_MODEL)
    ap.add_argument("--cv-scores", type=Path, default=None,
                    help="also write the cross-validated move_likelihood as from_role, "
                         "to_role, score (for transfer_eval.py)")
    ap.add_argument("--bootstrap", type=int, default=200)
    args = ap.parse_args(argv)
    meta = build(args.taxonomy, args.shared, args.out, args.cv_scores, args.bootstrap)
    cv = meta["cross_validation"]
    for name in ("move_likelihood", "skill_score"):
        m = cv[name]
        print(f"{name:16} AUC {m['auc']:.3f}  Spearman {m['spearman']:.3f}  "
              f"P@10 {m['p_at_10']:.3f}  ({m['sources']} sources, {FOLDS}-fold by origin)")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
