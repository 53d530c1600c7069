"""Where the project's shipped files live (defined in schemas.project, the lowest layer)."""

from __future__ import annotations

from schemas.project import PROJECT_ROOT, TAXONOMY

__all__ = ["PROJECT_ROOT", "TAXONOMY"]
