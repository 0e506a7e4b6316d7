"""Typed, validated records. Nothing after this module sees a raw YAML mapping."""

from __future__ import annotations

import calendar
import datetime
import pickle
import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class DatePrecision(Enum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day, as ``2021``, ``2021-03`` or ``2021-03-22``."""

    year: int
    month: int = 0
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse YYYY, YYYY-MM or YYYY-MM-DD; raise ValueError for anything else or an impossible date."""
        return _parse_partial_date(text)

    def __reduce__(self) -> tuple:
        return (_partial_date, (self.year, self.month, self.day))

    @property
    def precision(self) -> DatePrecision:
        if self.day:
            return DatePrecision.DAY
        return DatePrecision.MONTH if self.month else DatePrecision.YEAR

    @property
    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    @property
    def display(self) -> str:
        """'22 March 2021', 'March 2021' or '2021': only as precise as the record."""
        if self.day:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        return f"{calendar.month_name[self.month]} {self.year}" if self.month else str(self.year)

    @property
    def earliest(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> datetime.date:
        month = self.month or 12
        return datetime.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


def _by_fields(value: object) -> tuple:
    """Pickle a slotted dataclass as a call with its field values: faster to load than the state dataclasses
    write for frozen classes, which the build cache does for every event (see recordcache.py)."""
    return (type(value), tuple(getattr(value, name) for name in value.__slots__))  # type: ignore[attr-defined]


_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@lru_cache(maxsize=65536)
def _partial_date(year: int, month: int, day: int) -> PartialDate:
    """One object per date, for dates read back from the build cache as for parsed ones."""
    return PartialDate(year, month, day)


@lru_cache(maxsize=65536)
def _parse_partial_date(text: str) -> PartialDate:
    """Cached: a large dataset repeats the same dates many times, and the values are immutable."""
    match = _PARTIAL_DATE.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) if part else 0 for part in match.groups())
    if year < 1 or (match.group(2) and not 1 <= month <= 12):
        raise ValueError(text)
    if match.group(3):
        datetime.date(year, month, day)  # raises ValueError for 2021-02-30
    return _partial_date(year, month, day)


@dataclass(frozen=True, slots=True)
class Region:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Bloc:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Stance:
    key: str
    label: str
    definition: str


@dataclass(frozen=True, slots=True)
class EventType:
    key: str
    label: str
    definition: str
    is_reserved: bool = False

    @property
    def url(self) -> str:
        return f"types/{self.key}/"


class ActorKind(Enum):
    STATE = "state"
    INTERGOVERNMENTAL_BODY = "intergovernmental-body"
    UN_BODY = "un-body"
    PARLIAMENT = "parliament"
    COURT = "court"
    GOVERNMENT_AGENCY = "government-agency"
    NGO = "ngo"
    COMPANY = "company"
    GROUP = "group"

    @property
    def label(self) -> str:
        return _ACTOR_KIND_LABELS[self]


_ACTOR_KIND_LABELS = {
    ActorKind.STATE: "State",
    ActorKind.INTERGOVERNMENTAL_BODY: "Intergovernmental body",
    ActorKind.UN_BODY: "UN body",
    ActorKind.PARLIAMENT: "Parliament",
    ActorKind.COURT: "Court or tribunal",
    ActorKind.GOVERNMENT_AGENCY: "Government agency",
    ActorKind.NGO: "Non-governmental organisation",
    ActorKind.COMPANY: "Company",
    ActorKind.GROUP: "Group",
}


@dataclass(frozen=True, slots=True)
class Actor:
    key: str
    name: str
    kind: ActorKind
    region: Region
    memberships: tuple[Bloc, ...]
    iso3166: str = ""
    country: str = ""
    is_reserved: bool = False

    def __hash__(self) -> int:
        # By key alone (equal actors have equal keys): tuples of actors are keys of the caches below, and hashing
        # every field, region and bloc of each actor cost more than what those caches save.
        return hash(self.key)

    @property
    def url(self) -> str:
        return f"actors/{self.key}/"


@dataclass(frozen=True, slots=True)
class Registry:
    types: dict[str, EventType]
    stances: dict[str, Stance]
    actors: dict[str, Actor]
    regions: dict[str, Region]
    blocs: dict[str, Bloc]


@dataclass(frozen=True, slots=True)
class Source:
    __reduce__ = _by_fields

    url: str
    title: str
    publisher: str
    is_primary: bool = False
    date: PartialDate | None = None
    archive_url: str = ""


@dataclass(frozen=True, slots=True)
class Vote:
    __reduce__ = _by_fields

    votes_for: int | None = None
    against: int | None = None
    abstain: int | None = None

    @property
    def summary(self) -> str:
        """'318 for, 303 against': only the counts the record gives."""
        counts = ((self.votes_for, "for"), (self.against, "against"), (self.abstain, "abstaining"))
        return ", ".join(f"{number} {label}" for number, label in counts if number is not None)


@dataclass(frozen=True, slots=True)
class Signatories:
    __reduce__ = _by_fields

    count: int
    claimed_by: str = ""


