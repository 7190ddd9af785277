// The navigation on a narrow screen: the links fold behind one "Menu" button. Without this
// script they simply wrap, so every page stays usable.
(function () {
  "use strict";
  var nav = document.querySelector("nav.site-nav");
  var links = document.getElementById("site-links");
  if (!nav || !links) { return; }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "menu-toggle";
  button.textContent = "Menu";
  button.setAttribute("aria-controls", "site-links");
  button.setAttribute("aria-expanded", "false");
  nav.insertBefore(button, links);
  nav.classList.add("collapsible");
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && nav.classList.contains("open")) {
      nav.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
