"""Year pages in pages of at most TIMELINE_PAGE_SIZE events, so that a long year stays light: pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .query import YearGroup


def year_page_path(year: int, number: int) -> str:
    """Page 1 keeps the address a year page has always had, so that links made before a year grew still work."""
    return f"years/{year}/" if number == 1 else f"years/{year}/{number}/"


def page_count(event_count: int, page_size: int) -> int:
    """How many pages list ``event_count`` events; an empty listing still has its one page."""
    return max(1, -(-event_count // page_size))


def page_paths(year: int, count: int) -> tuple[str, ...]:
    return tuple(year_page_path(year, number) for number in range(1, count + 1))


def year_page_paths(groups: Sequence[YearGroup], page_size: int) -> dict[int, tuple[str, ...]]:
    """The paths of every page of each year, in order: what a deferred year section loads."""
    return {group.year: page_paths(group.year, page_count(len(group.events), page_size)) for group in groups}


def listing_pages(groups: Sequence[YearGroup], page_size: int) -> dict[str, str]:
    """The path of the year page that lists each event, by event id: what the event's page links back to."""
    return {
        event.id: page.path
        for group in groups
        for page in year_pages(group, page_size)
        for event in page.listing.events
    }


@dataclass(frozen=True, slots=True)
class YearPage:
    """One page of a year: the events it lists (``listing``), which page it is, and its neighbours' paths."""

    listing: YearGroup
    number: int
    count: int
    first: int  # position of the page's first event in the year, counting from 1
    total: int  # events in the whole year

    @property
    def year(self) -> int:
        return self.listing.year

    @property
    def last(self) -> int:
        return self.first + len(self.listing.events) - 1

    @property
    def is_paginated(self) -> bool:
        return self.count > 1

    @property
    def path(self) -> str:
        return year_page_path(self.year, self.number)

    @property
    def paths(self) -> tuple[str, ...]:
        return page_paths(self.year, self.count)

    @property
    def previous_path(self) -> str | None:
        return year_page_path(self.year, self.number - 1) if self.number > 1 else None

    @property
    def next_path(self) -> str | None:
        return year_page_path(self.year, self.number + 1) if self.number < self.count else None


def year_pages(group: YearGroup, page_size: int) -> tuple[YearPage, ...]:
    """The pages of one year, oldest events first; a year of at most ``page_size`` events is one page."""
    count = page_count(len(group.events), page_size)
    return tuple(
        YearPage(
            listing=YearGroup(group.year, group.events[start : start + page_size]),
            number=index + 1,
            count=count,
            first=start + 1,
            total=len(group.events),
        )
        for index, start in enumerate(range(0, count * page_size, page_size))
    )
