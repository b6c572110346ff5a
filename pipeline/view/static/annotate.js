// Keyboard shortcuts of the annotation page: a key presses the answer button that shows it
// (1–9, 0, letters, n for none); ← or Backspace goes back, → skips. The buttons submit an
// ordinary form, so the page also works without this script.
(function () {
  "use strict";
  var form = document.getElementById("answers");
  if (!form) { return; }
  var sent = false;
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || sent) { return; }
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) { return; }
    if (e.key === "ArrowLeft" || e.key === "Backspace") {
      var prev = document.getElementById("prev");
      if (prev) { e.preventDefault(); window.location.href = prev.href; }
      return;
    }
    if (e.key === "ArrowRight") {
      var next = document.getElementById("next");
      if (next) { e.preventDefault(); window.location.href = next.href; }
      return;
    }
    var key = e.key.length === 1 ? e.key.toLowerCase() : "";
    if (!key) { return; }
    var buttons = form.querySelectorAll("button[data-key]");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].getAttribute("data-key") === key) {
        e.preventDefault();
        sent = true; // one answer per page: a held key must not answer the next item too
        buttons[i].click();
        return;
      }
    }
  });
  // Marks the page as listening (tests wait for it before pressing keys).
  document.body.setAttribute("data-keys", "ready");
})();
