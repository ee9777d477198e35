// Reports: refresh the progress of a file made in the background, and print buttons.
(function () {
  "use strict";
  var box = document.getElementById("generated");
  if (box && box.dataset.finished !== "1") {
    var url = box.dataset.statusUrl;
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    var badge = box.querySelector("[data-status-badge]");
    var tick = function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) {
          bar.value = data.progress;
          bar.textContent = data.progress + "%";
          text.textContent = data.progress + "%";
          badge.textContent = data.status_label;
          if (data.finished) {
            box.querySelectorAll("[data-when]").forEach(function (el) {
              el.hidden = el.dataset.when !== data.status;
            });
            if (data.error) { box.querySelector("[data-error]").textContent = data.error; }
            badge.className = "badge " + (data.status === "DONE" ? "text-bg-success" : "text-bg-danger");
            return;
          }
          window.setTimeout(tick, 1500);
        })
        .catch(function () { window.setTimeout(tick, 5000); });
    };
    window.setTimeout(tick, 1000);
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();

// Report filters: show only the fields of the chosen period kind (year; quarter; month; two dates).
(function () {
  "use strict";
  var kind = document.querySelector("form.report-filters select[name=period]");
  if (!kind) { return; }
  var show = function () {
    document.querySelectorAll("form.report-filters .js-period-field").forEach(function (field) {
      field.classList.toggle("d-none", !field.classList.contains("period-" + kind.value));
    });
  };
  kind.addEventListener("change", show);
  show();
})();
