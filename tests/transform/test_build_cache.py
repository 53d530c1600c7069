"""The build cache: an object built from the taxonomy is built once and loaded by the next
process, and built anew when the code, taxonomy or libraries (the fingerprint) change."""

from __future__ import annotations

import logging

import pytest

from schemas.taxonomy import Taxonomy
from transform import build_cache, night_cache

SHIPPED = Taxonomy.shipped()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(build_cache.CACHE_DIR_ENV, str(tmp_path))
    builds = []

    def build(taxonomy):
        builds.append(taxonomy)
        return {"built": len(builds)}

    return tmp_path, build, builds


def test_an_object_is_built_once_then_loaded(cache):
    folder, build, builds = cache
    first = build_cache.load_or_build("thing", SHIPPED, build)
    again = build_cache.load_or_build("thing", SHIPPED, build)

    assert first == again == {"built": 1} and len(builds) == 1
    assert [p.name for p in folder.iterdir()] == [
        f"thing-{night_cache.fingerprint(SHIPPED)}.pickle"]


def test_another_fingerprint_builds_anew_and_only_the_newest_are_kept(cache, monkeypatch):
    folder, build, builds = cache
    for n in range(build_cache.KEEP + 2):
        monkeypatch.setattr(night_cache, "fingerprint", lambda taxonomy, n=n: f"code{n}")
        assert build_cache.load_or_build("thing", SHIPPED, build) == {"built": n + 1}
    assert len(builds) == build_cache.KEEP + 2
    assert len(list(folder.glob("thing-*.pickle"))) == build_cache.KEEP
    assert (folder / f"thing-code{build_cache.KEEP + 1}.pickle").exists()


def test_a_damaged_file_is_built_again_and_replaced(cache, caplog):
    folder, build, builds = cache
    build_cache.load_or_build("thing", SHIPPED, build)
    [kept] = folder.iterdir()
    kept.write_bytes(b"not a pickle")

    with caplog.at_level(logging.WARNING):
        assert build_cache.load_or_build("thing", SHIPPED, build) == {"built": 2}
    assert "unreadable" in caplog.text
    assert build_cache.load_or_build("thing", SHIPPED, build) == {"built": 2}


def test_turned_off_it_builds_every_time_and_writes_nothing(cache, monkeypatch):
    folder, build, builds = cache
    monkeypatch.setenv(build_cache.CACHE_DIR_ENV, "off")
    build_cache.load_or_build("thing", SHIPPED, build)
    build_cache.load_or_build("thing", SHIPPED, build)
    assert len(builds) == 2 and not any(folder.iterdir())


def test_an_unwritable_folder_still_gives_the_object(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    monkeypatch.setenv(build_cache.CACHE_DIR_ENV, str(blocked / "cache"))
    assert build_cache.load_or_build("thing", SHIPPED, lambda taxonomy: [1, 2]) == [1, 2]
