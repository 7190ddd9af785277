// Keeps the board current: on every change event, fetch the board again and swap it in.
(function () {
  "use strict";
  var refreshing = false;
  function refresh() {
    if (refreshing) { return; }
    refreshing = true;
    fetch("/", { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("board");
        var board = document.getElementById("board");
        if (next && board) { board.replaceWith(next); }
      })
      .finally(function () { refreshing = false; });
  }
  var events = new EventSource("/api/v1/events");
  ["pledge", "requirement", "resync"].forEach(function (name) {
    events.addEventListener(name, refresh);
  });
})();
