"""Employer boards and job feeds with public JSON APIs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from extract.connectors.base import JSONConnector, epoch_to_iso, expect, load_json, number, text
from extract.http import FetchError
from extract.paginators import NextLinkPaginator, OffsetPaginator, PageNumberPaginator
from extract.partition import Partition


def ashby_salary(r: dict[str, Any]) -> dict[str, Any]:
    """The salary component of an Ashby posting's compensation summary (interval '1 YEAR',
    '1 HOUR', ...), when the employer shows one."""
    comps = (r.get("compensation") or {}).get("summaryComponents") or []
    pay = next((c for c in comps if c.get("compensationType") == "Salary"
                and (c.get("minValue") or c.get("maxValue"))), None)
    if pay is None:
        return {}
    return {"salary_min": number(pay.get("minValue")), "salary_max": number(pay.get("maxValue")),
            "salary_currency": pay.get("currencyCode"),
            "salary_period": str(pay.get("interval") or "").removeprefix("1 ") or None}


class Ashby(JSONConnector):
    name = "ashby"
    url_template = "https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        address = ((r.get("address") or {}).get("postalAddress") or {})
        return {
            "record_id": r["id"], "url": r.get("jobUrl"), "title": r.get("title"),
            "company": None, "description": r.get("descriptionHtml") or r.get("descriptionPlain"),
            "location": r.get("location"), "country": address.get("addressCountry"),
            "remote": r.get("isRemote"), "employment_type": r.get("employmentType"),
            "posted_at": r.get("publishedAt"), **ashby_salary(r),
        }


class Greenhouse(JSONConnector):
    name = "greenhouse"
    url_template = "https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "record_id": str(r["id"]), "url": r.get("absolute_url"), "title": r.get("title"),
            "company": r.get("company_name"), "description": r.get("content"),
            "location": (r.get("location") or {}).get("name"),
            "posted_at": r.get("first_published") or r.get("updated_at"),
        }


class Lever(JSONConnector):
    name = "lever"
    url_template = "https://api.lever.co/v0/postings/{board}?mode=json"

    records_key = None

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        cats = r.get("categories") or {}
        return {
            "record_id": r["id"], "url": r.get("hostedUrl"), "title": r.get("text"),
            "description": r.get("description") or r.get("descriptionPlain"),
            "location": cats.get("location"), "country": r.get("country"),
            "remote": r.get("workplaceType") == "remote" if r.get("workplaceType") else None,
            "employment_type": cats.get("commitment"),
            "posted_at": epoch_to_iso(r.get("createdAt"), millis=True),
        }


class Remotive(JSONConnector):
    """Remotive's public API. Terms: credit and link to Remotive; at most a few requests a day."""

    name = "remotive"
    url_template = "https://remotive.com/api/remote-jobs"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "record_id": str(r["id"]), "url": r.get("url"), "title": r.get("title"),
            "company": r.get("company_name"), "description": r.get("description"),
            "location": r.get("candidate_required_location"), "remote": True,
            "employment_type": r.get("job_type"), "posted_at": r.get("publication_date"),
        }


class RemoteOK(JSONConnector):
    """Remote OK's API. Terms: link back and name Remote OK as the source."""

    name = "remoteok"
    url_template = "https://remoteok.com/api"

    records_key = None

    def records(self, body: bytes) -> Iterator[dict[str, Any]]:
        # The first element is Remote OK's legal notice, not a job.
        yield from (r for r in super().records(body) if isinstance(r, dict) and r.get("id"))

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "record_id": str(r["id"]), "url": r.get("url"), "title": r.get("position"),
            "company": r.get("company"), "description": r.get("description"),
            "location": r.get("location"), "remote": True, "posted_at": r.get("date"),
            "salary_min": number(r.get("salary_min")), "salary_max": number(r.get("salary_max")),
            "salary_currency": "USD" if number(r.get("salary_min")) else None,
            "salary_period": "year" if number(r.get("salary_min")) else None,
        }


