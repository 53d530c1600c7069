"""The bounded dedupe state (issue 18): segments by month last seen, a manifest per night,
each night reading only the rows it can link to and writing only what it changes. Checked
against the single-file design (`resolve` over the whole state, as before): the same canonical
ids and dates every night, the same state; and the reliability guarantees: re-runs of an older
night, rollback, migration from an older version's file, StateConflict, retention."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from schemas.layout import DataLayout
from transform.postings import duplicates, state

START = date(2025, 1, 6)
KEYED = [c for c in duplicates.STATE_SCHEMA.names()
         if c not in ("canonical_id", "first_seen", "last_seen")]


def masked(rows: pl.DataFrame, day: date) -> pl.DataFrame:
    """A state as the next nights read it: outside the window, exact keys only."""
    old = pl.col("last_seen") < day - timedelta(days=duplicates.REPOST_WINDOW_DAYS)
    return (rows.select(duplicates.STATE_SCHEMA.names())
            .with_columns(pl.when(~old).then(pl.col(c)).alias(c)
                          for c in duplicates.NEAR_DUPLICATE_COLUMNS)
            .sort("posting_id"))


def night(data_dir: Path, day: date, batch: pl.DataFrame, promote: bool = True) -> pl.DataFrame:
    """One night of the bounded state, as normalise and publish run it: the night's members."""
    found, night.written = state.link_night(data_dir, day, batch, promote_it=promote)
    return found.members


class Generator:
    """Keyed nights (as duplicates.with_keys gives them) full of the cases linking meets:
    records seen again (some with edited keys), reposts under new ids sharing a URL, a content
    key (at compatible or other places) or a near-duplicate signature, records bridging two
    jobs, long gaps."""

    def __init__(self, seed: int, spread: int = 1) -> None:
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.records: dict[str, dict] = {}
        self.n = 0
        self.spread = spread  # key pools this many times larger: fewer links
        self.texts = [self.np.integers(0, 2**32, 64, dtype=np.uint32)
                      for _ in range(25 * spread)]

    def signature(self) -> bytes | None:
        r = self.rng.random()
        if r < 0.15:
            return None
        base = self.texts[self.rng.randrange(len(self.texts))].copy()
        edits = self.rng.choice([0, 0, 3, 6, 9, 20])  # >= 13 changed values: not >= 0.8
        for k in self.rng.sample(range(64), edits):
            base[k] = self.np.integers(0, 2**32, dtype=np.uint32)
        return base.astype("<u4").tobytes()

    def fresh(self) -> dict:
        self.n += 1
        rng = self.rng
        return {
            "posting_id": f"p{self.n:05d}", "source": rng.choice("ab"),
            "record_id": f"r{self.n}",
            "url_key": rng.choice([None, None, f"u{rng.randrange(40 * self.spread)}"]),
            "content_key": f"c{rng.randrange(60 * self.spread)}",
            "title_key": rng.choice(["nurse", "clerk", "analyst"]),
            "employer_key": rng.choice(["", "acme", "army"]),
            "location_key": rng.choice(["", "new york", "new york ny", "boston", "york"]),
            "signature": self.signature(),
        }

    def batch(self, size: int) -> pl.DataFrame:
        rows: dict[str, dict] = {}
        known = sorted(self.records)
        for _ in range(size):
            r = self.rng.random()
            if known and r < 0.45:  # seen again, sometimes edited
                row = dict(self.records[self.rng.choice(known)])
                if self.rng.random() < 0.3:
                    edit = self.fresh()
                    self.n -= 1
                    for key in self.rng.sample(["url_key", "content_key", "location_key",
                                                "signature", "title_key"], 2):
                        row[key] = edit[key]
            else:
                row = self.fresh()
            rows[row["posting_id"]] = row
        self.records.update(rows)
        return pl.DataFrame(list(rows.values()), schema={c: duplicates.STATE_SCHEMA[c]
                                                         for c in KEYED}).sort("posting_id")


def run_both(tmp_path: Path, seed: int, days: list[date], size: int = 40):
    """The same nights through the bounded state and the whole-state design; asserts the
    members and the state agree every night."""
    gen = Generator(seed)
    full = duplicates.empty_state()
    data_dir = tmp_path / f"data-{seed}"
    for day in days:
        batch = gen.batch(size)
        expected = duplicates.resolve(batch, full, day)
        full = expected.state
        members = night(data_dir, day, batch)
        assert members.equals(expected.members), (seed, day)
        assert masked(state.read(data_dir), day).equals(masked(full, day)), (seed, day)
    return data_dir, full


