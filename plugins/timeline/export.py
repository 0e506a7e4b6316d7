"""Data files written from the validated dataset: events.json and the published schemas."""

from __future__ import annotations

import copy
import json
from html import escape
from typing import Any

from .dataset import Dataset
from .model import Event, PartialDate, Registry
from .query import related_events
from .schema import load_schema

SCHEMA_VERSION = "1.0"
OEMBED_WIDTH = 640


def _date(value: PartialDate | None) -> dict[str, str] | None:
    return {"value": value.iso, "precision": value.precision.value} if value else None


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
                "key": actor.key,
                "name": actor.name,
                "kind": actor.kind.value,
                "iso3166": actor.iso3166 or None,
                "country": actor.country or None,
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


def events_json(dataset: Dataset, site_url: str) -> str:
    related = related_events(dataset.events)
    document = {
        "schema_version": SCHEMA_VERSION,
        "build_date": dataset.build_date.isoformat(),
        "count": len(dataset.events),
        "events": [event_as_data(event, site_url, related.get(event.id, ())) for event in dataset.events],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


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
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
