/* Grading queue pages: live rubric total, and progress of background jobs (archive, scan). */
(function () {
  "use strict";
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] === undefined ? "" : values[key]; });
  }
  var total = document.querySelector(".party-grade__total");
  if (total) {
    var form = total.closest("form");
    var update = function () {
      var points = 0;
      form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
        points += Number(input.getAttribute("data-points")) || 0;
      });
      total.textContent = fmt(total.getAttribute("data-template"), {points: points, max: total.getAttribute("data-max")});
    };
    form.addEventListener("change", update);
    update();
  }
  var stringsNode = document.getElementById("party-grading-strings");
  var strings = stringsNode ? JSON.parse(stringsNode.textContent) : {};
  document.querySelectorAll(".party-queue__job").forEach(function (line) {
    var status = line.getAttribute("data-status");
    if (status !== "pending" && status !== "running") { return; }
    var state = line.querySelector(".party-queue__job-state");
    var bar = line.querySelector(".party-progress__bar");
    var poll = function () {
      fetch(line.getAttribute("data-job-url"), {credentials: "same-origin"}).then(function (r) { return r.json(); })
        .then(function (job) {
          bar.style.width = job.percent + "%";
          bar.parentNode.setAttribute("aria-valuenow", job.percent);
          if (job.status === "done") {
            state.textContent = strings.done;
            if (job.download) {
              var link = document.createElement("a");
              link.href = job.download;
              link.textContent = strings.download;
              line.appendChild(link);
            }
          } else if (job.status === "failed") {
            state.textContent = fmt(strings.failed, {error: job.error});
          } else {
            state.textContent = fmt(strings.running, {done: job.done, total: job.total});
            window.setTimeout(poll, 2000);
          }
        }).catch(function () { window.setTimeout(poll, 5000); });
    };
    poll();
  });
})();
