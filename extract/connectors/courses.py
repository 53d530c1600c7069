"""Course catalogues: MIT OpenCourseWare, MIT Learn, edX, Coursera and Udemy.

Each maps what its source publishes about length, workload, cost and the skills or topics a
course states into the staged columns as published; transform/fields/courses.py normalises them."""

from __future__ import annotations

import ast
from typing import Any

from extract.connectors.base import CSVConnector, JSONConnector, number, text
from extract.paginators import NextLinkPaginator


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
            # OpenCourseWare publishes every course free of charge (CC BY-NC-SA).
            "is_free": True, "skills": [x for x in subjects.split("|") if x.strip()],
        }


class MITLearn(JSONConnector):
    """MIT Learn API v1 course objects, as a bare list or a paginated `results` envelope."""

    name = "mit_learn"
    kind = "courses"
    url_template = "https://api.learn.mit.edu/api/v1/courses/?offset={offset}"
    paginator = NextLinkPaginator()

    records_key = "results"
    bare_list_ok = True

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        topics = [t.get("name") for t in r.get("topics") or [] if isinstance(t, dict)]
        page = r.get("page") if isinstance(r.get("page"), dict) else {}
        url = r.get("url") or page.get("page_url")
        offered = r.get("offered_by")
        # MIT Learn v1 gives the level per run ([{code, name}]); MITx Online gives none.
        run_levels = sorted({lv.get("name") for run in r.get("runs") or []
                             for lv in run.get("level") or [] if isinstance(lv, dict)} - {None})
        is_free, cost = _mit_cost(r)
        return {
            "record_id": str(r.get("readable_id") or r.get("id")), "url": url,
            "title": r.get("title"),
            "provider": offered.get("name") if isinstance(offered, dict) else "MIT",
            "description": r.get("description") or r.get("full_description"),
            "subjects": text(topics), "level": text(r.get("level")) or text(run_levels),
            "language": "en",
            "duration": text(r.get("duration") or page.get("length")),
            "effort": text(r.get("time_commitment") or page.get("effort")),
            "cost": cost, "is_free": is_free, "skills": topics,
        }


def _mit_cost(r: dict[str, Any]) -> tuple[bool | None, str | None]:
    """(is_free, price as published) of an MIT Learn or MITx Online course: MIT Learn's own
    `free` flag; OpenCourseWare is free; a MITx Online run with an audit enrollment mode is
    free, one with only paid modes costs its product's price (the newest run's)."""
    if isinstance(r.get("free"), bool):
        return r["free"], None
    codes = {(r.get(k) or {}).get("code") for k in ("offered_by", "platform")
             if isinstance(r.get(k), dict)}
    if "ocw" in codes:
        return True, None
    runs = sorted((x for x in r.get("courseruns") or [] if isinstance(x, dict)),
                  key=lambda x: x.get("start_date") or "", reverse=True)
    modes = {m.get("mode_slug") for x in runs for m in x.get("enrollment_modes") or []
             if isinstance(m, dict)}
    if "audit" in modes:
        return True, None
    prices = [p.get("price") for x in runs for p in x.get("products") or []
              if isinstance(p, dict) and p.get("price") not in (None, "")]
    return (False, str(prices[0])) if prices and modes else (None, None)


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
            "duration": r.get("course_length"), "effort": r.get("course_effort"),
            "cost": r.get("price"), "skills": [r.get("subject")],
        }


class CourseraCSV(CSVConnector):
    name = "coursera_csv"
    kind = "courses"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        skills = _py_list(r.get("course_skills"))
        body = r.get("course_description")  # the skills go to `skills`, not the description
        return {
            "record_id": r["course_url"], "url": r["course_url"], "title": r.get("course_title"),
            "provider": r.get("course_organization"), "description": body,
            "subjects": ", ".join(skills) or None, "level": r.get("course_difficulty"),
            "language": "English", "duration": r.get("course_time"), "skills": skills,
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


class EdXDiscovery(JSONConnector):
    """The edX course-discovery API shape (`/api/v1/courses/`), also used by MIT's Open
    Learning Library: `{next, results: [{key, title, full_description, owners, ...}]}`."""

    name = "edx_discovery"
    kind = "courses"
    url_template = "https://discovery.edx.org/api/v1/courses/?page={page}"
    paginator = NextLinkPaginator()
    records_key = "results"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        owners = [o.get("name") for o in r.get("owners") or [] if isinstance(o, dict)]
        subjects = [s.get("name") if isinstance(s, dict) else s for s in r.get("subjects") or []]
        learn = "\n".join(r.get("expected_learning_items") or [])
        body = "\n\n".join(x for x in (r.get("short_description"), r.get("full_description"),
                                       learn) if x)
        runs = [x for x in r.get("course_runs") or [] if isinstance(x, dict)]
        run = next((x for x in runs if x.get("key") == r.get("canonical_course_run_key")),
                   runs[0] if runs else {})
        weeks, low, high = (run.get(k) for k in ("weeks_to_complete", "min_effort",
                                                 "max_effort"))
        effort = "–".join(str(x) for x in (low, high) if x) if low or high else None
        seats = [x for x in run.get("seats") or [] if isinstance(x, dict)]
        free = any(x.get("type") == "audit" for x in seats) if seats else None
        paid = sorted(seats, key=lambda x: float(x.get("price") or 0))
        skills = [*(r.get("skill_names") or []), *(s for s in subjects if s)]
        return {
            "record_id": r.get("key") or r.get("uuid"), "url": r.get("marketing_url"),
            "title": r.get("title"), "provider": ", ".join(o for o in owners if o) or None,
            "description": body, "subjects": text(subjects), "level": r.get("level_type"),
            "language": run.get("content_language") or run.get("language"),
            "duration": f"{weeks} weeks" if weeks else None,
            "effort": f"{effort} hours per week" if effort else None,
            "cost": None if free or not paid else paid[0].get("price"),
            "currency": paid[0].get("currency") if paid else None,
            "is_free": free, "skills": skills,
        }


class UdemyCSV(CSVConnector):
    """The Udemy course list (Kaggle "Udemy Courses", 2017): no description; price without
    a currency; `content_duration` in hours of video."""

    name = "udemy_csv"
    kind = "courses"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        hours = number(r.get("content_duration"))
        paid = (r.get("is_paid") or "").strip().lower()
        return {
            "record_id": r.get("course_id"), "url": r.get("url"), "title": r.get("course_title"),
            "provider": "Udemy", "subjects": r.get("subject"), "level": r.get("level"),
            "duration": f"{hours:g} hours" if hours else None,
            "cost": r.get("price"), "is_free": {"true": False, "false": True}.get(paid),
            "skills": [r.get("subject")],
        }
