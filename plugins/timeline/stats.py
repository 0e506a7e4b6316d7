"""Coverage of the dataset: how many events per year, type, stance and region, and how many actors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .dataset import Dataset


@dataclass(frozen=True)
class Coverage:
    events: int
    actors: int
    by_year: tuple[tuple[str, int], ...]
    by_type: tuple[tuple[str, int], ...]
    by_stance: tuple[tuple[str, int], ...]
    by_region: tuple[tuple[str, int], ...]


def coverage(dataset: Dataset) -> Coverage:
    """Counts from the validated events. An event counts once in each region one of its actors belongs to."""
    events = dataset.events
    registry = dataset.registry
    types = Counter(event.type.key for event in events)
    stances = Counter(event.stance.key for event in events)
    regions = Counter(region for event in events for region in {actor.region.key for actor in event.actors})
    return Coverage(
        events=len(events),
        actors=len({actor.key for event in events for actor in event.actors}),
        by_year=tuple(sorted(Counter(str(event.year) for event in events).items())),
        by_type=tuple((registry.types[key].label, types[key]) for key in registry.types),
        by_stance=tuple((registry.stances[key].label, stances[key]) for key in registry.stances),
        by_region=tuple((registry.regions[key].name, regions[key]) for key in registry.regions),
    )


def coverage_table(result: Coverage) -> str:
    """Markdown tables, ready to paste into the README."""
    lines = [f"{result.events} events, {result.actors} actors.", ""]
    for heading, rows in (
        ("year", result.by_year),
        ("type", result.by_type),
        ("stance", result.by_stance),
        ("region", result.by_region),
    ):
        lines += [f"| {heading} | events |", "|---|---:|"]
        lines += [f"| {label} | {count} |" for label, count in rows]
        lines.append("")
    return "\n".join(lines)
