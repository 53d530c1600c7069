"""One request of a configured source (a board, a feed or a recorded file): what a connector
is handed. Below the connectors and the configuration that builds it (extract/config.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Partition:
    """One request of a source: a board, a feed or a recorded file."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    sector: str | None = None
    replay: Path | None = None
