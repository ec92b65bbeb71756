/* knowledge_contest: the knowledge contest block. Start, answer question by question (each answer
   saved at once), resume after a reload, submit, result with rank and review. The server owns the
   clock and the questions; this script only shows what the handlers return. All text goes in
   through textContent; every string goes through gettext() whose translation the block hands over
   in args.i18n. */
function KnowledgeContestBlock(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator(args.i18n);
  var app = element.querySelector(".kc-app");
  var message = element.querySelector(".kc-message");
  var state = null;
  var timer = null;
  var saveTimers = {};
  var current = 0;
  KnowledgeContestGame(runtime, element, args);  /* the live game, when one is open (its own script) */

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
      node("span", {}, [node("span", {text: gettext("Time left") + " "}), timeLeft]),
      perQuestion ? node("span", {}, [node("span", {text: gettext("Time for this question") + " "}), questionLeft])
        : null,
      progress,
    ]);
    var navLabel = gettext("Question %(index)s of %(count)s").split("%")[0];
    var nav = perQuestion ? null : node("nav", {className: "kc-nav", "aria-label": navLabel});
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
      progress.textContent = gettext("Answered %(answered)s of %(count)s",
                                     {answered: answeredCount(), count: attempt.count});
      if (!nav) { return; }
      nav.textContent = "";
      attempt.questions.forEach(function (question, index) {
        var dot = button(String(index + 1), "", function () { show(index); });
        dot.className = "kc-dot" + (question.response.length ? " kc-dot--done" : "") +
          (index === current ? " kc-dot--current" : "");
        if (index === current) { dot.setAttribute("aria-current", "step"); }
        dot.setAttribute("aria-label", gettext("Question %(index)s of %(count)s",
                                               {index: index + 1, count: attempt.count}));
        nav.appendChild(dot);
      });
    }

    function save(question, response) {
      question.response = response;
      updateProgress();
      status.textContent = gettext("Saving…");
      status.className = "kc-save";
      call("answer", {attempt: attempt.id, question: question.id, response: response}).then(function () {
        status.textContent = gettext("Saved");
        status.className = "kc-save kc-save--ok";
      }).catch(function (error) {
        if (error.status) { return failed(error); }
        // Network trouble: keep the answer and send it again shortly.
        status.textContent = gettext("Not saved. Check your connection; your answer will be sent again.");
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
        node("span", {className: "kc-qnum",
                      text: gettext("Question %(index)s of %(count)s", {index: index + 1, count: attempt.count})}),
        node("span", {className: "kc-qtype", text: question.type_label}),
      ]);
      var stemId = "kc-stem-" + attempt.id + "-" + question.id;
      card.appendChild(heading);
      card.appendChild(node("p", {className: "kc-stem", id: stemId, text: question.stem}));
      var locked = question.locked;
      if (question.type === "fill_blank") {
        var input = node("input", {type: "text", className: "kc-blank", "aria-labelledby": stemId,
                                   placeholder: gettext("Type your answer"), maxlength: "200", autocomplete: "off"});
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
      if (locked) {
        card.appendChild(node("p", {className: "party-help", text: gettext("Time for this question is over.")}));
      }
      actions.textContent = "";
      if (perQuestion) {
        if (index < attempt.count - 1) {
          actions.appendChild(button(gettext("Next question"), "primary", function () {
            call("next_question", {attempt: attempt.id}).then(function (fresh) {
              state = fresh; render();
            }).catch(failed);
          }));
        }
      } else {
        var prev = button(gettext("Previous question"), "", function () { show(index - 1); });
        prev.disabled = index === 0;
        actions.appendChild(prev);
        if (index < attempt.questions.length - 1) {
          actions.appendChild(button(gettext("Next question"), "primary", function () { show(index + 1); }));
        }
      }
      actions.appendChild(button(gettext("Submit"), index === attempt.count - 1 ? "primary" : "", submit));
      updateProgress();
      heading.focus();
    }

    function submit() {
      var missing = attempt.count - answeredCount();
      var question = gettext("Submit your answers? You cannot change them afterwards.") +
        (missing > 0 ? "\n" + gettext("Questions not answered yet: %(count)s", {count: missing}) : "");
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
        refresh(gettext("Time is up. Your attempt has been closed."));
      }
    }
    show(current);
    tick();
    timer = setInterval(tick, 1000);
  }

  // --- results and leaderboards --------------------------------------------------------------
  function answerText(question, keys) {
    if (!keys.length) { return gettext("(no answer)"); }
    if (question.type === "fill_blank") { return keys.join(" | "); }
    // Options are listed in the order the learner saw them, with the letters they saw.
    var shown = [];
    question.options.forEach(function (option, index) {
      if (keys.indexOf(option.key) >= 0) {
        shown.push(question.type === "true_false" ? option.text : String.fromCharCode(65 + index) + ". " + option.text);
      }
    });
    return shown.join(gettext("; "));
  }

  function renderResult(result, boards) {
    var individual = boards && boards.individual;
    var branch = boards && boards.branch;
    /* The score against its true maximum; a speed (or streak) bonus apart, and the total with it. */
    var figures = [
      [gettext("Score"), result.score + " / " + result.max_score],
      [gettext("Correct answers"), result.correct_count + " / " + result.count],
      [gettext("Time used"), gettext("%(seconds)s s", {seconds: result.duration_seconds})],
    ];
    if (result.bonus) {
      figures.splice(1, 0, [gettext("Bonus"), "+" + result.bonus],
                     [gettext("Total with bonus"), String(result.total)]);
    }
    if (individual && individual.me) {
      figures.push([gettext("Your rank"),
                    individual.me.rank + " " + gettext("of %(count)s", {count: individual.participants})]);
    }
    if (branch && branch.me) { figures.push([gettext("Your branch's rank"), String(branch.me.rank)]); }
    var card = node("div", {className: "kc-result"}, [
      node("p", {className: "kc-verdict " + (result.passed ? "kc-verdict--pass" : "kc-verdict--fail"),
                 text: (result.passed ? gettext("Passed") : gettext("Not passed")) + " · " + result.status_label}),
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
      var later = gettext("Answers and explanations are shown after the contest closes at %(time)s.",
                          {time: localTime(result.review_from)});
      app.appendChild(node("p", {className: "party-help", text: later}));
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
    if (!board.top.length) { return node("p", {text: gettext("No results yet.")}); }
    var rows = board.top.map(function (row) {
      return node("tr", {className: row.me ? "kc-me" : ""}, [
        node("td", {text: String(row.rank)}),
        /* On an anonymous board the server already names my row "You". */
        node("td", {text: row.me && !board.anonymous ? row.name + " (" + gettext("You") + ")" : row.name}),
        node("td", {text: row.branch}), node("td", {text: String(row.total)}),
        node("td", {text: gettext("%(seconds)s s", {seconds: row.duration_seconds})}),
      ]);
    });
    return table(gettext("Leaderboard") + " · " + gettext("Participants") + " " + board.participants,
                 ["#", gettext("Name"), gettext("Branch"), gettext("Score"), gettext("Time used")], rows);
  }

  function branchBoard(board) {
    if (!board.top.length) { return node("p", {text: gettext("No results yet.")}); }
    var rows = board.top.map(function (row) {
      return node("tr", {className: row.me ? "kc-me" : ""}, [
        node("td", {text: String(row.rank)}), node("td", {text: row.name}),
        node("td", {text: String(row.participants)}), node("td", {text: String(row.score)}),
      ]);
    });
    var metric = board.mode === "average" ? gettext("Average score") : gettext("Total score");
    return table(gettext("Branch leaderboard"), ["#", gettext("Branch"), gettext("Participants"), metric], rows);
  }

  function review(items) {
    var list = node("ol", {className: "kc-review"});
    items.forEach(function (item) {
      list.appendChild(node("li", {className: item.correct ? "kc-right" : "kc-wrong"}, [
        node("p", {className: "kc-stem"}, [
          node("span", {className: "kc-mark", text: item.correct ? gettext("Correct") : gettext("Wrong")}),
          node("span", {text: " " + item.stem}),
        ]),
        node("p", {text: gettext("Your answer: %(answer)s", {answer: answerText(item, item.response)})}),
        node("p", {text: gettext("Correct answer: %(answer)s", {answer: answerText(item, item.answer)})}),
        item.explanation ? node("p", {className: "kc-explanation",
                                      text: gettext("Explanation: %(text)s", {text: item.explanation})})
          : null,
      ]));
    });
    return node("section", {className: "kc-review-wrap"}, [node("h3", {text: gettext("Review")}), list]);
  }

  function renderHome() {
    if (state.last) { renderResult(state.last, state.leaderboard); }
    var info = null;
    if (state.window === "not_started") {
      info = gettext("The contest opens at %(time)s.", {time: localTime(state.window_start)});
    }
    else if (state.window === "closed") { info = gettext("The contest is over."); }
    else if (!state.can_start && state.max_attempts) { info = gettext("You have used all your attempts."); }
    if (info) { app.appendChild(node("p", {className: "party-message", text: info})); }
    var attempts = state.max_attempts
      ? gettext("Attempts: %(used)s of %(max)s", {used: state.attempts_used, max: state.max_attempts})
      : gettext("Attempts: %(used)s", {used: state.attempts_used});
    app.appendChild(node("p", {className: "party-help", text: attempts}));
    if (state.can_start) {
      var label = state.attempts_used ? gettext("Start another attempt") : gettext("Start the contest");
      var start = button(label, "primary", function () {
        start.disabled = true;
        call("start", {}).then(function (fresh) { state = fresh; render(); }).catch(function (error) {
          start.disabled = false;
          failed(error);
        });
      });
      app.appendChild(node("div", {className: "party-actions"}, [start]));
    }
    if (state.history.length > 1) {
      var headers = ["#", gettext("Score"), gettext("Status")];
      app.appendChild(table(gettext("Your attempts"), headers, state.history.map(function (row) {
        return node("tr", {}, [node("td", {text: gettext("Attempt %(n)s", {n: row.number})}),
                               node("td", {text: row.score + " / " + row.max_score +
                                                 (row.bonus ? " + " + row.bonus : "")}),
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
