/* party_class: the party class block, lecturer and staff tools: sign-in screen link, attendance by organisation
   (with XLSX export), the question board (answer, publish, hide, merge) and reflections (score).
   Called by PartyClassBlock for course staff only; the handlers check the role again. */
function PartyClassStaff(runtime, element, args, helpers) {
  "use strict";
  var gettext = PartyTraining.translator(args.i18n);
  var panel = element.querySelector(".pc-staff");
  if (!panel) { return; }
  var message = panel.querySelector('[data-msg="staff"]');
  var call = function (handler, data, method) {
    return method === "GET" ? PartyTraining.get(runtime, element, handler) : PartyTraining.post(runtime, element, handler, data);
  };
  var el = helpers.el;
  function button(label, onClick, primary) {
    var node = el("button", "party-button" + (primary ? " party-button--primary" : ""), label);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }
  function fail(error) { PartyTraining.showMessage(message, error && error.status ? error.message : gettext("The network is unavailable. Please try again."), "error"); }
  function ok(text) { PartyTraining.showMessage(message, text, "success"); }

  /* Where the QR code's sign-in page sends a learner afterwards: the page showing the unit. Inside the
     Learning MFE's frame this page is the block alone (render_xblock): the top page when the browser
     lets us read it (same site), else none, and the server falls back to the LMS's jump_to. */
  function unitPage() {
    if (window.top === window) { return window.location.origin + window.location.pathname; }
    try { return window.top.location.origin + window.top.location.pathname; } catch (ignore) { return ""; }
  }
  var unitUrl = unitPage();
  var projector = panel.querySelector(".pc-projector-link");
  if (projector) {
    projector.href = runtime.handlerUrl(element, "projector", "", unitUrl ? "unit=" + encodeURIComponent(unitUrl) : "");
  }
  panel.querySelector(".pc-export-link").href = runtime.handlerUrl(element, "attendance_xlsx");

  /* --- attendance ----------------------------------------------------------------------------- */
  function countCell(list, className) {
    var cell = el("td", className);
    cell.appendChild(document.createTextNode(String(list.length)));
    if (list.length) {
      var details = el("details");
      details.appendChild(el("summary", "", gettext("Show names")));
      details.appendChild(el("p", "", list.map(function (p) { return p.name; }).join("、")));
      cell.appendChild(details);
    }
    return cell;
  }
  function renderAttendance(report) {
    var box = panel.querySelector(".pc-attendance");
    box.textContent = "";
    box.appendChild(el("p", "pc-att-summary",
      gettext("Signed in") + " " + report.signed_total + (report.expected_total ? " · " + gettext("Expected") + " " + report.expected_total +
      " · " + gettext("Missing") + " " + report.missing_total : "")));
    if (!report.expected_total) { box.appendChild(el("p", "party-help", gettext("Set the expected organisations in the editor to see who is missing."))); }
    if (report.unknown_codes.length) {
      box.appendChild(el("p", "party-message party-message--error", gettext("Unknown organisation codes: %(codes)s", {codes: report.unknown_codes.join(", ")})));
    }
    var table = el("table", "party-table pc-att-table");
    var head = el("tr");
    [gettext("Organisation"), gettext("Expected"), gettext("Signed in"), gettext("Missing")].forEach(function (label) {
      var th = el("th", "", label); th.scope = "col"; head.appendChild(th);
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    report.rows.forEach(function (row) {
      var tr = el("tr");
      var name = el("th", "pc-att-org", row.name);
      name.scope = "row";
      name.style.paddingLeft = (0.5 + row.depth * 0.8) + "em";
      tr.appendChild(name);
      tr.appendChild(el("td", "", row.expected));
      tr.appendChild(countCell(row.signed, "pc-att-signed"));
      tr.appendChild(countCell(row.missing, "pc-att-missing"));
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(table);
  }

  var recordForm = panel.querySelector(".pc-record-form");
  recordForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = recordForm.querySelector(".pc-record-username");
    call("record_sign_in", {username: input.value}).then(function (result) {
      input.value = "";
      ok(result.message);
      renderAttendance(result);
    }).catch(fail);
  });

  /* --- question board ------------------------------------------------------------------------- */
  function renderBoard(questions) {
    var list = panel.querySelector(".pc-board");
    list.textContent = "";
    if (!questions.length) { list.appendChild(el("li", "pc-q pc-q--empty", gettext("No questions yet. Be the first to ask."))); return; }
    var open = questions.filter(function (q) { return !q.hidden && !q.merged_into; });
    questions.forEach(function (q) {
      var item = el("li", "pc-q pc-board-item" + (q.hidden || q.merged_into ? " pc-q--muted" : ""));
      item.setAttribute("data-question", q.id);
      var meta = el("p", "pc-q-meta");
      meta.appendChild(el("span", "pc-q-number", "#" + q.id));
      meta.appendChild(el("span", "pc-tag pc-tag--" + q.tag, q.tag_label));
      meta.appendChild(el("span", "pc-q-author", q.author));
      meta.appendChild(el("span", "pc-q-votes", gettext("%(count)s agree", {count: q.votes})));
      if (q.hidden) { meta.appendChild(el("span", "pc-badge", gettext("Hidden"))); }
      if (q.merged_into) { meta.appendChild(el("span", "pc-badge", gettext("Merged into #%(id)s", {id: q.merged_into}))); }
      if (q.answer) { meta.appendChild(el("span", "pc-badge" + (q.answer_published ? " pc-badge--ok" : ""), q.answer_published ? gettext("Published") : gettext("Not published"))); }
      item.appendChild(meta);
      item.appendChild(el("p", "pc-q-text", q.text));
      var label = el("label", "", gettext("Reply"));
      var area = el("textarea", "pc-answer-input");
      area.id = "pc-answer-" + q.id; label.htmlFor = area.id; area.rows = 3; area.value = q.answer || "";
      item.appendChild(label); item.appendChild(area);
      var actions = el("div", "party-actions");
      var act = function (data) {
        data.question_id = q.id;
        return call("moderate", data).then(function (result) { ok(gettext("Saved.")); renderBoard(result.questions); }).catch(fail);
      };
      actions.appendChild(button(gettext("Save answer"), function () { act({action: "answer", answer: area.value}); }));
      if (q.answer_published) {
        actions.appendChild(button(gettext("Withdraw answer"), function () { act({action: "unpublish"}); }));
      } else {
        actions.appendChild(button(gettext("Publish answer"), function () { act({action: "answer", answer: area.value, publish: true}); }, true));
      }
      actions.appendChild(button(q.hidden ? gettext("Show") : gettext("Hide"), function () { act({action: q.hidden ? "unhide" : "hide"}); }));
      var targets = open.filter(function (other) { return other.id !== q.id; });
      if (!q.merged_into && targets.length) {
        var select = el("select", "pc-merge-target");
        select.setAttribute("aria-label", gettext("Merge into…"));
        targets.forEach(function (other) { select.appendChild(el("option", "", "#" + other.id + " " + other.text.slice(0, 30))).value = other.id; });
        actions.appendChild(select);
        actions.appendChild(button(gettext("Merge into…"), function () { act({action: "merge", target_id: parseInt(select.value, 10)}); }));
      }
      item.appendChild(actions);
      list.appendChild(item);
    });
  }

  /* --- reflections ---------------------------------------------------------------------------- */
  function renderReflections(data) {
    var box = panel.querySelector(".pc-reflections");
    box.textContent = "";
    if (data.drafts) { box.appendChild(el("p", "party-help", gettext("%(count)s learners are still writing a draft.", {count: data.drafts}))); }
    if (!data.submitted.length) { box.appendChild(el("p", "", gettext("No reflection has been submitted yet."))); return; }
    data.submitted.forEach(function (r) {
      var article = el("article", "pc-reflection-item");
      article.setAttribute("data-reflection", r.id);
      article.appendChild(el("h4", "", r.author + (r.organization ? " · " + r.organization : "")));
      article.appendChild(el("p", "party-help", r.submitted_at + " · " + gettext("%(count)s characters (at least %(min)s)", {count: r.length, min: args.min_chars})));
      r.text.split(/\n+/).forEach(function (line) { article.appendChild(el("p", "pc-reflection-line", line)); });
      if (data.graded) {
        var row = el("div", "party-actions pc-score-row");
        var label = el("label", "", gettext("Score") + " (0–" + data.max_score + ")");
        var input = el("input", "pc-score-input");
        input.type = "number"; input.min = "0"; input.max = String(data.max_score); input.step = "0.5";
        input.id = "pc-score-" + r.id; label.htmlFor = input.id;
        if (r.score !== null) { input.value = r.score; }
        row.appendChild(label); row.appendChild(input);
        row.appendChild(button(gettext("Save score"), function () {
          call("score", {reflection_id: r.id, score: input.value}).then(function (result) {
            ok(gettext("Score saved.")); renderReflections(Object.assign({graded: data.graded, max_score: data.max_score}, result));
          }).catch(fail);
        }, true));
        article.appendChild(row);
      }
      box.appendChild(article);
    });
  }

  var loaders = {
    attendance: function () { return call("attendance", null, "GET").then(renderAttendance); },
    board: function () { return call("board", null, "GET").then(function (r) { renderBoard(r.questions); }); },
    reflections: function () { return call("reflections", null, "GET").then(renderReflections); }
  };
  function load(name) {
    if (!loaders[name]) { return; }
    PartyTraining.showMessage(message, gettext("Loading…"), "");
    loaders[name]().then(function () { PartyTraining.showMessage(message, "", ""); }).catch(fail);
  }
  var tabs = panel.querySelectorAll(".pc-tab");
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function () {
      tabs.forEach(function (other) { other.setAttribute("aria-selected", other === tab ? "true" : "false"); });
      panel.querySelectorAll(".pc-panel").forEach(function (p) { p.hidden = p.getAttribute("data-panel") !== tab.getAttribute("data-tab"); });
      load(tab.getAttribute("data-tab"));
    });
  });
  panel.querySelectorAll(".pc-refresh").forEach(function (node) {
    node.addEventListener("click", function () { load(node.getAttribute("data-refresh")); });
  });
}
