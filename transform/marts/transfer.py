"""Role-to-role transfer: the skill components, the skill `score` and `move_likelihood`.

For an origin A and a destination B (docs/methodology.md, "Transfer"):
- skill_overlap(A->B): share of A's profile weight on skills B's profile also names
  (sum over shared skills of w_A; asymmetric, 0-1);
- task_similarity(A, B): cosine of TF-IDF vectors of the roles' O*NET descriptions, task
  statements and detailed work activities (transform.linking.role_texts);
- onet_similarity(A, B): cosine of O*NET Skills and Knowledge importance vectors (null when
  O*NET rates either role on neither);
- score = weighted geometric mean of the three, weights SCORE_WEIGHTS (task similarity counts
  twice; where onet_similarity is null its weight goes to task_similarity), each term floored
  at FLOOR. The form was chosen on the development half of the CPS moves and on O*NET Related
  Occupations among the alternatives listed in the methodology;
- move_likelihood: the share of A's leavers expected to go to B, from a gradient-boosted
  model fitted on the development half of observed US moves (``taxonomy/move_model.npz``,
  built by ``make move-model``), normalised to sum to 1 over each origin's destinations.

Everything is computed on dense role x role arrays (about a thousand roles) with sparse
products and element-wise numpy, which are deterministic whatever the thread count.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from scipy import sparse

from schemas.taxonomy import Taxonomy
from transform.linking.role_texts import RoleTexts, unit_rows

SCORE_WEIGHTS = {"skill_overlap": 1.0, "task_similarity": 2.0, "onet_similarity": 1.0}
FLOOR = 1e-4  # a zero component makes the score small, not zero


@dataclass(frozen=True)
class RoleSpace:
    """The roles in a fixed order, with what the components and the model read about them."""

    roles: list[str]
    texts: RoleTexts
    vectors: pl.DataFrame  # role, element, importance
    facts: pl.DataFrame  # role_facts: job zone, education, employment, wage

    @classmethod
    def load(cls, taxonomy: Taxonomy, roles: list[str]) -> RoleSpace:
        """`roles`, in that order, with their O*NET texts, vectors and facts in `taxonomy`."""
        texts = taxonomy.role_texts()
        ordered = (pl.DataFrame({"role": roles}).join(texts, on="role", how="left")
                   .with_columns(pl.col("text").fill_null("")))
        return cls(roles=list(roles), texts=RoleTexts(ordered),
                   vectors=taxonomy.role_vectors(), facts=taxonomy.role_facts())

    @property
    def index(self) -> dict[str, int]:
        return {r: i for i, r in enumerate(self.roles)}

    def fact(self, column: str) -> np.ndarray:
        """Per role, in order; NaN where unknown."""
        f = pl.DataFrame({"role": self.roles}).join(self.facts, on="role", how="left")
        return f[column].cast(pl.Float64).fill_null(float("nan")).to_numpy()


def skill_overlap(profiles: pl.DataFrame, space: RoleSpace) -> np.ndarray:
    """(roles x roles) share of the origin's weight on skills the destination names."""
    idx = space.index
    p = profiles.filter(pl.col("role").is_in(space.roles))
    skills = {s: j for j, s in enumerate(sorted(set(p["skill_uri"].to_list())))}
    rows = np.array([idx[r] for r in p["role"]], dtype=np.int64)
    cols = np.array([skills[s] for s in p["skill_uri"]], dtype=np.int64)
    shape = (len(space.roles), len(skills))
    # weights in integer units of 1e-9 so that the sums do not depend on summation order
    w = sparse.csr_matrix((np.rint(p["weight"].to_numpy() * 1e9), (rows, cols)), shape=shape)
    has = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    shared = (w @ has.T).toarray() / 1e9
    total = np.asarray(w.sum(axis=1)).ravel() / 1e9
    return np.divide(shared, total[:, None], out=np.zeros_like(shared),
                     where=total[:, None] > 0).clip(0, 1)


def task_similarity(space: RoleSpace) -> np.ndarray:
    m = space.texts.matrix
    return np.asarray((m @ m.T).todense()).clip(0, 1)


