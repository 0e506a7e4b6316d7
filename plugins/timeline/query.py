"""Pure functions over events: ordering, grouping into slices, neighbours and related events."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .model import Actor, Event, EventType, Registry


@dataclass(frozen=True, slots=True)
class YearGroup:
    year: int
    events: tuple[Event, ...]
    is_deferred: bool = False  # listed by count and link; its cards load on demand


def defer_older_years(groups: Sequence[YearGroup], limit: int) -> tuple[YearGroup, ...]:
    """Keep the most recent years in full while they hold at most ``limit`` events (the latest year always);
    mark the older ones deferred, so that a long timeline stays light on a phone."""
    shown, kept = 0, set()
    for group in reversed(groups):
        if kept and shown + len(group.events) > limit:
            break
        kept.add(group.year)
        shown += len(group.events)
    return tuple(group if group.year in kept else YearGroup(group.year, group.events, True) for group in groups)


@dataclass(frozen=True, slots=True)
class ActorSlice:
    actor: Actor
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class TypeSlice:
    type: EventType
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
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


def with_neighbours(events: Sequence[Event]) -> Iterator[tuple[Event, Event | None, Event | None]]:
    """Each event in chronological order with the events before and after it, which its page links to; made as they
    are asked for, since most of a rebuild's event pages are not written."""
    ordered = chronological(events)
    last = len(ordered) - 1
    for index, event in enumerate(ordered):
        yield event, ordered[index - 1] if index else None, ordered[index + 1] if index < last else None


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


def likely_duplicates(events: Sequence[Event]) -> list[tuple[Event, ...]]:
    """Groups of events sharing date, actors and type that no record marks as distinct from the others."""
    groups: dict[tuple, list[Event]] = defaultdict(list)
    for event in events:
        groups[(event.date, frozenset(actor.key for actor in event.actors), event.type.key)].append(event)
    duplicates = []
    for group in groups.values():
        if len(group) < 2:
            continue
        ids = {event.id for event in group}
        marked = {frozenset((event.id, other)) for event in group for other in event.distinct_ids}
        pairs = {frozenset((a, b)) for a in ids for b in ids if a < b}
        if not pairs <= marked:
            duplicates.append(chronological(group))
    return duplicates


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The choices a listing's filter form offers: only values that occur in its events, with counts."""

    total: int
    types: tuple[Choice, ...]
    actors: tuple[Choice, ...]
    regions: tuple[Choice, ...]
    blocs: tuple[Choice, ...]
    stances: tuple[Choice, ...]
    years: tuple[Choice, ...]


def filter_options(events: Sequence[Event], registry: Registry) -> FilterOptions:
    types = Counter(event.type.key for event in events)
    actors = Counter(actor.key for event in events for actor in event.actors)
    regions = Counter(key for event in events for key in event.region_keys)
    blocs = Counter(key for event in events for key in event.bloc_keys)
    stances = Counter(event.stance.key for event in events)
    years = Counter(str(event.year) for event in events)
    actor_order = sorted(actors, key=lambda key: registry.actors[key].name.casefold())
    return FilterOptions(
        total=len(events),
        types=tuple(Choice(key, registry.types[key].label, types[key]) for key in registry.types if key in types),
        actors=tuple(Choice(key, registry.actors[key].name, actors[key]) for key in actor_order),
        regions=tuple(
            Choice(key, registry.regions[key].name, regions[key]) for key in registry.regions if key in regions
        ),
        blocs=tuple(Choice(key, registry.blocs[key].name, blocs[key]) for key in registry.blocs if key in blocs),
        stances=tuple(
            Choice(key, registry.stances[key].label, stances[key]) for key in registry.stances if key in stances
        ),
        years=tuple(Choice(year, year, years[year]) for year in sorted(years)),
    )
