/* Knowledge contest: start, answer question by question (each answer saved at once), resume after
   a reload, submit, result with rank and review. The server owns the clock and the questions;
   this script only shows what the handlers return. All text goes in through textContent. */
function KnowledgeContestBlock(runtime, element, args) {
  "use strict";
  var S = args.strings;
  var app = element.querySelector(".kc-app");
  var message = element.querySelector(".kc-message");
  var state = null;
  var timer = null;
  var saveTimers = {};
  var current = 0;

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) { return values[key]; });
  }
  function node(tag, attrs, children) {
    var item = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { item.textContent = attrs[name]; }
      else if (name === "className") { item.className = attrs[name]; }
      else { item.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) { if (child) { item.appendChild(child); } });
    return item;
  }
  function button(label, kind, onClick) {
    var item = node("button", {type: "button", className: "party-button" + (kind ? " party-button--" + kind : ""),
                               text: label});
    item.addEventListener("click", onClick);
    return item;
  }
  function clock(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return (minutes < 10 ? "0" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }
  function localTime(iso) {
    if (!iso) { return ""; }
    var date = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate()) + " " +
      two(date.getHours()) + ":" + two(date.getMinutes());
  }
  function stopTimer() { if (timer) { clearInterval(timer); timer = null; } }

  function call(handler, data) {
    return PartyTraining.post(runtime, element, handler, data);
  }
  function refresh(notice) {
    return call("state", {}).then(function (fresh) {
      state = fresh;
      render();
      if (notice) { PartyTraining.showMessage(message, notice, "error"); }
    });
  }
  function failed(error) {
    if (error.status === 409 || error.status === 404) {
      return refresh(error.message);
    }
    PartyTraining.showMessage(message, error.message, "error");
  }

  // --- the attempt ---------------------------------------------------------------------------
  function positionKey(attempt) { return "kc-position-" + attempt.id; }
  function firstUnanswered(attempt) {
    for (var i = 0; i < attempt.questions.length; i++) {
      if (!attempt.questions[i].response.length) { return i; }
    }
    return 0;
  }

  function renderAttempt(attempt) {
    var perQuestion = attempt.question_seconds > 0;
    var receivedAt = Date.now();
    if (perQuestion) {
      current = attempt.position;
    } else {
      var remembered = parseInt(window.sessionStorage.getItem(positionKey(attempt)), 10);
      current = isNaN(remembered) ? firstUnanswered(attempt) : Math.min(remembered, attempt.questions.length - 1);
    }
    var timeLeft = node("strong", {className: "kc-clock", "aria-live": "off"});
    var questionLeft = perQuestion ? node("strong", {className: "kc-clock kc-clock--question"}) : null;
    var progress = node("span", {className: "kc-progress"});
    var header = node("div", {className: "kc-bar"}, [
      node("span", {}, [node("span", {text: S.time_left + " "}), timeLeft]),
      perQuestion ? node("span", {}, [node("span", {text: S.question_time_left + " "}), questionLeft]) : null,
      progress,
    ]);
    var nav = perQuestion ? null : node("nav", {className: "kc-nav", "aria-label": S.question_of.split("%")[0]});
    var card = node("div", {className: "kc-card"});
    var status = node("p", {className: "kc-save", role: "status"});
    var actions = node("div", {className: "party-actions kc-actions"});
    app.appendChild(header);
    if (nav) { app.appendChild(nav); }
    app.appendChild(card);
    app.appendChild(status);
    app.appendChild(actions);

    function answeredCount() {
      return attempt.questions.filter(function (q) { return q.response.length; }).length;
    }
    function updateProgress() {
      progress.textContent = fmt(S.answered, {answered: answeredCount(), count: attempt.count});
      if (!nav) { return; }
      nav.textContent = "";
      attempt.questions.forEach(function (question, index) {
        var dot = button(String(index + 1), "", function () { show(index); });
        dot.className = "kc-dot" + (question.response.length ? " kc-dot--done" : "") +
          (index === current ? " kc-dot--current" : "");
        if (index === current) { dot.setAttribute("aria-current", "step"); }
        dot.setAttribute("aria-label", fmt(S.question_of, {index: index + 1, count: attempt.count}));
        nav.appendChild(dot);
      });
    }

    function save(question, response) {
      question.response = response;
      updateProgress();
      status.textContent = S.saving;
      status.className = "kc-save";
      call("answer", {attempt: attempt.id, question: question.id, response: response}).then(function () {
        status.textContent = S.saved;
        status.className = "kc-save kc-save--ok";
      }).catch(function (error) {
        if (error.status) { return failed(error); }
        // Network trouble: keep the answer and send it again shortly.
        status.textContent = S.save_failed;
        status.className = "kc-save kc-save--error";
        clearTimeout(saveTimers[question.id]);
        saveTimers[question.id] = setTimeout(function () { save(question, question.response); }, 3000);
      });
    }

    function show(index) {
      current = index;
      if (!perQuestion) { window.sessionStorage.setItem(positionKey(attempt), String(index)); }
      var question = attempt.questions[index];
      card.textContent = "";
      var heading = node("h3", {className: "kc-qhead", tabindex: "-1"}, [
        node("span", {className: "kc-qnum", text: fmt(S.question_of, {index: index + 1, count: attempt.count})}),
        node("span", {className: "kc-qtype", text: question.type_label}),
      ]);
      var stemId = "kc-stem-" + attempt.id + "-" + question.id;
      card.appendChild(heading);
      card.appendChild(node("p", {className: "kc-stem", id: stemId, text: question.stem}));
      var locked = question.locked;
      if (question.type === "fill_blank") {
        var input = node("input", {type: "text", className: "kc-blank", "aria-labelledby": stemId,
                                   placeholder: S.blank_placeholder, maxlength: "200", autocomplete: "off"});
        input.value = question.response[0] || "";
        input.disabled = locked;
        input.addEventListener("input", function () {
          clearTimeout(saveTimers[question.id]);
          saveTimers[question.id] = setTimeout(function () {
            save(question, input.value.trim() ? [input.value] : []);
          }, 600);
        });
        input.addEventListener("change", function () {
          clearTimeout(saveTimers[question.id]);
          save(question, input.value.trim() ? [input.value] : []);
        });
        card.appendChild(node("div", {className: "party-field"}, [input]));
      } else {
        var multiple = question.type === "multiple";
        var group = node("fieldset", {className: "kc-options"}, [node("legend", {className: "kc-sr", text: question.stem})]);
        question.options.forEach(function (option, optionIndex) {
          var id = stemId + "-" + option.key;
          var inputOption = node("input", {type: multiple ? "checkbox" : "radio", id: id, name: stemId,
                                           value: option.key});
          inputOption.checked = question.response.indexOf(option.key) >= 0;
          inputOption.disabled = locked;
          inputOption.addEventListener("change", function () {
            var chosen = Array.prototype.filter.call(group.querySelectorAll("input"), function (box) {
              return box.checked;
            }).map(function (box) { return box.value; });
            save(question, chosen);
          });
          var letter = question.type === "true_false" ? "" : String.fromCharCode(65 + optionIndex) + ". ";
          group.appendChild(node("label", {className: "kc-option", "for": id}, [
            inputOption, node("span", {text: letter + option.text}),
          ]));
        });
        card.appendChild(group);
      }
      if (locked) { card.appendChild(node("p", {className: "party-help", text: S.locked})); }
      actions.textContent = "";
      if (perQuestion) {
        if (index < attempt.count - 1) {
          actions.appendChild(button(S.next, "primary", function () {
            call("next_question", {attempt: attempt.id}).then(function (fresh) {
              state = fresh; render();
            }).catch(failed);
          }));
        }
      } else {
        var prev = button(S.previous, "", function () { show(index - 1); });
        prev.disabled = index === 0;
        actions.appendChild(prev);
        if (index < attempt.questions.length - 1) {
          actions.appendChild(button(S.next, "primary", function () { show(index + 1); }));
        }
      }
      actions.appendChild(button(S.submit, index === attempt.count - 1 ? "primary" : "", submit));
      updateProgress();
      heading.focus();
    }

    function submit() {
      var missing = attempt.count - answeredCount();
      var question = S.confirm_submit + (missing > 0 ? "\n" + fmt(S.unanswered, {count: missing}) : "");
      if (!window.confirm(question)) { return; }
      stopTimer();
      call("submit", {attempt: attempt.id}).then(function (fresh) {
        window.sessionStorage.removeItem(positionKey(attempt));
        state = fresh; render();
      }).catch(failed);
    }

    function tick() {
      var elapsed = (Date.now() - receivedAt) / 1000;
      var left = attempt.remaining_seconds - elapsed;
      timeLeft.textContent = clock(left);
      timeLeft.className = "kc-clock" + (left < 60 ? " kc-clock--low" : "");
      if (questionLeft) {
        var qLeft = attempt.question_remaining - elapsed;
        questionLeft.textContent = clock(qLeft);
        if (qLeft <= 0 && left > 0) { stopTimer(); refresh(); return; }
      }
      if (left <= 0) {
        stopTimer();
        // The server closes the attempt on this request; the result comes back with it.
        refresh(S.time_up);
      }
    }
    show(current);
    tick();
    timer = setInterval(tick, 1000);
  }

  // --- results and leaderboards --------------------------------------------------------------
  function answerText(question, keys) {
    if (!keys.length) { return S.no_answer; }
    if (question.type === "fill_blank") { return keys.join(" | "); }
    // Options are listed in the order the learner saw them, with the letters they saw.
    var shown = [];
    question.options.forEach(function (option, index) {
      if (keys.indexOf(option.key) >= 0) {
        shown.push(question.type === "true_false" ? option.text : String.fromCharCode(65 + index) + ". " + option.text);
      }
    });
    return shown.join(S.list_separator);
  }

  function renderResult(result, boards) {
    var individual = boards && boards.individual;
    var branch = boards && boards.branch;
    var figures = [
      [S.score, result.total + " / " + result.max_score],
      [S.correct, result.correct_count + " / " + result.count],
      [S.duration, fmt(S.seconds, {seconds: result.duration_seconds})],
    ];
    if (result.bonus) { figures.splice(1, 0, [S.bonus, "+" + result.bonus]); }
    if (individual && individual.me) {
      figures.push([S.rank, individual.me.rank + " " + fmt(S.of, {count: individual.participants})]);
    }
    if (branch && branch.me) { figures.push([S.branch_rank, String(branch.me.rank)]); }
    var card = node("div", {className: "kc-result"}, [
      node("p", {className: "kc-verdict " + (result.passed ? "kc-verdict--pass" : "kc-verdict--fail"),
                 text: (result.passed ? S.passed : S.not_passed) + " · " + result.status_label}),
      node("dl", {className: "kc-figures"}, figures.map(function (pair) {
        return node("div", {}, [node("dt", {text: pair[0]}), node("dd", {text: pair[1]})]);
      })),
    ]);
    app.appendChild(card);
    if (individual) { app.appendChild(individualBoard(individual)); }
    if (branch) { app.appendChild(branchBoard(branch)); }
    if (result.review) {
      app.appendChild(review(result.review));
    } else if (result.review_from) {
      app.appendChild(node("p", {className: "party-help", text: fmt(S.review_later, {time: localTime(result.review_from)})}));
    }
  }

  function table(caption, headers, rows) {
    return node("table", {className: "party-table kc-board"}, [
      node("caption", {text: caption}),
      node("thead", {}, [node("tr", {}, headers.map(function (h) { return node("th", {scope: "col", text: h}); }))]),
      node("tbody", {}, rows),
    ]);
  }

  function individualBoard(board) {
    if (!board.top.length) { return node("p", {text: S.no_results}); }
    var rows = board.top.map(function (row) {
      return node("tr", {className: row.me ? "kc-me" : ""}, [
        node("td", {text: String(row.rank)}), node("td", {text: row.me ? row.name + " (" + S.you + ")" : row.name}),
        node("td", {text: row.branch}), node("td", {text: String(row.total)}),
        node("td", {text: fmt(S.seconds, {seconds: row.duration_seconds})}),
      ]);
    });
    return table(S.leaderboard + " · " + S.participants + " " + board.participants,
                 ["#", S.name, S.branch, S.score, S.duration], rows);
  }

  function branchBoard(board) {
    if (!board.top.length) { return node("p", {text: S.no_results}); }
    var rows = board.top.map(function (row) {
      return node("tr", {className: row.me ? "kc-me" : ""}, [
        node("td", {text: String(row.rank)}), node("td", {text: row.name}),
        node("td", {text: String(row.participants)}), node("td", {text: String(row.score)}),
      ]);
    });
    return table(S.branch_leaderboard, ["#", S.branch, S.participants,
                                        board.mode === "average" ? S.average : S.total], rows);
  }

  function review(items) {
    var list = node("ol", {className: "kc-review"});
    items.forEach(function (item) {
      list.appendChild(node("li", {className: item.correct ? "kc-right" : "kc-wrong"}, [
        node("p", {className: "kc-stem"}, [
          node("span", {className: "kc-mark", text: item.correct ? S.status_correct : S.status_wrong}),
          node("span", {text: " " + item.stem}),
        ]),
        node("p", {text: fmt(S.your_answer, {answer: answerText(item, item.response)})}),
        node("p", {text: fmt(S.right_answer, {answer: answerText(item, item.answer)})}),
        item.explanation ? node("p", {className: "kc-explanation", text: fmt(S.explanation, {text: item.explanation})})
          : null,
      ]));
    });
    return node("section", {className: "kc-review-wrap"}, [node("h3", {text: S.review}), list]);
  }

  function renderHome() {
    if (state.last) { renderResult(state.last, state.leaderboard); }
    var info = null;
    if (state.window === "not_started") { info = fmt(S.not_started, {time: localTime(state.window_start)}); }
    else if (state.window === "closed") { info = S.closed; }
    else if (!state.can_start && state.max_attempts) { info = S.no_attempts; }
    if (info) { app.appendChild(node("p", {className: "party-message", text: info})); }
    var attempts = state.max_attempts ? fmt(S.attempts, {used: state.attempts_used, max: state.max_attempts})
      : fmt(S.attempts_unlimited, {used: state.attempts_used});
    app.appendChild(node("p", {className: "party-help", text: attempts}));
    if (state.can_start) {
      var start = button(state.attempts_used ? S.try_again : S.start, "primary", function () {
        start.disabled = true;
        call("start", {}).then(function (fresh) { state = fresh; render(); }).catch(function (error) {
          start.disabled = false;
          failed(error);
        });
      });
      app.appendChild(node("div", {className: "party-actions"}, [start]));
    }
    if (state.history.length > 1) {
      app.appendChild(table(S.history, ["#", S.score, S.status], state.history.map(function (row) {
        return node("tr", {}, [node("td", {text: fmt(S.attempt_n, {n: row.number})}),
                               node("td", {text: row.total + " / " + row.max_score}),
                               node("td", {text: row.status_label})]);
      })));
    }
  }

  function render() {
    stopTimer();
    app.textContent = "";
    if (!args.ready || !state) { return; }
    if (state.active) { renderAttempt(state.active); } else { renderHome(); }
  }

  var reset = element.querySelector(".kc-reset");
  if (reset) {
    reset.addEventListener("submit", function (event) {
      event.preventDefault();
      var out = reset.querySelector(".kc-reset-message");
      call("reset_learner", {username: reset.elements.username.value}).then(function (body) {
        PartyTraining.showMessage(out, body.message, "success");
      }).catch(function (error) { PartyTraining.showMessage(out, error.message, "error"); });
    });
  }
  if (args.ready) {
    call("state", {}).then(function (fresh) { state = fresh; render(); }).catch(failed);
  }
}
