"""Summaries are contributor text: rendered Markdown keeps prose and https links, and nothing active."""

from __future__ import annotations

import markdown
import pytest
import yaml
from conftest import PROJECT
from hypothesis import given, settings
from hypothesis import strategies as st
from timeline.markup import plain_paragraphs, render_markdown, sanitize_page_html

EVENTS = PROJECT / "events"


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


# Letters, the punctuation of prose, digits and spaces, and some of what Markdown reads as syntax.
PROSE = st.text(alphabet=st.sampled_from([*"ab Z.,;:'\"()!?%/-=+#|~1209\n\n\n", "é", "😀", "\u00a0", "\t", "*", "&"]))


@settings(max_examples=3000, deadline=None)
@given(PROSE)
def test_text_without_markdown_syntax_gets_the_html_markdown_gives_it(text: str) -> None:
    plain = plain_paragraphs(text)
    if plain is not None:
        assert plain == markdown.Markdown(output_format="html").convert(text)


def test_most_bundled_summaries_are_plain_paragraphs_and_render_as_markdown_renders_them() -> None:
    summaries = [
        yaml.safe_load(path.read_text(encoding="utf-8"))["summary"]
        for path in EVENTS.glob("[0-9][0-9][0-9][0-9]/*.yaml")
    ]
    summaries = [summary for summary in summaries if isinstance(summary, str)]
    plain = [(summary, plain_paragraphs(summary)) for summary in summaries]
    for summary, html in plain:
        if html is not None:
            assert html == markdown.Markdown(output_format="html").convert(summary)
    assert sum(html is not None for _, html in plain) > len(summaries) * 0.8
