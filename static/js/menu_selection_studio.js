/* menu_selection: the Studio editor of a menu. The rules are the shared editor's fields; the options
   are rows the author adds, removes and reorders. Before saving, the rows are written as JSON into a
   hidden "options" field, which the shared editor (studio_editor.js) posts with the rest. */
function MenuSelectionStudio(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator(args.i18n);
  var form = element.querySelector(".party-studio-form");
  var rows = element.querySelector(".party-menu-editor__rows");
  var template = element.querySelector(".party-menu-editor__template");
  var hidden = document.createElement("input");
  hidden.type = "hidden";
  hidden.setAttribute("data-field", "options");
  form.appendChild(hidden);
  var topics = Array.prototype.map.call(template.content.querySelectorAll("[data-option=topic-choice] option"),
    function (option) { return option.value; });

  function newId() { return "o" + Math.random().toString(36).slice(2, 8); }
  function field(row, name) { return row.querySelector('[data-option="' + name + '"]'); }
  function checked(row, name) {
    return Array.prototype.filter.call(field(row, name).querySelectorAll("input"), function (box) { return box.checked; })
      .map(function (box) { return box.value; });
  }
  function relabel() {
    Array.prototype.forEach.call(rows.children, function (row, index) {
      var title = field(row, "title").value || gettext("(no title yet)");
      row.querySelector(".party-menu-editor__legend").textContent = gettext("Option %(n)s: %(title)s", {n: index + 1, title: title});
      row.querySelector("[data-row=up]").disabled = index === 0;
      row.querySelector("[data-row=down]").disabled = index === rows.children.length - 1;
    });
  }
  function addRow(option) {
    var row = template.content.firstElementChild.cloneNode(true);
    var uid = newId();
    row.querySelectorAll("label").forEach(function (label, index) {
      var input = label.querySelector("input, select, textarea");
      if (input && !input.id) { input.id = "party-menu-" + uid + "-" + index; }
    });
    field(row, "id").value = option.id || newId();
    field(row, "title").value = option.title || "";
    var known = topics.indexOf(option.topic || "theory") >= 0 && option.topic !== "";
    field(row, "topic-choice").value = known ? (option.topic || "theory") : "";
    field(row, "topic-own").value = known ? "" : (option.topic || "");
    field(row, "topic-own").hidden = known;
    field(row, "hours").value = option.hours === undefined ? "" : option.hours;
    field(row, "capacity").value = option.capacity === null || option.capacity === undefined ? "" : option.capacity;
    field(row, "starts").value = option.starts || "";
    field(row, "ends").value = option.ends || "";
    field(row, "required").checked = !!option.required;
    field(row, "description").value = option.description || "";
    ["recommended_for", "restricted_to"].forEach(function (name) {
      field(row, name).querySelectorAll("input").forEach(function (box) {
        box.checked = (option[name] || []).indexOf(box.value) >= 0;
      });
    });
    field(row, "topic-choice").addEventListener("change", function () {
      field(row, "topic-own").hidden = field(row, "topic-choice").value !== "";
    });
    field(row, "title").addEventListener("input", relabel);
    rows.appendChild(row);
    relabel();
    return row;
  }
  function collect() {
    return Array.prototype.map.call(rows.children, function (row) {
      var choice = field(row, "topic-choice").value;
      return {
        id: field(row, "id").value, title: field(row, "title").value,
        topic: choice || field(row, "topic-own").value, hours: field(row, "hours").value || 0,
        capacity: field(row, "capacity").value, starts: field(row, "starts").value, ends: field(row, "ends").value,
        required: field(row, "required").checked, description: field(row, "description").value,
        recommended_for: checked(row, "recommended_for"), restricted_to: checked(row, "restricted_to")
      };
    });
  }
  rows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-row]");
    if (!button) { return; }
    var row = button.closest(".party-menu-editor__row");
    var move = button.getAttribute("data-row");
    if (move === "up" && row.previousElementSibling) { rows.insertBefore(row, row.previousElementSibling); }
    if (move === "down" && row.nextElementSibling) { rows.insertBefore(row.nextElementSibling, row); }
    if (move === "remove") {
      if (!window.confirm(gettext("Remove this option? Learners' picks of it are kept but it is no longer offered."))) { return; }
      row.remove();
    }
    relabel();
    if (move !== "remove") { button.focus(); }
  });
  element.querySelector("[data-action=add-option]").addEventListener("click", function () {
    addRow({}).querySelector('[data-option="title"]').focus();
  });
  (args.options || []).forEach(addRow);
  /* Registered before the shared editor's listener, so the rows are in the form when it posts. */
  form.addEventListener("submit", function () { hidden.value = JSON.stringify(collect()); });
  PartyStudioEditor(runtime, element);
}
