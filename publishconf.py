"""Production settings: the public address on top of pelicanconf.py."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The public address of the site, e.g. https://<user>.github.io/<repository>; the deploy
# workflow passes it in. Empty builds root-relative links.
SITEURL = os.environ.get("SITEURL", "")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
