"""The plugin's TIMELINE_* settings: each default with its help, read once into a frozen object."""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .problems import did_you_mean


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "TIMELINE_EVENTS_PATH",
        "events",
        "Folder of event records: one YAML file per event, in a folder per year. "
        "A relative path is taken from the folder pelican (or make) runs in.",
    ),
    Setting(
        "TIMELINE_REGISTRY_PATH",
        None,
        "Folder of the registries (types.yaml, stances.yaml, actors.yaml, regions.yaml, blocs.yaml). "
        "None means the registry folder inside TIMELINE_EVENTS_PATH.",
    ),
    Setting(
        "TIMELINE_BUILD_DATE",
        None,
        "The dataset's build date as YYYY-MM-DD, shown on the site and in the data files; records dated "
        "after it are refused. None means the date of SOURCE_DATE_EPOCH if that is set, else today (UTC). "
        "Fix either to rebuild a byte-identical site.",
    ),
    Setting(
        "TIMELINE_CACHE_PATH",
        "cache/timeline",
        "Folder where `timeline build` and `timeline validate` keep what a rebuild can reuse: checked records, "
        "rendered pieces and the list of files in the output folder. A relative path is taken from the folder the "
        "build runs in; an empty value turns the cache off. Safe to delete at any time.",
    ),
    Setting(
        "TIMELINE_MAX_FILE_BYTES",
        65536,
        "Largest accepted record or registry file, in bytes.",
    ),
    Setting(
        "TIMELINE_DESCRIPTION",
        "A sourced timeline of how the world has responded.",
        "One sentence describing the timeline, shown under the site name and in page descriptions.",
    ),
    Setting(
        "TIMELINE_LICENSE_NAME",
        "CC BY 4.0",
        "The licence of the data (records and data files), as shown on the site and in the data files.",
    ),
    Setting(
        "TIMELINE_LICENSE_URL",
        "https://creativecommons.org/licenses/by/4.0/",
        "The address of the data licence's text.",
    ),
    Setting(
        "TIMELINE_FEED_LIMIT",
        50,
        "How many of the most recently added or updated events each Atom feed holds.",
    ),
    Setting(
        "TIMELINE_REPOSITORY_URL",
        None,
        "Web address of the repository that holds the records, such as https://github.com/<owner>/<name>. "
        "When set, event pages link to 'Edit this record' and 'Suggest a correction' (GitHub-style addresses); "
        "None hides both links.",
    ),
    Setting(
        "TIMELINE_REPOSITORY_BRANCH",
        "main",
        "The branch that 'Edit this record' opens.",
    ),
    Setting(
        "TIMELINE_CHANGES_LIMIT",
        100,
        "How many recently added or updated records the /changes/ page lists.",
    ),
    Setting(
        "TIMELINE_RESPONDING_STATE",
        "CN",
        "ISO 3166-1 alpha-2 code of the state whose policies the responses answer: the overview map marks it "
        "on its own, with its counter-measures.",
    ),
    Setting(
        "TIMELINE_STATEMENT_TYPE",
        "joint-statement",
        "The type key of joint statements and letters of states, charted with their signatories on the overview.",
    ),
    Setting(
        "TIMELINE_HOME_LIMIT",
        1000,
        "The home page, /embed/ and each actor and type page show the most recent years in full up to about this "
        "many events; older years are listed with a link to their year page and load on demand when a reader "
        "filters or searches.",
    ),
    Setting(
        "TIMELINE_PAGE_SIZE",
        500,
        "The most events a year page lists. A longer year is split into pages: /years/<year>/ lists its first "
        "events, /years/<year>/2/ and so on the next ones, each page linking to the others; filtering or searching "
        "on any page covers the whole year.",
    ),
)

DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}


class SettingsError(Exception):
    """A TIMELINE_* setting in pelicanconf.py is misspelt or has a wrong value."""


