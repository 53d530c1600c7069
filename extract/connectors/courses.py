"""Course catalogues: MIT OpenCourseWare, MIT Learn, edX and Coursera."""

from __future__ import annotations

import ast
from typing import Any

from extract.connectors.base import CSVConnector, NextLinkConnector, text


class MITOCWExport(CSVConnector):
    """MIT OpenCourseWare metadata in the OER Commons bulk-import CSV layout."""

    name = "mit_ocw_csv"
    kind = "courses"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        url = (r.get("CR_URL") or "").replace("live-qa.ocw.mit.edu", "ocw.mit.edu")
        subjects = "|".join(x for x in (r.get("CR_SUBJECT"), r.get("CR_KEYWORDS")) if x)
        return {
            "record_id": url, "url": url, "title": r.get("CR_TITLE"),
            "provider": "MIT OpenCourseWare", "description": r.get("CR_ABSTRACT"),
            "subjects": subjects.replace("|", ", ") or None, "level": r.get("CR_PRIMARY_USER"),
            "language": r.get("CR_LANGUAGE"),
        }


class MITLearn(NextLinkConnector):
    """MIT Learn API v1 course objects, as a bare list or a paginated `results` envelope."""

    name = "mit_learn"
    kind = "courses"
    url_template = "https://api.learn.mit.edu/api/v1/courses/?offset={offset}"

    records_key = "results"
    bare_list_ok = True

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        topics = [t.get("name") for t in r.get("topics") or [] if isinstance(t, dict)]
        url = r.get("url") or (r.get("page") or {}).get("page_url")
        offered = r.get("offered_by")
        return {
            "record_id": str(r.get("readable_id") or r.get("id")), "url": url,
            "title": r.get("title"),
            "provider": offered.get("name") if isinstance(offered, dict) else "MIT",
            "description": r.get("description") or r.get("full_description"),
            "subjects": text(topics), "level": text(r.get("level")),
            "language": "en",
        }


class EdXCSV(CSVConnector):
    name = "edx_csv"
    kind = "courses"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        body = "\n\n".join(x for x in (r.get("summary"), r.get("course_description"),
                                       r.get("course_syllabus")) if x)
        return {
            "record_id": r["course_url"], "url": r["course_url"], "title": r.get("title"),
            "provider": r.get("institution"), "description": body, "subjects": r.get("subject"),
            "level": r.get("Level"), "language": r.get("language"),
        }


class CourseraCSV(CSVConnector):
    name = "coursera_csv"
    kind = "courses"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        skills = _py_list(r.get("course_skills"))
        body = "\n\n".join(x for x in (r.get("course_description"), "\n".join(skills)) if x)
        return {
            "record_id": r["course_url"], "url": r["course_url"], "title": r.get("course_title"),
            "provider": r.get("course_organization"), "description": body,
            "subjects": ", ".join(skills) or None, "level": r.get("course_difficulty"),
            "language": "English",
        }


def _py_list(value: str | None) -> list[str]:
    """Coursera's list columns are Python list literals stored as strings."""
    if not value:
        return []
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return []
    return sorted({str(v).strip() for v in parsed if str(v).strip()})


class EdXDiscovery(NextLinkConnector):
    """The edX course-discovery API shape (`/api/v1/courses/`), also used by MIT's Open
    Learning Library: `{next, results: [{key, title, full_description, owners, ...}]}`."""

    name = "edx_discovery"
    kind = "courses"
    url_template = "https://discovery.edx.org/api/v1/courses/?page={page}"
    records_key = "results"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        owners = [o.get("name") for o in r.get("owners") or [] if isinstance(o, dict)]
        subjects = [s.get("name") if isinstance(s, dict) else s for s in r.get("subjects") or []]
        learn = "\n".join(r.get("expected_learning_items") or [])
        body = "\n\n".join(x for x in (r.get("short_description"), r.get("full_description"),
                                       learn) if x)
        return {
            "record_id": r.get("key") or r.get("uuid"), "url": r.get("marketing_url"),
            "title": r.get("title"), "provider": ", ".join(o for o in owners if o) or None,
            "description": body, "subjects": text(subjects), "level": r.get("level_type"),
            "language": None,
        }
