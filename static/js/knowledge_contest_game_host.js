/* knowledge_contest: the projector page of a live game. Lobby (PIN, QR code, who joined by branch),
   each question with its countdown and how many answered, then the answer distribution (an ECharts
   bar chart), the correct answer with its explanation and the leaderboards, and the podium at the
   end; with the host's buttons (start, next, pause, resume, skip, end). State from live_host_state,
   polled every second; the countdown ticks locally from the server's remaining time. */
(function () {
  "use strict";
  var urls = JSON.parse(document.getElementById("kc-projector-urls").textContent);
  var catalog = JSON.parse(document.getElementById("kc-projector-i18n").textContent);
  function gettext(msgid, params) {
    var text = Object.prototype.hasOwnProperty.call(catalog, msgid) ? catalog[msgid] : msgid;
    return params ? text.replace(/%\((\w+)\)s/g, function (w, name) { return name in params ? String(params[name]) : w; }) : text;
  }
  var stage = document.querySelector(".kc-projector-stage");
  var boards = document.querySelector(".kc-projector-boards");
  var controls = document.querySelector(".kc-projector-controls");
  var statusLine = document.querySelector(".kc-projector-status");
  var chartNode = document.querySelector(".kc-projector-chart");
  var errorNode = document.querySelector(".kc-projector-error");
  var chart = null;
  var state = null;
  var shownTag = "";
  var deadlineAt = 0;
  var busy = false;
  var COLOURS = ["#c62828", "#1565c0", "#ef6c00", "#2e7d32"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function secondsLeft() { return Math.max(0, Math.ceil((deadlineAt - Date.now()) / 1000)); }

  /* While an action is on its way the controls are disabled, not silently deaf: the poll may already
     show the next step's button before the action's own refresh returns. */
  function setBusy(value) {
    busy = value;
    Array.prototype.forEach.call(controls.querySelectorAll("button"), function (button) { button.disabled = value; });
  }
  function act(action) {
    if (busy) { return; }
    setBusy(true);
    fetch(urls.control, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest"},
      body: JSON.stringify({game: state.game, action: action})
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.error || response.statusText); }
        return body;
      });
    }).then(function () { return refresh(); })
      .catch(function (error) { statusLine.textContent = error.message; })
      .then(function () {
        setBusy(false);
        if (action === "results") { loop(); }  // follow the job queued again
      });
  }
  function control(label, action, primary) {
    var item = el("button", "party-button" + (primary ? " party-button--primary" : ""), label);
    item.type = "button";
    item.setAttribute("data-action", action);
    item.disabled = busy;
    item.addEventListener("click", function () {
      if (action === "end" && !window.confirm(gettext("End the game now? Results are recorded as they stand."))) { return; }
      act(action);
    });
    controls.appendChild(item);
  }

  function optionText(question, index) {
    if (question.qtype === "true_false") { return index === 0 ? gettext("True") : gettext("False"); }
    return question.options[index];
  }
  function keys(question) {
    if (question.qtype === "true_false") { return ["T", "F"]; }
    return question.options.map(function (o, i) { return String.fromCharCode(65 + i); });
  }

  function board(title, rows, kind) {
    var box = el("section", "kc-projector-board");
    box.appendChild(el("h2", "", title));
    if (!rows.length) { box.appendChild(el("p", "", gettext("No results yet."))); return box; }
    var table = el("table", "kc-projector-table");
    var head = el("tr");
    [gettext("Rank"), kind === "branch" ? gettext("Branch") : gettext("Name"),
     kind === "branch" ? gettext("Players") : gettext("Branch"), gettext("Score")].forEach(function (label) {
      head.appendChild(el("th", "", label));
    });
    table.appendChild(head);
    rows.forEach(function (row) {
      var line = el("tr");
      line.appendChild(el("td", "", String(row.rank)));
      line.appendChild(el("td", "", row.name));
      line.appendChild(el("td", "", kind === "branch" ? String(row.players) : row.branch));
      line.appendChild(el("td", "", kind === "branch" ? String(row.score) :
        (row.bonus ? gettext("%(score)s + bonus %(bonus)s", {score: row.score, bonus: row.bonus}) : String(row.score))));
      table.appendChild(line);
    });
    box.appendChild(table);
    return box;
  }

  function drawChart(question, shown) {
    chartNode.hidden = false;
    var names = keys(question).map(function (key, i) {
      return question.qtype === "fill_blank" ? key : key + " " + optionText(question, i).slice(0, 12);
    });
    if (question.qtype === "fill_blank") { names = [gettext("Right"), gettext("Not right")]; }
    var right = question.qtype === "fill_blank" ? ["right"] : question.answer;
    var data = shown.counts.map(function (count, i) {
      return {value: count, itemStyle: {color: right.indexOf(shown.keys[i]) !== -1 ? "#2e7d32" : "#9e9e9e"}};
    });
    if (!window.echarts) { return; }
    if (!chart) { chart = window.echarts.init(chartNode, null, {renderer: "svg"}); }
    chart.setOption({
      animation: false, grid: {left: 40, right: 20, top: 20, bottom: 60},
      xAxis: {type: "category", data: names, axisLabel: {fontSize: 16, interval: 0}},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: data, label: {show: true, position: "top", fontSize: 18}}]
    }, true);
    chart.resize();
  }

  function render() {
    stage.textContent = "";
    boards.textContent = "";
    controls.textContent = "";
    chartNode.hidden = true;
    var phase = state.phase;
    statusLine.textContent = gettext("Joined: %(count)s", {count: state.joined_count});
    if (phase === "lobby") {
      var join = el("div", "kc-projector-join");
      var qr = el("div", "kc-projector-qr");
      qr.innerHTML = state.qr_svg;  /* server-made SVG of the join address */
      join.appendChild(qr);
      var words = el("div", "kc-projector-pin-box");
      words.appendChild(el("p", "", gettext("Join with your phone: scan the code, or open %(url)s and type the PIN", {url: state.join_url.split("?")[0]})));
      words.appendChild(el("p", "kc-projector-pin", state.pin || ""));
      join.appendChild(words);
      stage.appendChild(join);
      var list = el("ul", "kc-projector-joined");
      state.joined.forEach(function (group) {
        var item = el("li", "");
        item.appendChild(el("strong", "", gettext("%(branch)s: %(count)s", {branch: group.branch || gettext("No branch"), count: group.players})));
        if (group.names.length) { item.appendChild(el("span", "kc-projector-names", group.names.join(gettext(", ")))); }
        list.appendChild(item);
      });
      stage.appendChild(list);
      control(gettext("Start"), "next", true);
      control(gettext("End"), "end");
      return;
    }
    var question = state.question;
    if (question && phase !== "ended") {
      stage.appendChild(el("p", "kc-projector-number", gettext("Question %(n)s of %(count)s", {n: question.number, count: state.count})));
      stage.appendChild(el("p", "kc-projector-stem", question.stem));
      if (question.qtype !== "fill_blank") {
        var grid = el("ol", "kc-projector-options");
        keys(question).forEach(function (key, i) {
          var item = el("li", "kc-projector-option" + (phase === "reveal" && question.answer.indexOf(key) !== -1 ? " kc-projector-option--right" : ""));
          item.style.borderLeftColor = COLOURS[i % 4];
          item.appendChild(el("strong", "", key + " "));
          item.appendChild(el("span", "", optionText(question, i)));
          grid.appendChild(item);
        });
        stage.appendChild(grid);
      }
    }
    if (phase === "question" || phase === "paused") {
      stage.appendChild(el("p", "kc-projector-clock", phase === "paused" ? gettext("Paused") : String(secondsLeft())));
      stage.appendChild(el("p", "kc-projector-answered", gettext("Answered: %(n)s of %(count)s", {n: state.answered, count: state.joined_count})));
      if (phase === "question") { control(gettext("Pause"), "pause"); control(gettext("Skip the countdown"), "skip", true); }
      else { control(gettext("Resume"), "resume", true); }
      control(gettext("End"), "end");
      return;
    }
    if (phase === "reveal") {
      var answerText = question.qtype === "fill_blank" ? question.answer.join(" / ") : question.answer.join("");
      stage.appendChild(el("p", "kc-projector-correct", gettext("Correct answer: %(answer)s", {answer: answerText})));
      if (question.explanation) { stage.appendChild(el("p", "kc-projector-explanation", question.explanation)); }
      drawChart(question, state.distribution);
      boards.appendChild(board(gettext("Leaderboard"), state.players, "player"));
      if (state.scoring.branch_mode !== "none") {
        boards.appendChild(board(state.scoring.branch_mode === "total" ? gettext("Branches (total)") : gettext("Branches (average)"), state.branches, "branch"));
      }
      control(state.position + 1 >= state.count ? gettext("Show the podium") : gettext("Next question"), "next", true);
      control(gettext("End"), "end");
      return;
    }
    if (phase === "ended") {
      stage.appendChild(el("h2", "kc-projector-podium-title", gettext("Podium")));
      var podium = el("ol", "kc-projector-podium");
      state.podium.players.forEach(function (row) {
        var item = el("li", "kc-projector-winner");
        item.appendChild(el("span", "kc-projector-place", String(row.rank)));
        item.appendChild(el("strong", "", row.name));
        item.appendChild(el("span", "", row.branch + " · " + row.total));
        podium.appendChild(item);
      });
      stage.appendChild(podium);
      if (state.podium.branches.length) {
        boards.appendChild(board(gettext("Winning branches"), state.podium.branches, "branch"));
      }
      var link = el("a", "party-button", gettext("Download the results (XLSX)"));
      link.href = urls["export"];
      controls.appendChild(link);
      controls.appendChild(resultsNote(state.results));
      if (state.results && state.results.status === "failed") { control(gettext("Write the results again"), "results"); }
    }
  }

  /* The results are written by a background job after the end: its progress, then done or failed. */
  function resultsNote(results) {
    var note = el("p", "party-message kc-projector-results");
    note.setAttribute("role", "status");
    if (!results) { return note; }
    if (results.status === "done") {
      note.textContent = gettext("The results are in the contest's records and the gradebook.");
    } else if (results.status === "failed") {
      note.textContent = results.error;
      note.classList.add("party-message--error");
    } else {
      note.textContent = gettext("Writing the results: %(done)s of %(total)s players", {done: results.done, total: results.total});
    }
    return note;
  }
  function resultsPending() {
    return state && state.results && state.results.status !== "done" && state.results.status !== "failed";
  }

  function refresh() {
    return fetch(urls.state, {credentials: "same-origin", cache: "no-store", headers: {"X-Requested-With": "XMLHttpRequest"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.statusText); }
        return response.json();
      })
      .then(function (fresh) {
        errorNode.hidden = true;
        state = fresh;
        deadlineAt = Date.now() + (fresh.remaining_ms || 0);
        var results = fresh.results ? fresh.results.status + fresh.results.done : "";
        var tag = fresh.etag + ":" + fresh.joined_count + ":" + fresh.answered + ":" + results;
        if (tag !== shownTag) { shownTag = tag; render(); }
      })
      .catch(function () { errorNode.hidden = false; });
  }

  function loop() {
    refresh().then(function () {
      if (!state || state.phase !== "ended" || resultsPending()) { window.setTimeout(loop, 1000); }
    });
  }
  window.setInterval(function () {
    var clock = document.querySelector(".kc-projector-clock");
    if (clock && state && state.phase === "question") { clock.textContent = String(secondsLeft()); }
  }, 250);
  window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
  loop();
})();
