"""What a shared link and a search engine see: schema.org JSON-LD, the sitemap and robots.txt."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree

from .dataset import Dataset
from .model import ActorKind, Event
from .settings import TimelineSettings


def json_for_script(document: Any) -> str:
    """JSON that is safe inside <script type="application/ld+json">: no </script> or <!-- can close it."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def event_json_ld(event: Event, site_url: str, site_name: str) -> str:
    url = f"{site_url}/{event.url}"
    organisers = [
        {"@type": "Country" if actor.kind is ActorKind.STATE else "Organization", "name": actor.name}
        for actor in event.actors
    ]
    subject: dict[str, Any] = {
        "@type": "Event",
        "name": event.title,
        "description": event.summary_text,
        "startDate": event.date.iso,
        "organizer": organisers,
        "url": url,
    }
    if event.end_date:
        subject["endDate"] = event.end_date.iso
    document = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "url": url,
        "name": event.title,
        "isPartOf": {"@type": "WebSite", "name": site_name, "url": f"{site_url}/"},
        "dateCreated": event.added.isoformat(),
        "dateModified": (event.updated or event.added).isoformat(),
        "mainEntity": subject,
        "citation": [
            {
                "@type": "CreativeWork",
                "name": source.title,
                "url": source.url,
                "publisher": {"@type": "Organization", "name": source.publisher},
                **({"datePublished": source.date.iso} if source.date else {}),
            }
            for source in event.sources
        ],
    }
    return json_for_script(document)


def dataset_json_ld(dataset: Dataset, site_url: str, site_name: str, settings: TimelineSettings) -> str:
    years = [event.year for event in dataset.events]
    document = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": site_name,
        "description": settings.description,
        "url": f"{site_url}/data/",
        "license": settings.license_url,
        "dateModified": dataset.build_date.isoformat(),
        "temporalCoverage": f"{min(years)}/{max(years)}" if years else "",
        "isAccessibleForFree": True,
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": kind, "contentUrl": f"{site_url}/data/{name}"}
            for name, kind in (
                ("events.json", "application/json"),
                ("events.csv", "text/csv"),
                ("sources.csv", "text/csv"),
                ("actors.json", "application/json"),
                ("types.json", "application/json"),
            )
        ],
    }
    return json_for_script(document)


def sitemap_xml(site_url: str, paths: Sequence[str]) -> str:
    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    root = ElementTree.Element("urlset", xmlns=namespace)
    for path in sorted(set(paths)):
        ElementTree.SubElement(ElementTree.SubElement(root, "url"), "loc").text = f"{site_url}/{path}"
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def robots_txt(site_url: str) -> str:
    # Embeds carry <meta name="robots" content="noindex">; blocking them here would hide that from crawlers.
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url}/sitemap.xml")
    return "\n".join(lines) + "\n"
