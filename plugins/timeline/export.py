"""Data files written from the validated dataset: events.json, the CSV files, the registries and the schemas."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Iterable, Iterator
from html import escape
from typing import Any

from .dataset import Dataset
from .model import Actor, Event, PartialDate, Registry
from .parts import Part, PartMaker, make_part, separated_key
from .query import related_events
from .schema import load_schema
from .settings import TimelineSettings
from .sitecache import event_key

SCHEMA_VERSION = "1.0"
EVENTS_JSON = "data/events.json"
EVENTS_CSV = "data/events.csv"
SOURCES_CSV = "data/sources.csv"
OEMBED_WIDTH = 640


def _date(value: PartialDate | None) -> dict[str, str] | None:
    return {"value": value.iso, "precision": value.precision.value} if value else None


def _actor_identity(actor: Actor) -> dict[str, Any]:
    """Who an actor is, as both events.json and actors.json give it (they differ in how much of the region and blocs
    they spell out)."""
    return {
        "key": actor.key,
        "name": actor.name,
        "kind": actor.kind.value,
        "iso3166": actor.iso3166 or None,
        "country": actor.country or None,
    }


def event_as_data(event: Event, site_url: str, related: tuple[Event, ...] = ()) -> dict[str, Any]:
    """One event, normalised: keys expanded with their labels, dates with their precision.

    ``related`` lists links both ways, as the site shows them, not only those the record names.
    """
    data: dict[str, Any] = {
        "id": event.id,
        "url": f"{site_url}/{event.url}",
        "date": _date(event.date),
        "end_date": _date(event.end_date),
        "title": event.title,
        "summary": event.summary_text,
        "type": {"key": event.type.key, "label": event.type.label},
        "stance": {"key": event.stance.key, "label": event.stance.label},
        "actors": [
            {
                **_actor_identity(actor),
                "region": actor.region.key,
                "memberships": [bloc.key for bloc in actor.memberships],
            }
            for actor in event.actors
        ],
        "targets": list(event.targets),
        "outcome": event.outcome or None,
        "vote": (
            {"for": event.vote.votes_for, "against": event.vote.against, "abstain": event.vote.abstain}
            if event.vote
            else None
        ),
        "signatories": (
            {"count": event.signatories.count, "claimed_by": event.signatories.claimed_by or None}
            if event.signatories
            else None
        ),
        "tags": list(event.tags),
        "related": [other.id for other in related],
        "sources": [
            {
                "url": source.url,
                "title": source.title,
                "publisher": source.publisher,
                "date": _date(source.date),
                "primary": source.is_primary,
                "archive_url": source.archive_url or None,
            }
            for source in event.sources
        ],
        "added": event.added.isoformat(),
        "updated": event.updated.isoformat() if event.updated else None,
    }
    return data


def citation(site_name: str, dataset: Dataset, site_url: str) -> str:
    return f"{site_name}, dataset built on {dataset.build_date.isoformat()}. {site_url}/data/events.json"


def events_json(
    dataset: Dataset, site_url: str, site_name: str, settings: TimelineSettings, part: PartMaker = make_part
) -> Iterator[str | Part]:
    """events.json in parts, one event per line inside the array, so that a large dataset is never one string.

    ``part`` makes or locates each event's line with the separator before it (see ``sitecache.SiteCache.part``).
    """
    related = related_events(dataset.events)
    header = {
        "schema_version": SCHEMA_VERSION,
        "title": site_name,
        "build_date": dataset.build_date.isoformat(),
        "license": {"name": settings.license_name, "url": settings.license_url},
        "citation": citation(site_name, dataset, site_url),
        "count": len(dataset.events),
    }
    yield json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ',\n "events": ['
    for index, event in enumerate(dataset.events):
        links = related.get(event.id, ())
        separator = ",\n  " if index else "\n  "
        yield part(
            EVENTS_JSON,
            separated_key(event_key(event, links), is_first=index == 0),
            lambda event=event, links=links, separator=separator: (
                separator + json.dumps(event_as_data(event, site_url, links), ensure_ascii=False)
            ),
        )
    yield "\n ]\n}\n"


def _json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


LIST_SEPARATOR = "; "
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "The event's id; its page is /events/<id>/."),
    ("date", "The date of the act: YYYY-MM-DD, YYYY-MM or YYYY."),
    ("date_precision", "day, month or year."),
    ("end_date", "The last day of an act that lasted several days, or empty."),
    ("title", "One line saying who did what."),
    ("summary", "Two to four sentences, in Markdown."),
    ("type", "The type's key; see types.json."),
    ("type_label", "The type's label."),
    ("stance", "critical, supportive or counter-measure."),
    ("actors", "Actor keys, joined by '; '; see actors.json."),
    ("actor_names", "Actor names in the same order, joined by '; '."),
    ("targets", "Who or what a measure targets, joined by '; '."),
    ("outcome", "The result of a vote or ruling, or empty."),
    ("votes_for", "Votes for, where a source gives them."),
    ("votes_against", "Votes against, where a source gives them."),
    ("votes_abstain", "Abstentions, where a source gives them."),
    ("signatories", "Number of states that signed a joint statement or letter, as the source gives it."),
    ("signatories_claimed_by", "Who gave that number, when not every state is named."),
    ("related", "Ids of related events, joined by '; '."),
    ("source_count", "Number of sources; each is a row of sources.csv."),
    ("url", "The event's page."),
    ("added", "The day the record entered the dataset."),
    ("updated", "The day the record was last corrected, or empty."),
)
SOURCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "The id of the event the source supports (the id column of events.csv)."),
    ("position", "The source's place in the record's list, from 1."),
    ("url", "The page's address."),
    ("title", "The page's title."),
    ("publisher", "Who published the page."),
    ("date", "When the page was published, or empty."),
    ("primary", "true for the acting body's own publication, else false."),
    ("archive_url", "An archived copy of the page, or empty."),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """Text for a spreadsheet cell; a leading quote stops text such as =HYPERLINK(...) running as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_line(values: Iterable[Any]) -> str:
    """One RFC 4180 row: comma-separated, double quotes where needed, CRLF line end."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_cell(value) for value in values])
    return buffer.getvalue()


def _csv(header: tuple[tuple[str, str], ...], lines: Iterable[str | Part]) -> Iterator[str | Part]:
    """UTF-8 with a byte-order mark for spreadsheets, then the header; written line by line, so that a large
    dataset is never one string."""
    yield "\ufeff" + _csv_line(name for name, _ in header)
    yield from lines


def events_csv(dataset: Dataset, site_url: str, part: PartMaker = make_part) -> Iterator[str | Part]:
    related = related_events(dataset.events)

    def row(event: Event, links: tuple[Event, ...]) -> list[Any]:
        vote = event.vote
        return [
            event.id,
            event.date.iso,
            event.date.precision.value,
            event.end_date.iso if event.end_date else "",
            event.title,
            event.summary_text,
            event.type.key,
            event.type.label,
            event.stance.key,
            LIST_SEPARATOR.join(actor.key for actor in event.actors),
            LIST_SEPARATOR.join(actor.name for actor in event.actors),
            LIST_SEPARATOR.join(event.targets),
            event.outcome,
            vote.votes_for if vote else None,
            vote.against if vote else None,
            vote.abstain if vote else None,
            event.signatories.count if event.signatories else None,
            event.signatories.claimed_by if event.signatories else None,
            LIST_SEPARATOR.join(other.id for other in links),
            len(event.sources),
            f"{site_url}/{event.url}",
            event.added.isoformat(),
            event.updated.isoformat() if event.updated else "",
        ]

    def lines() -> Iterator[str | Part]:
        for event in dataset.events:
            links = related.get(event.id, ())
            yield part(
                EVENTS_CSV,
                event_key(event, links),
                lambda event=event, links=links: _csv_line(row(event, links)),
            )

    return _csv(EVENT_COLUMNS, lines())


def sources_csv(dataset: Dataset, part: PartMaker = make_part) -> Iterator[str | Part]:
    def source_lines(event: Event) -> str:
        return "".join(
            _csv_line(
                [
                    event.id,
                    position,
                    source.url,
                    source.title,
                    source.publisher,
                    source.date.iso if source.date else "",
                    source.is_primary,
                    source.archive_url,
                ]
            )
            for position, source in enumerate(event.sources, start=1)
        )

    lines = (part(SOURCES_CSV, event_key(event), lambda event=event: source_lines(event)) for event in dataset.events)
    return _csv(SOURCE_COLUMNS, lines)


def actors_json(dataset: Dataset) -> str:
    registry = dataset.registry
    counts: dict[str, int] = {}
    for event in dataset.events:
        for actor in event.actors:
            counts[actor.key] = counts.get(actor.key, 0) + 1
    return _json(
        {
            "build_date": dataset.build_date.isoformat(),
            "actors": [
                {
                    **_actor_identity(actor),
                    "region": {"key": actor.region.key, "name": actor.region.name},
                    "memberships": [{"key": bloc.key, "name": bloc.name} for bloc in actor.memberships],
                    "events": counts.get(actor.key, 0),
                }
                for actor in registry.actors.values()
            ],
        }
    )


def types_json(dataset: Dataset) -> str:
    registry = dataset.registry
    counts: dict[str, int] = {}
    for event in dataset.events:
        counts[event.type.key] = counts.get(event.type.key, 0) + 1
    return _json(
        {
            "build_date": dataset.build_date.isoformat(),
            "types": [
                {"key": key, "label": kind.label, "definition": kind.definition, "events": counts.get(key, 0)}
                for key, kind in registry.types.items()
            ],
            "stances": [
                {"key": key, "label": stance.label, "definition": stance.definition}
                for key, stance in registry.stances.items()
            ],
        }
    )


def published_event_schema(registry: Registry) -> str:
    """The record schema with the registry's keys as enums, so editors can complete them."""
    schema = copy.deepcopy(load_schema("event.schema.json"))
    properties = schema["properties"]
    properties["type"] = {**properties["type"], "enum": sorted(registry.types)}
    properties["stance"] = {**properties["stance"], "enum": sorted(registry.stances)}
    properties["actors"]["items"] = {"enum": sorted(registry.actors)}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def embed_html(embed_url: str, title: str, height: int, host_script_url: str) -> str:
    """The HTML a journalist pastes: a sandboxed iframe and the optional resize script."""
    return (
        f'<iframe src="{escape(embed_url)}" title="{escape(title)}" width="100%" height="{height}" '
        'style="border:0;max-width:100%" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
        f'loading="lazy"></iframe>\n<script src="{escape(host_script_url)}" async></script>'
    )


def oembed_json(*, title: str, embed_url: str, height: int, site_name: str, site_url: str) -> str:
    """An oEmbed 1.0 "rich" response for one page, as a static file."""
    document = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": site_name,
        "provider_url": f"{site_url}/",
        "html": embed_html(embed_url, title, height, f"{site_url}/theme/js/embed-host.js"),
        "width": OEMBED_WIDTH,
        "height": height,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
