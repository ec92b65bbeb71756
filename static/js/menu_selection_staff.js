/* menu_selection: the staff pages' script: progress of an allocation run that runs as a background
   job; the page reloads with the result when it is done. Strings arrive in #party-menu-i18n. */
(function () {
  "use strict";
  var catalogNode = document.getElementById("party-menu-i18n");
  var gettext = PartyTraining.translator(catalogNode ? JSON.parse(catalogNode.textContent) : {});
  var box = document.querySelector(".party-menu-job");
  if (!box) { return; }
  var state = box.querySelector(".party-menu-job__state");
  var bar = box.querySelector(".party-progress__bar");
  function poll() {
    fetch(box.getAttribute("data-status-url"), {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (job) {
        bar.style.width = job.percent + "%";
        bar.parentNode.setAttribute("aria-valuenow", job.percent);
        if (job.status === "done" || job.status === "failed") { window.location.reload(); return; }
        state.textContent = gettext("Allocating… %(percent)s%", {percent: job.percent});
        window.setTimeout(poll, 1500);
      }).catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
