/* case_discussion: the staff part of the case discussion block. Every group and its analyses
   (hidden ones too), feature / hide with a reason, grade each learner with the rubric and a
   comment, the closing summary, moving a learner to another group, who has not posted yet, and
   the XLSX export. Called by CaseDiscussionBlock for course staff only; the handlers check the
   role again. User text goes in as text. */
function CaseDiscussionStaff(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator(args.i18n);
  var body = element.querySelector(".party-case__staff-body");
  var currentGroup = null;

  var el = PartyTraining.el;
  function button(text, handler, primary) {
    var node = el("button", "party-button" + (primary ? " party-button--primary" : ""), text);
    node.type = "button";
    node.addEventListener("click", handler);
    return node;
  }
  function field(labelText, control) {
    var wrap = el("div", "party-field");
    control.id = "case-staff-" + Math.random().toString(36).slice(2);
    var label = el("label", "", labelText);
    label.htmlFor = control.id;
    wrap.appendChild(label); wrap.appendChild(control);
    return wrap;
  }
  function getWith(handler, params) {
    var url = runtime.handlerUrl(element, handler);
    var query = Object.keys(params).map(function (k) { return k + "=" + encodeURIComponent(params[k]); }).join("&");
    return fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + query, {credentials: "same-origin"}).then(function (r) {
      return r.json().then(function (data) { if (!r.ok) { throw new Error(data.error || r.statusText); } return data; });
    });
  }

  function groupsTable(data) {
    var wrap = el("div", "party-table-wrap");
    var table = el("table", "party-table");
    var head = el("tr");
    [gettext("Group"), gettext("Members"), gettext("Posted"), ""].forEach(function (t) { var th = el("th", "", t); th.scope = "col"; head.appendChild(th); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = el("tbody");
    data.groups.forEach(function (group) {
      var row = el("tr");
      row.appendChild(el("td", "", group.name));
      row.appendChild(el("td", "", String(group.members)));
      var posted = el("td");
      var bar = el("div", "party-progress");
      bar.setAttribute("role", "progressbar");
      var percent = group.members ? Math.round(group.posted * 100 / group.members) : 0;
      bar.setAttribute("aria-valuenow", String(percent)); bar.setAttribute("aria-valuemin", "0"); bar.setAttribute("aria-valuemax", "100");
      bar.setAttribute("aria-label", gettext("%(posted)s of %(members)s posted", {posted: group.posted, members: group.members}));
      var fill = el("div", "party-progress__bar"); fill.style.width = percent + "%"; bar.appendChild(fill);
      posted.appendChild(el("span", "", group.posted + " / " + group.members)); posted.appendChild(bar);
      row.appendChild(posted);
      var cell = el("td");
      cell.appendChild(button(gettext("Show posts"), function () { showGroup(group, 1); }));
      row.appendChild(cell);
      tbody.appendChild(row);
    });
    table.appendChild(tbody); wrap.appendChild(table);
    return wrap;
  }
  function notPosted(data) {
    var box = el("details", "party-case__not-posted");
    box.appendChild(el("summary", "", gettext("Not posted yet: %(count)s", {count: data.not_posted_total})));
    var list = el("ul");
    data.not_posted.forEach(function (p) { list.appendChild(el("li", "", p.name + " (" + p.username + ")" + (p.group ? " · " + p.group : ""))); });
    box.appendChild(list);
    return box;
  }
  function summaryEditor(data) {
    var box = el("div", "party-case__summary-editor");
    var area = el("textarea"); area.rows = 5; area.value = data.summary || "";
    box.appendChild(field(gettext("Closing summary (shown to learners who have posted)"), area));
    var note = el("p", "party-message");
    box.appendChild(button(gettext("Save the summary"), function () {
      PartyTraining.post(runtime, element, "summary", {summary: area.value}).then(function () {
        PartyTraining.showMessage(note, gettext("Saved."), "success");
      }).catch(function (error) { PartyTraining.showMessage(note, error.message, "error"); });
    }, true));
    box.appendChild(note);
    return box;
  }
  function mover(data) {
    var box = el("div", "party-case__mover");
    var who = el("select"), where = el("select");
    data.members.forEach(function (m) { var o = el("option", "", m.name); o.value = m.user_id; who.appendChild(o); });
    data.groups.forEach(function (g) { var o = el("option", "", g.name); o.value = g.id; where.appendChild(o); });
    box.appendChild(field(gettext("Learner"), who));
    box.appendChild(field(gettext("Move to group"), where));
    var note = el("p", "party-message");
    box.appendChild(button(gettext("Move"), function () {
      PartyTraining.post(runtime, element, "move", {user_id: who.value, group_id: where.value}).then(function (result) {
        PartyTraining.showMessage(note, gettext("Moved to %(group)s.", {group: result.group}), "success");
        load();
      }).catch(function (error) { PartyTraining.showMessage(note, error.message, "error"); });
    }));
    box.appendChild(note);
    return box;
  }
  function gradeForm(post, note) {
    var formBox = el("form", "party-case__grade-form");
    args.rubric.forEach(function (criterion) {
      var set = el("fieldset", "party-grade__criterion");
      set.appendChild(el("legend", "", criterion.name));
      criterion.levels.forEach(function (level) {
        var label = el("label");
        var input = el("input");
        input.type = "radio"; input.name = "c" + criterion.index + "-" + post.id; input.value = level.number;
        input.setAttribute("data-criterion", criterion.index);
        if (post.grade && String(post.grade.selections[String(criterion.index)]) === String(level.number)) { input.checked = true; }
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + level.name + " (" + level.points + ")"));
        set.appendChild(label);
      });
      formBox.appendChild(set);
    });
    var comment = el("textarea"); comment.rows = 2; comment.value = post.grade ? post.grade.comment : "";
    formBox.appendChild(field(gettext("Comment"), comment));
    var save = el("button", "party-button party-button--primary", gettext("Save the grade"));
    save.type = "submit";
    formBox.appendChild(save);
    formBox.addEventListener("submit", function (event) {
      event.preventDefault();
      var selections = {};
      formBox.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
        selections[input.getAttribute("data-criterion")] = Number(input.value);
      });
      PartyTraining.post(runtime, element, "grade", {user_id: post.author_id, selections: selections, comment: comment.value})
        .then(function (result) {
          PartyTraining.showMessage(note, gettext("Graded: %(score)s of %(max)s.", {score: result.score, max: result.max_score}), "success");
        }).catch(function (error) { PartyTraining.showMessage(note, error.message, "error"); });
    });
    return formBox;
  }
  function postCard(post) {
    var card = el("article", "party-case__card" + (post.featured ? " is-featured" : "") + (post.hidden ? " is-hidden" : ""));
    var line = el("p", "party-case__byline");
    line.appendChild(el("strong", "", post.author));
    line.appendChild(document.createTextNode(" · " + post.created + (post.edited ? " · " + gettext("edited at %(time)s", {time: post.edited}) : "")
      + " · " + gettext("%(likes)s likes · %(replies)s replies", {likes: post.likes, replies: post.replies})));
    if (post.featured) { line.appendChild(el("span", "party-case__badge", gettext("Featured"))); }
    card.appendChild(line);
    if (post.hidden) { card.appendChild(el("p", "party-case__hidden", gettext("Hidden: %(reason)s", {reason: post.hidden_reason}))); }
    post.answers.forEach(function (answer) {
      if (answer.question) { card.appendChild(el("p", "party-case__question", answer.question)); }
      card.appendChild(el("p", "party-case__text", answer.text));
    });
    var note = el("p", "party-message");
    var actions = el("div", "party-actions");
    actions.appendChild(button(post.featured ? gettext("Unfeature") : gettext("Feature"), function () {
      moderate(post, post.featured ? "unfeature" : "feature", "", note);
    }));
    if (post.hidden) {
      actions.appendChild(button(gettext("Show again"), function () { moderate(post, "unhide", "", note); }));
    } else {
      var reason = el("input"); reason.type = "text";
      var reasonField = field(gettext("Reason for hiding"), reason);
      actions.appendChild(reasonField);
      actions.appendChild(button(gettext("Hide"), function () { moderate(post, "hide", reason.value, note); }));
    }
    card.appendChild(actions);
    if (args.rubric.length) { card.appendChild(gradeForm(post, note)); }
    card.appendChild(note);
    return card;
  }
  function moderate(post, action, reason, note) {
    PartyTraining.post(runtime, element, "moderate", {analysis_id: post.id, action: action, reason: reason})
      .then(function () { showGroup(currentGroup, currentGroup.page); })
      .catch(function (error) { PartyTraining.showMessage(note, error.message, "error"); });
  }
  function showGroup(group, number) {
    currentGroup = group;
    getWith("staff_posts", {group_id: group.id, page: number}).then(function (data) {
      group.page = data.page;
      var box = body.querySelector(".party-case__staff-posts");
      box.textContent = "";
      box.appendChild(el("h4", "", group.name + " · " + gettext("Page %(page)s of %(pages)s", {page: data.page, pages: data.pages})));
      data.analyses.forEach(function (post) { box.appendChild(postCard(post)); });
      if (!data.analyses.length) { box.appendChild(el("p", "party-help", gettext("No analyses in this group yet."))); }
      var pager = el("div", "party-actions");
      if (data.page > 1) { pager.appendChild(button(gettext("Previous page"), function () { showGroup(group, data.page - 1); })); }
      if (data.page < data.pages) { pager.appendChild(button(gettext("Next page"), function () { showGroup(group, data.page + 1); })); }
      box.appendChild(pager);
    });
  }
  function render(data) {
    body.textContent = "";
    var tools = el("p", "party-actions");
    var link = el("a", "party-button", gettext("Export the discussion (XLSX)"));
    link.href = data.export_url;
    tools.appendChild(link);
    body.appendChild(tools);
    body.appendChild(groupsTable(data));
    body.appendChild(notPosted(data));
    body.appendChild(summaryEditor(data));
    if (data.members.length && data.groups.length > 1) { body.appendChild(mover(data)); }
    body.appendChild(el("div", "party-case__staff-posts"));
    if (currentGroup) { showGroup(currentGroup, currentGroup.page || 1); }
  }
  function load() {
    return PartyTraining.get(runtime, element, "staff_overview").then(render).catch(function (error) {
      body.textContent = error.message;
    });
  }
  load();
}
