/* A background job's page: poll its status, move the progress bar, reload when it has finished. */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status]");
  if (!box) { return; }
  var url = box.getAttribute("data-job-status");
  function set(selector, text) {
    var el = box.querySelector(selector);
    if (el) { el.textContent = text; }
  }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        var bar = box.querySelector("[data-job-progress]");
        if (bar) { bar.value = job.percent; bar.textContent = job.percent + "%"; }
        set("[data-job-state]", job.state_label);
        set("[data-job-done]", job.done);
        set("[data-job-total]", job.total);
        if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  // A finished job's page shows its result and stops here.
  if (box.getAttribute("data-job-finished") !== "true") { window.setTimeout(poll, 1000); }
}());
