/* knowledge_contest: the Studio editor of a contest. The settings are the shared editor's fields; the
   draw rules are rows the author adds, removes and reorders, and the points are one number per
   question type. Before saving, both are written as JSON into hidden fields that the shared editor
   (studio_editor.js) posts with the rest; the server's errors name the rule and the field. */
function KnowledgeContestStudio(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator(args.i18n);
  var form = element.querySelector(".party-studio-form");
  var rows = element.querySelector(".kc-editor__rows");
  var template = element.querySelector(".kc-editor__template");
  function hiddenField(name) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.setAttribute("data-field", name);
    form.appendChild(input);
    return input;
  }
  var rulesField = hiddenField("draw_rules");
  var pointsField = hiddenField("points");
  var counter = 0;

  function field(row, name) { return row.querySelector('[data-rule="' + name + '"]'); }
  function relabel() {
    Array.prototype.forEach.call(rows.children, function (row, index) {
      row.querySelector(".kc-editor__legend").textContent = gettext("Rule %(n)s", {n: index + 1});
      row.querySelector("[data-row=up]").disabled = index === 0;
      row.querySelector("[data-row=down]").disabled = index === rows.children.length - 1;
    });
  }
  function addRow(rule) {
    var row = template.content.firstElementChild.cloneNode(true);
    counter += 1;
    row.querySelectorAll("label").forEach(function (label, index) {
      var input = label.querySelector("input, select");
      if (input) { input.id = "kc-editor-rule-" + counter + "-" + index; }
    });
    field(row, "bank").value = rule.bank || "";
    field(row, "category").value = rule.category || "";
    field(row, "difficulty").value = rule.difficulty || "";
    field(row, "count").value = rule.count === undefined ? 1 : rule.count;
    rows.appendChild(row);
    relabel();
    return row;
  }
  function collect() {
    return Array.prototype.map.call(rows.children, function (row) {
      return {bank: field(row, "bank").value, category: field(row, "category").value,
              difficulty: field(row, "difficulty").value, count: field(row, "count").value};
    });
  }
  function points() {
    var values = {};
    element.querySelectorAll("[data-point]").forEach(function (input) {
      values[input.getAttribute("data-point")] = input.value === "" ? null : Number(input.value);
    });
    return values;
  }
  rows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-row]");
    if (!button) { return; }
    var row = button.closest(".kc-editor__row");
    var move = button.getAttribute("data-row");
    if (move === "up" && row.previousElementSibling) { rows.insertBefore(row, row.previousElementSibling); }
    if (move === "down" && row.nextElementSibling) { rows.insertBefore(row.nextElementSibling, row); }
    if (move === "remove") { row.remove(); }
    relabel();
    if (move !== "remove") { button.focus(); }
  });
  element.querySelector("[data-action=add-rule]").addEventListener("click", function () {
    addRow({}).querySelector('[data-rule="bank"]').focus();
  });
  (args.draw_rules || []).forEach(addRow);
  /* Registered before the shared editor's listener, so the rows are in the form when it posts. */
  form.addEventListener("submit", function () {
    rulesField.value = JSON.stringify(collect());
    pointsField.value = JSON.stringify(points());
  });
  PartyStudioEditor(runtime, element);
}
