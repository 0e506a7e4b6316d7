/* Host-page helper for timeline embeds: sets each of our iframes to the height its content reports.
   Only messages from this script's own site (or its sandboxed, origin-less frames) and of the
   expected shape are used; anything else is ignored. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, location.href).origin;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin && event.origin !== "null") return;
    if (!data || typeof data !== "object" || data.type !== "timeline-embed:height") return;
    var height = data.height;
    if (typeof height !== "number" || !(height > 0 && height < 100000)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source && frames[i].src.indexOf(origin + "/") === 0) {
        frames[i].style.height = Math.ceil(height) + "px";
        return;
      }
    }
  });
})();
