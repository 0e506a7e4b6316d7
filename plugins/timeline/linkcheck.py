"""`make linkcheck`: is every source address still there? Never part of the build, which needs no network."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

USER_AGENT = "timeline-linkcheck (+https://github.com/)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: str  # ok, redirected, broken, unreachable
    detail: str = ""
    final_url: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - urllib's signature
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def check_url(url: str, *, timeout: float, retries: int) -> LinkResult:
    """One address: HEAD first (falling back to GET when a server refuses HEAD), retried on failure."""
    last = LinkResult(url, "unreachable", "no answer")
    for _ in range(retries + 1):
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
            try:
                with _OPENER.open(request, timeout=timeout) as response:
                    return LinkResult(url, "ok", str(response.status))
            except urllib.error.HTTPError as error:
                if 300 <= error.code < 400:
                    location = error.headers.get("Location", "")
                    final = urllib.parse.urljoin(url, location)
                    return LinkResult(url, "redirected", f"{error.code} to {final}", final)
                if error.code in (405, 501) and method == "HEAD":
                    continue
                last = LinkResult(url, "broken", f"HTTP {error.code}")
                if error.code < 500:
                    return last
                break
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                reason = getattr(error, "reason", error)
                last = LinkResult(url, "unreachable", f"no answer ({reason})")
                break
    return last


def check_urls(
    urls: Iterable[str], *, timeout: float = 10.0, retries: int = 1, workers: int = 4
) -> dict[str, LinkResult]:
    """Each distinct address once, a few at a time so that no site is flooded."""
    unique = sorted(set(urls))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda url: check_url(url, timeout=timeout, retries=retries), unique)
    return dict(zip(unique, results, strict=True))


def archive_suggestion(url: str) -> str:
    return f"Look for an archived copy at https://web.archive.org/web/*/{url} and add it as archive_url."
