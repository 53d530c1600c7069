"""Atomic publish (issue 16): a publish crashed at any step leaves readers one whole release,
the old one intact; published files are 0644; the object-store copy has the same order."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat

import fsspec
import polars as pl
import pytest

from schemas.tables import PUBLISHED
from transform.marts import publish


class Crash(Exception):
    pass


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _second_release(data_dir):
    """releases/run2: test_run_1's tables with one posting fewer (so its hashes differ)."""
    releases = data_dir / "dataset" / "releases"
    new = releases / "run2"
    shutil.copytree(releases / "test_run_1", new)
    (new / "manifest.json").unlink()
    postings = pl.read_parquet(new / "postings.parquet")
    postings.head(postings.height - 1).write_parquet(new / "postings.parquet")
    return new


def _reader_view(data_dir):
    """What a reader sees: the tables the manifest names (checked against its hashes), and
    which release the plain dataset/<table>.parquet paths all come from."""
    dataset = data_dir / "dataset"
    pointer = json.loads((dataset / "manifest.json").read_text())
    for name, t in pointer["tables"].items():
        assert _sha(dataset / t["path"]) == t["sha256"], (name, t["path"])
    plain = {t.name: _sha(dataset / f"{t.name}.parquet") for t in PUBLISHED}
    origins = set()
    for release in (dataset / "releases").iterdir():
        own = release / "manifest.json"
        if own.exists():
            tables = json.loads(own.read_text())["tables"]
            if all(tables[n]["sha256"] == h for n, h in plain.items()):
                origins.add(release.name)
    assert origins, "dataset/*.parquet mix two releases"
    return pointer["run_id"], origins


@pytest.fixture
def published(small_run, tmp_path):
    source, _ = small_run
    data_dir = tmp_path / "data"
    shutil.copytree(source, data_dir, symlinks=True)
    return data_dir


def test_publish_crashed_at_every_step_leaves_one_whole_release(published, monkeypatch):
    data_dir = published
    old_release = data_dir / "dataset" / "releases" / "test_run_1"
    old_files = {p.name: _sha(p) for p in old_release.glob("*.parquet")}
    new = _second_release(data_dir)
    real_replace, real_copy = os.replace, shutil.copyfile
    step = {"n": 0, "crash_at": 0}

    def counted(real):
        def wrapper(*args, **kwargs):
            step["n"] += 1
            if step["n"] == step["crash_at"]:
                raise Crash(f"crash at step {step['n']}")
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(os, "replace", counted(real_replace))
    monkeypatch.setattr(shutil, "copyfile", counted(real_copy))
    crashes = 0
    for crash_at in range(1, 200):
        step.update(n=0, crash_at=crash_at)
        try:
            publish.run(data_dir=data_dir, run_id="run2", date="2026-11-01", release_dir=new)
        except Crash:
            crashes += 1
            run_id, origins = _reader_view(data_dir)
            assert run_id in ("test_run_1", "run2") and len(origins) == 1
            assert {p.name: _sha(p) for p in old_release.glob("*.parquet")} == old_files
            # undo a completed switch so the next step is crashed from the old release
            if run_id == "run2":
                publish.run(data_dir=data_dir, run_id="test_run_1", date="2026-11-01",
                            release_dir=old_release)
            continue
        break
    assert crashes >= 3  # before and after the pointer, the current link and the state
    assert _reader_view(data_dir) == ("run2", {"run2"})


def test_published_files_are_readable_by_others(published):
    dataset = published / "dataset"
    for path in [dataset / "manifest.json", *(dataset / "releases").rglob("*.parquet"),
                 *(dataset / "releases").rglob("manifest.json")]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044, path


def test_the_object_store_copy_names_one_release_whatever_step_fails(published, tmp_path,
                                                                     monkeypatch):
    url = f"memory://atomic-{tmp_path.name}/microcareer"
    new = _second_release(published)
    publish.run(data_dir=published, run_id="test_run_1", date="2026-11-01",
                release_dir=published / "dataset" / "releases" / "test_run_1", dataset_url=url)
    fs, root = fsspec.core.url_to_fs(url)
    real_put = type(fs).put_file
    calls = {"n": 0, "crash_at": 0}

    def put_file(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == calls["crash_at"]:
            raise Crash("upload interrupted")
        return real_put(self, *args, **kwargs)

    monkeypatch.setattr(type(fs), "put_file", put_file)
    for crash_at in range(1, 40):
        calls.update(n=0, crash_at=crash_at)
        try:
            publish.run(data_dir=published, run_id="run2", date="2026-11-01", release_dir=new,
                        dataset_url=url)
        except Crash:
            remote = json.loads(fs.cat_file(f"{root}/manifest.json"))
            assert remote["run_id"] == "test_run_1"
            for t in remote["tables"].values():
                blob = fs.cat_file(f"{root}/{t['path']}")
                assert hashlib.sha256(blob).hexdigest() == t["sha256"]
            continue
        break
    remote = json.loads(fs.cat_file(f"{root}/manifest.json"))
    assert remote["run_id"] == "run2" and crash_at > len(PUBLISHED)
    for t in remote["tables"].values():
        assert hashlib.sha256(fs.cat_file(f"{root}/{t['path']}")).hexdigest() == t["sha256"]
