"""Where things are, for every test wherever it sits in tests/: the project folder, the
bundled snapshot and the recorded fixtures."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SNAPSHOT = ROOT / "snapshot"
FIXTURES = TESTS / "fixtures"
