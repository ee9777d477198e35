// Trainings: attendance shortcuts and selecting suggested participants (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".js-all-present").forEach(function (button) {
    button.addEventListener("click", function () {
      var form = button.closest("form");
      form.querySelectorAll("input.js-status[value='HADIR']").forEach(function (radio) { radio.checked = true; });
    });
  });
  document.querySelectorAll(".js-check-all").forEach(function (box) {
    box.addEventListener("change", function () {
      box.closest("form").querySelectorAll(".js-check-row").forEach(function (row) { row.checked = box.checked; });
    });
  });
});
