"""The one HTTP layer every live source uses.

A `Client` per source wraps a requests Session that
- identifies itself (User-Agent with a contact: $MICROCAREER_CONTACT),
- waits between requests to the same host (per-host rate limit, requests-ratelimiter),
- retries connection errors, 429 and 5xx with jittered exponential backoff, honouring
  Retry-After up to a cap (urllib3 Retry),
- revalidates what it fetched before (ETag / Last-Modified, so an unchanged board costs a 304;
  requests-cache, SQLite under the data folder),
- streams every body and gives up at a size cap, counted on the wire and again after
  decompression (a gzip bomb is refused after inflating `max_bytes`, not all of it), and at an
  overall per-request deadline besides the connect/read timeouts (a server dripping a byte at a
  time cannot hold a request longer than `deadline` seconds),
- sends credentials only to the host they are for (secret headers are dropped on a redirect
  to another host, and redacted from the HTTP cache), and
- checks robots.txt (Protego) before scraping a page.
"""

from __future__ import annotations

import os
import re
import time
import zlib
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego
from requests.adapters import HTTPAdapter
from requests_cache import CacheMixin
from requests_ratelimiter import LimiterMixin
from urllib3.util.retry import Retry

from schemas.project import VERSION as __version__

CONTACT_ENV = "MICROCAREER_CONTACT"
KEEP_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Date", "Cache-Control")
# Request headers that carry credentials: never sent to another host on a redirect, never
# stored in the HTTP cache (requests-cache redacts its `ignored_parameters`).
SECRET_HEADERS = ("Authorization", "Proxy-Authorization", "Authorization-Key", "X-API-Key",
                  "X-Auth-Token", "X-API-Token", "X-Access-Token", "Cookie")
SECRET_PARAMS = ("access_token", "api_key", "apikey", "key", "token")
_SECRET_NAME = re.compile(r"auth|key|token|secret|cookie|password", re.I)
CHUNK = 64 * 1024


class FetchError(RuntimeError):
    """A request failed after its retries; the message names the URL and the cause."""


class BodyRefused(requests.exceptions.RequestException):
    """A body over the size cap (on the wire or decompressed), past the request's deadline, or
    in an encoding we cannot bound."""


@dataclass(frozen=True)
class Policy:
    """How politely and patiently a source is fetched; a source's options override these."""

    timeout: tuple[float, float] = (10.0, 60.0)  # connect, read seconds
    retries: int = 3
    backoff: float = 1.0
    retry_after_max: int = 120  # never sleep longer than this on a Retry-After
    rate_per_second: float = 1.0  # per host
    max_bytes: int = 50 * 1024 * 1024
    deadline: float = 300.0  # seconds for one request, headers to last byte, retries aside
    refetch_after_hours: float = 0.0  # 0: revalidate every run; Remotive asks for >= 6
    max_pages: int = 20

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Policy:
        """The policy a source's options set (the defaults for the rest); ValueError naming
        any option that is not a field of Policy, and the valid ones."""
        from difflib import get_close_matches

        known = sorted(f.name for f in fields(cls))
        unknown = sorted((k for k in options if k not in known), key=repr)
        if unknown:
            named = [f"{k!r}" + "".join(f" (did you mean {m!r}?)"
                                        for m in get_close_matches(str(k), known, n=1))
                     for k in unknown]
            raise ValueError(f"unknown option{'s' if len(unknown) > 1 else ''} "
                             f"{', '.join(named)}; valid options: {', '.join(known)}")
        values = dict(options)
        if "timeout" in values and not isinstance(values["timeout"], (list, tuple)):
            values["timeout"] = (float(values["timeout"]), float(values["timeout"]))
        elif "timeout" in values:
            values["timeout"] = tuple(float(t) for t in values["timeout"])
        return cls(**values)


def user_agent() -> str:
    contact = os.environ.get(CONTACT_ENV, "https://github.com/microcareer/microcareer")
    return f"microcareer/{__version__} (+{contact})"


