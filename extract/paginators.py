"""Pagination as small objects: given the request just made and the payload that answered it,
the next request, or None on the last page.

A connector names its paginator (`paginator = OffsetPaginator(...)`); `Connector.fetch` does
the requests. Paginators are pure: no HTTP, no clock; they read the decoded payload (a JSON
value, or None when the page did not decode) and the response headers, and a payload of an
unexpected shape (a missing field, a count that is no number, a link that is no string) ends
the paging, it never raises. They do not decide whether the next request may be made: the
fetch loop follows it only to the scheme, host and port of the page before (`same_origin`)
and up to the source's `max_pages`.

- NextLinkPaginator: the payload says where the next page is (`{"next": url}`,
  `{"links": {"next": url}}`) and/or the `Link: <url>; rel="next"` header.
- OffsetPaginator: `?offset=N` advanced by the number of records the page held, until a page
  is empty or the offset reaches the total the payload gives.
- PageNumberPaginator: `?page=N` advanced by one, until the page count the payload gives (or,
  without one, until a page holds no records).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

Path = tuple[str, ...]  # keys from the payload's top, e.g. ("links", "next")


@dataclass(frozen=True)
class Request:
    """One request of a partition: its URL and its 1-based number among the partition's
    pages (the fetch loop stops past the policy's `max_pages`)."""

    url: str
    page: int = 1

    def follow(self, url: str) -> Request:
        """The request after this one, to `url`."""
        return Request(url, self.page + 1)


class Paginator:
    """Says which request follows `request`, whose answer was `payload` (decoded; None when
    it was not readable) with response `headers`; None on the last page."""

    def next_request(self, request: Request, payload: Any,
                     headers: Mapping[str, str] | None = None) -> Request | None:
        raise NotImplementedError


@dataclass(frozen=True)
class NextLinkPaginator(Paginator):
    """The next page's URL as the payload gives it at `path` (default `next`), else, with
    `header`, as the `Link` header's `rel="next"` (`path=None`: the header only). A relative
    link is resolved against the current URL; a null, empty or non-string link ends paging."""

    path: Path | None = ("next",)
    header: bool = False

    def __post_init__(self) -> None:
        if not self.path and not self.header:
            raise ValueError("NextLinkPaginator needs a payload `path`, `header=True`, or both")

    def next_request(self, request: Request, payload: Any,
                     headers: Mapping[str, str] | None = None) -> Request | None:
        link = dig(payload, self.path) if self.path else None
        if not _is_link(link) and self.header:
            link = link_header_next(headers)
        if not _is_link(link):
            return None
        try:
            url = link if urlsplit(link).scheme else urljoin(request.url, link)
        except ValueError:  # e.g. an unbalanced IPv6 bracket
            return None
        return request.follow(url)


@dataclass(frozen=True)
class OffsetPaginator(Paginator):
    """The next page at query parameter `param` = this page's offset (the URL's `param`,
    else 0) + the number of records the page held (the list at `records`); the last page is
    one without records, or the one that reaches the integer total at `total`."""

    records: Path
    param: str = "offset"
    total: Path | None = None

    def next_request(self, request: Request, payload: Any,
                     headers: Mapping[str, str] | None = None) -> Request | None:
        items = dig(payload, self.records)
        if not isinstance(items, list) or not items:
            return None
        current = _int(query_value(request.url, self.param, "0"))
        if current is None:
            return None
        offset = current + len(items)
        total = dig(payload, self.total) if self.total else None
        if isinstance(total, int) and not isinstance(total, bool) and offset >= total:
            return None
        return request.follow(with_query(request.url, **{self.param: offset}))


@dataclass(frozen=True)
class PageNumberPaginator(Paginator):
    """The next page at query parameter `param` = this page's number + 1 (this page's: the
    URL's `param`, else the request's count from 1). With `total_pages` (a payload path to the
    page count, a number or digits), while the next page is within it (a missing count: one
    page); otherwise, while the page held records (the list at `records`)."""

    param: str = "page"
    total_pages: Path | None = None
    records: Path | None = None

    def __post_init__(self) -> None:
        if not self.total_pages and not self.records:
            raise ValueError("PageNumberPaginator needs `total_pages` or `records` to know "
                             "the last page")

    def next_request(self, request: Request, payload: Any,
                     headers: Mapping[str, str] | None = None) -> Request | None:
        raw = query_value(request.url, self.param)
        current = _int(raw) if raw else request.page
        if current is None:
            return None
        if self.total_pages:
            pages = _int(dig(payload, self.total_pages) or 1)
            if pages is None or current >= pages:
                return None
        else:
            items = dig(payload, self.records or ())
            if not isinstance(items, list) or not items:
                return None
        return request.follow(with_query(request.url, **{self.param: current + 1}))


# ---------- helpers


def dig(doc: Any, path: Path) -> Any:
    """`doc[path[0]][path[1]]...`, or None where a step is not a mapping or lacks the key."""
    for key in path:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


def _is_link(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _int(value: Any) -> int | None:
    """`value` as an int (an int, a whole float or a string of digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
        return int(value)
    return None


def link_header_next(headers: Mapping[str, str] | None) -> str | None:
    """The `rel="next"` URL of a `Link` header (RFC 8288; any header-name case), or None."""
    if not headers:
        return None
    value = next((v for k, v in headers.items() if str(k).lower() == "link"), None)
    if not isinstance(value, str):
        return None
    for link in _LINK.finditer(value[:8192]):
        for param in link.group(2).split(",")[0].split(";"):
            name, _, rel = param.strip().partition("=")
            if name.strip().lower() == "rel" and "next" in rel.strip().strip('"').lower().split():
                return link.group(1).strip() or None
    return None


_LINK = re.compile(r"<([^<>]*)>([^<]*)")  # <target>; param=value; ... (up to the next link)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(url: str, base: str) -> bool:
    """`url` is on the same scheme, host and port as `base` (pagination never leaves it)."""
    try:
        return origin(url) == origin(base)
    except (ValueError, TypeError, AttributeError):
        return False


def with_query(url: str, **params: Any) -> str:
    """`url` with query parameters set (added or replaced)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: str(v) for k, v in params.items()})
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_value(url: str, key: str, default: str = "") -> str:
    return parse_qs(urlsplit(url).query).get(key, [default])[0]