def onet_similarity(space: RoleSpace) -> np.ndarray:
    """Cosine of importance vectors; NaN where either role has none."""
    idx = space.index
    v = space.vectors.filter(pl.col("role").is_in(space.roles))
    elements = {e: j for j, e in enumerate(sorted(set(v["element"].to_list())))}
    x = sparse.csr_matrix(
        (v["importance"].cast(pl.Float64).to_numpy(),
         (np.array([idx[r] for r in v["role"]]), np.array([elements[e] for e in v["element"]]))),
        shape=(len(space.roles), len(elements)))
    rated = np.asarray(x.getnnz(axis=1)).ravel() > 0
    sim = np.asarray((unit_rows(x) @ unit_rows(x).T).todense()).clip(0, 1)
    sim[~rated, :] = np.nan
    sim[:, ~rated] = np.nan
    return sim


def skill_score(overlap: np.ndarray, tasks: np.ndarray, onet: np.ndarray) -> np.ndarray:
    """Weighted geometric mean of the components (see the module docstring)."""
    wo, wt, wk = (SCORE_WEIGHTS[k] for k in ("skill_overlap", "task_similarity",
                                              "onet_similarity"))
    rated = np.isfinite(onet)
    log_k = np.log(np.clip(np.where(rated, onet, tasks), FLOOR, 1))
    total = (wo * np.log(np.clip(overlap, FLOOR, 1)) + wt * np.log(np.clip(tasks, FLOOR, 1))
             + wk * log_k)
    return np.exp(total / (wo + wt + wk))


FEATURES = (
    "skill_overlap", "task_similarity", "onet_similarity", "has_onet", "score",
    "job_zone_up", "has_job_zone", "education_up", "has_education",
    "log_employment_to", "log_employment_from", "log_wage_ratio", "has_wage",
    "same_major", "same_minor", "same_broad",
    "job_zone_to", "job_zone_from", "log_wage_to", "education_to",
)


