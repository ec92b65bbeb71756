/* case_discussion: the case discussion block for learners. The answers autosave (core's
   revision-checked drafts: a save based on an older revision gets the newer text back instead of
   overwriting it); posting unlocks the group's analyses in a post-first discussion. Everything a
   learner reads comes from the handlers, which apply the access rule; user text is always put in
   as text (textContent), never as markup. Strings go through gettext with the block's catalog. */
function CaseDiscussionBlock(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator(args.i18n);
  if (!args.signedIn) { return; }
  if (args.staff) {  /* course staff get the staff view instead of the learner's */
    if (typeof window.CaseDiscussionStaff === "function") { window.CaseDiscussionStaff(runtime, element, args); }
    return;
  }
  var root = element.querySelector(".party-case");
  var form = root.querySelector(".party-case__editor");
  var posted = root.querySelector(".party-case__posted");
  var areas = Array.prototype.slice.call(form.querySelectorAll("textarea[data-answer]"));
  var counter = form.querySelector(".party-case__count");
  var saveState = form.querySelector(".party-case__save");
  var message = form.querySelector(".party-message");
  var banner = form.querySelector(".party-case__banner");
  var submitButton = form.querySelector("[data-action=submit]");
  var cancelButton = form.querySelector("[data-action=cancel-edit]");
  var feedMessage = root.querySelector(".party-case__feed-message");
  var revision = args.revision || 0, timer = null, saving = false, conflict = null, editing = false;
  var state = null, page = 1;

  var el = PartyTraining.el;
  /* A GET of a handler with query parameters (pages of the feed and of a thread). */
  function getWith(handler, params) {
    var url = runtime.handlerUrl(element, handler);
    var query = Object.keys(params).map(function (k) { return k + "=" + encodeURIComponent(params[k]); }).join("&");
    return fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + query, {credentials: "same-origin"}).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new Error(body.error || response.statusText); }
        return body;
      });
    });
  }
  function chars(text) { return Array.from(text.replace(/\s+/g, "")).length; }
  function answers() { return areas.map(function (area) { return area.value; }); }
  function updateCounter() {
    var count = areas.reduce(function (sum, area) { return sum + chars(area.value); }, 0);
    var text = gettext("%(count)s characters", {count: count});
    if (args.minChars) { text += " / " + gettext("at least %(min)s", {min: args.minChars}); }
    counter.textContent = text;
    counter.classList.toggle("is-short", !!args.minChars && count < args.minChars);
  }

  /* --- drafts ------------------------------------------------------------------------------ */
  function save(force) {
    if (editing || saving || (conflict && !force)) { return Promise.resolve(); }
    window.clearTimeout(timer);
    saving = true;
    saveState.textContent = gettext("Saving…");
    return PartyTraining.post(runtime, element, "save_draft", {answers: answers(), revision: revision, force: !!force})
      .then(function (body) {
        saving = false;
        revision = body.revision;
        if (body.conflict) {
          conflict = body;
          banner.querySelector(".party-case__banner-text").textContent =
            gettext("These answers were changed in another tab or on another device (saved at %(time)s).", {time: body.time});
          banner.hidden = false;
          saveState.textContent = "";
          return;
        }
        conflict = null;
        banner.hidden = true;
        saveState.textContent = gettext("Draft saved at %(time)s", {time: body.time});
      }).catch(function (error) {
        saving = false;
        saveState.textContent = gettext("Not saved: %(error)s", {error: error.message});
      });
  }
  function schedule() { window.clearTimeout(timer); timer = window.setTimeout(save, 1500); }
  areas.forEach(function (area) {
    area.addEventListener("input", function () { updateCounter(); if (!editing) { schedule(); } });
  });
  banner.querySelector("[data-action=load-newer]").addEventListener("click", function () {
    (conflict.answers || []).forEach(function (text, n) { if (areas[n]) { areas[n].value = text; } });
    conflict = null; banner.hidden = true; updateCounter();
  });
  banner.querySelector("[data-action=keep-mine]").addEventListener("click", function () { save(true); });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    submitButton.disabled = true;
    PartyTraining.post(runtime, element, editing ? "edit" : "submit", {answers: answers()}).then(function (body) {
      PartyTraining.showMessage(message, body.message, "success");
      editing = false;
      return load();
    }).catch(function (error) {
      PartyTraining.showMessage(message, error.message, "error");
    }).then(function () { submitButton.disabled = false; });
  });
  cancelButton.addEventListener("click", function () { editing = false; render(state); });

  /* --- what the learner reads ----------------------------------------------------------------- */
  function answersList(analysis) {
    var list = el("div", "party-case__answers");
    analysis.answers.forEach(function (answer) {
      if (answer.question) { list.appendChild(el("p", "party-case__question", answer.question)); }
      list.appendChild(el("p", "party-case__text", answer.text));
    });
    return list;
  }
  function byline(analysis) {
    var line = el("p", "party-case__byline");
    line.appendChild(el("strong", "", analysis.author));
    line.appendChild(document.createTextNode(" · " + analysis.created));
    if (analysis.edited) { line.appendChild(el("span", "party-case__edited", " · " + gettext("edited at %(time)s", {time: analysis.edited}))); }
    if (analysis.featured) { line.appendChild(el("span", "party-case__badge", gettext("Featured"))); }
    return line;
  }
  function renderMine(mine) {
    posted.textContent = "";
    posted.hidden = !mine || editing;
    form.hidden = !!mine && !editing || (!mine && state.closed);
    submitButton.textContent = editing ? gettext("Save my changes") : gettext("Post my analysis");
    cancelButton.hidden = !editing;
    if (!mine) { return; }
    posted.appendChild(byline(mine));
    if (mine.hidden) {
      posted.appendChild(el("p", "party-case__hidden", gettext("The instructor hid your analysis: %(reason)s", {reason: mine.hidden_reason})));
    }
    posted.appendChild(answersList(mine));
    posted.appendChild(el("p", "party-help", gettext("%(likes)s likes · %(replies)s replies", {likes: mine.likes, replies: mine.replies})));
    if (mine.may_edit) {
      var edit = el("button", "party-button", gettext("Edit (until %(time)s)", {time: mine.edit_until}));
      edit.type = "button";
      edit.addEventListener("click", function () {
        editing = true;
        mine.answers.forEach(function (answer, n) { if (areas[n]) { areas[n].value = answer.text; } });
        updateCounter();
        render(state);
        areas[0].focus();
      });
      posted.appendChild(edit);
    }
  }
  function renderGrade(grade) {
    var section = root.querySelector(".party-case__grade");
    var body = section.querySelector(".party-case__grade-body");
    section.hidden = !grade;
    body.textContent = "";
    if (!grade) { return; }
    body.appendChild(el("p", "party-case__score", gettext("Score: %(score)s of %(max)s", {score: grade.score, max: grade.max_score})));
    if (grade.comment) { body.appendChild(el("p", "party-case__text", grade.comment)); }
    var list = el("ul", "party-case__levels");
    grade.rubric.forEach(function (criterion) {
      criterion.levels.forEach(function (level) {
        if (level.chosen) { list.appendChild(el("li", "", gettext("%(criterion)s: %(level)s (%(points)s points)", {criterion: criterion.name, level: level.name, points: level.points}))); }
      });
    });
    body.appendChild(list);
  }
  function thread(analysis, box) {
    var list = el("div", "party-case__replies");
    var more = el("button", "party-button", gettext("More replies"));
    more.type = "button";
    more.hidden = true;
    var replyPage = 1;
    function fetchPage(number) {
      return getWith("replies", {analysis_id: analysis.id, page: number}).then(function (body) {
        body.replies.forEach(function (reply) {
          var item = el("div", "party-case__reply");
          item.appendChild(el("strong", "", reply.author));
          item.appendChild(document.createTextNode(" · " + reply.created));
          item.appendChild(el("p", "party-case__text", reply.text));
          list.appendChild(item);
        });
        replyPage = body.page;
        more.hidden = body.page >= body.pages;
      });
    }
    more.addEventListener("click", function () { fetchPage(replyPage + 1); });
    var replyForm = el("form", "party-case__reply-form");
    var label = el("label", "", gettext("Your reply"));
    var input = el("textarea");
    input.id = "case-reply-" + analysis.id + "-" + Math.random().toString(36).slice(2);
    label.htmlFor = input.id;
    input.rows = 2;
    var send = el("button", "party-button party-button--primary", gettext("Reply"));
    send.type = "submit";
    var note = el("p", "party-message");
    replyForm.appendChild(label); replyForm.appendChild(input); replyForm.appendChild(send); replyForm.appendChild(note);
    replyForm.addEventListener("submit", function (event) {
      event.preventDefault();
      send.disabled = true;
      PartyTraining.post(runtime, element, "reply", {analysis_id: analysis.id, text: input.value}).then(function () {
        input.value = "";
        list.textContent = "";
        return fetchPage(1);
      }).catch(function (error) { PartyTraining.showMessage(note, error.message, "error"); })
        .then(function () { send.disabled = false; });
    });
    box.appendChild(list); box.appendChild(more); box.appendChild(replyForm);
    fetchPage(1).catch(function (error) { PartyTraining.showMessage(note, error.message, "error"); });
  }
  function card(analysis) {
    var item = el("article", "party-case__card" + (analysis.featured ? " is-featured" : ""));
    item.appendChild(byline(analysis));
    item.appendChild(answersList(analysis));
    var actions = el("div", "party-actions");
    var like = el("button", "party-button party-case__like", gettext("Like (%(count)s)", {count: analysis.likes}));
    like.type = "button";
    like.setAttribute("aria-pressed", analysis.liked ? "true" : "false");
    like.disabled = analysis.liked || analysis.mine;
    like.addEventListener("click", function () {
      like.disabled = true;
      PartyTraining.post(runtime, element, "like", {analysis_id: analysis.id}).then(function () {
        analysis.likes += 1;
        like.textContent = gettext("Like (%(count)s)", {count: analysis.likes});
        like.setAttribute("aria-pressed", "true");
      }).catch(function (error) { PartyTraining.showMessage(feedMessage, error.message, "error"); });
    });
    var toggle = el("button", "party-button", gettext("Replies (%(count)s)", {count: analysis.replies}));
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    var box = el("div", "party-case__thread");
    box.hidden = true;
    toggle.addEventListener("click", function () {
      var open = box.hidden;
      box.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open && !box.hasChildNodes()) { thread(analysis, box); }
    });
    actions.appendChild(like); actions.appendChild(toggle);
    item.appendChild(actions);
    item.appendChild(box);
    return item;
  }
  function renderFeed(feed) {
    var featuredBox = root.querySelector(".party-case__featured");
    var featured = root.querySelector("[data-list=featured]");
    var list = root.querySelector("[data-list=feed]");
    var pager = root.querySelector(".party-case__pager");
    root.querySelector(".party-case__locked").hidden = !!feed;
    featured.textContent = ""; list.textContent = "";
    featuredBox.hidden = !feed || !feed.featured.length;
    pager.hidden = !feed || feed.pages < 2;
    if (!feed) { return; }
    feed.featured.forEach(function (a) { featured.appendChild(card(a)); });
    feed.analyses.forEach(function (a) { list.appendChild(card(a)); });
    if (!feed.analyses.length) { list.appendChild(el("p", "party-help", gettext("No analyses in your group yet."))); }
    page = feed.page;
    pager.querySelector(".party-case__page").textContent = gettext("Page %(page)s of %(pages)s", {page: feed.page, pages: feed.pages});
    pager.querySelector("[data-action=previous]").disabled = feed.page <= 1;
    pager.querySelector("[data-action=next]").disabled = feed.page >= feed.pages;
  }
  function render(current) {
    state = current;
    root.querySelector(".party-case__group").textContent = current.group ? "（" + current.group + "）" : "";
    renderMine(current.mine);
    renderGrade(current.grade);
    var summary = root.querySelector(".party-case__summary");
    summary.hidden = !current.summary;
    /* The summary is staff's rich text, sanitised by the server with core's allow-list on write and on read. */
    summary.querySelector(".party-case__summary-body").innerHTML = current.summary || "";
    renderFeed(current.feed);
    updateCounter();
  }
  function goTo(number) {
    getWith("feed", {page: number}).then(renderFeed)
      .catch(function (error) { PartyTraining.showMessage(feedMessage, error.message, "error"); });
  }
  root.querySelector("[data-action=previous]").addEventListener("click", function () { goTo(page - 1); });
  root.querySelector("[data-action=next]").addEventListener("click", function () { goTo(page + 1); });
  function load() { return PartyTraining.get(runtime, element, "state").then(render); }
  load().catch(function (error) { PartyTraining.showMessage(feedMessage, error.message, "error"); });
}
