"""Helpers for tests that run sources against a local HTTP server."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import yaml

FIXTURES = Path(__file__).parent / "fixtures"
FAST = {"rate_per_second": 1000, "retries": 1, "backoff": 0.01, "timeout": 5}


def fixture(name: str) -> bytes:
    data = (FIXTURES / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def fixture_json(name: str):
    return json.loads(fixture(name).decode("utf-8-sig"))


def write_sources(folder: Path, sources: list[dict]) -> Path:
    """A sources YAML; every source gets test-speed HTTP options unless it sets its own."""
    path = folder / "sources.yaml"
    doc = {"version": 1, "sources": [{**FAST, **s} for s in sources]}
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path
