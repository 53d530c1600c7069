"""Source configuration: which connectors run, with which parameters, for which sectors.

A configuration file is YAML::

    version: 1
    replay_dir: payloads          # optional: replay recorded payloads instead of fetching
    sources:
      - name: ashby
        connector: ashby
        partitions:               # one request (board, feed, file) each
          - {board: notion, sector: "51", replay: ashby/notion.json.gz}

``sector`` is the employer's NAICS 2022 sector for single-employer boards. ``replay`` is a
payload file under ``replay_dir``; without it the connector fetches its live URL. Any other key
of a source is an option of its HTTP `Policy` (extract/http.py: ``max_pages``, ``timeout``,
``rate_per_second``...).

`load_config` refuses, with the file and the valid names in the message, a top-level key other
than ``version``, ``replay_dir`` and ``sources``, a connector that is not in
`extract.connectors.CONNECTORS`, and a source option that `Policy` does not have (a misspelt
``max_page`` would otherwise be dropped silently).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import yaml

from extract.partition import Partition
from schemas.project import PROJECT_ROOT

SNAPSHOT_CONFIG = PROJECT_ROOT / "snapshot" / "sources.yaml"
CONFIG_ENV = "MICROCAREER_CONFIG"


class ConfigError(ValueError):
    """The source configuration file is missing, malformed or names an unknown connector."""


SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,200}")
SAFE_KEY = re.compile(r"[A-Za-z0-9_.%-]{1,200}")  # partition keys: URL-escaped board names too
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_name(value: str, what: str = "name", pattern: re.Pattern[str] = SAFE_NAME) -> str:
    """`value` if it can safely become one path component ([A-Za-z0-9_.-], not '.' or '..'),
    else ConfigError."""
    if not isinstance(value, str) or not pattern.fullmatch(value) or set(value) <= {"."}:
        raise ConfigError(f"{what} {value!r} is not allowed: use letters, digits, '_', '.' "
                          "and '-' only")
    return value


def check_date(value: str) -> str:
    """`value` if it is an ISO date YYYY-MM-DD, else ConfigError."""
    from datetime import date

    try:
        ok = isinstance(value, str) and bool(ISO_DATE.fullmatch(value))
        ok = ok and date.fromisoformat(value).isoformat() == value
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(f"date {value!r} is not an ISO date YYYY-MM-DD")
    return value


@dataclass(frozen=True)
class SourceConfig:
    name: str
    connector: str
    partitions: tuple[Partition, ...]
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    path: Path
    sources: tuple[SourceConfig, ...]

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        raise ConfigError(f"source {name!r} is not in {self.path}")

    @property
    def source_names(self) -> list[str]:
        return [s.name for s in self.sources]


def default_config_path() -> Path:
    """The configuration a run uses: $MICROCAREER_CONFIG, else the bundled snapshot."""
    return Path(os.environ.get(CONFIG_ENV) or SNAPSHOT_CONFIG)


TOP_KEYS = ("version", "replay_dir", "sources")
SOURCE_KEYS = ("name", "connector", "partitions")  # any other key is a Policy option


def unknown_names(what: str, given: Iterable[Any], valid: Iterable[str]) -> str | None:
    """A message naming the `given` names that are not `valid` (with a close match when
    there is one) and listing the valid ones; None when all are valid."""
    valid = sorted(valid)
    unknown = sorted((g for g in given if g not in valid), key=repr)
    if not unknown:
        return None
    named = []
    for name in unknown:
        close = get_close_matches(str(name), valid, n=1)
        named.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    plural = "s" if len(unknown) > 1 else ""
    return f"unknown {what}{plural} {', '.join(named)}; valid: {', '.join(valid)}"


def load_config(path: str | Path | None = None) -> Config:
    """Read and check a sources YAML file (default: see `default_config_path`); ConfigError
    (a ValueError) names the file and what is wrong."""
    # Imported here so that importing this module stays light (connectors bring requests,
    # BeautifulSoup and lxml); the check needs them only when a file is read.
    from extract.connectors import CONNECTORS
    from extract.http import Policy

    path = Path(path) if path else default_config_path()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read source configuration {path}: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'sources' list")
    problem = unknown_names("top-level key", doc, TOP_KEYS)
    if problem:
        raise ConfigError(f"{path}: {problem}")
    replay_dir = doc.get("replay_dir")
    base = (path.parent / replay_dir) if replay_dir else None
    sources = []
    seen: set[str] = set()
    for i, raw in enumerate(doc["sources"]):
        if not isinstance(raw, dict) or not raw.get("name") or not raw.get("connector"):
            raise ConfigError(f"{path}: source #{i + 1} needs 'name' and 'connector'")
        check_name(str(raw["name"]), f"{path}: source name")
        if raw["name"] in seen:
            raise ConfigError(f"{path}: source name {raw['name']!r} is used twice")
        seen.add(raw["name"])
        connector = raw["connector"]
        if not isinstance(connector, str) or connector not in CONNECTORS:
            raise ConfigError(f"{path}: source {raw['name']!r}: "
                              f"{unknown_names('connector', [connector], CONNECTORS)}")
        options = {k: v for k, v in raw.items() if k not in SOURCE_KEYS}
        try:
            Policy.from_options(options)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"{path}: source {raw['name']!r}: {exc}") from exc
        parts = raw.get("partitions") or [{}]
        partitions = tuple(_partition(p, base, path) for p in parts)
        keys = [p.key for p in partitions]
        if len(set(keys)) != len(keys):
            raise ConfigError(f"{path}: source {raw['name']!r} has partitions with the same key; "
                              "give each a distinct 'key'")
        sources.append(SourceConfig(raw["name"], connector, partitions, options))
    return Config(path=path, sources=tuple(sources))


def _partition(raw: dict[str, Any], base: Path | None, path: Path) -> Partition:
    params = dict(raw)
    sector = params.pop("sector", None)
    replay = params.pop("replay", None)
    if replay is not None:
        if base is None:
            raise ConfigError(f"{path}: 'replay' needs a top-level 'replay_dir'")
        replay = base / replay
    named = "-".join(str(v) for k, v in sorted(params.items()) if k != "url")
    key = str(params.get("key") or params.get("board") or named
              or (replay.name if replay else "default"))
    key = key.removesuffix(".gz")
    check_name(key, f"{path}: partition key", SAFE_KEY)
    return Partition(key=key, params=params, sector=str(sector) if sector else None, replay=replay)
