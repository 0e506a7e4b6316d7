"""TimelineJS: export slices in its JSON format, and turn a TimelineJS timeline into draft records."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .markup import is_safe_url
from .model import Event, PartialDate
from .parts import Part, PartMaker, make_part, separated_key
from .scaffold import event_id, taken_ids
from .sitecache import event_key

TIMELINEJS_JSON = "data/timelinejs/timeline.json"  # the whole dataset's export: the home of every slide


def _date(date: PartialDate) -> dict[str, Any]:
    value: dict[str, Any] = {"year": date.year, "display_date": date.display}
    if date.month:
        value["month"] = date.month
    if date.day:
        value["day"] = date.day
    return value


def _slide(event: Event, site_url: str) -> dict[str, Any]:
    sources = "".join(
        f'<li><a href="{escape(source.url)}">{escape(source.title)}</a> ({escape(source.publisher)})</li>'
        for source in event.sources
    )
    slide: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": _date(event.date),
        "text": {
            "headline": escape(event.title),
            "text": (
                f"{event.summary_html}<p>Sources:</p><ul>{sources}</ul>"
                f'<p><a href="{site_url}/{event.url}">Full record</a></p>'
            ),
        },
        "group": escape(event.type.label),  # TimelineJS puts it in the page as HTML
    }
    if event.end_date:
        slide["end_date"] = _date(event.end_date)
    return slide


def timelinejs_json(
    title: str, description: str, events: Sequence[Event], site_url: str, part: PartMaker = make_part
) -> Iterator[str | Part]:
    """A TimelineJS document, in parts to write as they come: the whole dataset's would otherwise be held several
    times over. ``part`` makes or locates each event's slide with the comma before it (see
    ``sitecache.SiteCache.part``); the whole dataset's document (``TIMELINEJS_JSON``) is the home of every slide."""
    heading = {"text": {"headline": escape(title), "text": f"<p>{escape(description)}</p>"}}
    yield f'{{"title":{_compact_json(heading)},"events":['
    for index, event in enumerate(events):
        yield part(
            TIMELINEJS_JSON,
            separated_key(event_key(event), is_first=index == 0),
            lambda event=event, separator="," if index else "": separator + _compact_json(_slide(event, site_url)),
        )
    yield "]}\n"


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class DraftDefaults:
    """What a TimelineJS timeline does not say and a record needs: chosen by the person importing."""

    type: str
    stance: str
    actors: tuple[str, ...]
    added: datetime.date


@dataclass(frozen=True)
class ImportedSlide:
    date: str
    end_date: str
    headline: str
    text: str
    links: tuple[tuple[str, str], ...]  # (url, label)


_TAG = re.compile(r"<[^>]+>")
_HREF = re.compile(r'href="([^"]+)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)


def _plain(html_text: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html_text or "")).split())


def _iso(year: Any, month: Any = "", day: Any = "") -> str:
    parts = [str(part).strip() for part in (year, month, day)]
    if not parts[0]:
        return ""
    text = f"{int(parts[0]):04d}"
    if parts[1]:
        text += f"-{int(parts[1]):02d}"
        if parts[2]:
            text += f"-{int(parts[2]):02d}"
    return text


def _links(html_text: str, media_url: str, media_label: str) -> tuple[tuple[str, str], ...]:
    links = [(media_url, media_label)] if media_url else []
    links += [(unescape(url), _plain(label)) for url, label in _HREF.findall(html_text or "")]
    seen, unique = set(), []
    for url, label in links:
        if is_safe_url(url) and url not in seen:
            seen.add(url)
            unique.append((url, label))
    return tuple(unique)


def _imported_slide(
    start: tuple[Any, Any, Any], end: tuple[Any, Any, Any], headline: str, text: str, media: tuple[str, str]
) -> ImportedSlide:
    """One slide, whichever format it came in: dates as (year, month, day), media as (url, label)."""
    return ImportedSlide(
        date=_iso(*start), end_date=_iso(*end), headline=_plain(headline), text=_plain(text), links=_links(text, *media)
    )


def read_timelinejs(path: Path) -> list[ImportedSlide]:
    """Slides of a TimelineJS JSON file, or of its Google Sheets template exported as CSV."""
    text = path.read_text(encoding="utf-8-sig")
    slides = []
    if path.suffix.lower() == ".csv":
        for row in csv.DictReader(io.StringIO(text)):
            slides.append(
                _imported_slide(
                    (row.get("Year", ""), row.get("Month", ""), row.get("Day", "")),
                    (row.get("End Year", ""), row.get("End Month", ""), row.get("End Day", "")),
                    row.get("Headline", ""),
                    row.get("Text", ""),
                    (row.get("Media", "").strip(), row.get("Media Credit", "").strip()),
                )
            )
        return [slide for slide in slides if slide.date]
    for event in json.loads(text).get("events", []):
        start, end = event.get("start_date", {}), event.get("end_date") or {}
        media = event.get("media") or {}
        body = event.get("text") or {}
        slides.append(
            _imported_slide(
                (start.get("year", ""), start.get("month", ""), start.get("day", "")),
                (end.get("year", ""), end.get("month", ""), end.get("day", "")),
                body.get("headline", ""),
                body.get("text", ""),
                ((media.get("url") or "").strip(), _plain(media.get("credit", ""))),
            )
        )
    return [slide for slide in slides if slide.date]


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def draft_record(slide: ImportedSlide, defaults: DraftDefaults) -> str:
    """A YAML record for review. Every value is quoted, so no text can turn into a YAML surprise."""
    lines = [
        "# Imported from a TimelineJS timeline: check every field against its source before publishing.",
        f"date: {slide.date}",
    ]
    if slide.end_date and slide.end_date > slide.date:
        lines.append(f"end_date: {slide.end_date}")
    lines += [
        f"title: {_quoted(slide.headline[:160])}",
        f"type: {defaults.type}",
        f"stance: {defaults.stance}",
        f"actors: [{', '.join(defaults.actors)}]",
        f"summary: {_quoted(slide.text or slide.headline)}",
        "sources:",
    ]
    for url, label in slide.links:
        publisher = urlsplit(url).hostname or url
        lines += [
            f"  - url: {_quoted(url)}",
            f"    title: {_quoted(label or publisher)}",
            f"    publisher: {_quoted(publisher)}",
        ]
    lines += [f"added: {defaults.added.isoformat()}", ""]
    return "\n".join(lines)


def import_timelinejs(path: Path, output: Path, defaults: DraftDefaults) -> tuple[list[Path], list[str]]:
    """Write one draft per slide into output/<year>/; slides without an https link are reported, not written."""
    written, skipped = [], []
    taken = taken_ids(output)
    for slide in read_timelinejs(path):
        if not slide.links:
            skipped.append(f'"{slide.headline}" ({slide.date}): no https link to use as a source.')
            continue
        identifier = event_id(slide.date, slide.headline)
        target = output / slide.date[:4] / f"{identifier}.yaml"
        if identifier in taken:
            skipped.append(f"{target}: a record with this id already exists.")
            continue
        taken.add(identifier)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(draft_record(slide, defaults), encoding="utf-8")
        written.append(target)
    return written, skipped
