// The pledge form: focus where typing starts (the first field in error, else the first one
// that can be typed in), and personnel pre-filled from the capability's standard size times
// the quantity until the planner types a figure of their own.
(function () {
  "use strict";
  var form = document.getElementById("pledge-form");
  if (!form) { return; }
  var first = form.querySelector(".invalid input, .invalid select, .invalid textarea") ||
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
    var count = quantity.value.trim() === "" ? 1 : Number(quantity.value);
    if (size === null || !Number.isInteger(count) || count < 0) { return; }
    personnel.value = size > 0 ? String(size * count) : "";
  }
  capability.addEventListener("input", prefill);
  capability.addEventListener("change", prefill);
  quantity.addEventListener("input", prefill);
})();
