"""TimelineGenerator: reads and validates the events (generate_context), then renders every page (generate_output)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from pelican import signals
from pelican.generators import Generator

from . import paging, query
from .buildcache import SETTING_KEY as BUILD_CACHE_KEY
from .buildcache import BuildCache
from .cachefiles import digest, folder_digest
from .cards import COMPRESS_FROM, LINK_MARKERS, Cards
from .collector import existing_objects_frozen
from .dataset import Dataset, InvalidDataset, load_dataset
from .export import (
    EVENT_COLUMNS,
    EVENTS_CSV,
    EVENTS_JSON,
    SOURCE_COLUMNS,
    SOURCES_CSV,
    actors_json,
    citation,
    embed_html,
    events_csv,
    events_json,
    oembed_json,
    published_event_schema,
    sources_csv,
    types_json,
)
from .feeds import Recency, atom_feed, recent_events
from .headers import headers_file
from .markup import sanitize_page_html
from .model import Event
from .output import FileWriter
from .overview import (
    BAR_CHART_HEIGHT,
    CHART_WIDTH,
    MAP_HEIGHT,
    MAP_WIDTH,
    actor_year_bars,
    country_counts_text,
    overview,
    summaries,
)
from .parts import Part, write_parts
from .schema import SCHEMA_FOLDER, load_schema
from .settings import read_settings
from .sharing import dataset_json_ld, event_json_ld, robots_txt, sitemap_xml
from .sitecache import SiteCache, event_key, inputs_digest, plain_settings
from .timelinejs import TIMELINEJS_JSON, timelinejs_json

logger = logging.getLogger(__name__)

LISTING_EMBED_HEIGHT = 600
EVENT_EMBED_HEIGHT = 420


@dataclass(frozen=True, slots=True)
class Feed:
    """An Atom feed of a slice, advertised by the slice's page."""

    path: str
    title: str
    events: tuple


@dataclass(frozen=True, slots=True)
class Embed:
    """How one page is embedded: the chrome-less address (relative to the site) and its oEmbed file."""

    path: str
    title: str
    height: int
    oembed_path: str
    describes: str = "this view of the timeline"
    # An event's embed: the event stands for the title, path and height in its oEmbed file's key.
    event: Event | None = None


