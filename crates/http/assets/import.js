// The import form: sends the file in place and shows the result below the form, so the
// chosen file stays chosen between Preview and Apply.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form || !window.fetch) { return; }
  form.addEventListener("submit", function (event) {
    // The problems as CSV are a download: the browser sends the form itself.
    if (event.submitter && event.submitter.value === "errors") { return; }
    event.preventDefault();
    var data = new FormData(form, event.submitter);
    var result = document.getElementById("import-result");
    result.textContent = "Working…";
    // form.action would be the button named "action": read the attribute.
    fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.getElementById("import-result");
        if (next) { result.replaceWith(next); } else { result.textContent = doc.body.textContent; }
      })
      .catch(function () { result.textContent = "The server could not be reached. Try again."; });
  });
})();
