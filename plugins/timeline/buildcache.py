"""What one build keeps for the next, so that a rebuild after a small change redoes only what the change touches.

The cache folder (``TIMELINE_CACHE_PATH``) holds the checked records (``recordcache``), and the rendered pieces with
the manifest of the output folder and where each event's part of the data files lies (``sitecache``, ``parts``);
``cachefiles`` writes them, and has the system read them ahead while a build starts. Each part is trusted only while
everything that shaped it is unchanged; anything else means starting afresh. A rebuild compares each output file's
digest with the manifest and writes only the files that differ; the command line then moves them into the site
(``cli.build``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cachefiles import warm
from .model import Event
from .recordcache import EVENTS_FILE, RECORDS_FILE, RecordCache
from .sitecache import PARTS_FILE, SITE_FILE, SiteCache

# How cli.build hands the cache to the generator: a lower-case key, which no settings file can set.
SETTING_KEY = "timeline_build_cache"


@dataclass
class Memory:
    """What a long-running process (``timeline serve``) keeps from one build to the next, so that a rebuild reads
    nothing back from the cache folder: each part with the environment it is valid for."""

    records: tuple[str, dict[str, tuple], dict[str, Event], int] | None = None
    site: tuple[str, tuple | None, dict[str, str], dict[str, Any], int, dict[str, Any]] | None = None
    titles: tuple[str, dict[tuple[str, str], bool]] | None = None


@dataclass
class BuildCache:
    """The cache of one build: where it lives, which output folder it is for, and whether to read what is there.

    ``fresh`` (``build --full``) ignores the previous build's files but still writes new ones.
    """

    folder: Path | None
    output: Path | None = None
    fresh: bool = False
    memory: Memory | None = None
    records: RecordCache | None = None
    site: SiteCache | None = None

    def read_ahead(self) -> None:
        """Have the system read the cache files this build will read, while it starts up (``cachefiles.warm``)."""
        if self.folder is not None and not self.fresh and (self.memory is None or self.memory.site is None):
            names = [RECORDS_FILE, EVENTS_FILE, *([SITE_FILE, PARTS_FILE] if self.output is not None else [])]
            warm(self.folder / name for name in names)

    def open_records(self, environment: str) -> RecordCache:
        self.records = RecordCache(self.folder, environment, read=not self.fresh, memory=self.memory)
        return self.records

    def open_site(self, environment: str) -> SiteCache:
        self.site = SiteCache.load(self.folder, environment, self.output, read=not self.fresh, memory=self.memory)
        return self.site

    def discard(self) -> None:
        """The build failed: drop what it was writing. The checked records are kept (they were saved once read,
        so that fixing one record does not mean checking all of them again); the site's pieces and manifest stay
        those of the last build that succeeded."""
        for part in (self.records, self.site):
            if part is not None:
                part.writer.discard()
