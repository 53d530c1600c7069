"""Skill-extraction throughput on real postings: postings/s, MB/s and peak RSS.

    python benchmarks/skills_throughput.py [--shared ../shared/data] [--postings 12000] [--runs 3]
    python benchmarks/skills_throughput.py --only polars-1,pyahocorasick-1

Reads real job postings from the team's shared folder (``listings/bulk*``; nothing is
downloaded) and caches their clean text in ``benchmarks/.cache/postings-N.parquet``:
Ashby posting API boards (``descriptionPlain``, 50%), USAJOBS announcements (``JobSummary`` +
``QualificationSummary``, 25%) and NHS Jobs adverts (``description``, HTML, 25%), de-duplicated
on the source id, first N in file order. Without those files it stops with a message.

Every configuration runs in its own fresh process (``--child``), so the peak RSS is that
process's own (``getrusage``: imports + data + matcher), ``--runs`` times; the table shows the
median wall time and CPU time (user + system, all threads and worker processes) of the
extraction alone (after the data and the label table are loaded), and each row's wall-time
ratio to the first row measured in the same call. On a shared machine wall time moves with
the other load; CPU time much less, so postings per CPU-second is the steadier figure.
Workers: Polars runs with ``POLARS_MAX_THREADS`` = 1 or 2 (its streaming engine uses both
cores), and the ranker's numpy/BLAS with as many threads; pyahocorasick, a Python loop, uses
1 process or a pool of 2.
The pyahocorasick variant is the same automaton (same normalisation, phrase barriers and
patterns; the case-sensitive acronym pass and the longest-match rule are shared code) over the
whole text: the project's matcher also strips employer boilerplate and checks context labels
first, so its rows are fewer; the script prints whether each family's configurations agree
(and exits 1 if one does not). Since
2026-12-02 the project's
matcher (the `polars-*` configurations) runs its main pass on a pyahocorasick automaton too,
built once per process; the `pyahocorasick-*` variant differs in normalising in Python.
`cli-*` and `rerank-*` are `microcareer skills`' ranking (lexical, then the ranker with the
CLI's settings), before and since the label cover re-ranks the ranker's candidates.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
CONFIGS = ["polars-1", "polars-2", "pyahocorasick-1", "pyahocorasick-2",
           "ranker-1", "ranker-2", "cli-2", "rerank-2"]
# `microcareer skills`' settings (microcareer.jsonl.skills, default --top-k 20): every
# sentence of a word or more proposes its best 20 skills, no cosine threshold
CLI_RANKER = {"ranker_k": 20, "ranker_min_score": 0.0, "ranker_min_words": 1}


# --------------------------------------------------------------------------- corpus
def _ashby(shared: Path):
    for path in sorted((shared / "listings/bulk/ashby_posting_api_2025-10/companies").glob("*.gz")):
        raw = gzip.decompress(path.read_bytes())
        if not raw.strip():
            continue
        for job in (json.loads(raw).get("jobs") or []):
            if job.get("descriptionPlain"):
                yield f"ashby:{job['id']}", job["descriptionPlain"]


def _usajobs(shared: Path):
    import csv

    folder = shared / "listings/bulk_industries/usajobs_search_api_2017-12/collected_data"
    for path in sorted(folder.glob("*.csv.gz")):
        text = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        for row in csv.DictReader(io.StringIO(text)):
            body = "\n".join(x for x in (row.get("JobSummary"), row.get("QualificationSummary"))
                             if x)
            if row.get("URI") and len(body) > 100:
                yield f"usajobs:{row['URI']}", body


def _nhs(shared: Path):
    from transform.fields.text import html_to_text

    for path in sorted((shared / "listings/bulk_industries/nhs_jobs_2020-11").glob("*.tar.gz")):
        with tarfile.open(path) as tar:
            for member in tar:
                if member.isfile() and member.name.endswith(".json"):
                    doc = json.load(tar.extractfile(member))
                    yield f"nhs:{doc.get('url') or member.name}", html_to_text(doc["description"])


def corpus(shared: Path, n: int) -> Path:
    """Cached parquet of N real postings (posting_id, text); built once from shared/."""
    import polars as pl

    out = CACHE / f"postings-{n}.parquet"
    if out.exists():
        return out
    if not (shared / "listings/bulk").is_dir():
        sys.exit(f"no bulk postings under {shared}/listings: pass --shared")
    quota = {"ashby": n // 2, "usajobs": n // 4, "nhs": n - n // 2 - n // 4}
    rows: list[tuple[str, str]] = []
    for name, source in (("ashby", _ashby), ("usajobs", _usajobs), ("nhs", _nhs)):
        seen: set[str] = set()
        for key, text in source(shared):
            if key not in seen:
                seen.add(key)
                rows.append((key, text))
            if len(seen) == quota[name]:
                break
    CACHE.mkdir(parents=True, exist_ok=True)
    frame = pl.DataFrame(rows, schema={"posting_id": pl.String, "text": pl.String}, orient="row")
    frame.write_parquet(out)
    return out


# --------------------------------------------------------------------------- pyahocorasick
_AUTOMATON = None
_NON_WORD = re.compile(r"[^a-z0-9+#]+")
_PHRASE_END = None  # transform.linking.skills.PHRASE_END, compiled
_BARRIER = " "  # transform.linking.skills.BARRIER


def _init_automaton(patterns: list[str]) -> None:
    import ahocorasick

    from transform.linking.skills import BARRIER, PHRASE_END

    global _AUTOMATON, _PHRASE_END, _BARRIER
    _PHRASE_END, _BARRIER = re.compile(PHRASE_END), BARRIER
    automaton = ahocorasick.Automaton()
    for pattern in patterns:
        automaton.add_word(pattern, pattern)
    automaton.make_automaton()
    _AUTOMATON = automaton


def _match_chunk(chunk: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    out = []
    for record_id, text in chunk:
        norm = " " + _NON_WORD.sub(" ", _PHRASE_END.sub(_BARRIER, text or "").lower()) + " "
        out += [(record_id, p) for p in {p for _, p in _AUTOMATON.iter(norm)}]
    return out


def extract_pyahocorasick(ids: list[str], texts: list[str], labels, workers: int):
    """The lexical matcher with pyahocorasick (Python normalisation and loop) in place of
    Polars' Aho-Corasick for the main pass; the case-sensitive pass and the resolution
    (longest match, label choice) are the matcher's own, so the rows must be the same."""
    import polars as pl

    from schemas.taxonomy import Taxonomy
    from transform.linking import skills

    _init_automaton(labels["pattern"].to_list())
    pairs = list(zip(ids, texts, strict=True))
    if workers == 1:
        rows = _match_chunk(pairs)
    else:
        import multiprocessing as mp

        size = max(1, len(pairs) // (workers * 8))
        chunks = [pairs[i:i + size] for i in range(0, len(pairs), size)]
        with mp.get_context("fork").Pool(workers) as pool:
            rows = [r for part in pool.map(_match_chunk, chunks) for r in part]
    matches = pl.DataFrame(rows, schema={"posting_id": pl.String, "pattern": pl.String},
                           orient="row")
    records = pl.LazyFrame({"posting_id": ids, "text": texts})
    cased = skills.cased_table(Taxonomy.shipped())
    return skills.resolve(matches.lazy(), "posting_id", labels,
                          skills.cased_matches(records, "posting_id", "text", cased)).collect()


# --------------------------------------------------------------------------- one run
def child(config: str, data: Path) -> dict:
    engine, workers = config.rsplit("-", 1)
    import polars as pl

    from schemas.taxonomy import Taxonomy
    from transform.linking import skills

    frame = pl.read_parquet(data)
    taxonomy = Taxonomy.shipped()
    labels = skills.label_table(taxonomy)
    ranker = (skills.load_ranker(taxonomy) if engine in ("ranker", "cli", "rerank")
              else None)
    nbytes = int(frame["text"].str.len_bytes().sum())
    cpu0 = _cpu()
    start = time.perf_counter()
    if engine == "pyahocorasick":
        found = extract_pyahocorasick(frame["posting_id"].to_list(), frame["text"].to_list(),
                                      labels, int(workers))
    else:
        kwargs = {"ranker": ranker} if ranker is not None else {}
        if engine in ("cli", "rerank"):
            kwargs |= CLI_RANKER | {"ranker_rerank": engine == "rerank"}
        found = skills.extract_skills(frame.lazy(), "posting_id", taxonomy=taxonomy,
                                      labels=labels,
                                      **kwargs).collect()
    wall = time.perf_counter() - start
    cpu = _cpu() - cpu0
    lexical = found.filter(pl.col("method") == "lexical").sort("posting_id", "skill_uri")
    digest = hashlib.sha1(lexical.write_csv().encode()).hexdigest()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"config": config, "wall": wall, "cpu": cpu, "postings": frame.height,
            "mb": nbytes / 1e6, "rows": found.height, "lexical_rows": lexical.height,
            "lexical_sha1": digest, "rss_mb": max(own, kids) / 1024}