@dataclass(frozen=True)
class TimelineSettings:
    events_path: Path
    registry_path: Path
    build_date: datetime.date
    cache_path: Path | None
    max_file_bytes: int
    description: str
    license_name: str
    license_url: str
    feed_limit: int
    repository_url: str
    repository_branch: str
    changes_limit: int
    home_limit: int
    page_size: int
    responding_state: str
    statement_type: str

    def edit_url(self, source_path: str) -> str:
        return f"{self.repository_url}/edit/{self.repository_branch}/{source_path}" if self.repository_url else ""

    def correction_url(self, event_id: str, page_url: str) -> str:
        if not self.repository_url:
            return ""
        query = urlencode(
            {
                "title": f"Correction: {event_id}",
                "body": f"Event: {page_url}\n\nWhat is wrong:\n\nWhat it should say, with a source (link):\n",
            }
        )
        return f"{self.repository_url}/issues/new?{query}"


def _today(environment: Mapping[str, str]) -> datetime.date:
    """The reproducible-builds convention: SOURCE_DATE_EPOCH, when set, stands for "now"."""
    epoch = environment.get("SOURCE_DATE_EPOCH", "")
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
        except ValueError:
            raise SettingsError(f'SOURCE_DATE_EPOCH "{epoch}" is not a number of seconds.') from None
    return datetime.datetime.now(datetime.UTC).date()


def read_settings(
    pelican_settings: Mapping[str, Any], environment: Mapping[str, str] | None = None
) -> TimelineSettings:
    """Read the TIMELINE_* values from Pelican's settings, refusing unknown names.

    ``environment`` defaults to the process environment; it is read here, when a build starts, never at import.
    """
    environment = os.environ if environment is None else environment
    for name in pelican_settings:
        if name.startswith("TIMELINE_") and name not in DEFAULTS:
            raise SettingsError(f'unknown setting "{name}". {did_you_mean(name, DEFAULTS)}'.strip())
    values = {**DEFAULTS, **{k: v for k, v in pelican_settings.items() if k in DEFAULTS}}
    events_path = Path(values["TIMELINE_EVENTS_PATH"]).absolute()
    registry = values["TIMELINE_REGISTRY_PATH"]
    build_date = values["TIMELINE_BUILD_DATE"]
    if build_date is None:
        build_date = _today(environment)
    elif isinstance(build_date, str):
        try:
            build_date = datetime.date.fromisoformat(build_date)
        except ValueError:
            raise SettingsError(f'TIMELINE_BUILD_DATE "{build_date}" is not a date; write YYYY-MM-DD.') from None
    elif type(build_date) is not datetime.date:
        raise SettingsError(f"TIMELINE_BUILD_DATE must be a date written YYYY-MM-DD, not {build_date!r}.")
    max_bytes = _positive_number("TIMELINE_MAX_FILE_BYTES", values["TIMELINE_MAX_FILE_BYTES"])
    return TimelineSettings(
        events_path=events_path,
        registry_path=Path(registry).absolute() if registry else events_path / "registry",
        build_date=build_date,
        cache_path=Path(values["TIMELINE_CACHE_PATH"]).absolute() if values["TIMELINE_CACHE_PATH"] else None,
        max_file_bytes=max_bytes,
        description=str(values["TIMELINE_DESCRIPTION"]),
        license_name=str(values["TIMELINE_LICENSE_NAME"]),
        license_url=str(values["TIMELINE_LICENSE_URL"]),
        feed_limit=_positive_number("TIMELINE_FEED_LIMIT", values["TIMELINE_FEED_LIMIT"]),
        repository_url=str(values["TIMELINE_REPOSITORY_URL"] or "").rstrip("/"),
        repository_branch=str(values["TIMELINE_REPOSITORY_BRANCH"]),
        changes_limit=_positive_number("TIMELINE_CHANGES_LIMIT", values["TIMELINE_CHANGES_LIMIT"]),
        home_limit=_positive_number("TIMELINE_HOME_LIMIT", values["TIMELINE_HOME_LIMIT"]),
        page_size=_positive_number("TIMELINE_PAGE_SIZE", values["TIMELINE_PAGE_SIZE"]),
        responding_state=str(values["TIMELINE_RESPONDING_STATE"]),
        statement_type=str(values["TIMELINE_STATEMENT_TYPE"]),
    )


def _positive_number(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise SettingsError(f"{name} must be a positive whole number, not {value!r}.")
    return value
