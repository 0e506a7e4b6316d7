/* The "Embed" panel: HTML to paste for exactly the current view (filters included), a copy
   button and a live preview that appears when the panel is opened. */
(function () {
  "use strict";

  var panel = document.querySelector('[data-module="embed-panel"]');
  if (!panel) return;
  var code = panel.querySelector("[data-embed-code]");
  var copy = panel.querySelector("[data-embed-copy]");
  var copied = panel.querySelector("[data-embed-copied]");
  var preview = panel.querySelector("[data-embed-preview]");
  var SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox";

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  function embedUrl() {
    var url = new URL(panel.getAttribute("data-embed-url"), location.href);
    new URLSearchParams(location.search).forEach(function (value, name) {
      url.searchParams.set(name, value);
    });
    return url.href;
  }

  function render() {
    var src = embedUrl();
    var host = new URL(panel.getAttribute("data-host-script"), location.href).href;
    code.value =
      '<iframe src="' + escapeAttribute(src) + '" title="' + escapeAttribute(panel.getAttribute("data-embed-title")) +
      '" width="100%" height="' + panel.getAttribute("data-embed-height") +
      '" style="border:0;max-width:100%" sandbox="' + SANDBOX + '" loading="lazy"></iframe>\n' +
      '<script src="' + escapeAttribute(host) + '" async></script>';
    if (panel.open) showPreview(src);
  }

  function showPreview(src) {
    var frame = preview.querySelector("iframe");
    if (frame && frame.src === src) return;
    if (!frame) {
      frame = document.createElement("iframe");
      frame.setAttribute("sandbox", SANDBOX);
      frame.title = "Preview: " + panel.getAttribute("data-embed-title");
      frame.style.height = panel.getAttribute("data-embed-height") + "px";
      preview.appendChild(frame);
    }
    frame.src = src;
  }

  copy.hidden = false;
  copy.addEventListener("click", function () {
    var done = function () {
      copied.textContent = "Copied.";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(code.value).then(done, function () {
        code.select();
        copied.textContent = "Press Ctrl+C or Cmd+C to copy.";
      });
    } else {
      code.select();
      copied.textContent = document.execCommand && document.execCommand("copy") ? "Copied." : "Press Ctrl+C or Cmd+C to copy.";
    }
  });
  panel.addEventListener("toggle", render);
  document.addEventListener("timeline:filtered", render);
  document.addEventListener("timeline:address", render);
  window.addEventListener("popstate", render);
  render();
})();
