// Keeps the board current. The board carries the data version its figures are of
// (data-version); every change event carries the version its change committed as. The board
// is fetched again only when an event's version is newer than the one shown, with one fetch in
// flight at a time: events arriving meanwhile only raise the version wanted, and when the fetch
// ends a newer one still wanted leads to one more fetch, so no change is ever dropped and a
// burst of events costs one or two fetches. A board shown as of a past moment does not change.
// Report pages that follow changes (the follow-through) put their figures in the same
// `#board` section and load this script too.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || board.dataset.asOf === "past") { return; }
  function versionOf(element) {
    var v = Number(element && element.dataset.version);
    return isFinite(v) ? v : 0;
  }
  var shown = versionOf(board);
  var wanted = shown;
  var fetching = false;
  // Set when events may have been missed: fetch once whatever the versions say.
  var unsure = false;
  var RETRY_MS = 2000;
  function refresh() {
    if (fetching || !(wanted > shown || unsure)) { return; }
    fetching = true;
    var wasUnsure = unsure;
    unsure = false;
    var failed = false;
    var before = shown;
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { throw new Error("board answered " + r.status); }
        return r.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("board");
        var current = document.getElementById("board");
        if (next && current && versionOf(next) >= shown) {
          current.replaceWith(next);
          shown = versionOf(next);
        }
      })
      .catch(function () { failed = true; unsure = unsure || wasUnsure; })
      .finally(function () {
        fetching = false;
        board = document.getElementById("board");
        if (board) { board.dataset.wanted = String(wanted); }
        if (wanted > shown || unsure) {
          // Progress: fetch again at once; none (an error, a server behind): after a pause.
          setTimeout(refresh, !failed && (shown > before || unsure) ? 0 : RETRY_MS);
        }
      });
  }
  function heard(version) {
    if (version > wanted) { wanted = version; }
    refresh();
  }
  function onChange(event) {
    var version;
    try { version = JSON.parse(event.data).data_version; } catch (e) { version = undefined; }
    if (typeof version !== "number") { unsure = true; version = 0; }
    heard(version);
  }
  var events = new EventSource("/api/v1/events");
  ["pledge", "requirement", "milestone"].forEach(function (name) {
    events.addEventListener(name, onChange);
  });
  // Events were missed (the stream fell behind): the board may be older than it knows.
  events.addEventListener("resync", function () { unsure = true; refresh(); });
})();