def test_nights_over_months_link_as_against_the_whole_state(tmp_path, monkeypatch):
    """Irregular nights over 14 months (gaps beyond the window, month ends), small segment
    limits so deleted lists, rewrites, merges and the window's compaction all happen."""
    monkeypatch.setattr(state, "MAX_SEGMENTS", 3)
    monkeypatch.setattr(state, "KEEP_SEGMENTS", 2)
    for seed in range(4):
        rng = random.Random(seed)
        days, day = [], START
        while day < START + timedelta(days=430):
            days.append(day)
            day += timedelta(days=rng.choice([1, 1, 2, 5, 13, 40]))
        data_dir, full = run_both(tmp_path, seed, days)
        manifest = json.loads(DataLayout(data_dir).state_manifest.read_text())
        months = {s["month"] for s in manifest["segments"]}
        assert len(months) >= 8, months
        assert any(s["deleted"] for s in manifest["segments"]) or seed  # deleted lists used
        cutoff = days[-1] - timedelta(days=duplicates.REPOST_WINDOW_DAYS)
        for s in manifest["segments"]:  # left the window: exact keys only
            if s["month"] < cutoff.strftime("%Y-%m"):
                assert s["exact_only"], s
                rows = pl.read_parquet(DataLayout(data_dir).state_segments / s["file"])
                assert rows["signature"].null_count() == rows.height


def _keyed(**rows: dict) -> pl.DataFrame:
    sig = np.arange(64, dtype="<u4")
    out = []
    for pid, r in rows.items():
        s = r.get("signature", "none")
        if isinstance(s, int):  # s values of the base signature changed
            v = sig.copy()
            v[:s] += 1000
            s = v.tobytes()
        out.append({"posting_id": pid, "source": "a", "record_id": pid, "url_key": None,
                    "content_key": None, "title_key": "nurse", "employer_key": "acme",
                    "location_key": "leeds", **r,
                    "signature": None if s == "none" else s})
    return pl.DataFrame(out, schema={c: duplicates.STATE_SCHEMA[c] for c in KEYED})


def _canonical(members: pl.DataFrame) -> dict[str, tuple]:
    return {r["posting_id"]: (r["canonical_id"], r["first_seen"].isoformat())
            for r in members.iter_rows(named=True)}


def test_reposts_across_months_keep_their_canonical_and_old_records_exact_keys_only(tmp_path):
    data_dir = tmp_path / "data"
    jan, feb = date(2026, 1, 10), date(2026, 2, 3)
    night(data_dir, jan, _keyed(a1={"url_key": "x.org/1", "content_key": "k1"},
                                b1={"content_key": "k2", "signature": 0}))
    night(data_dir, feb, _keyed(z9={"content_key": "other"}))
    # three months later: a repost under a new id by URL, and a near-duplicate (6 of 64
    # values changed) within the window
    apr = date(2026, 4, 20)
    got = _canonical(night(data_dir, apr, _keyed(a2={"url_key": "x.org/1", "content_key": "n"},
                                                 b2={"content_key": "k3", "signature": 6})))
    assert got == {"a2": ("a1", "2026-01-10"), "b2": ("b1", "2026-01-10")}
    # more than the window after b1/b2 were last seen: the same content (exact key) still
    # links, a near-duplicate no longer does
    late = apr + timedelta(days=duplicates.REPOST_WINDOW_DAYS + 20)
    got = _canonical(night(data_dir, late, _keyed(b3={"content_key": "k2"},
                                                  b4={"content_key": "k9", "signature": 6})))
    assert got == {"b3": ("b1", "2026-01-10"), "b4": ("b4", late.isoformat())}
    # the months it left are exact keys only: no signature, title or band keys stored
    layout = DataLayout(data_dir)
    manifest = json.loads(layout.state_manifest.read_text())
    old = [s for s in manifest["segments"] if s["month"] <= "2026-04"]
    assert old and all(s["exact_only"] for s in old)
    rows = pl.concat(pl.read_parquet(layout.state_segments / s["file"]) for s in old)
    assert set(rows["posting_id"]) >= {"a1", "a2", "b1", "b2", "z9"}
    for col in ("signature", "title_key", "lsh_0"):
        assert rows[col].null_count() == rows.height, col
    # within the window, the same near-duplicate links (the same state, a younger night)
    fresh = tmp_path / "fresh"
    night(fresh, apr, _keyed(b2={"content_key": "k3", "signature": 6}))
    got = _canonical(night(fresh, apr + timedelta(days=30),
                           _keyed(b5={"content_key": "k8", "signature": 3})))
    assert got == {"b5": ("b2", apr.isoformat())}