def _cpu() -> float:
    """User + system CPU seconds of this process (all threads) and its reaped children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_child(config: str, data: Path) -> dict:
    workers = config.rsplit("-", 1)[1]
    env = dict(os.environ, POLARS_MAX_THREADS=workers, OPENBLAS_NUM_THREADS=workers,
               OMP_NUM_THREADS=workers, MKL_NUM_THREADS=workers)
    done = subprocess.run([sys.executable, __file__, "--child", config, str(data)], env=env,
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    p.add_argument("--postings", type=int, default=12000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--only", default=",".join(CONFIGS),
                   help=f"comma-separated configurations ({', '.join(CONFIGS)})")
    p.add_argument("--child", nargs=2, metavar=("CONFIG", "DATA"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0
    data = corpus(args.shared, args.postings)
    load = os.getloadavg()
    print(f"corpus: {data} | load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"| {os.cpu_count()} CPUs | median of {args.runs} runs, each a fresh process")
    results = []
    for config in args.only.split(","):
        runs = [run_child(config, data) for _ in range(args.runs)]
        walls = sorted(r["wall"] for r in runs)
        results.append(dict(runs[0], wall=statistics.median(walls), wall_min=walls[0],
                            wall_max=walls[-1], rss_mb=max(r["rss_mb"] for r in runs),
                            cpu=statistics.median(r["cpu"] for r in runs)))
    base = results[0]
    print(f"{'config':<17} {'postings':>8} {'MB':>6} {'wall s (min-max)':>19} "
          f"{'postings/s':>10} {'MB/s':>6} {'CPU s':>6} {'postings/CPU s':>14} "
          f"{'peak RSS MB':>11} {'rows':>8} {'wall vs ' + base['config']:>17}")
    for r in results:
        print(f"{r['config']:<17} {r['postings']:>8} {r['mb']:>6.1f} "
              f"{r['wall']:>7.2f} ({r['wall_min']:.2f}-{r['wall_max']:.2f}) "
              f"{r['postings'] / r['wall']:>10.0f} {r['mb'] / r['wall']:>6.1f} "
              f"{r['cpu']:>6.1f} {r['postings'] / r['cpu']:>14.0f} "
              f"{r['rss_mb']:>11.0f} {r['rows']:>8} {r['wall'] / base['wall']:>16.2f}x")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    # The project's matcher (polars-*, and ranker-* before its ranker rows) must give the same
    # lexical rows whatever the workers; the pyahocorasick variant, which matches the whole
    # text, must agree with itself. The two families differ by design (see above).
    agree = True
    for family, members in (("project matcher", ("polars", "ranker", "cli", "rerank")),
                            ("pyahocorasick variant", ("pyahocorasick",))):
        digests = {r["lexical_sha1"] for r in results
                   if r["config"].rsplit("-", 1)[0] in members}
        if digests:
            same = "identical" if len(digests) == 1 else "DIFFERENT"
            agree = agree and len(digests) == 1
            print(f"lexical rows across the {family}'s configurations: {same} "
                  f"({', '.join(sorted(digests))[:60]})")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
