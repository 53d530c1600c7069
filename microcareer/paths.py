"""Where the project's shipped files live (defined in schemas.project, the lowest layer;
the taxonomy folder is owned by schemas.taxonomy.Taxonomy)."""

from __future__ import annotations

from schemas.project import PROJECT_ROOT

__all__ = ["PROJECT_ROOT"]
