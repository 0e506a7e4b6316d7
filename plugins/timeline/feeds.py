"""Atom feeds of the most recently added or updated events, ordered by the record's dates, not the event's."""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Sequence
from html import escape
from operator import attrgetter

from feedgenerator import Atom1Feed

from .model import Event


def last_change(event: Event) -> datetime.date:
    return event.updated or event.added


def recent_events(events: Sequence[Event], limit: int) -> list[Event]:
    """Newest additions and corrections first: adding a 2019 event today puts it at the top."""
    return heapq.nlargest(limit, events, key=lambda event: (last_change(event), event.id))


class Recency:
    """Every event's place among the newest additions and corrections, worked out once for all the feeds: choosing
    each feed's events then compares numbers, not dates (a hundred feeds, tens of thousands of events in all)."""

    def __init__(self, events: Sequence[Event]) -> None:
        self.newest = recent_events(events, len(events))
        self.rank = {event.id: position for position, event in enumerate(self.newest)}

    def recent(self, events: Sequence[Event], limit: int) -> list[Event]:
        """What ``recent_events`` gives for ``events``, which must be among those ranked."""
        positions = heapq.nsmallest(limit, map(self.rank.__getitem__, map(_EVENT_ID, events)))
        return [self.newest[position] for position in positions]


_EVENT_ID = attrgetter("id")


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def atom_feed(*, title: str, feed_url: str, page_url: str, events: Sequence[Event], site_url: str) -> str:
    """The feed of ``events``, in the order given (``recent_events``)."""
    feed = Atom1Feed(title=title, link=page_url, description=title, feed_url=feed_url, language="en")
    for event in events:
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
