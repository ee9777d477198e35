// Clients: small behaviours without inline script (the Content Security Policy forbids it).
document.addEventListener("DOMContentLoaded", function () {
  // Report form: when the PK changes the report date, propose the next due date from the frequency
  // (one month or one week later), unless the PK already typed a date of their own.
  var form = document.querySelector("form.visit-form");
  if (!form) { return; }
  var when = form.querySelector("[name=reported_at]");
  var next = form.querySelector("[name=next_due_date]");
  var weekly = form.getAttribute("data-frequency") === "MINGGUAN";
  if (!when || !next) { return; }
  var touched = false;
  next.addEventListener("input", function () { touched = true; });
  when.addEventListener("change", function () {
    if (touched || !when.value) { return; }
    var d = new Date(when.value.slice(0, 10) + "T00:00:00");
    if (weekly) { d.setDate(d.getDate() + 7); }
    else {
      var day = d.getDate();
      d.setDate(1); d.setMonth(d.getMonth() + 1);
      var last = new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate();
      d.setDate(Math.min(day, last));
    }
    var pad = function (n) { return String(n).padStart(2, "0"); };
    next.value = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  });
});
