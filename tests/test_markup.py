"""Summaries are contributor text: rendered Markdown keeps prose and https links, and nothing active."""

from __future__ import annotations

import pytest
from timeline.markup import render_markdown, sanitize_page_html


def test_markdown_emphasis_and_https_links_are_kept() -> None:
    html = render_markdown("The *Council* [said](https://example.org/a?b=1&c=2).")
    assert html == (
        '<p>The <em>Council</em> <a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">said</a>.</p>'
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="https://example.org/x.png" onerror="alert(1)">',
        "![x](https://example.org/x.png)",
        "<svg onload=alert(1)>",
        '<iframe src="https://example.org"></iframe>',
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        "<style>body{display:none}</style>",
    ],
)
def test_active_content_does_not_survive(text: str) -> None:
    html = render_markdown(text).lower()
    for marker in ("<script", "<img", "<svg", "<iframe", "onerror", "onload", "onclick", "<style", "alert(1)<"):
        assert marker not in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:msgbox(1)",
        "//example.org/x",
        "/local",
        "http://example.org",
    ],
)
def test_links_that_are_not_absolute_https_lose_their_address(url: str) -> None:
    html = render_markdown(f"[click]({url})")
    assert "href" not in html
    assert "click" in html


def test_pages_keep_local_links_and_headings_but_not_scripts() -> None:
    html = sanitize_page_html('<h2 id="x">Data</h2><a href="/data/events.json">json</a><script>alert(1)</script>')
    assert html == '<h2 id="x">Data</h2><a href="/data/events.json" rel="noopener noreferrer">json</a>'
