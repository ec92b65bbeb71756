/* case_discussion: the Studio editor of the case discussion block. Scalar settings are the shared
   fields ([data-field]); guiding questions, materials, participating organisations and the rubric
   (criteria with levels) are rows an author adds, removes and moves up or down: no JSON to type.
   Everything is posted to studio_submit, whose checks are the block's (errors shown per field). */
function CaseDiscussionStudio(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator(args.i18n);
  var form = element.querySelector(".party-studio-form");
  var counter = 0;

  var el = PartyTraining.el;
  function input(labelText, value, kind) {
    var wrap = el("span", "party-case-studio__input");
    var control = el("input");
    control.type = kind || "text";
    if (kind === "number") { control.min = "0"; control.step = "1"; }
    control.value = value === undefined || value === null ? "" : value;
    control.id = "cd-studio-" + (counter += 1);
    var label = el("label", "", labelText);
    label.htmlFor = control.id;
    wrap.appendChild(label); wrap.appendChild(control);
    return wrap;
  }
  function tool(text, label, handler) {
    var node = el("button", "party-button party-case-studio__tool", text);
    node.type = "button";
    node.setAttribute("aria-label", label);
    node.addEventListener("click", handler);
    return node;
  }
  /* Up, down and remove for a row of any list. */
  function rowTools(row) {
    var tools = el("span", "party-case-studio__tools");
    tools.appendChild(tool("↑", gettext("Move up"), function () {
      if (row.previousElementSibling) { row.parentNode.insertBefore(row, row.previousElementSibling); }
    }));
    tools.appendChild(tool("↓", gettext("Move down"), function () {
      if (row.nextElementSibling) { row.parentNode.insertBefore(row.nextElementSibling, row); }
    }));
    tools.appendChild(tool("✕", gettext("Remove"), function () { row.parentNode.removeChild(row); }));
    return tools;
  }
  var makers = {
    questions: function (value) {
      var row = el("li", "party-case-studio__row");
      row.appendChild(input(gettext("Guiding question"), value || ""));
      row.appendChild(rowTools(row));
      return row;
    },
    materials: function (value) {
      var row = el("li", "party-case-studio__row");
      row.appendChild(input(gettext("Title"), (value || {}).title));
      row.appendChild(input(gettext("Address (http or https)"), (value || {}).url, "url"));
      row.appendChild(rowTools(row));
      return row;
    },
    organizations: function (value) {
      var row = el("li", "party-case-studio__row");
      row.appendChild(input(gettext("Organisation code"), value || ""));
      row.appendChild(rowTools(row));
      return row;
    },
    rubric: function (value) {
      var criterion = value || {name: "", levels: [{name: "", points: 0}, {name: "", points: 0}]};
      var row = el("li", "party-case-studio__row party-case-studio__criterion");
      var head = el("div", "party-case-studio__head");
      head.appendChild(input(gettext("Criterion"), criterion.name));
      head.appendChild(rowTools(row));
      row.appendChild(head);
      var levels = el("ol", "party-case-studio__levels");
      function addLevel(level) {
        var item = el("li", "party-case-studio__row");
        item.appendChild(input(gettext("Level"), level.name));
        item.appendChild(input(gettext("Points"), level.points, "number"));
        item.appendChild(rowTools(item));
        levels.appendChild(item);
      }
      (criterion.levels || []).forEach(addLevel);
      row.appendChild(levels);
      var add = el("button", "party-button", gettext("Add a level"));
      add.type = "button";
      add.addEventListener("click", function () { addLevel({name: "", points: 0}); });
      row.appendChild(add);
      return row;
    }
  };
  function list(name) { return form.querySelector('[data-rows="' + name + '"] > .party-case-studio__rows'); }
  Object.keys(makers).forEach(function (name) {
    (args[name] || []).forEach(function (value) { list(name).appendChild(makers[name](value)); });
    form.querySelector('[data-add="' + name + '"]').addEventListener("click", function () {
      var row = makers[name]();
      list(name).appendChild(row);
      row.querySelector("input").focus();
    });
  });
  function texts(row) { return Array.prototype.map.call(row.querySelectorAll(":scope > .party-case-studio__input input"), function (i) { return i.value; }); }
  function rows(name) { return Array.prototype.slice.call(list(name).children); }
  function collect() {
    var values = {};
    form.querySelectorAll("[data-field]").forEach(function (node) {
      values[node.getAttribute("data-field")] = node.type === "checkbox" ? node.checked : node.value;
    });
    values.questions = rows("questions").map(function (row) { return texts(row)[0]; });
    values.organizations = rows("organizations").map(function (row) { return texts(row)[0].trim(); });
    values.materials = rows("materials").map(function (row) { var t = texts(row); return {title: t[0], url: t[1].trim()}; });
    values.rubric = rows("rubric").map(function (row) {
      var name = row.querySelector(".party-case-studio__head input").value;
      var levels = Array.prototype.map.call(row.querySelectorAll(".party-case-studio__levels > li"), function (item) {
        var t = texts(item);
        var points = Number(t[1]);
        return {name: t[0], points: t[1] !== "" && Number.isInteger(points) ? points : t[1]};
      });
      return {name: name, levels: levels};
    });
    return values;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    PartyTraining.studioSave(runtime, element, form, collect());
  });
  var cancel = form.querySelector(".party-cancel");
  cancel.addEventListener("click", function () { if (runtime.notify) { runtime.notify("cancel", {}); } });
}
