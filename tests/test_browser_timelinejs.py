"""The TimelineJS export loads in the real TimelineJS library, one slide per event."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import PROJECT
from site_server import serve

TIMELINEJS = PROJECT / "tests" / ".cache" / "timelinejs" / "node_modules" / "@knight-lab" / "timelinejs" / "dist"


@pytest.mark.parametrize("export", ["timeline.json", "types/sanction.json", "actors/canada.json"])
def test_timelinejs_shows_one_slide_per_event(page, bundled_site: Path, tmp_path: Path, export: str) -> None:
    if not (TIMELINEJS / "js" / "timeline.js").exists():
        pytest.fail("TimelineJS is missing: `make test` installs it from the npm registry.")
    shutil.copytree(TIMELINEJS, tmp_path / "dist")
    data = json.loads((bundled_site / "data" / "timelinejs" / export).read_text(encoding="utf-8"))
    (tmp_path / "data.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "index.html").write_text(
        """<!doctype html><html><head><link rel="stylesheet" href="dist/css/timeline.css">
<script src="dist/js/timeline.js"></script></head><body>
<div id="timeline" style="width:1000px;height:600px"></div>
<script>
fetch("data.json").then(r => r.json()).then(data => {
  window.timeline = new TL.Timeline("timeline", data);
  window.timeline.on("loaded", () => { window.loaded = true; });
});
</script></body></html>""",
        encoding="utf-8",
    )
    errors: list[str] = []
    # TimelineJS itself asks its CDN for a font stylesheet, which this closed network refuses; that is
    # the library's request, not the export's, so only script errors count here.
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve(tmp_path) as url:
        page.goto(url + "/")
        page.wait_for_function("window.loaded === true", timeout=15000)
        slides = page.evaluate("document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide)').length")
    assert errors == []
    assert slides == len(data["events"])
