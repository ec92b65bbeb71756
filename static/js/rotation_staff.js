/* rotation: the staff pages' script: marking on the roll call without a reload, the rotating sign-in
   code and its QR code (refreshed before it changes), and the ECharts charts of a program and a needs
   survey. User text always goes in as text. Strings arrive in #party-rotation-i18n. */
(function () {
  "use strict";
  var catalogNode = document.getElementById("party-rotation-i18n");
  var gettext = PartyTraining.translator(catalogNode ? JSON.parse(catalogNode.textContent) : {});

  function csrfOf(form) { return form.querySelector("[name=csrfmiddlewaretoken]").value; }

  /* Long lists (organisations, the lecturer pool) stop at the server's limit: a search box above such
     a select asks the server for the matching rows and offers them instead, keeping what is chosen. */
  document.querySelectorAll("select[data-search-url]").forEach(function (select) {
    var label = select.getAttribute("data-search-label");
    var box = PartyTraining.el("input", "party-rotation-search");
    var note = PartyTraining.el("span", "party-help");
    var timer = null;
    box.type = "search";
    box.placeholder = label;
    box.setAttribute("aria-label", label);
    box.setAttribute("aria-controls", select.id);
    note.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(note, select.nextSibling);
    function offer(rows) {
      Array.prototype.slice.call(select.options).forEach(function (option) {
        if (!option.selected && option.value !== "") { select.removeChild(option); }
      });
      var present = {};
      Array.prototype.forEach.call(select.options, function (option) { present[option.value] = true; });
      rows.forEach(function (row) {
        if (present[String(row.id)]) { return; }
        var option = PartyTraining.el("option", "", row.label);
        option.value = String(row.id);
        select.appendChild(option);
      });
      note.textContent = rows.length ? gettext("%(n)s found.", {n: rows.length}) : gettext("Nothing found.");
    }
    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = box.value.trim();
        if (!text) { return; }
        fetch(select.getAttribute("data-search-url") + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : {results: []}; })
          .then(function (data) { offer(data.results || []); });
      }, 250);
    });
  });

  /* Roll call: each row's buttons post the status; the row shows the result. */
  var roll = document.querySelector(".party-rotation-roll");
  if (roll) {
    roll.addEventListener("click", function (event) {
      var button = event.target.closest(".party-rotation-status");
      if (!button) { return; }
      event.preventDefault();
      var form = button.closest("form");
      var message = form.querySelector(".party-rotation-roll__msg");
      var body = new FormData(form);
      body.set("status", button.value);
      button.disabled = true;
      fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                          headers: {"X-CSRFToken": csrfOf(form), "X-Requested-With": "XMLHttpRequest"}})
        .then(function (r) { return r.json().then(function (data) { return {ok: r.ok, data: data}; }); })
        .then(function (result) {
          if (!result.ok) { PartyTraining.showMessage(message, result.data.error || gettext("Not saved."), "error"); return; }
          form.querySelectorAll(".party-rotation-status").forEach(function (b) {
            var current = b.value === result.data.status;
            b.classList.toggle("is-current", current);
            b.setAttribute("aria-pressed", current ? "true" : "false");
          });
          PartyTraining.showMessage(message, gettext("%(status)s · %(hours)s hours credited",
            {status: result.data.label, hours: result.data.credited}), "success");
        })
        .catch(function () { PartyTraining.showMessage(message, gettext("Not saved. Check the connection and try again."), "error"); })
        .then(function () { button.disabled = false; });
    });
  }

  /* The sign-in code: fetched from the server (every process agrees on it), shown until it changes. */
  var codeBox = document.querySelector(".party-rotation-code");
  if (codeBox) {
    var show = codeBox.querySelector(".party-rotation-code__show");
    var box = codeBox.querySelector(".party-rotation-code__box");
    var digits = codeBox.querySelector(".party-rotation-code__digits");
    var left = codeBox.querySelector(".party-rotation-code__left");
    var qr = codeBox.querySelector(".party-rotation-code__qr");
    var refresh = function () {
      fetch(codeBox.getAttribute("data-code-url"), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          digits.textContent = data.code;
          left.textContent = data.window === "open" ? gettext("Changes in %(seconds)s s", {seconds: data.seconds})
            : gettext("Sign-in is not open now: learners cannot use the code.");
          /* The QR code is SVG the server made from our own address (segno): no user text in it. */
          qr.innerHTML = data.qr;
          window.setTimeout(refresh, Math.max(1, data.seconds) * 1000);
        })
        .catch(function () { window.setTimeout(refresh, 5000); });
    };
    show.addEventListener("click", function () { show.hidden = true; box.hidden = false; refresh(); });
  }

  /* Charts (ECharts, loaded by the page). */
  function chart(id, build) {
    var node = document.getElementById(id);
    var data = document.getElementById(id + "-data");
    if (!node || !data || !window.echarts) { return; }
    var instance = window.echarts.init(node);
    instance.setOption(build(JSON.parse(data.textContent), node));
    window.addEventListener("resize", function () { instance.resize(); });
  }
  chart("rot-class-chart", function (data) {
    return {grid: {left: 40, right: 10, top: 20, bottom: 60, containLabel: true}, tooltip: {trigger: "axis"},
            xAxis: {type: "category", data: data.classes, axisLabel: {interval: 0, rotate: 30}},
            yAxis: {type: "value", max: 100, name: "%"},
            series: [{type: "bar", data: data.rates, itemStyle: {color: "#b22222"}, name: gettext("Attendance rate")}]};
  });
  chart("rot-demand-chart", function (data, node) {
    return {grid: {left: 10, right: 20, top: 30, bottom: 10, containLabel: true}, tooltip: {trigger: "axis"},
            legend: {top: 0},
            yAxis: {type: "category", data: data.topics.slice().reverse(), axisLabel: {width: 140, overflow: "truncate"}},
            xAxis: {type: "value"},
            series: [{type: "bar", name: node.getAttribute("data-series-picks"), data: data.picks.slice().reverse(), itemStyle: {color: "#b22222"}},
                     {type: "bar", name: node.getAttribute("data-series-points"), data: data.points.slice().reverse(), itemStyle: {color: "#e0a030"}}]};
  });
})();