class Jobicy(JSONConnector):
    name = "jobicy"
    url_template = "https://jobicy.com/api/v2/remote-jobs?count=100"

    bare_list_ok = True

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "record_id": str(r["id"]), "url": r.get("url"), "title": r.get("jobTitle"),
            "company": r.get("companyName"), "description": r.get("jobDescription"),
            "location": r.get("jobGeo"), "remote": True,
            "employment_type": text(r.get("jobType")), "posted_at": r.get("pubDate"),
            "salary_min": number(r.get("salaryMin")), "salary_max": number(r.get("salaryMax")),
            "salary_currency": r.get("salaryCurrency"), "salary_period": r.get("salaryPeriod"),
            "industry_label": text(r.get("jobIndustry")),
        }


class Himalayas(JSONConnector):
    name = "himalayas"
    url_template = "https://himalayas.app/jobs/api?limit=20&offset={offset}"
    paginator = OffsetPaginator(records=("jobs",), total=("totalCount",))

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "record_id": r.get("guid") or r.get("applicationLink"), "url": r.get("applicationLink"),
            "title": r.get("title"), "company": r.get("companySlug"),
            "description": r.get("description"), "location": text(r.get("locationRestrictions")),
            "remote": True, "employment_type": r.get("employmentType"),
            "posted_at": epoch_to_iso(r.get("pubDate")),
            "salary_min": number(r.get("minSalary")), "salary_max": number(r.get("maxSalary")),
            "salary_currency": r.get("currency"), "salary_period": r.get("salaryPeriod"),
        }


class Arbeitnow(JSONConnector):
    name = "arbeitnow"
    url_template = "https://www.arbeitnow.com/api/job-board-api?page={page}"

    paginator = NextLinkPaginator(path=("links", "next"))

    records_key = "data"
    bare_list_ok = True

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "record_id": r["slug"], "url": r.get("url"), "title": r.get("title"),
            "company": r.get("company_name"), "description": r.get("description"),
            "location": r.get("location"), "remote": r.get("remote"),
            "employment_type": text(r.get("job_types")),
            "posted_at": epoch_to_iso(r.get("created_at")),
        }


class USAJobs(JSONConnector):
    """USAJOBS Search API; live requests need a key (USAJOBS_API_KEY) and the caller's email."""

    name = "usajobs"
    url_template = "https://data.usajobs.gov/api/search?Keyword={keyword}&ResultsPerPage=500"
    paginator = PageNumberPaginator(param="Page",
                                    total_pages=("SearchResult", "UserArea", "NumberOfPages"))

    def headers(self, partition: Partition) -> dict[str, str]:
        key, email = os.environ.get("USAJOBS_API_KEY"), os.environ.get("USAJOBS_EMAIL")
        if not key or not email:
            raise FetchError("usajobs: set USAJOBS_API_KEY and USAJOBS_EMAIL to fetch live "
                             "(free key: developer.usajobs.gov); source skipped")
        # No fixed Host header: it would follow a redirect to another host.
        return {"Authorization-Key": key, "User-Agent": email}

    def records(self, body: bytes) -> Iterator[dict[str, Any]]:
        result = expect(load_json(body), "SearchResult", dict)
        for item in expect(result, "SearchResultItems", list):
            yield expect(item, "MatchedObjectDescriptor", dict)

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        details = (r.get("UserArea") or {}).get("Details") or {}
        pay = (r.get("PositionRemuneration") or [{}])[0]
        body = [details.get("JobSummary"), r.get("QualificationSummary"),
                *(details.get("MajorDuties") or [])]
        return {
            "record_id": r.get("PositionURI") or r["PositionID"], "url": r.get("PositionURI"),
            "title": r.get("PositionTitle"), "company": r.get("OrganizationName"),
            "description": "\n\n".join(b for b in body if b),
            "location": r.get("PositionLocationDisplay"), "country": "US",
            "employment_type": text([s.get("Name") for s in r.get("PositionSchedule") or []]),
            "posted_at": r.get("PublicationStartDate"),
            "salary_min": number(pay.get("MinimumRange")),
            "salary_max": number(pay.get("MaximumRange")),
            "salary_currency": "USD", "salary_period": pay.get("RateIntervalCode"),
            "organisation": r.get("DepartmentName"),
        }
