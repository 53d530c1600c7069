"""Where the project's shipped files live."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TAXONOMY = PROJECT_ROOT / "taxonomy"
