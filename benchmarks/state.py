"""The dedupe state at scale (issue 18): one night of real postings against a long history,
the single-file state (main at 50fae40) and the bounded one (segments by month last seen, a
manifest per night: transform/postings/state.py), in the same run.

    python benchmarks/state.py [WORKDIR] [--rows 2850000] [--night 12000] [--runs 3]
    (`make bench-state`; WORKDIR default /tmp/microcareer-bench-state)

**Reads ../shared/data/listings/bulk*** (the team's shared folder beside the repository; not
shipped, nothing is downloaded; it stops with a message without it), through
benchmarks/scale.py's cache of their real postings (`benchmarks/.cache/`). The night is
--night of them, keyed as normalise keys them (clean text, ids, URL and content keys, MinHash
signatures). The history is --rows state rows over 15 months of last-seen dates (uniform),
mostly synthetic (random ids and keys, titles, employers and places drawn from the real
postings, random signatures within the near-duplicate window), with the night embedded in it:
90% of its records seen again (most last seen the night before, 400 after 2-5 months, 400
after 7-12 months), 5% reposts under new ids of older records (by URL, by content at the same
place, by a near-duplicate signature within the window), 5% new. Three in ten history records
belong to a job of two or three records.

Old: the single-file design's code path, reproduced here from main (read the whole state,
`resolve` against it, write it sorted as the candidate, hash the base, promote: the night's
copy in history, the previous copy, the current file). New: state.base_for, open_base,
duplicates.lookup, resolve, state.write_candidate, check_base, promote. Both start from
the same history: a single file for the old design, the same rows migrated to segments for the
new (one segment per month, as a first night after an upgrade writes them). Each run is a
fresh process on a hard-linked copy of the prepared folder; wall and CPU time of the night
(after imports and reading the night's keyed records), the process's peak RSS, and the bytes
of the files the night created (new inodes). The night's canonical postings must be the same
in both designs, and the two states after it the same rows (checked once). Medians of --runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_SHARED = ROOT.parent / "shared" / "data" / "listings"
DAY = date(2026, 11, 25)
HISTORY_DAYS = 450  # last_seen spread over ~15 months before DAY


# ---------------------------------------------------------------------------- preparing

def _keyed_night(shared: Path, n: int):
    """n + 10% real postings keyed as normalise keys them (the night and its repost twins)."""
    import polars as pl
    from scale import real_postings

    from transform.postings import duplicates, normalise

    real = real_postings(shared)
    staged = real.sample(n=min(real.height, int(n * 1.1)), seed=18, shuffle=True)
    frame = (normalise._clean(staged).pipe(normalise._ids, ["source", "record_id"], "posting_id")
             .pipe(duplicates.with_keys))
    frame = frame.unique("posting_id", keep="first", maintain_order=True)
    keyed = [c for c in duplicates.STATE_SCHEMA.names()
             if c not in ("canonical_id", "first_seen", "last_seen")]
    return frame.select(keyed).with_columns(pl.col("signature").cast(pl.Binary))


def _hex(rng, n: int, prefix: str = "") -> list[str]:
    return [f"{prefix}{v:016x}" for v in rng.integers(0, 2**63, n, dtype="int64").tolist()]


def _signatures(rng, n: int):
    import polars as pl
    import pyarrow as pa

    body = rng.integers(0, 2**32, (n, 64), dtype="uint32").astype("<u4").tobytes()
    arr = pa.FixedSizeBinaryArray.from_buffers(pa.binary(256), n, [None, pa.py_buffer(body)])
    return pl.Series(pl.from_arrow(arr.cast(pa.binary())), dtype=pl.Binary)


def prepare(work: Path, shared: Path, rows: int, n: int) -> None:
    import numpy as np
    import polars as pl

    from transform.postings import duplicates
    from transform.postings import state as state_files

    t0 = time.perf_counter()
    rng = np.random.default_rng(18)
    keyed = _keyed_night(shared, n)
    night, twins = keyed.head(n), keyed.slice(n)
    n = night.height
    schema = duplicates.STATE_SCHEMA
    window = DAY - timedelta(days=duplicates.REPOST_WINDOW_DAYS)

    def dated(frame, last: list[date]):
        first = [d - timedelta(days=int(k)) for d, k in
                 zip(last, rng.integers(0, 60, len(last)).tolist(), strict=True)]
        return frame.with_columns(first_seen=pl.Series(first, dtype=pl.Date),
                                  last_seen=pl.Series(last, dtype=pl.Date))

    def days_ago(lo: int, hi: int, k: int) -> list[date]:
        return [DAY - timedelta(days=int(d)) for d in rng.integers(lo, hi + 1, k).tolist()]

    # the night's records seen before: most the night before, some after a gap
    seen_n = int(n * 0.9)
    seen = night.head(seen_n)
    gaps = [DAY - timedelta(days=1)] * (seen_n - 800) + days_ago(60, 150, 400) + \
        days_ago(210, 365, 400)
    seen = dated(seen, gaps).with_columns(canonical_id=pl.col("posting_id"))
    # reposts under new ids: a twin (another real posting's id) holding the night's key
    reposts = night.slice(seen_n, int(n * 0.05))
    k = reposts.height // 3
    twin = twins.head(reposts.height).select("posting_id", "source", "record_id")
    by_url = reposts.head(k).filter(pl.col("url_key").is_not_null())
    parts = [reposts.head(k), reposts.slice(k, k), reposts.slice(2 * k)]
    twin_rows = []
    for j, part in enumerate(parts):
        t = part.with_columns(**twin.slice(sum(p.height for p in parts[:j]), part.height)
                              .to_dict())
        if j == 0:  # same URL, other text
            t = t.with_columns(content_key=pl.lit("x") + pl.col("content_key"))
        elif j == 1:  # same text at the same place, no URL
            t = t.with_columns(url_key=pl.lit(None, dtype=pl.String))
        else:  # a near-duplicate: 5 of 64 signature values changed, within the window
            sig = np.frombuffer(b"".join(s or bytes(256) for s in t["signature"].to_list()),
                                "<u4").reshape(-1, 64).copy()
            sig[:, :5] ^= 0x5BD1E995
            t = t.with_columns(url_key=pl.lit(None, dtype=pl.String),
                               content_key=pl.lit("y") + pl.col("content_key"),
                               signature=pl.Series([r.tobytes() for r in sig], dtype=pl.Binary))
        last = days_ago(2, 170, t.height) if j == 2 else days_ago(30, 400, t.height)
        twin_rows.append(dated(t, last).with_columns(canonical_id=pl.col("posting_id")))
    embedded = pl.concat([seen, *twin_rows]).select(schema.names())
    print(f"night {n:,}: {seen_n:,} seen again, {reposts.height:,} reposts "
          f"({by_url.height:,} with a URL), {n - seen_n - reposts.height:,} new",
          file=sys.stderr)

    # the synthetic history: jobs of 1-3 records sharing a canonical id and a content key
    m = rows - embedded.height
    pids = _hex(rng, m)
    size = rng.choice([1, 2, 3], p=[0.7, 0.2, 0.1], size=m)
    head = np.zeros(m, dtype=np.int64)
    i = 0
    while i < m:  # each job's records are consecutive; the first is the canonical
        s = int(size[i])
        head[i:i + s] = i
        i += s
    pick = lambda col, k: keyed[col].gather(rng.integers(0, keyed.height, k))  # noqa: E731
    last = [DAY - timedelta(days=int(d)) for d in rng.integers(1, HISTORY_DAYS, m).tolist()]
    first = [d - timedelta(days=int(k)) for d, k in
             zip(last, rng.integers(0, 60, m).tolist(), strict=True)]
    history = pl.DataFrame({
        "posting_id": pids,
        "source": pick("source", m),
        "record_id": _hex(rng, m, "r"),
        "url_key": pl.Series([f"bench.example/{p}" for p in pids]).scatter(
            np.flatnonzero(rng.random(m) < 0.35), None),
        "content_key": _hex(rng, m),
        "title_key": pick("title_key", m), "employer_key": pick("employer_key", m),
        "location_key": pick("location_key", m),
    }).with_columns(canonical_id=pl.Series(pids).gather(head),
                    content_key=pl.col("content_key").gather(head),
                    first_seen=pl.Series(first, dtype=pl.Date),
                    last_seen=pl.Series(last, dtype=pl.Date), signature=_signatures(rng, m))
    del first, last
    history = history.with_columns(
        signature=pl.when(pl.col("last_seen") >= window).then("signature"))
    full = pl.concat([history.select(schema.names()), embedded]).sort("posting_id")
    del history

    from schemas.layout import DataLayout

    base = DAY - timedelta(days=1)
    old = DataLayout(work / "old")
    old.state_history.mkdir(parents=True, exist_ok=True)
    full.write_parquet(old.legacy_state_snapshot(base.isoformat()))
    shutil.copyfile(old.legacy_state_snapshot(base.isoformat()), old.seen_postings)
    # the same rows as segments: a first night after the upgrade writes them so
    new = DataLayout(work / "new")
    new.state_root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(old.seen_postings, new.seen_postings)
    t1 = time.perf_counter()
    snap = state_files.open_base(new.root, ("legacy", new.seen_postings))
    nothing = duplicates.DedupResult(members=pl.DataFrame(), links={},
                                     state=duplicates.empty_state(),
                                     before=duplicates.empty_state().with_columns(
                                         segment=pl.lit(None, dtype=pl.String)))
    state_files.write_candidate(new.root, base.isoformat(), ("legacy", new.seen_postings),
                                snap, nothing)
    state_files.promote(new.root, base.isoformat(), state_files.pending(new.root,
                                                                        base.isoformat()))
    migrate = time.perf_counter() - t1
    new.seen_postings.unlink()
    night.write_parquet(work / "night.parquet")
    info = {"rows": full.height, "night": n, "day": DAY.isoformat(),
            "months": full["last_seen"].dt.strftime("%Y-%m").n_unique(),
            "in_window": int((full["last_seen"] >= window).sum()),
            "old_state_mib": round(old.seen_postings.stat().st_size / 2**20, 1),
            "new_state_mib": round(sum(p.stat().st_size for p in
                                       new.state_segments.rglob("*.parquet")) / 2**20, 1),
            "migrate_seconds": round(migrate, 1), "seconds": round(time.perf_counter() - t0, 1)}
    (work / "prepared.json").write_text(json.dumps(info, indent=1))
    print(f"prepared {info}", file=sys.stderr)


# ---------------------------------------------------------------------------- one night

def _old_night(data_dir: Path, batch, day: date) -> dict:
    """The single-file design as on main (50fae40): normalise's state part and publish's."""
    import hashlib
    import io

    from schemas.files import atomic_write
    from schemas.layout import DataLayout
    from transform.postings import duplicates

    layout = DataLayout(data_dir)
    d = day.isoformat()
    snapshots = {p.name[5:15]: p for p in sorted(layout.state_history.glob("date=*.parquet"))}
    base = snapshots[max(x for x in snapshots if x < d)]
    seen = duplicates.read_state_file(base)
    found = duplicates.resolve(batch, seen, day)
    out = layout.normalised(d)
    buf = io.BytesIO()
    found.state.select(duplicates.STATE_SCHEMA.names()).sort("posting_id").write_parquet(buf)
    atomic_write(out / "postings_seen.parquet", buf.getvalue())
    digest = hashlib.sha256(base.read_bytes()).hexdigest()
    atomic_write(out / "postings_seen.base.json", json.dumps({"base_sha256": digest}).encode())
    # publish: check the base, promote
    assert hashlib.sha256(base.read_bytes()).hexdigest() == digest
    body = (out / "postings_seen.parquet").read_bytes()
    atomic_write(layout.legacy_state_snapshot(d), body)
    current = layout.seen_postings
    if current.exists():
        shutil.copyfile(current, layout.seen_postings_previous)
    atomic_write(current, body)
    return {"members": found.members, "rows_read": seen.height}


def _new_night(data_dir: Path, batch, day: date) -> dict:
    from transform.postings import state as state_files

    found, written = state_files.link_night(data_dir, day, batch, promote_it=True)
    return {"members": found.members, "rows_read": written["rows_read"],
            "rows_written": written["rows_written"]}


def child(design: str, run_dir: Path) -> None:
    import polars as pl

    from transform.postings import duplicates, state  # noqa: F401  (before the clock)

    batch = pl.read_parquet(run_dir.parent / "night.parquet")
    t, c = time.perf_counter(), time.process_time()
    if design == "import":
        out = {"members": pl.DataFrame(), "rows_read": 0}
    else:
        out = (_old_night if design == "old" else _new_night)(run_dir, batch, DAY)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    out.pop("members").write_parquet(run_dir / "members.parquet")
    status = Path("/proc/self/status").read_text()  # this process's own peak (after exec)
    peak = int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1])
    print(json.dumps({**out, "wall": wall, "cpu": cpu, "peak_mib": peak / 1024}))


def _inodes(folder: Path) -> dict[int, int]:
    return {p.stat().st_ino: p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def one_run(work: Path, design: str) -> dict:
    src = work / ("old" if design == "old" else "new")
    run_dir = work / f"run-{design}"
    shutil.rmtree(run_dir, ignore_errors=True)
    subprocess.run(["cp", "-al", str(src), str(run_dir)], check=True)
    pristine = _inodes(run_dir)
    load = os.getloadavg()[0]
    proc = subprocess.Popen([sys.executable, __file__, "--child", design, str(run_dir)],
                            stdout=subprocess.PIPE, text=True)
    _, status, _ = os.wait4(proc.pid, 0)
    assert proc.stdout is not None
    out = json.loads(proc.stdout.read().strip().splitlines()[-1])
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{design} night failed")
    written = sum(size for ino, size in _inodes(run_dir).items() if ino not in pristine)
    return {**out, "design": design, "written_mib": written / 2**20, "load": load,
            "run_dir": str(run_dir)}


def verify(work: Path) -> str:
    """The two designs' states after the night: the same rows (outside the window: exact
    keys only, as the next nights read them). In a child process (two whole states)."""
    from schemas.layout import DataLayout

    old_file = DataLayout(work / "run-old").seen_postings
    code = f"""
