"""`make new`: a new record with every field, each explained, named after its date and title."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .model import PartialDate, Registry
from .problems import did_you_mean
from .settings import DEFAULTS
from .validate import PLACEHOLDER, load_event_file

MAX_BYTES = DEFAULTS["TIMELINE_MAX_FILE_BYTES"]


@dataclass(frozen=True)
class NewEvent:
    date: str
    type: str
    actors: tuple[str, ...]
    title: str
    stance: str = ""
    summary: str = ""
    source_url: str = ""
    source_title: str = ""
    source_publisher: str = ""


def event_id(date: str, title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:8]
    return f"{date}-{'-'.join(words) or 'event'}"


def check_new_event(new: NewEvent, registry: Registry, today: datetime.date) -> list[str]:
    """What is wrong with the answers, in words a contributor can act on."""
    errors = []
    try:
        if PartialDate.parse(new.date).earliest > today:
            errors.append(f"DATE {new.date} is in the future.")
    except ValueError:
        errors.append(f'DATE "{new.date}" is not a date: write YYYY-MM-DD, YYYY-MM or YYYY.')
    if new.type not in registry.types:
        errors.append(f'unknown TYPE "{new.type}". {did_you_mean(new.type, registry.types)}'.strip())
    if new.stance and new.stance not in registry.stances:
        errors.append(f'unknown STANCE "{new.stance}". {did_you_mean(new.stance, registry.stances)}'.strip())
    if not new.actors:
        errors.append("give at least one actor: ACTORS=key[,key...]")
    for actor in new.actors:
        if actor not in registry.actors:
            errors.append(f'unknown actor "{actor}". {did_you_mean(actor, registry.actors)}'.strip())
    if not new.title.strip():
        errors.append('give a title: TITLE="Who did what"')
    return errors


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False) if value else f'"{PLACEHOLDER}"'


def record_text(new: NewEvent, added: datetime.date) -> str:
    """The YAML of the new record. Fields not given carry TODO, which validation refuses until replaced."""
    stance = new.stance or PLACEHOLDER
    return f"""# yaml-language-server: $schema=../event.schema.json
# One event. Every field is described in CONTRIBUTING.md; `make validate` checks this file.

# The date of the act (signature, adoption, announcement): YYYY-MM-DD, or YYYY-MM / YYYY if the day is unknown.
date: {new.date}
# Optional: the last day of an act that lasted several days.
# end_date: YYYY-MM-DD

# One line, plain text: who did what.
title: {_text(new.title)}

# A key of events/registry/types.yaml.
type: {new.type}
# critical, supportive or counter-measure: the act's position toward Beijing's policies, not a judgement of the actor.
stance: {stance}
# Who acted: keys of events/registry/actors.yaml.
actors: [{", ".join(new.actors)}]

# Two to four neutral sentences in your own words: who did what and when; attribute claims ("the ministry said").
summary: {_text(new.summary)}

# Optional: who or what a measure targets, as the source names them.
# targets:
#   - Name of an official or entity
# Optional: the result of a vote or ruling, and the counts a source gives.
# outcome: Adopted
# vote: {{for: 0, against: 0, abstain: 0}}
# Optional, joint statements: how many states signed, and who gave the number if not all are named.
# signatories: {{count: 0, claimed_by: "..."}}
# Optional: ids of related events (file names without .yaml), such as the measure this one answers.
# related: [YYYY-MM-DD-other-event]
# Optional: ids of same-day events by the same actors that are separate acts.
# distinct_from: [YYYY-MM-DD-other-event]
# Optional: old ids of this record, if it was renamed; their addresses keep working.
# previous_ids: [YYYY-MM-DD-old-name]
# Optional: keywords.
# tags: [forced-labour]

# At least one source whose page states the date and the act. Put the acting body's own publication first,
# with primary: true. Copy the address from your browser; never type or guess one.
sources:
  - url: {_text(new.source_url)}
    title: {_text(new.source_title)}
    publisher: {_text(new.source_publisher)}
    # date: YYYY-MM-DD
    # primary: true
    # archive_url: https://web.archive.org/web/...

# Optional: where sources disagree, which date was followed and why.
# note: "..."

# The day this record entered the dataset; add updated: YYYY-MM-DD when you correct it later.
added: {added.isoformat()}
"""


def taken_ids(events_path: Path) -> set[str]:
    """Every id in use or once used (previous_ids), read with the same loader as validation."""
    taken = set()
    for path in events_path.glob("[0-9]*/*.yaml"):
        taken.add(path.stem)
        previous = (load_event_file(path, max_bytes=MAX_BYTES).data or {}).get("previous_ids")
        if isinstance(previous, list):
            taken.update(item for item in previous if isinstance(item, str))
    return taken


def write_new_event(new: NewEvent, events_path: Path, added: datetime.date) -> Path:
    """Write the record and return its path; refuse an id that is taken, now or as an old id."""
    identifier = event_id(new.date, new.title)
    if identifier in taken_ids(events_path):
        raise FileExistsError(f"{identifier} is already an event id; choose a different title.")
    target = events_path / new.date[:4] / f"{identifier}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(record_text(new, added), encoding="utf-8")
    return target