def test_a_record_leaving_its_group_lets_the_rest_link_as_against_the_whole_state(tmp_path):
    """h and j share a text at new york / unknown place, h2 the same text at boston: h-j are
    one job, h2 (linked to m by URL) another. When h is seen again with an edited text, j
    (unknown place) now links to h2: the jobs merge under m, the first seen. The night reads
    the group h left and the whole of m's job, though it shares no key with them."""
    data_dir = tmp_path / "data"
    nights = [date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 5)]
    batches = [
        _keyed(p0_m={"url_key": "x.org/7", "content_key": "km", "location_key": "boston"}),
        _keyed(p2_h2={"url_key": "x.org/7", "content_key": "k", "location_key": "boston"}),
        _keyed(p1_h={"content_key": "k", "location_key": "new york"},
               p3_j={"content_key": "k", "location_key": ""}),
        _keyed(p1_h={"content_key": "edited", "location_key": "new york"}),
    ]
    full = duplicates.empty_state()
    for day, batch in zip(nights, batches, strict=True):
        expected = duplicates.resolve(batch, full, day)
        full = expected.state
        assert night(data_dir, day, batch).equals(expected.members), day
    assert _canonical(expected.members) == {"p1_h": ("p0_m", "2026-01-05")}
    assert masked(state.read(data_dir), nights[-1]).equals(masked(full, nights[-1]))


def test_a_night_reads_and_writes_only_what_it_links_to(tmp_path):
    """Records seen again move to the night's month; months the night does not touch keep
    their segment files, shared by both nights' manifests; rows read are the night's links."""
    gen = Generator(7, spread=100)
    data_dir = tmp_path / "data"
    days = [START + timedelta(days=31 * k) for k in range(6)]
    for day in days:
        night(data_dir, day, gen.batch(400))
    layout = DataLayout(data_dir)
    before = json.loads(layout.state_manifest.read_text())
    known = state.read(data_dir).filter(pl.col("last_seen") == days[-1])
    repeat = pl.DataFrame(known.head(5).select(KEYED))  # the last night's, seen again
    day = days[-1] + timedelta(days=40)
    night(data_dir, day, repeat)
    after = json.loads(layout.state_manifest.read_text())
    assert night.written["rows_read"] < 60, night.written
    untouched = {s["file"] for s in before["segments"] if s["month"] < days[-1].strftime("%Y-%m")}
    assert untouched <= {s["file"] for s in after["segments"]}
    moved = state.read(data_dir).filter(pl.col("posting_id").is_in(repeat["posting_id"]
                                                                   .implode()))
    assert (moved["last_seen"] == day).all()
    assert state.read(data_dir).height == after["rows"] == before["rows"]


def test_re_running_an_older_night_is_unchanged_after_a_newer_one(tmp_path):
    gen = Generator(3)
    data_dir = tmp_path / "data"
    b1, b2, b3 = gen.batch(60), gen.batch(60), gen.batch(60)
    d1, d2, d3 = START, START + timedelta(days=40), START + timedelta(days=41)
    night(data_dir, d1, b1)
    first = night(data_dir, d2, b2)
    layout = DataLayout(data_dir)
    candidate = layout.state_candidate(d2.isoformat()).read_bytes()
    night(data_dir, d3, b3)
    current = layout.state_manifest.read_bytes()
    again = night(data_dir, d2, b2)  # a backfill of d2 after d3 published
    assert again.equals(first)
    assert layout.state_candidate(d2.isoformat()).read_bytes() == candidate
    assert layout.state_manifest.read_bytes() == current  # d3's state stays current


def test_rollback_points_current_at_the_night_before(tmp_path):
    gen = Generator(5)
    data_dir = tmp_path / "data"
    layout = DataLayout(data_dir)
    days = [START + timedelta(days=k) for k in range(3)]
    batches = [gen.batch(50) for _ in days]
    members = [night(data_dir, d, b) for d, b in zip(days, batches, strict=True)]
    second = layout.state_snapshot(days[1].isoformat()).read_bytes()
    rows_second = state.read(data_dir, days[1].isoformat())
    assert state.rollback(data_dir) == days[2].isoformat()
    assert layout.state_manifest.read_bytes() == second
    assert state.read(data_dir).equals(rows_second)
    assert state.base_for(data_dir, "2099-01-01")[0] == days[1].isoformat()
    assert (layout.state_rolled_back / f"date={days[2]}.json").exists()
    # the night runs again on the state it had, and gives the same canonical postings
    assert night(data_dir, days[2], batches[2]).equals(members[2])
    state.rollback(data_dir)
    state.rollback(data_dir)
    assert state.read(data_dir).equals(state.read(data_dir, days[0].isoformat()))
    state.rollback(data_dir)
    assert not layout.state_manifest.exists() and state.read(data_dir).is_empty()


