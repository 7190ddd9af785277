// Keeps the board current: on every change event, fetch the board again and swap it in (its
// "updated" time with it). A board shown as of a past moment does not change, so it stays put.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || board.dataset.asOf === "past") { return; }
  var refreshing = false;
  function refresh() {
    if (refreshing) { return; }
    refreshing = true;
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("board");
        var current = document.getElementById("board");
        if (next && current) { current.replaceWith(next); }
      })
      .finally(function () { refreshing = false; });
  }
  var events = new EventSource("/api/v1/events");
  ["pledge", "requirement", "resync"].forEach(function (name) {
    events.addEventListener(name, refresh);
  });
})();
