"""TimelineGenerator: reads and validates the events (generate_context), then renders every page (generate_output)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from . import query
from .dataset import Dataset, InvalidDataset, load_dataset
from .export import events_json, oembed_json, published_event_schema
from .markup import sanitize_page_html
from .schema import SCHEMA_FOLDER
from .settings import read_settings

logger = logging.getLogger(__name__)

LISTING_EMBED_HEIGHT = 600
EVENT_EMBED_HEIGHT = 420


@dataclass(frozen=True)
class Embed:
    """How one page is embedded: the chrome-less address (relative to the site) and its oEmbed file."""

    path: str
    title: str
    height: int
    oembed_path: str


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
        registry = dataset.registry
        events = dataset.events
        by_year = query.events_by_year(events)
        by_actor = query.events_by_actor(events, registry)
        by_type = query.events_by_type(events, registry)
        neighbours = query.neighbours(events)
        related = query.related_events(events)
        site_name = self.settings["SITENAME"]
        shared = {"registry": registry, "years": [group.year for group in by_year]}
        embeds: list[Embed] = []

        def write(name: str, template: str, embed: Embed | None = None, **page: Any) -> None:
            if embed:
                embeds.append(embed)
                page["embed_info"] = embed
            writer.write_file(name, self.get_template(template), self.context, **shared, **page)

        def listing_embed(query_string: str, title: str, oembed_name: str) -> Embed:
            path = f"embed/?{query_string}" if query_string else "embed/"
            full_title = f"{site_name}: {title}" if title else site_name
            return Embed(path, full_title, LISTING_EMBED_HEIGHT, f"oembed/{oembed_name}.json")

        write(
            "index.html",
            "index",
            embed=listing_embed("", "", "timeline"),
            year_groups=by_year,
            options=query.filter_options(events, registry),
            current="timeline",
        )
        for event in events:
            write(
                f"{event.url}index.html",
                "event",
                embed=Embed(
                    f"embed/{event.url}", f"{site_name}: {event.title}", EVENT_EMBED_HEIGHT, f"oembed/{event.url[:-1]}.json"
                ),
                event=event,
                neighbours=neighbours[event.id],
                related=related.get(event.id, ()),
            )
        write("actors/index.html", "actors", actor_slices=by_actor, current="actors")
        for actor_slice in by_actor:
            actor = actor_slice.actor
            write(
                f"{actor.url}index.html",
                "actor",
                embed=listing_embed(f"actor={actor.key}", actor.name, f"actors/{actor.key}"),
                actor=actor,
                year_groups=query.events_by_year(actor_slice.events),
                options=query.filter_options(actor_slice.events, registry),
                count=len(actor_slice.events),
            )
        write("types/index.html", "types", type_slices=by_type, current="types")
        for type_slice in by_type:
            event_type = type_slice.type
            write(
                f"{event_type.url}index.html",
                "type",
                embed=listing_embed(f"type={event_type.key}", event_type.label, f"types/{event_type.key}"),
                event_type=event_type,
                year_groups=query.events_by_year(type_slice.events),
                options=query.filter_options(type_slice.events, registry),
                count=len(type_slice.events),
            )
        write("years/index.html", "years", year_groups=by_year, current="years")
        for group in by_year:
            write(
                f"years/{group.year}/index.html",
                "year",
                embed=listing_embed(f"from={group.year}&to={group.year}", str(group.year), f"years/{group.year}"),
                year_group=group,
                options=query.filter_options(group.events, registry),
            )
        write("404.html", "404")
        write(
            "embed/index.html",
            "embed/timeline",
            in_embed=True,
            year_groups=by_year,
            options=query.filter_options(events, registry),
        )
        for event in events:
            write(f"embed/{event.url}index.html", "embed/event", in_embed=True, event=event)
        self._write_data(dataset, embeds)

    def _write_data(self, dataset: Dataset, embeds: list[Embed]) -> None:
        output = Path(self.output_path)
        site_url = self.settings.get("SITEURL", "")
        files = {
            "data/events.json": events_json(dataset, site_url),
            "schema/event.schema.json": published_event_schema(dataset.registry),
            "schema/registry.schema.json": (SCHEMA_FOLDER / "registry.schema.json").read_text(encoding="utf-8"),
        }
        for embed in embeds:
            files[embed.oembed_path] = oembed_json(
                title=embed.title,
                embed_url=f"{site_url}/{embed.path}",
                height=embed.height,
                site_name=self.settings["SITENAME"],
                site_url=site_url,
            )
        for name, text in files.items():
            path = output / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
