"""TimelineGenerator: reads and validates the events (generate_context), then renders every page (generate_output)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from . import query
from .dataset import Dataset, InvalidDataset, load_dataset
from .markup import sanitize_page_html
from .export import events_json, published_event_schema
from .schema import SCHEMA_FOLDER
from .settings import read_settings

logger = logging.getLogger(__name__)


class TimelineGenerator(Generator):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Record text comes from strangers' pull requests: escape everything unless a
        # template marks it safe (only sanitized HTML is), whatever pelicanconf says.
        self.env.autoescape = True
        self.env.filters["sanitize_html"] = sanitize_page_html
        self.timeline_settings = read_settings(self.settings)
        self.dataset: Dataset | None = None

    def generate_context(self) -> None:
        dataset, problems = load_dataset(self.timeline_settings)
        if dataset is None:
            raise InvalidDataset(problems)  # its message lists every problem
        for problem in problems:
            logger.warning(problem.format())
        self.dataset = dataset
        self.context["timeline_dataset"] = dataset

    def generate_output(self, writer: Any) -> None:
        dataset = self.dataset
        assert dataset is not None, "generate_context() runs first"
        events = dataset.events
        by_year = query.events_by_year(events)
        by_actor = query.events_by_actor(events, dataset.registry)
        by_type = query.events_by_type(events, dataset.registry)
        neighbours = query.neighbours(events)
        related = query.related_events(events)
        years = [group.year for group in by_year]
        shared = {"registry": dataset.registry, "years": years}

        def write(name: str, template: str, **page: Any) -> None:
            writer.write_file(name, self.get_template(template), self.context, **shared, **page)

        registry = dataset.registry
        write("index.html", "index", year_groups=by_year, options=query.filter_options(events, registry), current="timeline")
        for event in events:
            write(
                f"{event.url}index.html",
                "event",
                event=event,
                neighbours=neighbours[event.id],
                related=related.get(event.id, ()),
            )
        write("actors/index.html", "actors", actor_slices=by_actor, current="actors")
        for actor_slice in by_actor:
            write(
                f"{actor_slice.actor.url}index.html",
                "actor",
                actor=actor_slice.actor,
                year_groups=query.events_by_year(actor_slice.events),
                options=query.filter_options(actor_slice.events, registry),
                count=len(actor_slice.events),
            )
        write("types/index.html", "types", type_slices=by_type, current="types")
        for type_slice in by_type:
            write(
                f"{type_slice.type.url}index.html",
                "type",
                event_type=type_slice.type,
                year_groups=query.events_by_year(type_slice.events),
                options=query.filter_options(type_slice.events, registry),
                count=len(type_slice.events),
            )
        write("years/index.html", "years", year_groups=by_year, current="years")
        for group in by_year:
            write(
                f"years/{group.year}/index.html",
                "year",
                year_group=group,
                options=query.filter_options(group.events, registry),
            )
        write("404.html", "404")
        self._write_data(dataset)

    def _write_data(self, dataset: Dataset) -> None:
        output = Path(self.output_path)
        site_url = self.settings.get("SITEURL", "")
        files = {
            "data/events.json": events_json(dataset, site_url),
            "schema/event.schema.json": published_event_schema(dataset.registry),
            "schema/registry.schema.json": (SCHEMA_FOLDER / "registry.schema.json").read_text(encoding="utf-8"),
        }
        for name, text in files.items():
            path = output / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
