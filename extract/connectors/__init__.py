"""Connectors by name. A configuration's `connector:` picks one of these."""

from __future__ import annotations

from extract.connectors.base import Connector, PayloadError
from extract.connectors.bulk import EMSCAD, JobPostingArchive, LinkedInCSV, USAJobsCSV
from extract.connectors.courses import (
    CourseraCSV,
    EdXCSV,
    EdXDiscovery,
    MITLearn,
    MITOCWExport,
    UdemyCSV,
)
from extract.connectors.job_boards import (
    Arbeitnow,
    Ashby,
    Greenhouse,
    Himalayas,
    Jobicy,
    Lever,
    RemoteOK,
    Remotive,
    USAJobs,
)
from extract.connectors.scrapers import CoursePages, JobPostingPages

CONNECTORS: dict[str, type[Connector]] = {
    c.name: c
    for c in (Ashby, Greenhouse, Lever, Remotive, RemoteOK, Jobicy, Himalayas, Arbeitnow,
              USAJobs, USAJobsCSV, JobPostingArchive, EMSCAD, LinkedInCSV,
              MITOCWExport, MITLearn, EdXDiscovery, EdXCSV, CourseraCSV, UdemyCSV,
              JobPostingPages,
              CoursePages)
}


def get_connector(name: str) -> Connector:
    """A new connector of `name`; ValueError naming it and the valid ones when unknown
    (`load_config` refuses such a configuration before)."""
    try:
        return CONNECTORS[name]()
    except (KeyError, TypeError):
        known = ", ".join(sorted(CONNECTORS))
        raise ValueError(f"unknown connector {name!r}; valid connectors: {known}") from None


__all__ = ["CONNECTORS", "Connector", "PayloadError", "get_connector"]
