/*
 * Inside an embed (/embed/...): applies theme=light|dark and compact=1 from the URL, and
 * tells the host page the content's height so its iframe can fit it (no inner scrollbar).
 * Two message formats: our own {type: "timeline-embed:height", height} for embed-host.js,
 * and Pym.js's "pymxPYMx<id>xPYMxheightxPYMx<px>" when the host added ?childId (Pym parents).
 * The height is not secret, so messages go to any parent origin; nothing else is sent.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var params = new URLSearchParams(location.search);
  var theme = params.get("theme");
  if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
  if (params.get("compact") === "1") root.classList.add("compact");
  // The "Source" link of a timeline embed opens the same view on the full site.
  document.addEventListener("DOMContentLoaded", function () {
    var source = document.querySelector("[data-embed-source][data-keep-filters]");
    if (!source) return;
    var view = new URLSearchParams(location.search);
    ["theme", "compact", "limit", "childId", "parentTitle", "parentUrl", "initialWidth"].forEach(function (name) {
      view.delete(name);
    });
    var text = view.toString();
    if (text) source.href = source.href.split("?")[0] + "?" + text;
  });
  if (window.parent === window) return;

  var pymId = params.get("childId");
  var lastHeight = 0;

  function sendHeight() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    window.parent.postMessage({ type: "timeline-embed:height", height: height }, "*");
    if (pymId) window.parent.postMessage(["pym", pymId, "height", String(height)].join("xPYMx"), "*");
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.ResizeObserver) new ResizeObserver(sendHeight).observe(document.body);
    document.addEventListener("timeline:filtered", sendHeight);
    window.addEventListener("load", sendHeight);
    sendHeight();
  });
})();
