"""The shipped taxonomy folder (``taxonomy/``, see its README.md), as one explicit input.

`Taxonomy(folder)` owns a taxonomy folder: one accessor per file the code reads, each table
read on first use and kept on the instance, and a memo (`built`) for what the stages build
from it (the role matcher, the skill ranker, the label tables...). A stage receives the
Taxonomy as an argument instead of reading files or module-level caches itself, so a worker
that builds one Taxonomy builds each matcher once, and a test can hand in a Taxonomy on
another folder. `Taxonomy.shipped()` is the project's own folder, one instance per process.

Frames are returned as read: callers must not modify them in place (Polars frames are
immutable unless a caller asks otherwise).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from schemas.project import PROJECT_ROOT

T = TypeVar("T")

SHIPPED = PROJECT_ROOT / "taxonomy"
MOVE_MODEL = "move_model.npz"  # built by `make move-model` (tools/move_model.py)
SKILL_RANKER = "skill_ranker.npz"  # built by `make ranker` (tools/build_ranker.py)

_shipped: Taxonomy | None = None
_shipped_lock = threading.Lock()



def median_pay() -> pl.Expr:
    """A role_facts row's median annual wage: the occupation's own (BLS OEWS), else that of
    the code OEWS publishes it under, with others (median_wage_group)."""
    return pl.coalesce("median_wage", "median_wage_group")

class Taxonomy:
    """One taxonomy folder: its tables (read once each) and what is built from them."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._frames: dict[str, pl.DataFrame] = {}
        self._built: dict[str, Any] = {}
        self._lock = threading.RLock()

    @classmethod
    def shipped(cls) -> Taxonomy:
        """The project's own taxonomy folder; the same instance for the whole process."""
        global _shipped
        with _shipped_lock:
            if _shipped is None:
                _shipped = cls(SHIPPED)
            return _shipped

    def __repr__(self) -> str:
        return f"Taxonomy({str(self.root)!r})"

    # A Taxonomy handed to another process (a spawned worker) arrives with empty memos: the
    # worker reads and builds what it needs once, for itself.
    def __getstate__(self) -> dict[str, Any]:
        return {"root": self.root}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["root"])  # type: ignore[misc]

    def path(self, name: str) -> Path:
        """A file of the folder, by its name (e.g. "onet_roles.parquet")."""
        return self.root / name

    def has(self, name: str) -> bool:
        """Whether the folder holds the file `name` (optional artefacts may be missing)."""
        return self.path(name).exists()

    def table(self, name: str) -> pl.DataFrame:
        """The table `name` (`<name>.parquet`), read on first use."""
        with self._lock:
            if name not in self._frames:
                self._frames[name] = pl.read_parquet(self.path(f"{name}.parquet"))
            return self._frames[name]

    def built(self, key: str, build: Callable[[Taxonomy], T]) -> T:
        """`build(self)`, once per instance and key: for objects built from the taxonomy (a
        matcher, the ranker, a label table), so each is built once per Taxonomy."""
        with self._lock:
            if key not in self._built:
                self._built[key] = build(self)
            return self._built[key]

    # --- O*NET ---------------------------------------------------------------------------
    def roles(self) -> pl.DataFrame:
        """onet_roles: role (O*NET-SOC 2019 code), title, ..."""
        return self.table("onet_roles")

    def titles(self) -> pl.DataFrame:
        """onet_titles: title, role, origin (occupation, reported, short, alternate)."""
        return self.table("onet_titles")

    def role_texts(self) -> pl.DataFrame:
        """onet_role_texts: role, text (description, tasks, detailed work activities)."""
        return self.table("onet_role_texts")

    def role_vectors(self) -> pl.DataFrame:
        """onet_role_vectors: role, element, importance (O*NET Skills and Knowledge)."""
        return self.table("onet_role_vectors")

    def role_facts(self) -> pl.DataFrame:
        """role_facts: job zone, education level, employment, median wage, ESCO occupations,
        experience_share."""
        return self.table("role_facts")

    def related_roles(self) -> pl.DataFrame:
        """onet_related: role, related_role, tier (O*NET Related Occupations)."""
        return self.table("onet_related")

    def role_tech_skills(self) -> pl.DataFrame:
        """role_tech_skills: role, skill_uri (ESCO skills named by O*NET Technology Skills)."""
        return self.table("role_tech_skills")

    # --- the role -> ESCO skill crosswalks -----------------------------------------------
    def role_skill_priors(self) -> pl.DataFrame:
        """role_skill_priors: the roles' own ESCO skills (Nesta crosswalk)."""
        return self.table("role_skill_priors")

    def role_isco_priors(self) -> pl.DataFrame:
        """role_isco_priors: ESCO skills of the roles' ISCO-08 groups."""
        return self.table("role_isco_priors")

    # --- ESCO ----------------------------------------------------------------------------
    def esco_skills(self) -> pl.DataFrame:
        """esco_skills: skill_uri, label, skill_type, reuse_level, language, ..."""
        return self.table("esco_skills")

    def esco_skill_labels(self) -> pl.DataFrame:
        """esco_skill_labels: skill_uri, label, kind (preferred, alt, hidden)."""
        return self.table("esco_skill_labels")

    def skill_broader(self) -> pl.DataFrame:
        """esco_skill_broader: skill_uri, broader_uri (ESCO's skill hierarchy)."""
        return self.table("esco_skill_broader")

    # --- US employment and sectors -------------------------------------------------------
    def bls_employment(self) -> pl.DataFrame:
        """bls_employment: soc_code, sector (NAICS 2022), employment (BLS OEWS)."""
        return self.table("bls_employment")

    def naics_sectors(self) -> pl.DataFrame:
        """naics_sectors: sector, title."""
        return self.table("naics_sectors")

    # --- model artefacts (numpy .npz, read by their own classes) -------------------------
    @property
    def move_model_path(self) -> Path:
        """The move-likelihood model (transform.marts.transfer.MoveModel); may be missing."""
        return self.path(MOVE_MODEL)

    @property
    def skill_ranker_path(self) -> Path:
        """The skill ranker's static embeddings (transform.linking.skill_ranker); may be
        missing."""
        return self.path(SKILL_RANKER)