def pair_features(space: RoleSpace, components: dict[str, np.ndarray],
                  origins: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Every FEATURES column as an (origins x roles) array (all roles by default), no NaN (a
    has_* flag says when a fact is missing and its column is 0)."""
    n = len(space.roles)
    o = np.arange(n) if origins is None else origins
    out: dict[str, np.ndarray] = {}
    onet = components["onet_similarity"][o]
    out["skill_overlap"] = components["skill_overlap"][o]
    out["task_similarity"] = components["task_similarity"][o]
    out["onet_similarity"] = np.nan_to_num(onet)
    out["has_onet"] = np.isfinite(onet).astype(float)
    out["score"] = components["score"][o]

    def diff(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d = v[None, :] - v[o][:, None]
        return np.nan_to_num(d), np.isfinite(d).astype(float)

    out["job_zone_up"], out["has_job_zone"] = diff(space.fact("job_zone"))
    out["education_up"], out["has_education"] = diff(space.fact("education_mean"))
    soc = [r[:7] for r in space.roles]
    specialties = {s: soc.count(s) for s in set(soc)}
    employment = space.fact("us_employment") / np.array([specialties[s] for s in soc])
    log_emp = np.nan_to_num(np.log1p(employment))
    out["log_employment_to"] = np.broadcast_to(log_emp[None, :], (len(o), n)).copy()
    out["log_employment_from"] = np.broadcast_to(log_emp[o][:, None], (len(o), n)).copy()
    out["log_wage_ratio"], out["has_wage"] = diff(np.log(space.fact("median_wage")))
    for name, width in (("same_major", 2), ("same_minor", 4), ("same_broad", 6)):
        g = np.array([r[:width] for r in space.roles])
        out[name] = (g[o][:, None] == g[None, :]).astype(float)
    # levels, not only differences: moves into low-zone, low-wage jobs are common from anywhere
    zone = np.nan_to_num(space.fact("job_zone"))
    out["job_zone_to"] = np.broadcast_to(zone[None, :], (len(o), n)).copy()
    out["job_zone_from"] = np.broadcast_to(zone[o][:, None], (len(o), n)).copy()
    out["log_wage_to"] = np.broadcast_to(
        np.nan_to_num(np.log(space.fact("median_wage")))[None, :], (len(o), n)).copy()
    out["education_to"] = np.broadcast_to(
        np.nan_to_num(space.fact("education_mean"))[None, :], (len(o), n)).copy()
    return out


class Trees:
    """A sum of regression trees exported from scikit-learn's HistGradientBoosting as flat
    numpy arrays (per node: feature, threshold, left, right, leaf, value, missing side),
    evaluated by scikit-learn's compiled tree predictor: baseline + each tree's leaf value,
    added in tree order (rows go left when x[feature] <= threshold)."""

    def __init__(self, data: dict[str, np.ndarray], prefix: str) -> None:
        from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE
        from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

        self.baseline = float(np.ravel(data[f"{prefix}_baseline"])[0])
        offsets = data[f"{prefix}_offsets"]
        fields = {"feature_idx": "feature", "num_threshold": "threshold", "left": "left",
                  "right": "right", "is_leaf": "leaf", "value": "value",
                  "missing_go_to_left": "missing_left"}
        self._empty = np.zeros((0, 8), dtype=np.uint32)
        self.trees = []
        for start, end in zip(offsets[:-1], offsets[1:], strict=True):
            nodes = np.zeros(end - start, dtype=PREDICTOR_RECORD_DTYPE)
            for field, key in fields.items():
                column = data.get(f"{prefix}_{key}")
                if column is not None:
                    nodes[field] = column[start:end]
            self.trees.append(TreePredictor(nodes, self._empty, self._empty))

    ROWS = 16384  # rows per task: their features stay in cache while every tree reads them

    def raw(self, x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=np.float64)
        total = np.full(len(x), self.baseline)
        no_categories = np.zeros(0, dtype=np.uint32)

        def rows(start: int) -> None:
            part, out = x[start:start + self.ROWS], total[start:start + self.ROWS]
            for tree in self.trees:
                out += tree.predict(part, self._empty, no_categories, 1)

        # rows are split among threads (the predictor releases the GIL), each row's sum is
        # not: whatever the thread count, a row adds its trees' values in tree order. One
        # OpenMP thread per call: with more, each of the thousands of short calls waits at a
        # barrier, which costs twice the CPU time on a busy machine.
        starts = range(0, len(x), self.ROWS)
        threads = min(os.cpu_count() or 1, len(starts))
        if threads <= 1:
            for start in starts:
                rows(start)
        else:
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(rows, starts))
        return total


class MoveModel:
    """P(observed move) x E[share of leavers | observed], two boosted tree ensembles."""

    def __init__(self, path: Path) -> None:
        data = dict(np.load(path, allow_pickle=False))
        self.meta = json.loads(str(data.pop("meta")))
        if tuple(self.meta["features"]) != FEATURES:
            raise ValueError(f"{path}: features {self.meta['features']} differ from the code's "
                             f"{list(FEATURES)}; rebuild it with `make move-model`")
        self.occurs = Trees(data, "occurs")
        self.share = Trees(data, "share")

    def predict(self, x: np.ndarray) -> np.ndarray:
        p = 1 / (1 + np.exp(-self.occurs.raw(x)))
        return p * np.exp(self.share.raw(x))


def feature_matrix(features: dict[str, np.ndarray], rows: np.ndarray,
                   cols: np.ndarray) -> np.ndarray:
    return np.column_stack([features[f][rows, cols] for f in FEATURES])


def move_likelihood(model: MoveModel, space: RoleSpace, components: dict[str, np.ndarray],
                    block: int = 128) -> np.ndarray:
    """(roles x roles) share of each origin's leavers expected at each destination; the
    features are built for `block` origins at a time."""
    n = len(space.roles)
    m = np.zeros((n, n))
    for start in range(0, n, block):
        origins = np.arange(start, min(start + block, n))
        features = pair_features(space, components, origins)
        x = np.column_stack([features[f].ravel() for f in FEATURES])
        m[origins] = model.predict(x).reshape(len(origins), n)
    np.fill_diagonal(m, 0)
    total = m.sum(axis=1, keepdims=True)
    return np.divide(m, total, out=np.zeros_like(m), where=total > 0)
