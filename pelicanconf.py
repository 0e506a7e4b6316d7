"""Site settings for local builds. publishconf.py adds the production URL on top of these."""

SITENAME = "Xinjiang Responses Timeline"
SITEURL = ""
DEFAULT_LANG = "en"
TIMEZONE = "UTC"

PATH = "content"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["timeline"]

# The timeline: see README.md "Settings" for every TIMELINE_* value and its default.
TIMELINE_EVENTS_PATH = "events"
TIMELINE_DESCRIPTION = (
    "A sourced timeline of how governments, parliaments, courts, the UN and companies have responded "
    "to the human-rights abuses in Xinjiang, and how Beijing answered."
)

# Content pages only (about, methodology): the timeline replaces Pelican's blog.
ARTICLE_PATHS = []
PAGE_PATHS = [""]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = []
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
STATIC_PATHS = []
DEFAULT_DATE = "fs"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
