"""The overview's numbers and chart geometry, computed from the validated events (pure: no files, no Pelican)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Actor, ActorKind, Bloc, Event, EventType, Registry
from .worldmap import HEIGHT as MAP_HEIGHT
from .worldmap import WIDTH as MAP_WIDTH
from .worldmap import country_shapes

# A state's colour comes from acts of the state and its own institutions, not of its companies or NGOs.
STATE_BODIES = frozenset({ActorKind.STATE, ActorKind.PARLIAMENT, ActorKind.COURT, ActorKind.GOVERNMENT_AGENCY})
CHART_WIDTH = 640
BAR_CHART_HEIGHT = 240
TOP, BOTTOM, LEFT = 24, 28, 36


@dataclass(frozen=True)
class Segment:
    stance: str
    count: int
    y: float
    height: float
    link: str


@dataclass(frozen=True)
class YearBar:
    year: int
    total: int
    x: float
    width: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class TypeBar:
    type: EventType
    count: int
    y: float
    width: float


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    path: str
    category: str  # critical, supportive, both, beijing, none
    counts: dict[str, int]
    actor: Actor | None  # the page a click opens

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class BlocCount:
    bloc: Bloc
    counts: dict[str, int]


@dataclass(frozen=True)
class StatementBar:
    event: Event
    signatories: int
    named: int
    is_claimed: bool
    y: float
    width: float


@dataclass(frozen=True)
class Overview:
    stances: tuple[str, ...]
    years: tuple[YearBar, ...]
    year_scale: tuple[tuple[int, float], ...]
    types: tuple[TypeBar, ...]
    countries: tuple[Country, ...]
    blocs: tuple[BlocCount, ...]
    statements: tuple[StatementBar, ...]
    statements_height: float
    types_height: float


def _ticks(maximum: int) -> list[int]:
    step = next(step for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 2000, 5000) if maximum / step <= 6)
    return list(range(0, maximum + step, step))


def year_bars(
    events: Sequence[Event], stances: Sequence[str]
) -> tuple[tuple[YearBar, ...], tuple[tuple[int, float], ...]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in events:
        counts[event.year][event.stance.key] += 1
    if not counts:
        return (), ()
    years = list(range(min(counts), max(counts) + 1))
    ticks = _ticks(max(sum(counts[year].values()) for year in years))
    plot_height = BAR_CHART_HEIGHT - TOP - BOTTOM
    per_event = plot_height / ticks[-1]
    slot = (CHART_WIDTH - LEFT) / len(years)
    bars = []
    for index, year in enumerate(years):
        bottom = BAR_CHART_HEIGHT - BOTTOM
        segments = []
        for stance in stances:
            count = counts[year].get(stance, 0)
            if count:
                height = count * per_event
                bottom -= height
                segments.append(
                    Segment(
                        stance, count, round(bottom, 1), round(height, 1), f"?from={year}&to={year}&stance={stance}"
                    )
                )
        bars.append(
            YearBar(
                year,
                sum(counts[year].values()),
                round(LEFT + index * slot + slot * 0.15, 1),
                round(slot * 0.7, 1),
                tuple(segments),
            )
        )
    scale = tuple((tick, round(BAR_CHART_HEIGHT - BOTTOM - tick * per_event, 1)) for tick in ticks)
    return tuple(bars), scale


def type_bars(events: Sequence[Event], registry: Registry) -> tuple[tuple[TypeBar, ...], float]:
    counts: dict[str, int] = defaultdict(int)
    for event in events:
        counts[event.type.key] += 1
    present = [key for key in registry.types if counts.get(key)]
    biggest = max((counts[key] for key in present), default=1)
    row = 22
    bars = tuple(
        TypeBar(registry.types[key], counts[key], index * row, round((CHART_WIDTH - 330) * counts[key] / biggest, 1))
        for index, key in enumerate(sorted(present, key=lambda key: -counts[key]))
    )
    return bars, len(bars) * row


def countries(events: Sequence[Event], registry: Registry, responding_state: str) -> tuple[Country, ...]:
    """Each country shaded by the stances of its state's and its own institutions' acts (an event counts once)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in events:
        for code in {actor.iso3166 or actor.country for actor in event.actors if actor.kind in STATE_BODIES} - {""}:
            counts[code][event.stance.key] += 1
    link: dict[str, Actor] = {}
    for actor in registry.actors.values():
        if actor.kind not in STATE_BODIES:
            continue
        code = actor.iso3166 or actor.country
        if code in counts and (code not in link or actor.kind is ActorKind.STATE):
            if code not in link or link[code].kind is not ActorKind.STATE:
                link[code] = actor
    shaded = []
    for shape in country_shapes():
        tally = dict(counts.get(shape.code, {}))
        critical, supportive = tally.get("critical", 0), tally.get("supportive", 0)
        if shape.code == responding_state:
            category = "beijing"
        elif critical and supportive:
            category = "both"
        elif supportive:
            category = "supportive"
        elif critical:
            category = "critical"
        else:
            category = "none"
        shaded.append(
            Country(shape.code, shape.name, shape.path, category, tally, link.get(shape.code) if tally else None)
        )
    return tuple(shaded)


