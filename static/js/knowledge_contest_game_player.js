/* knowledge_contest: the live game (现场知识竞赛) inside the contest block. Learners join, answer each
   question with large buttons (the question text shows too, for those far from the screen), see
   whether they were right after the server's deadline, and the podium at the end. Course staff
   open a game here and go to its projector page. The state comes from the live_state handler,
   polled with the last ETag (an empty 304 while nothing moved); reloads resume where the game is.
   All text goes in through textContent. */
function KnowledgeContestGame(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator(args.i18n);
  var el = PartyTraining.el;
  var panel = element.querySelector(".kc-game");
  var hostForm = element.querySelector(".kc-game-open");
  var POLL_MS = 2000;
  var state = null;
  var etag = "";
  var deadlineAt = 0;
  var chosen = [];
  var sending = false;
  var failures = 0;

  function url(handler, query) {
    var base = runtime.handlerUrl(element, handler);
    return base + (base.indexOf("?") === -1 ? "?" : "&") + query;
  }
  function projectorUrl(game) { return url("live_projector", "game=" + encodeURIComponent(game)); }

  function showHostLink(game, pin) {
    var slot = element.querySelector(".kc-game-host-link");
    if (!slot) { return; }
    slot.textContent = "";
    var link = el("a", "party-button party-button--primary", gettext("Open the projector page"));
    link.href = projectorUrl(game);
    link.target = "_blank";
    link.rel = "noopener";
    slot.appendChild(link);
    slot.appendChild(el("span", "kc-game-pin-small", gettext("PIN: %(pin)s", {pin: pin})));
  }

  if (hostForm) {
    if (args.live) { showHostLink(args.live.game, args.live.pin); }
    hostForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = {
        seconds: hostForm.elements.seconds.value, points: hostForm.elements.points.value,
        podium: hostForm.elements.podium.value, speed: hostForm.elements.speed.value,
        branch_mode: hostForm.elements.branch_mode.value, streak: hostForm.elements.streak.checked
      };
      var note = hostForm.querySelector(".kc-game-open-message");
      PartyTraining.post(runtime, element, "live_open", data).then(function (opened) {
        PartyTraining.showMessage(note, gettext("The game is open. PIN: %(pin)s", {pin: opened.pin}), "success");
        showHostLink(opened.game, opened.pin);
        if (!state) { start(opened.game); }
      }).catch(function (error) { PartyTraining.showMessage(note, error.message, "error"); });
    });
  }

  function secondsLeft() { return Math.max(0, Math.ceil((deadlineAt - Date.now()) / 1000)); }

  function answer(response) {
    if (sending || !state) { return; }
    sending = true;
    PartyTraining.post(runtime, element, "live_answer", {game: state.game, position: state.position, response: response})
      .then(function (saved) {
        state.me = state.me || {};
        state.me.answered = true;
        state.me.response = saved.response;
        render();
      })
      .catch(function (error) { PartyTraining.showMessage(panel.querySelector(".kc-game-note"), error.message, "error"); })
      .then(function () { sending = false; });
  }

  function optionLabel(question, index) {
    if (question.qtype === "true_false") { return index === 0 ? gettext("True") : gettext("False"); }
    return question.options[index];
  }
  function optionKey(question, index) {
    return question.qtype === "true_false" ? (index === 0 ? "T" : "F") : String.fromCharCode(65 + index);
  }

  function questionBlock(question, reveal) {
    var box = el("div", "kc-game-question");
    box.appendChild(el("p", "kc-game-number", gettext("Question %(n)s of %(count)s", {n: question.number, count: state.count})));
    box.appendChild(el("p", "kc-game-stem", question.stem));
    var mine = (state.me && state.me.response) || [];
    if (question.qtype === "fill_blank") {
      if (!reveal && !(state.me && state.me.answered)) {
        var form = el("form", "kc-game-blank");
        var label = el("label", "kc-sr", gettext("Your answer"));
        var input = el("input");
        input.id = "kc-game-blank-" + state.game;
        label.setAttribute("for", input.id);
        input.maxLength = 200;
        form.appendChild(label);
        form.appendChild(input);
        form.appendChild(el("button", "party-button party-button--primary", gettext("Answer")));
        form.addEventListener("submit", function (event) { event.preventDefault(); answer([input.value]); });
        box.appendChild(form);
      } else if (mine.length) {
        box.appendChild(el("p", "kc-game-mine", gettext("Your answer: %(answer)s", {answer: mine[0]})));
      }
      if (reveal) {
        box.appendChild(el("p", "kc-game-correct", gettext("Correct answer: %(answer)s", {answer: question.answer.join(" / ")})));
      }
      return box;
    }
    var grid = el("div", "kc-game-buttons");
    var count = question.qtype === "true_false" ? 2 : question.options.length;
    var locked = reveal || (state.me && state.me.answered) || state.phase !== "question";
    for (var index = 0; index < count; index += 1) {
      (function (key, text, colour) {
        var item = el("button", "kc-game-choice kc-game-choice--" + colour);
        item.type = "button";
        item.appendChild(el("span", "kc-game-key", key));
        item.appendChild(el("span", "kc-game-text", text));
        var picked = mine.indexOf(key) !== -1 || (!locked && chosen.indexOf(key) !== -1);
        item.setAttribute("aria-pressed", picked ? "true" : "false");
        if (reveal && question.answer.indexOf(key) !== -1) { item.classList.add("kc-game-choice--right"); }
        if (locked) { item.disabled = true; }
        item.addEventListener("click", function () {
          if (question.qtype === "multiple") {
            var at = chosen.indexOf(key);
            if (at === -1) { chosen.push(key); } else { chosen.splice(at, 1); }
            render();
          } else {
            answer([key]);
          }
        });
        grid.appendChild(item);
      })(optionKey(question, index), optionLabel(question, index), index % 4);
    }
    box.appendChild(grid);
    if (question.qtype === "multiple" && !locked) {
      var send = el("button", "party-button party-button--primary kc-game-send", gettext("Answer"));
      send.type = "button";
      send.disabled = !chosen.length;
      send.addEventListener("click", function () { answer(chosen.slice()); });
      box.appendChild(send);
    }
    return box;
  }

  function standing(me) {
    var line = gettext("Your score: %(score)s · bonus %(bonus)s · rank %(rank)s",
                       {score: me.score, bonus: me.bonus, rank: me.rank});
    return el("p", "kc-game-standing", line);
  }

  function podium(list) {
    var box = el("ol", "kc-game-podium");
    list.forEach(function (row) {
      var item = el("li", row.me ? "kc-game-me" : "");
      item.appendChild(el("strong", "", String(row.rank) + ". " + row.name));
      item.appendChild(el("span", "", " " + (row.branch || "") + " " + row.total));
      box.appendChild(item);
    });
    return box;
  }

  function render() {
    panel.textContent = "";
    panel.hidden = false;
    var app = element.querySelector(".kc-app");
    if (app) { app.hidden = true; }
    panel.appendChild(el("h3", "kc-game-title", gettext("Live contest")));
    var note = el("p", "party-message kc-game-note");
    note.setAttribute("role", "status");
    if (!state.joined) {
      if (state.phase === "ended") {
        panel.appendChild(el("p", "", gettext("This game is over.")));
        return;
      }
      panel.appendChild(el("p", "", gettext("A live contest is open. Join to play with your branch.")));
      var join = el("button", "party-button party-button--primary kc-game-join", gettext("Join the game"));
      join.type = "button";
      join.addEventListener("click", function () {
        PartyTraining.post(runtime, element, "live_join", {game: state.game}).then(function (fresh) {
          state = fresh;
          etag = fresh.etag;
          deadlineAt = Date.now() + (fresh.remaining_ms || 0);
          render();
        }).catch(function (error) { PartyTraining.showMessage(note, error.message, "error"); });
      });
      panel.appendChild(join);
      panel.appendChild(note);
      return;
    }
    var phase = state.phase;
    var reveal = phase === "reveal" || phase === "ended";
    if (phase === "lobby") {
      panel.appendChild(el("p", "kc-game-wait", gettext("You are in. Wait for the host to start.")));
    } else if (phase === "paused") {
      panel.appendChild(el("p", "kc-game-wait", gettext("Paused by the host.")));
    }
    if (phase === "question") {
      var clock = el("p", "kc-game-clock", String(secondsLeft()));
      clock.setAttribute("aria-label", gettext("Seconds left"));
      panel.appendChild(clock);
    }
    if (state.question && phase !== "ended") { panel.appendChild(questionBlock(state.question, reveal)); }
    if (phase === "question" && state.me && state.me.answered) {
      panel.appendChild(el("p", "kc-game-wait", gettext("Answer received. Wait for the results.")));
    }
    if (reveal && state.me) {
      if (phase === "reveal") {
        var verdict = !state.me.answered ? gettext("No answer") :
          (state.me.correct ? gettext("Right! +%(points)s", {points: state.me.points + state.me.bonus}) : gettext("Not right"));
        panel.appendChild(el("p", "kc-game-verdict" + (state.me.correct ? " kc-game-verdict--right" : ""), verdict));
        if (state.question && state.question.explanation) {
          panel.appendChild(el("p", "kc-game-explanation", state.question.explanation));
        }
      }
      panel.appendChild(standing(state.me));
    }
    if (phase === "ended" && state.podium) {
      panel.appendChild(el("h4", "", gettext("Podium")));
      panel.appendChild(podium(state.podium.players));
    }
    panel.appendChild(note);
  }

  /* Every two seconds with jitter, so 300 phones spread out; right after the countdown ends (spread
     over a second and a half, so the reveal does not reach them all at once). After a change the
     phones' polls bunch together (they all learnt of it within one poll interval), so the first poll
     after a change draws its whole delay at random over the interval, which spreads them again. */
  var changed = false;
  function nextPollIn() {
    var every = POLL_MS + Math.random() * 400;
    if (changed) { every = POLL_MS * (0.5 + Math.random()); changed = false; }
    if (state && state.phase === "question") {
      var toDeadline = deadlineAt - Date.now();
      if (toDeadline < every) { return Math.max(0, toDeadline) + 100 + Math.random() * 1500; }
    }
    return every * Math.min(5, failures + 1);
  }
  /* The plugin's state view with this player's poll token (no session needed), else the block's handler. */
  function pollUrl() {
    var query = "game=" + encodeURIComponent(state.game) + (etag ? "&since=" + encodeURIComponent(etag) : "");
    if (!state.poll_url) { return url("live_state", query); }
    return state.poll_url + (state.poll_url.indexOf("?") === -1 ? "?" : "&") + query;
  }
  function poll() {
    if (!state) { return; }
    var headers = {"X-Requested-With": "XMLHttpRequest"};
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(pollUrl(), {credentials: "same-origin", headers: headers, cache: "no-store"})
      .then(function (response) {
        if (response.status === 304) { return null; }
        if (!response.ok) { throw new Error(response.statusText); }
        return response.json();
      })
      .then(function (fresh) {
        failures = 0;
        if (fresh) {
          if (fresh.position !== state.position) { chosen = []; }
          changed = true;
          state = fresh;
          etag = fresh.etag;
          deadlineAt = Date.now() + (fresh.remaining_ms || 0);
          render();
        }
      })
      .catch(function () {
        failures += 1;
        PartyTraining.showMessage(panel.querySelector(".kc-game-note"), gettext("Connection lost; retrying…"), "error");
      })
      .then(function () {
        if (state && state.phase !== "ended") { window.setTimeout(poll, nextPollIn()); }
      });
  }

  function start(game) {
    state = {game: game, position: -2};
    etag = "";
    poll();
  }

  window.setInterval(function () {
    var clock = panel.querySelector(".kc-game-clock");
    if (clock) { clock.textContent = String(secondsLeft()); }
  }, 250);

  if (args.live && args.live.game) { start(args.live.game); }
}