class PoliteSession(CacheMixin, LimiterMixin, requests.Session):
    """requests.Session with an HTTP cache (conditional requests) and a per-host limiter."""

    def rebuild_auth(self, prepared_request: requests.PreparedRequest,
                     response: requests.Response) -> None:
        """On a redirect to another host (or a downgrade to http), drop every credential
        header, not only `Authorization` as requests does."""
        super().rebuild_auth(prepared_request, response)
        if self.should_strip_auth(response.request.url, prepared_request.url) or (
                urlsplit(prepared_request.url).scheme != urlsplit(response.request.url).scheme):
            for name in list(prepared_request.headers):
                if name in SECRET_HEADERS or _SECRET_NAME.search(name):
                    del prepared_request.headers[name]


class BoundedAdapter(HTTPAdapter):
    """Streams each body and reads it under the policy's byte cap and deadline, so the cache
    and everything above it only ever see a body that fits."""

    def __init__(self, policy: Policy, **kwargs: Any) -> None:
        self.policy = policy
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             **kwargs: Any) -> requests.Response:
        started = time.monotonic()
        response = super().send(request, stream=True, **kwargs)
        try:
            body = read_bounded(response, self.policy.max_bytes, started + self.policy.deadline)
        except BaseException:
            response.close()
            raise
        response._content = body
        response._content_consumed = True
        response.headers.pop("Content-Encoding", None)
        response.headers["Content-Length"] = str(len(body))
        response.close()
        return response


def read_bounded(response: requests.Response, max_bytes: int, deadline: float) -> bytes:
    """The body of a streamed response, decompressed, or BodyRefused once it passes
    `max_bytes` on the wire or after decompression, or the `deadline` (time.monotonic())."""
    url = response.url
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise BodyRefused(f"GET {url}: body larger than {max_bytes} bytes "
                          f"(Content-Length {int(declared)})")
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        inflater = None
    elif encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
    else:
        raise BodyRefused(f"GET {url}: unsupported Content-Encoding {encoding!r}")
    raw = response.raw
    out = bytearray()
    wire = 0
    while True:
        if time.monotonic() > deadline:
            raise BodyRefused(f"GET {url}: deadline passed after {wire} bytes")
        chunk = raw.read1(CHUNK, decode_content=False)
        if not chunk:
            break
        wire += len(chunk)
        if wire > max_bytes:
            raise BodyRefused(f"GET {url}: body larger than {max_bytes} bytes on the wire")
        if inflater is None:
            out += chunk
        else:
            data = chunk
            while data:
                out += inflater.decompress(data, max_bytes + 1 - len(out))
                if len(out) > max_bytes:
                    raise BodyRefused(f"GET {url}: body larger than {max_bytes} bytes after "
                                      f"decompression ({wire} bytes on the wire)")
                data = inflater.unconsumed_tail
        if len(out) > max_bytes:
            raise BodyRefused(f"GET {url}: body larger than {max_bytes} bytes")
    if inflater is not None:
        try:
            out += inflater.flush()
        except zlib.error as exc:
            raise BodyRefused(f"GET {url}: bad {encoding} body: {exc}") from exc
        if len(out) > max_bytes:
            raise BodyRefused(f"GET {url}: body larger than {max_bytes} bytes after "
                              "decompression")
    return bytes(out)


