"""A Pelican plugin that validates YAML event records and renders them as a sourced, filterable timeline."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .generator import TimelineGenerator
from .headers import CONTENT_SECURITY_POLICY, REFERRER_POLICY
from .markup import sanitize_page_html
from .settings import DEFAULTS, read_settings


def _prepare_settings(pelican: Any) -> None:
    read_settings(pelican.settings)  # refuses a misspelt TIMELINE_* name before anything is read
    for name, default in DEFAULTS.items():
        pelican.settings.setdefault(name, default)
    pelican.settings["CONTENT_SECURITY_POLICY"] = CONTENT_SECURITY_POLICY
    pelican.settings["REFERRER_POLICY"] = REFERRER_POLICY
    pelican.settings["JINJA_FILTERS"] = {**pelican.settings["JINJA_FILTERS"], "sanitize_html": sanitize_page_html}
    # Every template, Pelican's pages included, escapes by default: record text is untrusted.
    pelican.settings["JINJA_ENVIRONMENT"] = {**pelican.settings["JINJA_ENVIRONMENT"], "autoescape": True}


def _timeline_generator(pelican: Any) -> type[TimelineGenerator]:
    return TimelineGenerator


def register() -> None:
    # initialized: settings are checked and completed before any generator is created.
    signals.initialized.connect(_prepare_settings)
    # get_generators: the timeline is a generator of its own, so it gets Pelican's two
    # phases (read everything, then write) and its writer.
    signals.get_generators.connect(_timeline_generator)
