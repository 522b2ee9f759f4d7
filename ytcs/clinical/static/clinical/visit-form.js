// Visit form behaviour that htmx does not cover (CSP forbids inline handlers, so it lives here).
(function () {
  "use strict";
  // The site layout loads htmx; load the vendored copy only on a layout that does not.
  var self = document.currentScript;
  if (!window.htmx && self && self.dataset.htmxSrc) {
    var loader = document.createElement("script");
    loader.src = self.dataset.htmxSrc;
    // Loaded after DOMContentLoaded, htmx may never run its own start-up: process the page now.
    loader.onload = function () { window.htmx.process(document.body); };
    document.head.appendChild(loader);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) { return; }
    var row = button.closest("[data-row]");
    if (row) { row.remove(); }
  });
  // Enter in the ICD-10 search box must search, not submit the visit.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-no-submit]")) {
      event.preventDefault();
    }
  });
  // The first diagnosis added becomes the primary one unless the user picks another.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "diagnosis-rows") { return; }
    var radios = event.target.querySelectorAll('input[name="dx-primary"]');
    var anyChecked = Array.prototype.some.call(radios, function (r) { return r.checked; });
    if (!anyChecked && radios.length) { radios[0].checked = true; }
    var query = document.getElementById("icd-query");
    if (query) { query.value = ""; query.focus(); }
  });
})();
