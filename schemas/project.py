"""Facts about the project itself, for every layer: its version and where its shipped files
live. The lowest module of the tree (imports nothing of the project)."""

from __future__ import annotations

from pathlib import Path

VERSION = "0.1.0"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