def test_migration_from_an_older_versions_single_file(tmp_path):
    """A data folder of the single-file design (current file and per-night whole copies):
    the first night reads it, writes it all as segments, links as the old design would."""
    gen = Generator(11)
    data_dir = tmp_path / "data"
    layout = DataLayout(data_dir)
    full = duplicates.empty_state()
    day = START
    for k in range(4):
        day = START + timedelta(days=30 * k)
        full = duplicates.resolve(gen.batch(80), full, day).state
        layout.state_history.mkdir(parents=True, exist_ok=True)
        full.sort("posting_id").write_parquet(layout.legacy_state_snapshot(day.isoformat()))
    full.sort("posting_id").write_parquet(layout.seen_postings)
    nxt = day + timedelta(days=3)
    batch = gen.batch(80)
    expected = duplicates.resolve(batch, full, nxt)
    assert state.base_for(data_dir, nxt.isoformat())[1].suffix == ".parquet"
    assert night(data_dir, nxt, batch).equals(expected.members)
    assert masked(state.read(data_dir), nxt).equals(masked(expected.state, nxt))
    assert state.base_for(data_dir, "2099-01-01")[1].suffix == ".json"
    # a folder with the current file only (no history) migrates too
    bare = tmp_path / "bare"
    DataLayout(bare).state_root.mkdir(parents=True)
    full.sort("posting_id").write_parquet(DataLayout(bare).seen_postings)
    assert state.base_for(bare, nxt.isoformat())[0] == "legacy"
    assert night(bare, nxt, batch).equals(expected.members)


def test_state_conflict_when_another_run_promoted_in_between(tmp_path):
    gen = Generator(13)
    data_dir = tmp_path / "data"
    d0, d1, d2 = START, START + timedelta(days=1), START + timedelta(days=2)
    night(data_dir, d0, gen.batch(30))
    night(data_dir, d2, gen.batch(30), promote=False)  # normalised, not yet published
    night(data_dir, d1, gen.batch(30))  # another run publishes the night before it
    candidate = state.pending(data_dir, d2.isoformat())
    with pytest.raises(state.StateConflict, match="re-run this date"):
        state.check_base(data_dir, d2.isoformat(), candidate)
    # re-run, it builds on d1 and publishes; d1's records are in its state
    night(data_dir, d2, gen.batch(30))
    ids = set(state.read(data_dir, d1.isoformat())["posting_id"])
    assert ids <= set(state.read(data_dir)["posting_id"])


def test_promote_crashed_at_any_step_leaves_a_whole_state(tmp_path, monkeypatch):
    import os

    gen = Generator(17)
    data_dir = tmp_path / "data"
    layout = DataLayout(data_dir)
    night(data_dir, START, gen.batch(40))
    before = state.read(data_dir)
    day = START + timedelta(days=1)
    night(data_dir, day, gen.batch(40), promote=False)
    candidate = state.pending(data_dir, day.isoformat())
    real = os.replace
    step = {"n": 0, "at": 0}

    def crashing(*args):
        step["n"] += 1
        if step["n"] == step["at"]:
            raise OSError("crash")
        return real(*args)

    monkeypatch.setattr(os, "replace", crashing)
    for at in range(1, 50):
        step.update(n=0, at=at)
        try:
            state.promote(data_dir, day.isoformat(), candidate)
        except OSError:
            current = state.read(data_dir)  # always a whole state: the old or the new one
            assert current.equals(before) or current.height > before.height
            continue
        break
    assert at > 2
    assert state.read(data_dir).filter(pl.col("last_seen") == day).height > 0
    assert json.loads(layout.state_manifest.read_text())["date"] == day.isoformat()


def test_retention_prunes_old_nights_and_their_segments(tmp_path, monkeypatch):
    monkeypatch.setattr(state, "KEEP_SNAPSHOTS", 3)
    gen = Generator(19)
    data_dir = tmp_path / "data"
    layout = DataLayout(data_dir)
    days = [START + timedelta(days=10 * k) for k in range(6)]
    batches = [gen.batch(50) for _ in days]
    members = [night(data_dir, d, b) for d, b in zip(days, batches, strict=True)]
    assert list(state.history(data_dir)) == [d.isoformat() for d in days[-3:]]
    listed = set()
    for path in [*state.history(data_dir).values(), *layout.state_candidates().values()]:
        listed |= {n for s in json.loads(path.read_text())["segments"]
                   for n in (s["file"], s["deleted"]) if n}
    on_disk = {p.relative_to(layout.state_segments).as_posix()
               for p in layout.state_segments.rglob("*.parquet")}
    assert on_disk <= listed  # nothing kept that no kept night lists
    # a kept night re-runs as it ran; one whose base was pruned says so
    assert night(data_dir, days[4], batches[4], promote=False).equals(members[4])
    with pytest.raises(state.StatePruned):
        state.base_for(data_dir, days[2].isoformat())
    assert state.base_for(data_dir, (START - timedelta(days=1)).isoformat()) == (None, None)
