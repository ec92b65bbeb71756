/* Generic Studio editor: collects the form and posts it to studio_submit, like Studio's editors.
   Lists described by the block become rows to add, remove and reorder (no JSON to type), and
   rich text gets a small formatting toolbar; the server sanitises and checks every value. */
function PartyStudioEditor(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator((args || {}).i18n);
  var form = element.querySelector(".party-studio-form");

  function button(text, label, onClick) {
    var node = PartyTraining.el("button", "party-button party-rows__btn", text);
    node.type = "button";
    if (label) { node.setAttribute("aria-label", label); node.title = label; }
    node.addEventListener("click", onClick);
    return node;
  }

  /* One list of rows for ``schema`` ({item: label} for texts, {columns: [...]} for objects); returns
     a function that reads the rows back as the list the field stores. */
  function buildRows(container, schema, value, name) {
    var list = PartyTraining.el("ol", "party-rows__list");
    container.appendChild(list);
    var columns = schema.columns || [{key: null, label: schema.item, kind: schema.kind || "text"}];
    function renumber() {
      Array.prototype.forEach.call(list.children, function (row, index) {
        row.querySelectorAll(":scope > .party-rows__cells > label > [data-column]").forEach(function (input) {
          input.setAttribute("aria-label", gettext("%(column)s, row %(n)s", {column: input.getAttribute("data-label"), n: index + 1}));
        });
      });
    }
    function addRow(item) {
      var row = PartyTraining.el("li", "party-rows__row");
      var cells = PartyTraining.el("div", "party-rows__cells");
      var readers = [];
      columns.forEach(function (column) {
        var cellValue = column.key === null ? item : (item || {})[column.key];
        if (column.kind === "rows") {
          var nested = PartyTraining.el("div", "party-rows party-rows--nested");
          var heading = PartyTraining.el("p", "party-rows__nested-label", column.label);
          cells.appendChild(heading);
          cells.appendChild(nested);
          readers.push([column, buildRows(nested, column, Array.isArray(cellValue) ? cellValue : [], name)]);
          return;
        }
        var label = PartyTraining.el("label", "party-rows__cell");
        label.appendChild(PartyTraining.el("span", "party-rows__cell-label", column.label));
        var input = document.createElement("input");
        input.type = column.kind === "int" ? "number" : (column.kind === "url" ? "url" : "text");
        if (column.kind === "int") { input.step = "1"; input.min = "0"; input.inputMode = "numeric"; }
        input.value = cellValue === undefined || cellValue === null ? "" : String(cellValue);
        input.setAttribute("data-column", column.key === null ? "" : column.key);
        input.setAttribute("data-label", column.label);
        label.appendChild(input);
        cells.appendChild(label);
        readers.push([column, function () {
          if (column.kind !== "int") { return input.value.trim(); }
          var number = Number(input.value);
          return input.value.trim() !== "" && Number.isInteger(number) ? number : input.value.trim();
        }]);
      });
      row.partyRead = function () {
        if (columns.length === 1 && columns[0].key === null) { return readers[0][1](); }
        var out = {};
        readers.forEach(function (pair) { out[pair[0].key] = pair[1](); });
        return out;
      };
      var actions = PartyTraining.el("div", "party-rows__actions");
      actions.appendChild(button("↑", gettext("Move up"), function () {
        if (row.previousElementSibling) { list.insertBefore(row, row.previousElementSibling); renumber(); }
      }));
      actions.appendChild(button("↓", gettext("Move down"), function () {
        if (row.nextElementSibling) { list.insertBefore(row.nextElementSibling, row); renumber(); }
      }));
      actions.appendChild(button(gettext("Remove"), "", function () { row.remove(); renumber(); }));
      row.appendChild(cells);
      row.appendChild(actions);
      list.appendChild(row);
      renumber();
      return row;
    }
    (Array.isArray(value) ? value : []).forEach(addRow);
    container.appendChild(button(gettext("Add a row"), "", function () {
      var row = addRow(columns.length === 1 && columns[0].key === null ? "" : {});
      var first = row.querySelector("input");
      if (first) { first.focus(); }
    }));
    return function () {
      return Array.prototype.map.call(list.children, function (row) { return row.partyRead(); })
        .filter(function (item) { return typeof item === "string" ? item !== "" : true; });
    };
  }

  var readers = {};
  form.querySelectorAll(".party-rows[data-kind=rows]").forEach(function (container) {
    var data = JSON.parse(container.nextElementSibling.textContent);
    readers[container.getAttribute("data-field")] = buildRows(container, data.schema, data.value,
                                                              container.getAttribute("data-field"));
  });
  form.querySelectorAll(".party-rich").forEach(function (rich) {
    var area = rich.querySelector(".party-rich__area");
    rich.querySelectorAll("[data-command]").forEach(function (control) {
      control.addEventListener("mousedown", function (event) { event.preventDefault(); });
      control.addEventListener("click", function () {
        area.focus();
        document.execCommand(control.getAttribute("data-command"), false, control.getAttribute("data-value"));
      });
    });
  });

  function collect() {
    var values = {};
    form.querySelectorAll("[data-field]").forEach(function (input) {
      var name = input.getAttribute("data-field");
      var kind = input.getAttribute("data-kind");
      if (kind === "rows") { values[name] = readers[name](); }
      else if (kind === "html") { values[name] = input.innerHTML; }
      else if (input.type === "checkbox") { values[name] = input.checked; }
      else { values[name] = input.value; }
    });
    return values;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    PartyTraining.studioSave(runtime, element, form, collect());
  });
  var cancel = element.querySelector(".party-cancel");
  if (cancel) {
    cancel.addEventListener("click", function () { if (runtime.notify) { runtime.notify("cancel", {}); } });
  }
}
