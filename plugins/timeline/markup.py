"""Contributor Markdown to safe HTML: rendered, then sanitized with an allow-list."""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache

import markdown
import nh3

ALLOWED_TAGS = frozenset({"p", "a", "em", "strong", "code", "ul", "ol", "li", "blockquote", "br"})
_HTML_TAG = re.compile(r"<(?!https://)[A-Za-z!/?][^>]*>?")
_HREF = re.compile(r'<a href="([^"]*)"')


_UNSAFE_IN_URL = frozenset('<>"`{}|\\^')


def is_safe_url(url: str) -> bool:
    """Only absolute https URLs: never javascript:, data:, protocol-relative or relative links, and no
    characters that a URL must percent-encode (a quote or angle bracket there is an injection attempt)."""
    return (
        url.startswith("https://")
        and len(url) > len("https://")
        and not any(character.isspace() or character in _UNSAFE_IN_URL for character in url)
    )


def _keep_https_href(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if is_safe_url(value) else None
    return value


@cache
def _markdown() -> markdown.Markdown:
    """One converter, reset before each use: building Markdown's parser costs more than converting a summary."""
    return markdown.Markdown(output_format="html")


# What could make Markdown render text as anything but paragraphs: inline syntax, HTML and entities, control and
# unusual space characters, a line that starts like a list, heading, quote or code block, or ends with a space.
_MARKDOWN_SYNTAX = re.compile(r"[*_\[\]<>&`\\\x00-\x09\x0b-\x1f\x7f]|[^\S \n]|^[ \-+=#>|~:]|^[0-9]+[.)]| $", re.M)
_BLANK_LINES = re.compile(r"\n{2,}")


def plain_paragraphs(text: str) -> str | None:
    """Markdown's HTML for text that uses none of its syntax, as most summaries do: its paragraphs, as written.
    None for text that might use some, which Markdown renders. Converting with Markdown takes some 80 µs a summary;
    a test holds the two to the same HTML."""
    stripped = text.strip("\n")
    if not stripped or _MARKDOWN_SYNTAX.search(stripped):
        return None
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in _BLANK_LINES.split(stripped))


@lru_cache(maxsize=16)
def _render_unsafe(text: str) -> str:
    """Unsanitized HTML, cached because validation and then the model render each summary: one after the other,
    so a few entries do, where one per record would hold every record's HTML twice."""
    plain = plain_paragraphs(text)
    return plain if plain is not None else _markdown().reset().convert(text)


@lru_cache(maxsize=65536)
def render_markdown(text: str) -> str:
    """Render Markdown to HTML that can hold no script, style, image, frame or non-https link."""
    return nh3.clean(
        _render_unsafe(text),
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        attribute_filter=_keep_https_href,
        url_schemes={"https"},
        link_rel="noopener noreferrer",
    )


def markup_problems(text: str) -> list[tuple[str, str]]:
    """What in ``text`` the sanitizer would remove, as (message, hint) pairs for the contributor."""
    problems = []
    tag = _HTML_TAG.search(text)
    if tag:
        problems.append(
            (f"HTML is not allowed ({tag.group()[:40]}).", "Write plain Markdown: *emphasis*, [text](https://...).")
        )
    rendered = _render_unsafe(text)
    if "<img" in rendered:
        problems.append(("images are not allowed.", "Link to the page instead: [text](https://...)."))
    for href in _HREF.findall(rendered):
        url = html.unescape(href)
        if not is_safe_url(url):
            problems.append(
                (
                    f'link "{url[:80]}" is not a plain https:// address.',
                    "Use the https:// address of the page, copied from the browser.",
                )
            )
    return problems


PAGE_TAGS = ALLOWED_TAGS | {
    "h2",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
    "pre",
    "hr",
}


def _keep_page_href(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        is_local = (value.startswith("/") and not value.startswith("//")) or value.startswith(("#", "../", "./"))
        return value if is_local or is_safe_url(value) or value.startswith("mailto:") else None
    return value


def sanitize_page_html(html_text: str) -> str:
    """Pelican pages (about, methodology) come through pull requests too: allow prose, tables and local links only."""
    from markupsafe import Markup

    return Markup(
        nh3.clean(
            html_text,
            tags=set(PAGE_TAGS),
            clean_content_tags={"script", "style"},
            attributes={"a": {"href"}, "th": {"scope"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}},
            attribute_filter=_keep_page_href,
            url_schemes={"https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )
