"""Atom feeds of the most recently added or updated events, ordered by the record's dates, not the event's."""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Sequence
from html import escape

from feedgenerator import Atom1Feed

from .model import Event


def last_change(event: Event) -> datetime.date:
    return event.updated or event.added


def recent_events(events: Sequence[Event], limit: int) -> list[Event]:
    """Newest additions and corrections first: adding a 2019 event today puts it at the top."""
    return heapq.nlargest(limit, events, key=lambda event: (event.updated or event.added, event.id))


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def atom_feed(*, title: str, feed_url: str, page_url: str, events: Sequence[Event], site_url: str, limit: int) -> str:
    feed = Atom1Feed(title=title, link=page_url, description=title, feed_url=feed_url, language="en")
    for event in recent_events(events, limit):
        url = f"{site_url}/{event.url}"
        summary = f"<p><strong>{event.date.display}</strong> · {escape(event.type.label)}</p>{event.summary_html}"
        feed.add_item(
            title=event.title,
            link=url,
            description=summary,
            unique_id=url,
            pubdate=_midnight(event.added),
            updateddate=_midnight(last_change(event)),
            categories=[event.type.label, event.stance.label],
        )
    return feed.writeString("utf-8")