import sys; sys.path.insert(0, {str(ROOT)!r})
from datetime import date, timedelta
import polars as pl
from transform.postings import duplicates, state
day = date.fromisoformat({DAY.isoformat()!r})
old_w = day - timedelta(days=duplicates.REPOST_WINDOW_DAYS)
def masked(rows):
    return rows.select(duplicates.STATE_SCHEMA.names()).with_columns(
        pl.when(pl.col("last_seen") >= old_w).then(pl.col(c)).alias(c)
        for c in duplicates.NEAR_DUPLICATE_COLUMNS).sort("posting_id")
old = masked(duplicates.read_state_file({str(old_file)!r}))
new = masked(state.read({str(work / 'run-new')!r}))
print("same" if old.equals(new) else f"DIFFERENT: {{old.height}} vs {{new.height}} rows")
"""
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True).stdout.strip()


def bench(work: Path, runs: int) -> None:
    import polars as pl

    info = json.loads((work / "prepared.json").read_text())
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"history {info['rows']:,} state rows over {info['months']} months "
          f"({info['in_window']:,} within the window), night {info['night']:,} records, "
          f"{info['day']}; state on disk: single file {info['old_state_mib']} MiB, "
          f"segments {info['new_state_mib']} MiB (migrating the file to segments took "
          f"{info['migrate_seconds']} s)\nuptime before: {uptime}")
    results: dict[str, list[dict]] = {"import": [], "old": [], "new": []}
    for r in range(runs):
        for design in (("old", "new", "import") if r % 2 == 0 else ("new", "old", "import")):
            res = one_run(work, design)
            results[design].append(res)
            print(f"  run {r + 1} {design}: wall {res['wall']:.2f} s, cpu {res['cpu']:.2f} s, "
                  f"peak {res['peak_mib']:,.0f} MiB, written {res['written_mib']:.1f} MiB, "
                  f"load {res['load']:.2f}", file=sys.stderr)
        old = pl.read_parquet(Path(results["old"][-1]["run_dir"]) / "members.parquet")
        new = pl.read_parquet(Path(results["new"][-1]["run_dir"]) / "members.parquet")
        assert old.equals(new), "the two designs gave different canonical postings"
    same_state = verify(work)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

    def med(design: str, key: str) -> str:
        vals = [x[key] for x in results[design]]
        return f"{statistics.median(vals):,.2f} ({min(vals):,.2f}-{max(vals):,.2f})"

    print(f"uptime after: {uptime}\nthe night's canonical postings: identical in both designs "
          f"({old.height:,}); states after the night: {same_state}\n")
    print("| design | night wall s | night CPU s | peak RSS MiB | written MiB | rows read |")
    print("|---|---:|---:|---:|---:|---:|")
    for design, label in (("old", "single file (main)"), ("new", "segments (bounded)"),
                          ("import", "baseline: imports + night read")):
        rows_read = statistics.median(x["rows_read"] for x in results[design])
        print(f"| {label} | {med(design, 'wall')} | {med(design, 'cpu')} | "
              f"{med(design, 'peak_mib')} | {med(design, 'written_mib')} | {rows_read:,.0f} |")
    (work / f"result-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(
        json.dumps(results, indent=1, default=str))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--prepare-child":
        prepare(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workdir", nargs="?", default="/tmp/microcareer-bench-state", type=Path)
    ap.add_argument("--rows", type=int, default=2_850_000)
    ap.add_argument("--night", type=int, default=12_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--prepare", action="store_true", help="rebuild the history")
    args = ap.parse_args()
    work = args.workdir
    prepared = work / "prepared.json"
    if args.prepare or not prepared.exists() or (
            json.loads(prepared.read_text())["rows"] != args.rows):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        subprocess.run([sys.executable, __file__, "--prepare-child", str(work),
                        str(args.shared), str(args.rows), str(args.night)], check=True)
    bench(work, args.runs)


if __name__ == "__main__":
    main()