class EventText:
    """An event's summary, note and sources: what only the pages that show the event read.

    Read back from the build cache they stay pickled until first asked for (``_stored_text``): a rebuild shows a few of
    its events, and unpickling every summary and source took a tenth of a rebuild at 10,000 events. Immutable, as
    the Event that holds it: loading only replaces the pickled form with the values it stands for. The pickled form
    is plain pickle: a text holds no registry entry (recordcache.py names those for the Event around it).
    """

    __slots__ = ("_values", "_pickled")

    def __init__(
        self, summary_html: str, summary_text: str = "", note_html: str = "", sources: tuple[Source, ...] = ()
    ) -> None:
        self._values: tuple | None = (summary_html, summary_text, note_html, sources)
        self._pickled: bytes | None = None

    def _loaded(self) -> tuple:
        values = self._values
        if values is None:
            pickled = self._pickled
            if pickled is None:  # loaded meanwhile by another thread, which set the values first
                return self._values  # type: ignore[return-value]
            values = pickle.loads(pickled)  # noqa: S301 - the build cache's own file
            self._values = values
            self._pickled = None
        return values

    @property
    def summary_html(self) -> str:
        return self._loaded()[0]

    @property
    def summary_text(self) -> str:
        return self._loaded()[1]

    @property
    def note_html(self) -> str:
        return self._loaded()[2]

    @property
    def sources(self) -> tuple[Source, ...]:
        return self._loaded()[3]

    def __reduce__(self) -> tuple:
        pickled = self._pickled
        if pickled is None:
            pickled = pickle.dumps(self._values, protocol=pickle.HIGHEST_PROTOCOL)
        return (_stored_text, (pickled,))

    def __eq__(self, other: object) -> bool:
        if type(other) is not EventText:
            return NotImplemented
        return self._loaded() == other._loaded()

    def __hash__(self) -> int:
        # Not the values': hashing an Event would load its text. Equal texts still hash alike, as they must.
        return hash(EventText)

    def __repr__(self) -> str:
        summary_html, summary_text, note_html, sources = self._loaded()
        return (
            f"EventText(summary_html={summary_html!r}, summary_text={summary_text!r}, note_html={note_html!r}, "
            f"sources={sources!r})"
        )


def _stored_text(pickled: bytes) -> EventText:
    text = EventText.__new__(EventText)
    text._values, text._pickled = None, pickled
    return text


@dataclass(frozen=True, slots=True)
class Event:
    __reduce__ = _by_fields

    id: str
    date: PartialDate
    title: str
    text: EventText
    type: EventType
    stance: Stance
    actors: tuple[Actor, ...]
    added: datetime.date
    source_path: str
    end_date: PartialDate | None = None
    targets: tuple[str, ...] = ()
    outcome: str = ""
    vote: Vote | None = None
    signatories: Signatories | None = None
    tags: tuple[str, ...] = ()
    related_ids: tuple[str, ...] = ()
    distinct_ids: tuple[str, ...] = ()
    previous_ids: tuple[str, ...] = ()
    updated: datetime.date | None = None
    fingerprint: str = ""  # a digest of the record file: what the build cache compares (see recordcache.py)

    @property
    def summary_html(self) -> str:
        return self.text.summary_html

    @property
    def summary_text(self) -> str:
        return self.text.summary_text

    @property
    def note_html(self) -> str:
        return self.text.note_html

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.text.sources

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def region_keys(self) -> tuple[str, ...]:
        return _region_keys(self.actors)

    @property
    def bloc_keys(self) -> tuple[str, ...]:
        return _bloc_keys(self.actors)

    @property
    def url(self) -> str:
        return f"events/{self.id}/"

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        """Date then id, as plain values: sorting compares them in C, where comparing PartialDates runs Python."""
        date = self.date
        return (date.year, date.month, date.day, self.id)


@lru_cache(maxsize=65536)
def _region_keys(actors: tuple[Actor, ...]) -> tuple[str, ...]:
    """Once for each set of actors: every listing's filter counts them, and many events share their actors."""
    return tuple(sorted({actor.region.key for actor in actors}))


@lru_cache(maxsize=65536)
def _bloc_keys(actors: tuple[Actor, ...]) -> tuple[str, ...]:
    return tuple(sorted({bloc.key for actor in actors for bloc in actor.memberships}))


def event_from_record(
    event_id: str, record: dict, registry: Registry, source_path: str, fingerprint: str = ""
) -> Event:
    """Make an Event from a record that has passed validation."""
    from .markup import render_markdown  # kept local: the model's types need no Markdown

    vote = record.get("vote")
    signatories = record.get("signatories")
    return Event(
        id=event_id,
        date=PartialDate.parse(record["date"]),
        end_date=PartialDate.parse(record["end_date"]) if "end_date" in record else None,
        title=record["title"],
        text=EventText(
            summary_html=render_markdown(record["summary"]),
            summary_text=record["summary"],
            note_html=render_markdown(record["note"]) if "note" in record else "",
            sources=tuple(
                Source(
                    url=source["url"],
                    title=source["title"],
                    publisher=source["publisher"],
                    is_primary=source.get("primary", False),
                    date=PartialDate.parse(source["date"]) if "date" in source else None,
                    archive_url=source.get("archive_url", ""),
                )
                for source in record["sources"]
            ),
        ),
        type=registry.types[record["type"]],
        stance=registry.stances[record["stance"]],
        actors=tuple(registry.actors[key] for key in record["actors"]),
        added=datetime.date.fromisoformat(record["added"]),
        updated=datetime.date.fromisoformat(record["updated"]) if "updated" in record else None,
        source_path=source_path,
        targets=tuple(record.get("targets", ())),
        outcome=record.get("outcome", ""),
        vote=Vote(vote.get("for"), vote.get("against"), vote.get("abstain")) if vote else None,
        signatories=Signatories(signatories["count"], signatories.get("claimed_by", "")) if signatories else None,
        tags=tuple(record.get("tags", ())),
        related_ids=tuple(record.get("related", ())),
        distinct_ids=tuple(record.get("distinct_from", ())),
        previous_ids=tuple(record.get("previous_ids", ())),
        fingerprint=fingerprint,
    )
