/* writing_assignment: the grading pages' script: live rubric total, and progress of background
   jobs (archive, near-copy scan). Strings arrive translated in the page (#party-grading-i18n). */
(function () {
  "use strict";
  var catalogNode = document.getElementById("party-grading-i18n");
  var gettext = PartyTraining.translator(catalogNode ? JSON.parse(catalogNode.textContent) : {});
  var total = document.querySelector(".party-grade__total");
  if (total) {
    var form = total.closest("form");
    var update = function () {
      var points = 0;
      form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
        points += Number(input.getAttribute("data-points")) || 0;
      });
      total.textContent = gettext("Total: %(points)s of %(max)s", {points: points, max: total.getAttribute("data-max")});
    };
    form.addEventListener("change", update);
    update();
  }
  document.querySelectorAll(".party-queue__job").forEach(function (line) {
    var status = line.getAttribute("data-status");
    if (status !== "queued" && status !== "running") { return; }
    var state = line.querySelector(".party-queue__job-state");
    var bar = line.querySelector(".party-progress__bar");
    var poll = function () {
      fetch(line.getAttribute("data-job-url"), {credentials: "same-origin"}).then(function (r) { return r.json(); })
        .then(function (job) {
          bar.style.width = job.percent + "%";
          bar.parentNode.setAttribute("aria-valuenow", job.percent);
          if (job.status === "done") {
            state.textContent = gettext("Done.");
            if (job.download) {
              var link = document.createElement("a");
              link.href = job.download;
              link.textContent = gettext("Download the archive");
              line.appendChild(link);
            }
          } else if (job.status === "failed") {
            state.textContent = gettext("Failed: %(error)s", {error: job.error});
          } else {
            state.textContent = gettext("Working… %(done)s of %(total)s", {done: job.done, total: job.total});
            window.setTimeout(poll, 2000);
          }
        }).catch(function () { window.setTimeout(poll, 5000); });
    };
    poll();
  });
})();
