"""Generic scrapers for sites that publish schema.org JSON-LD: a listing page links to pages
that each carry a `JobPosting` (or a `Course`). robots.txt and its Crawl-delay are obeyed."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from extract.connectors.base import (
    Connector,
    Failure,
    Payload,
    PayloadError,
    load_json,
    text,
)
from extract.connectors.bulk import JobPostingArchive
from extract.partition import Partition

if TYPE_CHECKING:
    from extract.http import Client


def json_ld(html: bytes) -> list[dict[str, Any]]:
    """Every JSON-LD object of an HTML page (lists and @graph flattened; bad blocks skipped)."""
    soup = BeautifulSoup(html, "lxml")
    out: list[dict[str, Any]] = []
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            doc = load_json(script.string or script.get_text() or "")
        except PayloadError:
            continue  # bad, too deep or out-of-range JSON-LD: skipped like a broken block
        stack = doc if isinstance(doc, list) else [doc]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                out.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(g for g in graph if isinstance(g, dict))
    return out


def has_type(doc: dict[str, Any], wanted: str) -> bool:
    kind = doc.get("@type")
    return wanted in kind if isinstance(kind, list) else kind == wanted


def _join(base_url: str, link: Any) -> str | None:
    """`link` resolved against `base_url` when it is an http(s) URL, else None."""
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        url = urljoin(base_url, link.strip())
        return url if urlsplit(url).scheme in ("http", "https") else None
    except ValueError:
        return None


def listing_links(html: bytes, base_url: str, pattern: str | None = None) -> list[str]:
    """Links to detail pages: a schema.org ItemList's URLs, else anchors matching `pattern`.
    Only http(s) links; values of the wrong shape are skipped, never raised."""
    found: list[Any] = []
    for doc in json_ld(html):
        if not has_type(doc, "ItemList"):
            continue
        items = doc.get("itemListElement")
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                inner = item.get("item")
                found.append(item.get("url") or (inner.get("url") if isinstance(inner, dict)
                                                 else inner))
    links = [u for u in (_join(base_url, x) for x in found) if u]
    if not links and pattern:
        soup = BeautifulSoup(html, "lxml")
        try:
            regex = re.compile(pattern)
        except re.error:
            return []
        links = [u for u in (_join(base_url, a.get("href")) for a in soup.find_all("a", href=True)
                             if isinstance(a.get("href"), str) and regex.search(a["href"])) if u]
    return list(dict.fromkeys(links))


class JSONLDScraper(Connector):
    """Partition params: `url` (the listing page), optional `link_pattern` (a regex for detail
    links when the listing has no ItemList), `same_site` (default true: never leave the
    listing's host)."""

    schema_type = "JobPosting"

    def fetch(self, partition: Partition, client: Client) -> Iterator[Payload | Failure]:
        from extract.http import FetchError

        listing_url = self.url(partition)
        if listing_url is None:
            raise FetchError(f"{self.name}: partition {partition.key!r} needs a 'url'")
        response = client.polite_get(listing_url)
        yield Payload(partition.key, response.content, client.meta(response), index=True)
        links = listing_links(response.content, response.url,
                              partition.params.get("link_pattern"))
        if partition.params.get("same_site", True):
            host = urlsplit(response.url).netloc
            links = [u for u in links if urlsplit(u).netloc == host]
        for url in links[: client.policy.max_pages]:
            name = f"{partition.key}-{hashlib.sha1(url.encode()).hexdigest()[:12]}"
            try:
                page = client.polite_get(url)
            except FetchError as exc:
                yield Failure(name, str(exc))
                continue
            yield Payload(name, page.content, client.meta(page))

    def records(self, body: bytes) -> Iterator[dict[str, Any]]:
        found = [d for d in json_ld(body) if has_type(d, self.schema_type)]
        if not found:
            raise PayloadError(f"no schema.org {self.schema_type} JSON-LD in the page "
                               "(markup changed, or not a detail page)")
        yield from found


class JobPostingPages(JSONLDScraper):
    name = "jobposting_jsonld"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        return JobPostingArchive().row(r)


class CoursePages(JSONLDScraper):
    name = "course_jsonld"
    kind = "courses"
    schema_type = "Course"

    def row(self, r: dict[str, Any]) -> dict[str, Any]:
        provider = r.get("provider")
        about = r.get("about") or r.get("keywords")
        if isinstance(about, list):
            about = [a.get("name") if isinstance(a, dict) else a for a in about]
        offers = r.get("offers")
        offer = (offers[0] if isinstance(offers, list) and offers else offers) or {}
        offer = offer if isinstance(offer, dict) else {}
        free = r.get("isAccessibleForFree")
        teaches = r.get("teaches")
        teaches = teaches if isinstance(teaches, list) else [teaches] if teaches else []
        # keywords are often one comma-separated string
        topics = about if isinstance(about, list) else str(about or "").split(",")
        skills = [a.get("name") if isinstance(a, dict) else a for a in [*teaches, *topics] if a]
        return {
            "record_id": r.get("url") or r.get("courseCode") or r.get("name"),
            "url": r.get("url"), "title": r.get("name"),
            "provider": provider.get("name") if isinstance(provider, dict) else text(provider),
            "description": r.get("description"), "subjects": text(about),
            "level": text(r.get("educationalLevel")), "language": text(r.get("inLanguage")),
            "duration": text(r.get("timeRequired")), "cost": text(offer.get("price")),
            "currency": text(offer.get("priceCurrency")),
            "is_free": free if isinstance(free, bool) else None,
            "skills": [str(x) for x in skills if isinstance(x, str | int)],
        }
