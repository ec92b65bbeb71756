/* party_class: the party class block, learner side: sign-in (code pre-filled from a scanned QR
   code), "watched and read", questions and votes, reflection with autosaved drafts. Staff tools are
   in party_class_staff.js. Texts are English msgids translated through args.i18n (gettext). */
function PartyClassBlock(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator(args.i18n);
  var $ = function (selector) { return element.querySelector(selector); };
  var post = function (handler, data) { return PartyTraining.post(runtime, element, handler, data); };

  function errorText(error) { return error && error.status ? error.message : gettext("The network is unavailable. Please try again."); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  /* --- requirements ------------------------------------------------------------------------ */
  function renderRequirements(req) {
    if (!req) { return; }
    ["signin", "content", "reflection"].forEach(function (name) {
      var item = element.querySelector('.pc-req[data-req="' + name + '"]');
      if (!item) { return; }
      item.classList.toggle("pc-req--done", !!req[name]);
      item.querySelector(".pc-req-state").textContent = req[name] ? gettext("Done") : gettext("Not yet");
    });
    var completed = $(".pc-completed");
    if (completed) { completed.hidden = !req.completed; }
  }

  /* --- sign-in -------------------------------------------------------------------------------- */
  function renderSignin(signin, message) {
    var status = $(".pc-signin-status");
    var forms = $(".pc-signin-forms");
    if (!status || !signin) { return; }
    if (signin.signed_in) {
      status.textContent = message || gettext("You signed in at %(time)s (%(method)s).", {time: signin.time, method: signin.method_label});
      if (forms) { forms.hidden = true; }
    }
  }
  function signIn(data, button) {
    var message = $('[data-msg="signin"]');
    if (button) { button.disabled = true; }
    post("sign_in", data).then(function (state) {
      PartyTraining.showMessage(message, "", "");
      renderSignin(state.signin, state.message);
      renderRequirements(state.requirements);
    }).catch(function (error) {
      PartyTraining.showMessage(message, errorText(error), "error");
      var code = $(".pc-code");
      if (code && data.method === "onsite") { code.focus(); code.select(); }
    }).then(function () { if (button) { button.disabled = false; } });
  }
  var onsiteForm = $(".pc-onsite-form");
  if (onsiteForm) {
    var codeInput = $(".pc-code");
    var prefilled = new URLSearchParams(window.location.search).get("party_code");
    if (prefilled && /^\d+$/.test(prefilled)) {
      codeInput.value = prefilled;
      if (!$(".pc-signin-forms").hidden) { onsiteForm.scrollIntoView({block: "center"}); }
    }
    onsiteForm.addEventListener("submit", function (event) {
      event.preventDefault();
      signIn({method: "onsite", code: codeInput.value}, onsiteForm.querySelector("button[type=submit]"));
    });
  }
  var onlineButton = $(".pc-online-btn");
  if (onlineButton) {
    onlineButton.addEventListener("click", function () { signIn({method: "online"}, onlineButton); });
  }

  /* --- watched and read ----------------------------------------------------------------------- */
  var doneButton = $(".pc-content-done");
  function markContentDone() {
    if (!doneButton || doneButton.disabled) { return; }
    doneButton.disabled = true;
    post("content_done", {}).then(function (state) {
      doneButton.textContent = gettext("Marked as watched and read.");
      renderRequirements(state.requirements);
    }).catch(function (error) {
      doneButton.disabled = false;
      PartyTraining.showMessage($('[data-msg="signin"]') || $('[data-msg="reflection"]'), errorText(error), "error");
    });
  }
  if (doneButton) { doneButton.addEventListener("click", markContentDone); }
  var player = $(".pc-video-player");
  if (player) { player.addEventListener("ended", markContentDone); }

  /* --- questions ------------------------------------------------------------------------------ */
  var list = $(".pc-question-list");
  function renderQuestions(questions) {
    if (!list) { return; }
    list.textContent = "";
    if (!questions.length) { list.appendChild(el("li", "pc-q pc-q--empty", gettext("No questions yet. Be the first to ask."))); return; }
    questions.forEach(function (q) {
      var item = el("li", "pc-q");
      item.setAttribute("data-question", q.id);
      var meta = el("p", "pc-q-meta");
      meta.appendChild(el("span", "pc-tag pc-tag--" + q.tag, q.tag_label));
      meta.appendChild(el("span", "pc-q-author", q.mine ? gettext("You") : q.author));
      item.appendChild(meta);
      item.appendChild(el("p", "pc-q-text", q.text));
      var count = gettext("%(count)s agree", {count: q.votes});
      var vote = el("button", "party-button pc-vote" + (q.voted ? " pc-vote--on" : ""),
        q.mine ? count : (q.voted ? gettext("Agreed") : gettext("Agree")) + " · " + count);
      vote.type = "button";
      vote.setAttribute("aria-pressed", q.voted ? "true" : "false");
      vote.disabled = q.voted || q.mine;
      vote.addEventListener("click", function () {
        vote.disabled = true;
        post("vote", {question_id: q.id}).then(function (result) { renderQuestions(result.questions); })
          .catch(function (error) {
            vote.disabled = false;
            PartyTraining.showMessage($('[data-msg="vote"]'), errorText(error), "error");
          });
      });
      item.appendChild(vote);
      if (q.answer) {
        var answer = el("div", "pc-answer");
        answer.appendChild(el("strong", "", gettext("Lecturer's answer")));
        answer.appendChild(el("p", "pc-answer-text", q.answer));
        item.appendChild(answer);
      }
      list.appendChild(item);
    });
  }
  var askForm = $(".pc-ask-form");
  if (askForm) {
    askForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = askForm.querySelector(".pc-ask-text");
      var tag = askForm.querySelector("input[type=radio]:checked");
      var anonymous = askForm.querySelector(".pc-ask-anonymous");
      var button = askForm.querySelector("button[type=submit]");
      var message = askForm.querySelector('[data-msg="ask"]');
      button.disabled = true;
      post("ask", {text: text.value, tag: tag ? tag.value : "", anonymous: !!(anonymous && anonymous.checked)})
        .then(function (result) {
          text.value = "";
          PartyTraining.showMessage(message, gettext("Your question has been sent."), "success");
          renderQuestions(result.questions);
        })
        .catch(function (error) { PartyTraining.showMessage(message, errorText(error), "error"); })
        .then(function () { button.disabled = false; });
    });
  }

  /* --- reflection ----------------------------------------------------------------------------- */
  var reflectionForm = $(".pc-reflection-form");
  if (reflectionForm) {
    var textarea = reflectionForm.querySelector(".pc-reflection-text");
    var counter = reflectionForm.querySelector(".pc-reflection-count");
    var draftStatus = reflectionForm.querySelector(".pc-draft-status");
    var lastSaved = textarea.value;
    var timer = null;
    var saving = false;
    var counted = function () { return textarea.value.replace(/\s/g, "").length; };
    var updateCounter = function () {
      counter.textContent = gettext("%(count)s characters (at least %(min)s)", {count: counted(), min: args.min_chars});
      counter.classList.toggle("pc-count--short", counted() < args.min_chars);
    };
    var saveDraft = function () {
      window.clearTimeout(timer);
      if (saving || textarea.value === lastSaved || reflectionForm.hidden) { return; }
      var text = textarea.value;
      saving = true;
      draftStatus.textContent = gettext("Saving…");
      post("save_draft", {text: text}).then(function (result) {
        lastSaved = text;
        draftStatus.textContent = gettext("Draft saved at %(time)s", {time: result.saved_at});
      }).catch(function (error) {
        draftStatus.textContent = error && error.status ? error.message : gettext("The draft could not be saved.");
      }).then(function () { saving = false; });
    };
    textarea.addEventListener("input", function () {
      updateCounter();
      window.clearTimeout(timer);
      timer = window.setTimeout(saveDraft, 2000);
    });
    textarea.addEventListener("blur", saveDraft);
    window.setInterval(saveDraft, 30000);
    updateCounter();
    reflectionForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var message = $('[data-msg="reflection"]');
      if (!window.confirm(gettext("Submit your reflection? It cannot be changed afterwards."))) { return; }
      window.clearTimeout(timer);
      post("submit_reflection", {text: textarea.value}).then(function (state) {
        reflectionForm.hidden = true;
        var done = $(".pc-reflection-done");
        done.querySelector(".pc-reflection-submitted-at").textContent = state.reflection.submitted_at;
        var shown = done.querySelector(".pc-reflection-submitted-text");
        shown.textContent = "";
        state.reflection.text.split(/\n+/).forEach(function (line) { shown.appendChild(el("p", "", line)); });
        done.hidden = false;
        PartyTraining.showMessage(message, gettext("Your reflection has been submitted."), "success");
        renderRequirements(state.requirements);
      }).catch(function (error) { PartyTraining.showMessage(message, errorText(error), "error"); });
    });
  }

  if (args.state) {
    renderQuestions(args.state.questions || []);
  }
  if (args.staff && typeof window.PartyClassStaff === "function") {
    window.PartyClassStaff(runtime, element, args, {el: el});
  }
}