def bloc_counts(events: Sequence[Event], registry: Registry) -> tuple[BlocCount, ...]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in events:
        for key in event.bloc_keys:
            counts[key][event.stance.key] += 1
    return tuple(BlocCount(bloc, dict(counts[key])) for key, bloc in registry.blocs.items() if key in counts)


def statement_bars(events: Sequence[Event], statement_type: str) -> tuple[tuple[StatementBar, ...], float]:
    """Joint statements and letters of states, each with the number of states on its side."""
    joint = [event for event in events if event.type.key == statement_type]
    named = {event.id: sum(1 for actor in event.actors if actor.kind is ActorKind.STATE) for event in joint}
    sizes = {event.id: event.signatories.count if event.signatories else named[event.id] for event in joint}
    biggest = max(sizes.values(), default=0) or 1  # a statement may name no state and give no count
    row = 24
    bars = tuple(
        StatementBar(
            event,
            sizes[event.id],
            named[event.id],
            bool(event.signatories and event.signatories.claimed_by),
            index * row,
            round((CHART_WIDTH - 300) * sizes[event.id] / biggest, 1),
        )
        for index, event in enumerate(joint)
    )
    return bars, len(bars) * row


def overview(events: Sequence[Event], registry: Registry, responding_state: str, statement_type: str) -> Overview:
    stances = tuple(registry.stances)
    years, scale = year_bars(events, stances)
    types, types_height = type_bars(events, registry)
    statements, statements_height = statement_bars(events, statement_type)
    return Overview(
        stances=stances,
        years=years,
        year_scale=scale,
        types=types,
        countries=countries(events, registry, responding_state),
        blocs=bloc_counts(events, registry),
        statements=statements,
        statements_height=statements_height,
        types_height=types_height,
    )


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def in_sentence(label: str) -> str:
    """A type's label inside a sentence: its first letter in lower case, unless the first word is an acronym
    ('UN report')."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def country_counts_text(country: Country, registry: Registry) -> str:
    """'12 events (11 Critical, 1 Supportive of Beijing)': the text of a country's tooltip and label. Stance labels
    stay as written: they name places ("Beijing's counter-measure"), which lower case would get wrong."""
    parts = [f"{count} {registry.stances[stance].label}" for stance, count in country.counts.items() if count]
    return f"{_plural(country.total, 'event')} ({', '.join(parts)})"


def summaries(shape: Overview, registry: Registry) -> dict[str, str]:
    """The one-paragraph text summary under each chart."""
    busiest = max(shape.years, key=lambda bar: bar.total, default=None)
    top = ", ".join(f"{in_sentence(bar.type.label)} ({bar.count})" for bar in shape.types[:3])
    acting = sum(1 for country in shape.countries if country.actor)
    sides = [
        _plural(count, registry.stances[stance].label, registry.stances[stance].label)
        for stance in shape.stances
        if (count := sum(1 for bar in shape.statements if bar.event.stance.key == stance))
    ]
    return {
        "year_summary": (
            f"Most events fall in {busiest.year} ({busiest.total}). "
            "Each bar is split by stance; select a part to see its events."
            if busiest
            else "No events yet."
        ),
        "type_summary": f"The most frequent types are {top}." if top else "No events yet.",
        "map_summary": (
            f"{_plural(acting, 'state has', 'states have')} at least one recorded act, by their government or one of "
            "their own bodies (a parliament, a court, an agency). Select a state to open its page."
        ),
        "statement_summary": (
            f"{_plural(len(shape.statements), 'joint statement or letter', 'joint statements and letters')}"
            + (
                f": {', '.join(sides)}. Each bar is one statement; its length is the number of states that signed it."
                if sides
                else "."
            )
        ),
    }


def actor_year_bars(events: Sequence[Event]) -> tuple[tuple[int, int, float, float], ...]:
    """A small chart for an actor page: (year, count, x, height) over the years the actor acted in."""
    counts: dict[int, int] = defaultdict(int)
    for event in events:
        counts[event.year] += 1
    years = list(range(min(counts), max(counts) + 1)) if counts else []
    biggest = max(counts.values(), default=1)
    slot = 24
    return tuple(
        (year, counts.get(year, 0), index * slot, round(60 * counts.get(year, 0) / biggest, 1))
        for index, year in enumerate(years)
    )


__all__ = ["MAP_HEIGHT", "MAP_WIDTH", "Overview", "actor_year_bars", "overview"]
