"""Synthetic but valid event records for benchmarks: realistic sizes, spread over years, types and actors."""

from __future__ import annotations

import datetime
import random
import shutil
from pathlib import Path

WORDS = (
    "government parliament sanctions officials entity council resolution forced labour statement ministry region "
    "committee measures import detention review report rights cotton solar supply chain vote motion court"
).split()


def write_dataset(target: Path, count: int, registry: Path, *, seed: int = 7, first_year: int = 2000) -> list[Path]:
    """Write ``count`` records (and a copy of the registries) into ``target``; return the record paths."""
    import yaml  # the registries decide which keys the records may use

    rng = random.Random(seed)
    shutil.copytree(registry, target / "registry", dirs_exist_ok=True)
    types = list(yaml.safe_load((registry / "types.yaml").read_text(encoding="utf-8")))
    stances = list(yaml.safe_load((registry / "stances.yaml").read_text(encoding="utf-8")))
    actors = list(yaml.safe_load((registry / "actors.yaml").read_text(encoding="utf-8")))
    last = datetime.date(2025, 12, 31)
    span = (last - datetime.date(first_year, 1, 1)).days
    paths = []
    for number in range(count):
        day = datetime.date(first_year, 1, 1) + datetime.timedelta(days=rng.randrange(span))
        words = rng.sample(WORDS, 6)
        identifier = f"{day.isoformat()}-synthetic-{number}"
        summary = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 70))).capitalize() + "."
        record = {
            "date": day.isoformat(),
            "title": f"{' '.join(words).capitalize()} ({number})",
            "type": rng.choice(types),
            "stance": rng.choice(stances),
            "actors": sorted(set(rng.sample(actors, rng.randint(1, 3)))),
            "summary": summary,
            "sources": [
                {
                    "url": f"https://example.org/{day.year}/{number}/{source}",
                    "title": f"Report {number}.{source}",
                    "publisher": rng.choice(["Wire agency", "Official gazette", "Newspaper"]),
                    "date": day.isoformat(),
                    **({"primary": True} if source == 0 else {}),
                }
                for source in range(rng.randint(1, 3))
            ],
            "added": "2026-01-01",
        }
        path = target / str(day.year) / f"{identifier}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_yaml(record), encoding="utf-8")
        paths.append(path)
    return paths


def _yaml(record: dict) -> str:
    """Records as a contributor writes them: dates unquoted, text quoted only where YAML needs it."""
    import json

    lines = [
        f"date: {record['date']}",
        f"title: {json.dumps(record['title'])}",
        f"type: {record['type']}",
        f"stance: {record['stance']}",
        f"actors: [{', '.join(record['actors'])}]",
        "summary: >-",
    ]
    lines.append(f"  {record['summary']}")
    lines.append("sources:")
    for source in record["sources"]:
        lines.append(f"  - url: {source['url']}")
        lines.append(f"    title: {json.dumps(source['title'])}")
        lines.append(f"    publisher: {source['publisher']}")
        lines.append(f"    date: {source['date']}")
        if source.get("primary"):
            lines.append("    primary: true")
    lines.append(f"added: {record['added']}")
    return "\n".join(lines) + "\n"
