/* knowledge_contest: staff live view of a contest; refreshes the figures every 10 seconds from live.json. */
(function () {
  "use strict";
  var root = document.getElementById("kc-live");
  if (!root) { return; }
  var strings = JSON.parse(document.getElementById("kc-live-strings").textContent);
  var status = document.querySelector(".kc-live-updated");

  function scale(chart) {
    var fills = chart.querySelectorAll(".kc-bar-fill");
    var max = 1;
    fills.forEach(function (fill) { max = Math.max(max, Number(fill.getAttribute("data-value"))); });
    fills.forEach(function (fill) { fill.style.height = (Number(fill.getAttribute("data-value")) * 75 / max) + "%"; });
  }
  function bars(chart, rows, labelKey, valueKey) {
    chart.textContent = "";
    rows.forEach(function (row) {
      var col = document.createElement("div");
      col.className = "kc-bar-col";
      col.title = row[labelKey] + ": " + row[valueKey];
      [["kc-bar-value", String(row[valueKey])], ["kc-bar-fill", ""], ["kc-bar-label", row[labelKey]]].forEach(function (part) {
        var span = document.createElement("span");
        span.className = part[0];
        span.textContent = part[1];
        if (part[0] === "kc-bar-fill") { span.setAttribute("data-value", row[valueKey]); }
        col.appendChild(span);
      });
      chart.appendChild(col);
    });
    scale(chart);
  }
  function hardest(body, rows) {
    if (!rows.length) { return; }
    body.textContent = "";
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      [row.stem, row.answers, row.correct_rate].forEach(function (value) {
        var td = document.createElement("td");
        td.textContent = String(value);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  function exportState(state) {
    var box = document.querySelector("[data-export]");
    if (!box || !state) { return; }
    box.hidden = false;
    box.querySelector("[data-export-label]").textContent = state.label + " · " +
      strings.progress.replace("%(done)s", state.done).replace("%(total)s", state.total);
    var link = box.querySelector("[data-export-link]");
    link.hidden = !state.url;
    if (state.url) { link.setAttribute("href", state.url); }
  }
  function update(data) {
    ["participants", "active", "finished"].forEach(function (name) {
      root.querySelector('[data-figure="' + name + '"]').textContent = String(data[name]);
    });
    bars(root.querySelector('[data-chart="per_minute"]'), data.per_minute, "minute", "answers");
    bars(root.querySelector('[data-chart="distribution"]'), data.distribution, "label", "count");
    hardest(root.querySelector('[data-table="hardest"]'), data.hardest);
    exportState(data.export);
    status.textContent = strings.updated.replace("%(time)s", new Date().toLocaleTimeString());
  }
  function poll() {
    fetch(root.getAttribute("data-url"), {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error(response.statusText); }
      return response.json();
    }).then(update).catch(function () { status.textContent = strings.failed; });
  }
  root.querySelectorAll(".kc-bars").forEach(scale);
  setInterval(poll, 10000);
})();
