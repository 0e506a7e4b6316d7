"""Pure functions over events: ordering, grouping into slices, neighbours and related events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Actor, Event, EventType, Registry


@dataclass(frozen=True)
class YearGroup:
    year: int
    events: tuple[Event, ...]


@dataclass(frozen=True)
class ActorSlice:
    actor: Actor
    events: tuple[Event, ...]


@dataclass(frozen=True)
class TypeSlice:
    type: EventType
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Neighbours:
    previous: Event | None
    next: Event | None


def chronological(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(sorted(events, key=lambda event: event.sort_key))


def events_by_year(events: Sequence[Event]) -> tuple[YearGroup, ...]:
    groups: dict[int, list[Event]] = defaultdict(list)
    for event in chronological(events):
        groups[event.year].append(event)
    return tuple(YearGroup(year, tuple(groups[year])) for year in sorted(groups))


def events_by_actor(events: Sequence[Event], registry: Registry) -> tuple[ActorSlice, ...]:
    """Every actor with at least one event, sorted by display name."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in chronological(events):
        for actor in event.actors:
            groups[actor.key].append(event)
    actors = sorted((registry.actors[key] for key in groups), key=lambda actor: actor.name.casefold())
    return tuple(ActorSlice(actor, tuple(groups[actor.key])) for actor in actors)


def events_by_type(events: Sequence[Event], registry: Registry) -> tuple[TypeSlice, ...]:
    """Every type with at least one event, in the registry's order."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in chronological(events):
        groups[event.type.key].append(event)
    return tuple(TypeSlice(registry.types[key], tuple(groups[key])) for key in registry.types if key in groups)


def neighbours(events: Sequence[Event]) -> dict[str, Neighbours]:
    ordered = chronological(events)
    return {
        event.id: Neighbours(
            previous=ordered[index - 1] if index > 0 else None,
            next=ordered[index + 1] if index + 1 < len(ordered) else None,
        )
        for index, event in enumerate(ordered)
    }


def related_events(events: Sequence[Event]) -> dict[str, tuple[Event, ...]]:
    """Related events both ways: if A names B as related, B's page links back to A."""
    by_id = {event.id: event for event in events}
    links: dict[str, set[str]] = defaultdict(set)
    for event in events:
        for other in event.related_ids:
            links[event.id].add(other)
            links[other].add(event.id)
    return {
        event_id: chronological(by_id[other] for other in others if other in by_id)
        for event_id, others in links.items()
    }
