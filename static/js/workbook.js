// Import progress: poll the JSON status of a running import and reload when it has finished.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var format = new Intl.NumberFormat(document.documentElement.lang || "id");

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 5000); return; }
        if (bar) { bar.max = data.total || 1; bar.value = data.done; bar.textContent = data.percent + "%"; }
        if (text) { text.textContent = format.format(data.done) + " / " + format.format(data.total); }
        if (data.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