def make_session(policy: Policy | None = None, cache: Path | None = None) -> PoliteSession:
    policy = policy or Policy()
    expire = timedelta(hours=policy.refetch_after_hours) if policy.refetch_after_hours else 0
    session = PoliteSession(
        cache_name=str(cache) if cache else "microcareer-http",
        backend="sqlite" if cache else "memory",
        cache_control=True, expire_after=expire, allowable_codes=(200,),
        ignored_parameters=(*SECRET_HEADERS, *SECRET_PARAMS),
        per_second=policy.rate_per_second, per_host=True, max_delay=None,
    )
    retry = Retry(
        total=policy.retries, backoff_factor=policy.backoff, backoff_jitter=0.5,
        status_forcelist=(429, 500, 502, 503, 504), allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True, retry_after_max=policy.retry_after_max,
    )
    adapter = BoundedAdapter(policy, max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = user_agent()
    # Only encodings read_bounded can inflate under the cap.
    session.headers["Accept-Encoding"] = "gzip, deflate"
    return session


class Client:
    """Fetches URLs for one source under its `Policy`; every failure is a FetchError."""

    def __init__(self, policy: Policy | None = None, cache: Path | None = None) -> None:
        self.policy = policy or Policy()
        self.session = make_session(self.policy, cache)
        self._robots: dict[str, Protego | None] = {}
        self._last_page: dict[str, float] = {}
        self.requests = 0

    def get(self, url: str, headers: dict[str, str] | None = None) -> requests.Response:
        self.requests += 1
        try:
            response = self.session.get(url, headers=headers, timeout=self.policy.timeout)
        except BodyRefused as exc:
            raise FetchError(str(exc)) from exc
        except requests.exceptions.RetryError as exc:
            raise FetchError(f"GET {url}: gave up after {self.policy.retries} retries "
                             f"({_reason(exc)})") from exc
        except requests.RequestException as exc:
            raise FetchError(f"GET {url} failed: {type(exc).__name__}: {_reason(exc)}") from exc
        except Exception as exc:  # any: a hostile response must not escape as a crash
            raise FetchError(f"GET {url} failed: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            raise FetchError(f"GET {url}: HTTP {response.status_code} {response.reason}")
        if len(response.content) > self.policy.max_bytes:
            raise FetchError(f"GET {url}: body larger than {self.policy.max_bytes} bytes")
        return response

    def meta(self, response: requests.Response) -> dict[str, Any]:
        """What the landing zone's sidecar keeps of a response."""
        headers = {h: response.headers[h] for h in KEEP_HEADERS if h in response.headers}
        return {"url": response.url, "status": response.status_code, "headers": headers,
                "from_cache": bool(getattr(response, "from_cache", False)),
                "revalidated": bool(getattr(response, "is_expired", False)), "replayed": False}

    def allowed(self, url: str) -> bool:
        """robots.txt of the URL's site allows us to fetch it (no robots.txt: allowed)."""
        rules = self._robots_for(url)
        return rules is None or rules.can_fetch(url, user_agent())

    def crawl_delay(self, url: str) -> float:
        rules = self._robots_for(url)
        delay = rules.crawl_delay(user_agent()) if rules is not None else None
        return float(delay or 0)

    def polite_get(self, url: str) -> requests.Response:
        """GET a page to scrape: robots.txt first, then its Crawl-delay between pages."""
        if not self.allowed(url):
            raise FetchError(f"GET {url}: disallowed by robots.txt")
        site = _site(url)
        wait = self.crawl_delay(url) - (time.monotonic() - self._last_page.get(site, -1e9))
        if wait > 0:
            time.sleep(wait)
        self._last_page[site] = time.monotonic()
        return self.get(url)

    def _robots_for(self, url: str) -> Protego | None:
        site = _site(url)
        if site not in self._robots:
            # RFC 9309: no robots.txt (4xx) allows all; an unreachable one (5xx) disallows all.
            try:
                response = self.session.get(urljoin(site, "/robots.txt"),
                                            timeout=self.policy.timeout)
                status, text = response.status_code, response.text
            except Exception:  # any: an unreadable robots.txt counts as unreachable
                status, text = 503, ""
            if status >= 500:
                text = "User-agent: *\nDisallow: /"
            try:
                rules = Protego.parse(text) if status < 400 or status >= 500 else None
            except Exception:  # any: a robots.txt we cannot read disallows all
                rules = Protego.parse("User-agent: *\nDisallow: /")
            self._robots[site] = rules
        return self._robots[site]


def _site(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _reason(exc: Exception) -> str:
    inner = getattr(exc, "args", [None])[0]
    reason = getattr(inner, "reason", None) or inner or exc
    return str(reason)[:300]
