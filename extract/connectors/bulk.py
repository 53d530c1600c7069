"""Bulk recorded datasets (CSV exports, archives of scraped pages) used by the snapshot."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from typing import Any

from extract.connectors.base import (
    Connector,
    CSVConnector,
    PayloadError,
    epoch_to_iso,
    load_json,
    number,
)


class USAJobsCSV(CSVConnector):
    """USAJOBS Search API results flattened to CSV (one file per search keyword, 2017)."""

    name = "usajobs_csv"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        text = "\n\n".join(x for x in (r.get("JobSummary"), r.get("QualificationSummary")) if x)
        return {
            "record_id": r["URI"], "url": r["URI"], "title": r.get("PositionTitle"),
            "company": r.get("OrganizationName"), "description": text,
            "location": r.get("PositionLocation"), "country": "US",
            "employment_type": r.get("OfferingType"), "posted_at": r.get("PositionStartDate"),
            "salary_min": number(r.get("MinPay")), "salary_max": number(r.get("MaxPay")),
            "salary_currency": "USD", "salary_period": r.get("PayType"),
            "organisation": r.get("DepartmentName"),
        }


class JobPostingArchive(Connector):
    """A tar of schema.org JobPosting JSON-LD documents, one per vacancy page (NHS Jobs)."""

    name = "jobposting_archive"

    def records(self, body: bytes) -> Iterator[dict[str, Any]]:
        try:
            with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as tar:
                members = sorted((m for m in tar.getmembers() if m.isfile()),
                                 key=lambda m: m.name)
                docs = [tar.extractfile(m).read() for m in members]  # type: ignore[union-attr]
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise PayloadError(f"archive is unreadable (truncated?): {exc}") from exc
        for raw in docs:
            doc = load_json(raw)
            if isinstance(doc, dict) and doc.get("@type") == "JobPosting":
                yield doc

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        address = ((r.get("jobLocation") or {}).get("address") or {})
        salary = r.get("baseSalary") or {}
        value = salary.get("value") or {}
        return {
            "record_id": r.get("url") or r.get("identifier"), "url": r.get("url"),
            "title": r.get("title"), "company": (r.get("hiringOrganization") or {}).get("name"),
            "description": r.get("description"), "location": address.get("addressLocality"),
            "country": address.get("addressCountry"), "employment_type": r.get("employmentType"),
            "posted_at": r.get("datePosted"), "salary_min": number(value.get("minValue")),
            "salary_max": number(value.get("maxValue")), "salary_currency": salary.get("currency"),
            "salary_period": value.get("unitText"), "industry_label": r.get("industry"),
        }


class EMSCAD(CSVConnector):
    """The Employment Scam Aegean Dataset (2012-14 job ads with a LinkedIn-style industry)."""

    name = "emscad_csv"

    def records(self, body: bytes) -> Iterator[dict[str, Any]]:
        # Ads labelled fraudulent are not real vacancies: they stay out of a skills dataset.
        yield from (r for r in super().records(body) if r.get("fraudulent") != "1")

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        text = "\n\n".join(x for x in (r.get("description"), r.get("requirements")) if x)
        return {
            "record_id": r["job_id"], "title": r.get("title"), "description": text,
            "remote": r.get("telecommuting") == "1", "employment_type": r.get("employment_type"),
            "industry_label": r.get("industry") or None,
        }


class LinkedInCSV(CSVConnector):
    """Rows of the LinkedIn Job Postings 2023-24 dataset (US, mixed employers)."""

    name = "linkedin_csv"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "record_id": r["job_id"], "url": r.get("job_posting_url"), "title": r.get("title"),
            "company": r.get("company_name") or None, "description": r.get("description"),
            "location": r.get("location"), "country": "US",
            "remote": r.get("remote_allowed") == "1.0" or None,
            "employment_type": r.get("formatted_work_type"),
            "posted_at": epoch_to_iso(r.get("listed_time") or None, millis=True),
            "salary_min": number(r.get("min_salary")), "salary_max": number(r.get("max_salary")),
            "salary_currency": r.get("currency") or None, "salary_period": r.get("pay_period"),
        }