class TimelineGenerator(Generator):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Record text comes from strangers' pull requests: escape everything unless a
        # template marks it safe (only sanitized HTML is), whatever pelicanconf says.
        self.env.autoescape = True
        self.env.filters["sanitize_html"] = sanitize_page_html
        # A generator lives for one build, and its templates do not change during it: without this, Jinja looks at
        # each template file's modification time every time a page asks for it (60,000 times for 10,000 events).
        self.env.auto_reload = False
        self.timeline_settings = read_settings(self.settings)
        self.dataset: Dataset | None = None
        self.build_cache: BuildCache | None = self.settings.get(BUILD_CACHE_KEY)
        self.site_cache = SiteCache(None, "")
        self.files = FileWriter(Path(self.output_path))
        if self.build_cache and self.build_cache.folder:
            # Compiling the templates is a good part of a small rebuild; Jinja checks each cached one's source.
            templates = self.build_cache.folder / "templates"
            templates.mkdir(parents=True, exist_ok=True)
            self.env.bytecode_cache = FileSystemBytecodeCache(str(templates))

    def generate_context(self) -> None:
        dataset, problems = load_dataset(self.timeline_settings, self.build_cache)
        if dataset is None:
            raise InvalidDataset(problems)  # its message lists every problem
        for problem in problems:
            logger.warning(problem.format())
        self.dataset = dataset
        self.context["timeline_dataset"] = dataset

    def generate_output(self, writer: Any) -> None:
        with existing_objects_frozen():  # the dataset, the templates, Pelican's objects
            try:
                self._generate_output()
            except BaseException:
                self.files.abandon()
                raise
            self.files.close()

    def _generate_output(self) -> None:
        dataset = self.dataset
        assert dataset is not None, "generate_context() runs first"
        registry = dataset.registry
        events = dataset.events
        by_year = query.events_by_year(events)
        home_years = query.defer_older_years(by_year, self.timeline_settings.home_limit)
        by_actor = query.events_by_actor(events, registry)
        by_type = query.events_by_type(events, registry)
        related = query.related_events(events)
        site_name = self.settings["SITENAME"]
        site_url = self.settings.get("SITEURL", "")
        shared = {
            "registry": registry,
            "years": [group.year for group in by_year],
            "year_page_paths": paging.year_page_paths(by_year, self.timeline_settings.page_size),
        }
        self.site_cache = site = self._open_site_cache(shared["year_page_paths"])
        every_event = inputs_digest(events)

        @cache
        def every_option() -> query.FilterOptions:
            return query.filter_options(events, registry)  # the home page's and the embed listing's

        feeds: list[tuple[Feed, str]] = []
        timelines: dict[str, str] = {}  # path: title of each TimelineJS export
        page_paths: list[str] = []

        # Each card is rendered once and reused by every listing that shows it (home, year, type and actor pages,
        # and the embed listing): rendering it per listing was most of the build's time.
        site_cards = self._render_cards(events, shared)

        def write(
            name: str,
            template: str,
            depends: Any,
            embed: Embed | None = None,
            feed: Feed | None = None,
            values: Callable[[], dict[str, Any]] | None = None,
            **page: Any,
        ) -> None:
            """Render ``template`` to ``name`` unless the previous build made it from the same ``depends``.

            ``depends`` is every input of the page besides the site-wide ones (settings, theme, registries, years):
            the events it shows, in order, and any other value. ``values`` computes the costlier page values, only
            when the page is written.
            """
            if not page.get("in_embed"):
                page.setdefault("cards", site_cards)
            page_path = name.removesuffix("index.html")
            if embed:
                self._write_oembed(embed)
            if feed:
                feeds.append((feed, page_path))
            if not page.get("in_embed") and name != "404.html":
                page_paths.append(page_path)
            if site.unchanged(name, inputs_digest(template, depends)):
                return
            if embed:
                page["embed_info"] = embed
                page["embed_code"] = embed_html(
                    f"{site_url}/{embed.path}", embed.title, embed.height, f"{site_url}/theme/js/embed-host.js"
                )
            if feed:
                page["feed_info"] = feed
            if values:
                page.update(values())
            self._render(name, template, page_path=page_path, **shared, **page)

        def timeline_export(path: str, title: str, description: str, slice_events: tuple) -> str:
            # Written at once rather than kept: a large timeline's exports would hold the whole dataset many times over.
            self._write_text(
                path,
                (title, description, slice_events),
                lambda: timelinejs_json(title, description, slice_events, site_url, site.part),
            )
            timelines[path] = title
            return path

        def listing_embed(query_string: str, title: str, oembed_name: str) -> Embed:
            path = f"embed/?{query_string}" if query_string else "embed/"
            full_title = f"{site_name}: {title}" if title else site_name
            return Embed(path, full_title, LISTING_EMBED_HEIGHT, f"oembed/{oembed_name}.json")

        write(
            "index.html",
            "index",
            every_event,
            embed=listing_embed("", "", "timeline"),
            feed=Feed("feeds/all.atom.xml", f"{site_name}: recently added events", events),
            timelinejs=timeline_export(TIMELINEJS_JSON, site_name, self.timeline_settings.description, events),
            year_groups=home_years,
            values=lambda: {"options": every_option()},
            current="timeline",
        )
        listed_on = paging.listing_pages(by_year, self.timeline_settings.page_size)

        def event_page_values(
            event: Event,
            previous: Event | None,
            following: Event | None,
            related_events: tuple[Event, ...],
            year_listing_path: str,
        ) -> dict[str, Any]:
            return {
                "event": event,
                "neighbours": query.Neighbours(previous, following),
                "related": related_events,
                "year_listing_path": year_listing_path,
                "json_ld": event_json_ld(event, site_url, site_name),
                "edit_url": self.timeline_settings.edit_url(event.source_path),
                "correction_url": self.timeline_settings.correction_url(event.id, f"{site_url}/{event.url}"),
            }

        for event, previous, following in query.with_neighbours(events):
            event_related = related.get(event.id, ())
            year_listing_path = listed_on[event.id]
            write(
                f"{event.url}index.html",
                "event",
                (event, previous, following, event_related, year_listing_path),
                embed=Embed(
                    f"embed/{event.url}",
                    f"{site_name}: {event.title}",
                    EVENT_EMBED_HEIGHT,
                    f"oembed/{event.url[:-1]}.json",
                    event=event,
                ),
                # Ten thousand pages, most of them unchanged in a rebuild: their values are made only when written.
                values=partial(event_page_values, event, previous, following, event_related, year_listing_path),
            )
        write("actors/index.html", "actors", every_event, actor_slices=by_actor, current="actors")
        for actor_slice in by_actor:
            actor = actor_slice.actor
            write(
                f"{actor.url}index.html",
                "actor",
                actor_slice.events,
                embed=listing_embed(f"actor={actor.key}", actor.name, f"actors/{actor.key}"),
                feed=Feed(f"feeds/actors/{actor.key}.atom.xml", f"{site_name}: {actor.name}", actor_slice.events),
                timelinejs=timeline_export(
                    f"data/timelinejs/actors/{actor.key}.json",
                    f"{site_name}: {actor.name}",
                    actor.name,
                    actor_slice.events,
                ),
                actor=actor,
                count=len(actor_slice.events),
                values=lambda slice_events=actor_slice.events: {
                    "actor_years": actor_year_bars(slice_events),
                    "year_groups": query.defer_older_years(
                        query.events_by_year(slice_events), self.timeline_settings.home_limit
                    ),
                    "options": query.filter_options(slice_events, registry),
                },
            )
        write("types/index.html", "types", every_event, type_slices=by_type, current="types")
        for type_slice in by_type:
            event_type = type_slice.type
            write(
                f"{event_type.url}index.html",
                "type",
                type_slice.events,
                embed=listing_embed(f"type={event_type.key}", event_type.label, f"types/{event_type.key}"),
                feed=Feed(
                    f"feeds/types/{event_type.key}.atom.xml", f"{site_name}: {event_type.label}", type_slice.events
                ),
                timelinejs=timeline_export(
                    f"data/timelinejs/types/{event_type.key}.json",
                    f"{site_name}: {event_type.label}",
                    event_type.definition,
                    type_slice.events,
                ),
                event_type=event_type,
                count=len(type_slice.events),
                values=lambda slice_events=type_slice.events: {
                    "year_groups": query.defer_older_years(
                        query.events_by_year(slice_events), self.timeline_settings.home_limit
                    ),
                    "options": query.filter_options(slice_events, registry),
                },
            )
        write("years/index.html", "years", every_event, year_groups=by_year, current="years")
        for group in by_year:
            year_options = cache(lambda group=group: query.filter_options(group.events, registry))
            for year_page in paging.year_pages(group, self.timeline_settings.page_size):
                write(
                    f"{year_page.path}index.html",
                    "year",
                    # The whole year, not only the page's events: every page's filter form offers and counts them all.
                    (year_page.number, year_page.count, group.events),
                    embed=(
                        listing_embed(f"from={group.year}&to={group.year}", str(group.year), f"years/{group.year}")
                        if year_page.number == 1
                        else None
                    ),
                    year_group=year_page.listing,
                    year_page=year_page,
                    values=lambda year_options=year_options: {"options": year_options()},
                )
        write("404.html", "404", ())
        self._write_overview(write, events, registry)
        recent = recent_events(events, self.timeline_settings.changes_limit)
        write("changes/index.html", "changes", recent, current="changes", changes=recent)
        for event in events:
            for old_id in event.previous_ids:
                write(
                    f"events/{old_id}/index.html",
                    "redirect",
                    (old_id, event),
                    in_embed=True,
                    target=event,
                    target_path=event.url,
                )
                write(
                    f"embed/events/{old_id}/index.html",
                    "redirect",
                    (old_id, event),
                    in_embed=True,
                    target=event,
                    target_path=f"embed/{event.url}",
                )
        write(
            "data/index.html",
            "data",
            every_event,
            current="data",
            export_fields=load_schema("events-export.schema.json")["$defs"]["event"]["properties"],
            event_columns=EVENT_COLUMNS,
            source_columns=SOURCE_COLUMNS,
            feeds=[feed for feed, _ in feeds],
            timelines=timelines,
            values=lambda: {
                "citation_text": citation(site_name, dataset, site_url),
                "json_ld": dataset_json_ld(dataset, site_url, site_name, self.timeline_settings),
            },
        )
        write(
            "embed/index.html",
            "embed/timeline",
            every_event,
            in_embed=True,
            cards=site_cards.for_embed(),
            year_groups=home_years,
            values=lambda: {"options": every_option()},
        )
        for event in events:
            write(f"embed/{event.url}index.html", "embed/event", event, in_embed=True, event=event)
        self._write_data(dataset, every_event, feeds, timelines, page_paths)

    def _open_site_cache(self, year_page_paths: dict[int, tuple[str, ...]]) -> SiteCache:
        """The previous build's pieces and manifest when this build has a cache and shares their environment.

        The years and their pages are part of it: every listing links to the years, and a deferred year section names
        each page of its year, whichever events the listing shows.
        """
        cache = self.build_cache
        if cache is None or cache.records is None:
            return SiteCache(None, "")
        environment = digest(
            cache.records.environment,
            folder_digest(Path(self.settings["THEME"])),
            json.dumps(plain_settings(self.settings), sort_keys=True),
            *(f"{page.url} {page.title}" for page in self.context.get("pages", [])),
            repr(year_page_paths),
        )
        return cache.open_site(environment)

    def _write_overview(self, write: Any, events: tuple, registry: Any) -> None:
        settings = self.timeline_settings
        shape = overview(events, registry, settings.responding_state, settings.statement_type)
        stance_totals = [(stance, sum(1 for event in events if event.stance.key == stance)) for stance in shape.stances]

        def country_label(country: Any) -> str:
            return country_counts_text(country, registry)

        write(
            "overview/index.html",
            "overview",
            # What the page shows: counts, and the joint statements (an edit to any other event leaves it as it was).
            (
                repr(replace(shape, statements=())),
                [(bar.event, repr(replace(bar, event=None))) for bar in shape.statements],
                stance_totals,
                len(events),
            ),
            current="overview",
            chart_width=CHART_WIDTH,
            bar_height=BAR_CHART_HEIGHT,
            map_width=MAP_WIDTH,
            map_height=MAP_HEIGHT,
            country_label=country_label,
            values=lambda: {"overview": shape, "stance_totals": stance_totals, **summaries(shape, registry)},
        )

    def _render_cards(self, events: Sequence[Event], shared: dict[str, Any]) -> Cards:
        """Each event's card, for the site's listings and (``for_embed()``) the embed listing."""
        card = self.env.from_string(
            '{% from "macros/event_card.html" import event_card with context %}{{ event_card(event, "h3") }}'
        )
        context = {**self.context, **shared, "link_markers": LINK_MARKERS}
        cards = Cards(compressed=not self.site_cache.incremental and len(events) >= COMPRESS_FROM)
        for event in events:
            cards.add(
                event.id,
                self.site_cache.piece("card", event_key(event), lambda event=event: card.render(context, event=event)),
            )
        return cards

    def _write_oembed(self, embed: Embed) -> None:
        site_url = self.settings.get("SITEURL", "")
        self._write_text(
            embed.oembed_path,
            embed.event if embed.event is not None else (embed.title, embed.path, embed.height),
            lambda: oembed_json(
                title=embed.title,
                embed_url=f"{site_url}/{embed.path}",
                height=embed.height,
                site_name=self.settings["SITENAME"],
                site_url=site_url,
            ),
        )

    def _write_data(
        self,
        dataset: Dataset,
        every_event: str,
        feeds: list[tuple[Feed, str]],
        timelines: dict[str, str],
        page_paths: list[str],
    ) -> None:
        site_url = self.settings.get("SITEURL", "")
        site_name = self.settings["SITENAME"]
        limit = self.timeline_settings.feed_limit
        part = self.site_cache.part
        # Each file is made and written in turn (lambdas), so that no two large ones are in memory at once.
        files: dict[str, tuple[Any, Callable[[], str | Iterable[str | Part]]]] = {
            EVENTS_JSON: (
                every_event,
                lambda: events_json(dataset, site_url, site_name, self.timeline_settings, part),
            ),
            EVENTS_CSV: (every_event, lambda: events_csv(dataset, site_url, part)),
            SOURCES_CSV: (every_event, lambda: sources_csv(dataset, part)),
            "data/actors.json": (every_event, lambda: actors_json(dataset)),
            "data/types.json": (every_event, lambda: types_json(dataset)),
            "schema/events-export.schema.json": (
                (),
                lambda: (SCHEMA_FOLDER / "events-export.schema.json").read_text(encoding="utf-8"),
            ),
            "robots.txt": ((), lambda: robots_txt(site_url)),
            "_headers": ((), headers_file),
            "schema/event.schema.json": ((), lambda: published_event_schema(dataset.registry)),
            "schema/registry.schema.json": (
                (),
                lambda: (SCHEMA_FOLDER / "registry.schema.json").read_text(encoding="utf-8"),
            ),
        }
        for name, (depends, make) in files.items():
            self._write_text(name, depends, make)
        recency = Recency(dataset.events)
        for feed, page_path in feeds:
            recent = recency.recent(feed.events, limit)
            self._write_text(
                feed.path,
                (feed.title, page_path, recent),
                lambda feed=feed, page_path=page_path, recent=recent: atom_feed(
                    title=feed.title,
                    feed_url=f"{site_url}/{feed.path}",
                    page_url=f"{site_url}/{page_path}",
                    events=recent,
                    site_url=site_url,
                ),
            )
        content_pages = [page.url for page in self.context.get("pages", [])]
        all_pages = [*page_paths, *content_pages]
        self._write_text("sitemap.xml", all_pages, lambda: sitemap_xml(site_url, all_pages))

    def _render(self, name: str, template: str, **page: Any) -> None:
        """Render a page as Pelican's writer would (the same context), and hand it to the file writer.

        ``content_written`` is sent once the page is rendered, when its file may still be waiting to be written; a
        page a rebuild leaves as it was sends none."""
        context = {**self.context, "localsiteurl": None, "output_file": name, **page}
        self.files.write(name, self.get_template(template).render(context))
        signals.content_written.send(os.path.join(self.output_path, name), context=context)

    def _write_text(self, name: str, depends: Any, make: Callable[[], str | Iterable[str | Part]]) -> None:
        """Write what ``make`` returns to ``name``, unless the previous build made it from the same ``depends``.

        Text goes to the file writer; a large file made in parts is written here, as it is made (parts.py)."""
        if self.site_cache.unchanged(name, inputs_digest("text", depends)):
            return
        text = make()
        if isinstance(text, str):
            self.files.write(name, text)
            return
        locations = write_parts(self.output_path, name, text, self.site_cache.previous_output)
        if locations is not None:
            self.site_cache.placed(name, locations)
