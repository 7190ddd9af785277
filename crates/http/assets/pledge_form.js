// The pledge forms: Enter saves from any field (a select too; Ctrl+Enter in a text area);
// withdrawal asks in a dialog (without JavaScript the server asks on a page instead); on the
// new-pledge form, focus where typing starts (the first field in error; after a save with the
// state kept, Capability; else the first field that can be typed in), and personnel
// pre-filled from the capability's standard size times the quantity until the planner types
// a figure of their own.
(function () {
  "use strict";

  var confirming = document.querySelectorAll("form[data-confirm]");
  Array.prototype.forEach.call(confirming, function (f) {
    f.addEventListener("submit", function (event) {
      if (!window.confirm(f.getAttribute("data-confirm"))) {
        event.preventDefault();
        return;
      }
      var yes = document.createElement("input");
      yes.type = "hidden";
      yes.name = "confirm";
      yes.value = "yes";
      f.appendChild(yes);
    });
  });

  var forms = document.querySelectorAll("form.pledge-form");
  Array.prototype.forEach.call(forms, function (f) {
    f.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.isComposing) { return; }
      var tag = event.target.tagName;
      var save = tag === "SELECT" || (tag === "TEXTAREA" && (event.ctrlKey || event.metaKey));
      if (!save) { return; }
      event.preventDefault();
      if (f.requestSubmit) { f.requestSubmit(); } else { f.submit(); }
    });
  });

  var form = document.getElementById("pledge-form");
  if (!form) { return; }
  var saved = document.getElementById("saved");
  var state = document.getElementById("f-member_state");
  var keptState = saved && saved.textContent.trim() !== "" && state && state.value !== "";
  var first = form.querySelector(".invalid input, .invalid select, .invalid textarea") ||
    (keptState ? document.getElementById("f-capability") : null) ||
    form.querySelector("input:not([readonly]):not([type=hidden])");
  if (first) { first.focus(); if (first.select) { first.select(); } }

  var capability = document.getElementById("f-capability");
  var quantity = document.getElementById("f-quantity");
  var personnel = document.getElementById("f-personnel");
  if (!capability || !quantity || !personnel) { return; }
  var typed = personnel.value !== "";
  personnel.addEventListener("input", function () { typed = personnel.value !== ""; });

  function standardSize() {
    var wanted = capability.value.trim().toLowerCase();
    var options = document.querySelectorAll("#capabilities option");
    for (var i = 0; i < options.length; i++) {
      var o = options[i];
      if (o.value.toLowerCase() === wanted || o.textContent.trim().toLowerCase() === wanted) {
        return parseInt(o.getAttribute("data-personnel"), 10);
      }
    }
    return null;
  }
  function prefill() {
    if (typed) { return; }
    var size = standardSize();
    var count = quantity.value.trim() === "" ? 1 : Number(quantity.value.replace(/[,\s]/g, ""));
    if (size === null || !Number.isInteger(count) || count < 0) { return; }
    personnel.value = size > 0 ? String(size * count) : "";
  }
  // A pre-filled figure is the server's own estimate: it is sent blank, so the pledge is
  // stored as estimated (≈) and follows its quantity until a planner states a figure.
  form.addEventListener("submit", function () {
    if (!typed) { personnel.value = ""; }
  });
  capability.addEventListener("input", prefill);
  capability.addEventListener("change", prefill);
  quantity.addEventListener("input", prefill);
})();
