"""The hand-labelled role development set (benchmarks/role_postings/): draw its sample.

    python -m tools.role_postings sample [--shared ../shared/data] [--output FILE] [--wave 2]
    python -m tools.role_postings calibrate [--shared ../shared/data]

`calibrate` fits the role confidence calibration on the development half only: isotonic
regression of "the role is right" on the matcher's own score (title and whole description,
as the nightly stage matches), reported with 5-fold cross-validation on that half, and
writes its thresholds to transform/linking/mappings/role_confidence_calibration.tsv.

Deterministic: every posting of the bundled snapshot's payloads and of the shared bulk
listings (only records the snapshot does not hold: other Ashby boards, other NHS Jobs and
USAJOBS records) is parsed with the project's own connectors; within each stratum (source,
and the bulk files as their own strata) postings are ordered by a SHA-1 of
"role-postings:<source>:<record id>" and taken in that order up to the stratum's quota,
skipping a normalised title already taken and a third posting of one employer (the company,
else the Ashby board). `split` is "dev" or "heldout" by the parity of the first byte of the
SHA-1 of "<source>:<record id>": the held-out half is scored, never read while tuning.
Wave 2 (`--wave 2`) goes on down the same orders after wave 1's quotas (WAVE_2 more per
stratum), skipping wave 1's titles and employers as wave 1 skipped its own.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import sys
from pathlib import Path

import numpy as np

from transform.linking.roles import MIN_ROLE_CONFIDENCE as CUT

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "snapshot" / "payloads"
OUTPUT = ROOT / "benchmarks" / "role_postings" / "sample.csv"
HEAD = 400  # characters of the description kept in the set

# (stratum, source, connector, files relative to the snapshot or the shared listings, quota)
PLAN = [
    ("snapshot", "ashby", "ashby", "snapshot:ashby/*.json.gz", 55),
    ("snapshot", "usajobs_2017", "usajobs_csv", "snapshot:usajobs_2017/*.csv.gz", 35),
    ("snapshot", "nhs_jobs", "jobposting_archive", "snapshot:nhs_jobs/*.tar.gz", 40),
    ("snapshot", "linkedin", "linkedin_csv", "snapshot:linkedin/*.csv.gz", 55),
    ("snapshot", "emscad", "emscad_csv", "snapshot:emscad/*.csv.gz", 35),
    ("snapshot", "usajobs", "usajobs", "snapshot:usajobs/*.json.gz", 6),
    ("snapshot", "remoteok", "remoteok", "snapshot:remoteok/*.json.gz", 8),
    ("snapshot", "remotive", "remotive", "snapshot:remotive/*.json.gz", 6),
    ("snapshot", "greenhouse", "greenhouse", "snapshot:greenhouse/*.json.gz", 2),
    ("snapshot", "lever", "lever", "snapshot:lever/*.json.gz", 1),
    ("snapshot", "jobicy", "jobicy", "snapshot:jobicy/*.json.gz", 2),
    ("snapshot", "himalayas", "himalayas", "snapshot:himalayas/*.json.gz", 2),
    ("snapshot", "arbeitnow", "arbeitnow", "snapshot:arbeitnow/*.json.gz", 2),
    ("bulk", "ashby", "ashby", "shared:bulk/ashby_posting_api_2025-10/companies/*.json.gz", 30),
    ("bulk", "nhs_jobs", "jobposting_archive",
     "shared:bulk_industries/nhs_jobs_2020-11/*.tar.gz", 25),
    ("bulk", "usajobs_2017", "usajobs_csv",
     "shared:bulk_industries/usajobs_search_api_2017-12/collected_data/*.csv.gz", 25),
]

# Wave 2 (3.4.4): more postings per stratum, drawn after wave 1's in the same order.
WAVE_2 = {("snapshot", "ashby"): 30, ("snapshot", "linkedin"): 30, ("snapshot", "nhs_jobs"): 25,
          ("snapshot", "usajobs_2017"): 20, ("snapshot", "emscad"): 20, ("bulk", "ashby"): 25,
          ("bulk", "nhs_jobs"): 25, ("bulk", "usajobs_2017"): 25}


def _key(*parts: str) -> str:
    return hashlib.sha1(":".join(parts).encode()).hexdigest()


def split_of(source: str, record_id: str) -> str:
    """'dev' or 'heldout', by the parity of the first byte of SHA-1(source:record id)."""
    return "heldout" if int(_key(source, record_id)[:2], 16) % 2 else "dev"


def _records(connector: str, files: list[Path]) -> list[dict]:
    from extract.connectors import get_connector

    c = get_connector(connector)
    out = []
    for f in files:
        body = f.read_bytes()
        if f.suffix == ".gz" and not f.name.endswith(".tar.gz"):
            body = gzip.decompress(body)
        out += [{**r, "partition": f.name} for r in c.parse(body)]
    return out


def sample(shared: Path, wave: int = 1) -> list[dict]:
    """Wave 1's postings, or (wave 2) those drawn after all of wave 1's."""
    from transform.fields.text import html_to_text
    from transform.linking.roles import normalise_title

    snapshot_ids: dict[str, set[str]] = {}
    strata = []
    for stratum, source, connector, pattern, _ in PLAN:
        where, glob = pattern.split(":", 1)
        base = SNAPSHOT if where == "snapshot" else shared / "listings"
        records = [r for r in _records(connector, sorted(base.glob(glob)))
                   if r.get("title") and r.get("record_id")]
        if stratum == "snapshot":
            snapshot_ids.setdefault(source, set()).update(str(r["record_id"]) for r in records)
        else:
            records = [r for r in records
                       if str(r["record_id"]) not in snapshot_ids.get(source, set())]
        records.sort(key=lambda r: _key("role-postings", source, str(r["record_id"])))
        strata.append((iter(records), {}))  # the stratum's records left, employers taken
    seen_titles: set[str] = set()
    rows = []
    for w in range(1, wave + 1):
        for (stratum, source, _, _, first), (records, employers) in zip(PLAN, strata,
                                                                          strict=True):
            quota = first if w == 1 else WAVE_2.get((stratum, source), 0)
            taken = 0
            # The record read when a quota is met is passed over (as wave 2 was drawn): it
            # is the next in hash order, so no posting is favoured, and labels.csv stays
            # reproducible.
            for r in records:
                if taken == quota:
                    break
                title = " ".join(str(r["title"]).split())
                board = r["partition"] if source == "ashby" else ""
                employer = (r.get("company") or board).strip().lower()
                if normalise_title(title) in seen_titles or employers.get(employer or None, 0) >= 2:
                    continue
                seen_titles.add(normalise_title(title))
                if employer:
                    employers[employer] = employers.get(employer, 0) + 1
                text = " ".join(html_to_text(r.get("description") or "").split())
                rid = str(r["record_id"])
                rows.append({"source": source, "stratum": stratum, "record_id": rid,
                             "split": split_of(source, rid), "company": r.get("company") or "",
                             "title": title, "description": text[:HEAD], "wave": w})
                taken += 1
    return [r for r in rows if r["wave"] == wave]


def full_texts(shared: Path) -> dict[tuple[str, str, str], str]:
    """(stratum, source, record id) -> the whole description as the nightly stage reads it
    (`html_to_text`), for every record of the plan's files that exist (the bulk strata need
    the shared folder)."""
    from transform.fields.text import html_to_text

    out = {}
    for stratum, source, connector, pattern, _ in PLAN:
        where, glob = pattern.split(":", 1)
        base = SNAPSHOT if where == "snapshot" else shared / "listings"
        for r in _records(connector, sorted(base.glob(glob))):
            if r.get("record_id"):
                out[(stratum, source, str(r["record_id"]))] = html_to_text(
                    r.get("description") or "")
    return out


CALIBRATION_HEADER = """\
# Role confidence calibration: the matcher's own score -> the share of labelled postings whose
# role was right (isotonic regression fitted on the development half of
# benchmarks/role_postings, {n} postings). transform/linking/roles.py interpolates linearly between
# the rows; scores outside them take the nearest row's value. Written by
# `python -m tools.role_postings calibrate`; do not edit by hand.
"""
FOLDS = 5
BELOW_CUT = 0.49  # what a pool not shown to be right most of the time is published at
WILSON_Z = 1.2816  # one-sided 90%


def _wilson_low(right: float, n: int, z: float = WILSON_Z) -> float:
    """The lower Wilson score bound of a share of `right` out of `n`."""
    p = right / n
    centre = p + z * z / (2 * n)
    margin = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float((centre - margin) / (1 + z * z / n))


def hold_the_cut(levels: np.ndarray, fitted: np.ndarray, right: np.ndarray) -> np.ndarray:
    """`levels` (the fitted calibration's values, ascending) with the cut held: a pool of
    postings fitted at CUT or more must be shown right most of the time (the lower one-sided
    90% Wilson bound of its share right at least CUT), else it is merged with the pool below
    it (their share right together) while that one is fitted at CUT or more too, and what is
    still not shown is published at BELOW_CUT (and any pool under it no higher). Which
    postings pass the cut must not turn on a posting or two of a pool right about half the
    time: refitted after a few lines, the 3.4.4 table's 0.53-0.71 pool went from 0.49 to
    0.508. `fitted`: each development posting's fitted value; `right`: 1 if its role was
    right."""
    out = levels.astype(float).copy()
    values = sorted({v for v in levels.tolist() if v >= CUT}, reverse=True)
    merged: list[float] = []
    for k, value in enumerate(values):
        merged.append(value)
        pool = np.isin(fitted, merged)
        n, hits = int(pool.sum()), float(right[pool].sum())
        if n and _wilson_low(hits, n) >= CUT:
            out[np.isin(levels, merged)] = hits / n
            merged = []
        elif k == len(values) - 1 or not n:
            out[np.isin(levels, merged)] = BELOW_CUT
    return np.minimum.accumulate(out[::-1])[::-1]


def _isotonic(x, y):
    from sklearn.isotonic import IsotonicRegression

    return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y)


def _logistic(x, y):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression().fit(x.reshape(-1, 1), y)
    return type("Platt", (), {"predict": lambda self, v: model.predict_proba(
        np.asarray(v).reshape(-1, 1))[:, 1]})()


def calibrate(shared: Path) -> None:
    from schemas.taxonomy import Taxonomy
    from tools.evaluate import reliability, role_postings
    from transform.linking.roles import CALIBRATION, RoleMatcher

    d, descriptions = role_postings(OUTPUT.with_name("labels.csv"), shared, "dev")
    found = RoleMatcher(Taxonomy.shipped(), calibrated=False).match_many(
        d["title"].to_list(), descriptions)
    keep = [i for i, m in enumerate(found) if m.role is not None]
    x = np.array([found[i].confidence for i in keep])
    y = np.array([found[i].role == d["role"][i] for i in keep], dtype=float)
    # Folds by record id hash: deterministic, independent of the file's order.
    fold = np.array([int(_key("fold", d["record_id"][i]), 16) % FOLDS for i in keep])
    print(f"{len(keep)} dev postings with a role ({len(found) - len(keep)} without)")
    print("raw score:", *(f"{n} {k}:{r:.3f}/{c:.3f}" for n, k, r, c in
                          [(b, k, r, c) for b, k, r, c in reliability(list(x), list(y == 1))]))
    for name, fit in (("isotonic", _isotonic), ("logistic", _logistic)):
        out = np.zeros_like(x)
        for f in range(FOLDS):
            model = fit(x[fold != f], y[fold != f])
            out[fold == f] = model.predict(x[fold == f])
        brier = float(np.mean((out - y) ** 2))
        print(f"{name}, {FOLDS}-fold out-of-fold: Brier {brier:.4f};",
              *(f"{b} {k}:{r:.3f}/{c:.3f}" for b, k, r, c in reliability(list(out), list(y == 1))))
    model = _isotonic(x, y)
    levels = hold_the_cut(model.y_thresholds_, model.predict(x), y)
    for before, after in sorted(set(zip(model.y_thresholds_, levels, strict=True))):
        if before != after:
            print(f"pool fitted at {before:.3f}: not shown right most of the time, {after:.3f}")
    rows = list(zip(model.X_thresholds_, levels, strict=True))
    table = "".join(f"{a:.3f}\t{b:.3f}\n" for a, b in rows)
    CALIBRATION.write_text(CALIBRATION_HEADER.format(n=len(keep)) + "score\tprobability\n"
                           + table, encoding="utf-8")
    print(f"{len(rows)} thresholds -> {CALIBRATION}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.role_postings", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["sample", "calibrate"])
    p.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    p.add_argument("--output", type=Path, default=OUTPUT)
    p.add_argument("--wave", type=int, choices=[1, 2], default=1)
    args = p.parse_args(argv)
    if args.command == "calibrate":
        calibrate(args.shared)
        return 0
    rows = sample(args.shared, args.wave)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} postings -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
