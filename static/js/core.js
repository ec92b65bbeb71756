/* core: shared helpers for party-training blocks: JSON calls to handlers, messages, translations,
   and the row editor of every Studio form (PartyTraining.rows).
   Defined once per page; blocks call PartyTraining.post(runtime, element, handler, data) and
   var gettext = PartyTraining.translator(args.i18n). */
(function () {
  "use strict";
  if (window.PartyTraining) { return; }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function call(runtime, element, handler, data, method) {
    var url = runtime.handlerUrl(element, handler);
    var options = {
      method: method || "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest"}
    };
    if (options.method !== "GET") { options.body = JSON.stringify(data || {}); }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var error = new Error(body.error || response.statusText);
          error.status = response.status;
          error.body = body;
          throw error;
        }
        return body;
      });
    });
  }
  function showMessage(container, text, kind) {
    if (!container) { return; }
    container.textContent = text || "";
    container.className = "party-message" + (kind ? " party-message--" + kind : "");
    container.setAttribute("role", kind === "error" ? "alert" : "status");
  }
  /* The block's catalog (msgid -> translation, made by the server from the gettext calls of its
     scripts) as a gettext function; "%(name)s" placeholders are filled from params. */
  function translator(catalog) {
    var strings = catalog || {};
    return function (msgid, params) {
      var text = Object.prototype.hasOwnProperty.call(strings, msgid) ? strings[msgid] : msgid;
      if (!params) { return text; }
      return text.replace(/%\((\w+)\)s/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
      });
    };
  }
  /* A Studio editor's save: post the values to studio_submit, show the block's errors next to
     their fields ([data-error-for]) and tell Studio (runtime.notify). */
  function studioSave(runtime, element, form, values) {
    var message = form.querySelector(".party-message");
    form.querySelectorAll(".party-field-error").forEach(function (node) { node.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
    if (runtime.notify) { runtime.notify("save", {state: "start"}); }
    return call(runtime, element, "studio_submit", {values: values}, "POST").then(function () {
      showMessage(message, form.getAttribute("data-saved"), "success");
      if (runtime.notify) { runtime.notify("save", {state: "end"}); }
    }).catch(function (error) {
      var fields = (error.body && error.body.fields) || {};
      Object.keys(fields).forEach(function (name) {
        var slot = form.querySelector('[data-error-for="' + name + '"]');
        if (slot) { slot.textContent = fields[name]; }
      });
      /* The inputs the server's cell problems point at (error.body.cells: {field: [[row, column, …]]}). */
      var marked = [];
      Object.keys((error.body && error.body.cells) || {}).forEach(function (name) {
        var field = form.querySelector('[data-field="' + name + '"]');
        error.body.cells[name].forEach(function (path) {
          var target = field && cellAt(field, path);
          if (target) { target.setAttribute("aria-invalid", "true"); marked.push(target); }
        });
      });
      if (marked.length && marked[0].focus) { marked[0].focus(); }
      showMessage(message, error.message, "error");
      if (runtime.notify) { runtime.notify("error", {title: error.message, message: error.message}); }
    });
  }
  /* The control at ``path`` ([row, column, nested row, nested column…], rows from 0; [key] in a keyed
     field) inside a rows or keyed editor; the field itself when the path is empty or lost. */
  function cellAt(field, path) {
    var node = field;
    if (!path.length) { return field; }
    if (field.getAttribute("data-kind") === "keyed") {
      return field.querySelector('[data-key="' + path[0] + '"]') || field;
    }
    for (var i = 0; i < path.length; i += 2) {
      var list = node.querySelector(":scope > .party-rows__list");
      var row = list && list.children[path[i]];
      if (!row) { return node; }
      var cells = row.querySelector(":scope > .party-rows__cells");
      var key = i + 1 < path.length ? String(path[i + 1]) : "";
      var found = null;
      Array.prototype.forEach.call(cells.querySelectorAll(":scope [data-column]"), function (candidate) {
        if (!found && candidate.getAttribute("data-column") === key && candidate.closest(".party-rows__cells") === cells) {
          found = candidate;
        }
      });
      if (!found) { return cells.querySelector("input, select, textarea") || row; }
      node = found;
    }
    return node;
  }
  /* An element with a class and a text (user text always goes in as text, never as markup). */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  /* The one row editor of every Studio form (the server's schemas and checks: xblocks/studio_rows.py).
     ``schema`` is {item: label} for a list of texts or {columns: [...]} for a list of objects; each
     row has labelled cells and move up / move down / remove buttons (real buttons: keyboard and
     screen readers), and an "add" button ends the list. Returns a function reading the rows back as
     the list the field stores; cells the browser cannot read as numbers go back as typed, so the
     server's error names them. */
  function rows(container, schema, value, gettext, context) {
    var list = el("ol", "party-rows__list");
    container.appendChild(list);
    var single = !schema.columns;
    var columns = schema.columns || [{key: null, label: schema.item, kind: schema.kind || "text", max: schema.max}];
    /* Where the list is, for nested lists ("Row 2, Levels"): asked again whenever rows are renumbered. */
    function where() { return typeof context === "function" ? context() : (context || ""); }
    function button(text, onClick) {
      var node = el("button", "party-button party-rows__btn", text);
      node.type = "button";
      node.addEventListener("click", onClick);
      return node;
    }
    function rowName(index) {
      var own = gettext("Row %(n)s", {n: index + 1});
      return where() ? gettext("%(outer)s, %(inner)s", {outer: where(), inner: own}) : own;
    }
    /* Labels say which row a cell and a button belong to, and update when rows move. */
    function renumber() {
      var count = list.children.length;
      Array.prototype.forEach.call(list.children, function (row, index) {
        var name = rowName(index);
        row.querySelectorAll(":scope > .party-rows__cells > .party-rows__cell > [data-column]," +
                             ":scope > .party-rows__cells > fieldset > legend").forEach(function (node) {
          node.setAttribute("aria-label", gettext("%(column)s, %(row)s", {column: node.getAttribute("data-label"), row: name}));
        });
        var tools = row.querySelector(":scope > .party-rows__actions").children;
        tools[0].setAttribute("aria-label", gettext("Move up: %(row)s", {row: name}));
        tools[1].setAttribute("aria-label", gettext("Move down: %(row)s", {row: name}));
        tools[2].setAttribute("aria-label", gettext("Remove: %(row)s", {row: name}));
        tools[0].disabled = index === 0;
        tools[1].disabled = index === count - 1;
        row.querySelectorAll(":scope > .party-rows__cells > .party-rows--nested").forEach(function (nested) {
          nested.partyRename(name);
        });
      });
      if (add && where()) { add.setAttribute("aria-label", gettext("%(add)s: %(where)s", {add: add.textContent, where: where()})); }
    }
    function labelled(column, control) {
      var label = el("label", "party-rows__cell");
      label.appendChild(el("span", "party-rows__cell-label", column.label));
      control.setAttribute("data-column", column.key === null ? "" : column.key);
      control.setAttribute("data-label", column.label);
      label.appendChild(control);
      return label;
    }
    function cell(column, cellValue, cells) {
      var kind = column.kind || "text";
      var blank = cellValue === undefined || cellValue === null;
      if (blank && column.default !== undefined) { cellValue = column.default; blank = false; }
      var text = blank ? "" : String(cellValue);
      if (kind === "id") {
        var id = blank || text === "" ? "o" + Math.random().toString(36).slice(2, 8) : text;
        return function () { return id; };
      }
      if (kind === "rows") {
        var nested = el("div", "party-rows party-rows--nested");
        nested.setAttribute("data-column", column.key);
        cells.appendChild(el("p", "party-rows__nested-label", column.label));
        cells.appendChild(nested);
        var outer = "";
        var read = rows(nested, column, Array.isArray(cellValue) ? cellValue : [], gettext,
                        function () { return gettext("%(outer)s, %(inner)s", {outer: outer, inner: column.label}); });
        nested.partyRename = function (name) { outer = name; read.renumber(); };
        return read;
      }
      if (kind === "multi") {
        var set = el("fieldset", "party-rows__cell party-rows__multi");
        set.setAttribute("data-column", column.key);
        var legend = el("legend", "", column.label);
        legend.setAttribute("data-label", column.label);
        set.appendChild(legend);
        var boxes = (column.choices || []).map(function (choice) {
          var label = el("label");
          var box = el("input");
          box.type = "checkbox";
          box.value = choice.value;
          box.checked = Array.isArray(cellValue) && cellValue.indexOf(choice.value) >= 0;
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + choice.label));
          set.appendChild(label);
          return box;
        });
        cells.appendChild(set);
        return function () { return boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }); };
      }
      if (kind === "bool") {
        var check = el("input");
        check.type = "checkbox";
        check.checked = !!cellValue;
        cells.appendChild(labelled(column, check)).classList.add("party-rows__cell--check");
        return function () { return check.checked; };
      }
      if (kind === "choice") {
        var select = el("select");
        var known = false;
        (column.choices || []).forEach(function (choice) {
          var option = el("option", "", choice.label);
          option.value = choice.value;
          if (choice.value === text) { option.selected = true; known = true; }
          select.appendChild(option);
        });
        cells.appendChild(labelled(column, select));
        if (!column.other) { return function () { return select.value; }; }
        /* A listed value or the author's own (e.g. a topic the list lacks). */
        var other = el("option", "", column.other);
        other.value = "\u0000other";
        select.appendChild(other);
        var own = el("input");
        own.type = "text";
        own.value = known ? "" : text;
        if (!known) { select.value = other.value; }
        var ownLabel = labelled({key: column.key + "-own", label: gettext("%(column)s (own)", {column: column.label})}, own);
        ownLabel.hidden = known;
        cells.appendChild(ownLabel);
        select.addEventListener("change", function () { ownLabel.hidden = select.value !== other.value; });
        return function () { return select.value === other.value ? own.value.trim() : select.value; };
      }
      var input = el(kind === "textarea" ? "textarea" : "input");
      if (kind !== "textarea") {
        input.type = {int: "number", number: "number", url: "url", datetime: "datetime-local"}[kind] || "text";
      } else { input.rows = 3; }
      if (kind === "int" || kind === "number") {
        input.step = kind === "int" ? "1" : "any";
        input.inputMode = kind === "int" ? "numeric" : "decimal";
        if (column.min !== undefined) { input.min = column.min; }
        if (column.max !== undefined) { input.max = column.max; }
      } else if (column.max !== undefined && kind !== "datetime") { input.maxLength = column.max; }
      input.value = text;
      cells.appendChild(labelled(column, input));
      return function () {
        var typed = input.value.trim();
        if ((kind !== "int" && kind !== "number") || typed === "") { return kind === "textarea" ? input.value : typed; }
        var number = Number(typed);
        return Number.isFinite(number) && (kind === "number" || Number.isInteger(number)) ? number : typed;
      };
    }
    function addRow(item) {
      var row = el("li", "party-rows__row");
      var cells = el("div", "party-rows__cells");
      var readers = columns.map(function (column) {
        return [column, cell(column, column.key === null ? item : (item || {})[column.key], cells)];
      });
      row.partyRead = function () {
        if (single) { return readers[0][1](); }
        var out = {};
        readers.forEach(function (pair) { out[pair[0].key] = pair[1](); });
        return out;
      };
      var actions = el("div", "party-rows__actions");
      actions.appendChild(button("↑ " + gettext("Move up"), function (event) {
        if (row.previousElementSibling) { list.insertBefore(row, row.previousElementSibling); }
        renumber();
        (event.currentTarget.disabled ? actions.children[1] : event.currentTarget).focus();
      }));
      actions.appendChild(button("↓ " + gettext("Move down"), function (event) {
        if (row.nextElementSibling) { list.insertBefore(row.nextElementSibling, row); }
        renumber();
        (event.currentTarget.disabled ? actions.children[0] : event.currentTarget).focus();
      }));
      actions.appendChild(button(gettext("Remove"), function () {
        if (schema.confirm_remove && !window.confirm(schema.confirm_remove)) { return; }
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        renumber();
        (next ? next.querySelector(".party-rows__actions button:not([disabled])") : add).focus();
      }));
      row.appendChild(cells);
      row.appendChild(actions);
      list.appendChild(row);
      renumber();
      return row;
    }
    var add = null;
    add = button(schema.add || gettext("Add a row"), function () {
      var row = addRow(single ? "" : {});
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
    (Array.isArray(value) ? value : []).forEach(addRow);
    container.appendChild(add);
    var reader = function () {
      return Array.prototype.map.call(list.children, function (row) { return row.partyRead(); })
        .filter(function (item) { return !single || typeof item !== "string" || item !== ""; });
    };
    reader.renumber = renumber;
    return reader;
  }
  /* An object with fixed keys (points per question type, prizes per tier) as one labelled input per
     key; returns a function reading it back. */
  function keyed(container, schema, value) {
    var readers = {};
    var grid = el("div", "party-rows__cells");
    (schema.keys || []).forEach(function (column) {
      var current = (value || {})[column.key];
      if (current === undefined || current === null) { current = column.default; }
      var label = el("label", "party-rows__cell");
      label.appendChild(el("span", "party-rows__cell-label", column.label));
      var input = el("input");
      input.type = "number";
      input.step = column.kind === "int" ? "1" : "any";
      if (column.min !== undefined) { input.min = column.min; }
      if (column.max !== undefined) { input.max = column.max; }
      input.value = current === undefined || current === null ? "" : String(current);
      input.setAttribute("data-key", column.key);
      label.appendChild(input);
      grid.appendChild(label);
      readers[column.key] = function () {
        var typed = input.value.trim();
        var number = Number(typed);
        return typed !== "" && Number.isFinite(number) && (column.kind !== "int" || Number.isInteger(number)) ? number : typed;
      };
    });
    container.appendChild(grid);
    return function () {
      var out = {};
      Object.keys(readers).forEach(function (key) { out[key] = readers[key](); });
      return out;
    };
  }
  window.PartyTraining = {
    el: el,
    keyed: keyed,
    rows: rows,
    studioSave: studioSave,
    translator: translator,
    post: function (runtime, element, handler, data) { return call(runtime, element, handler, data, "POST"); },
    get: function (runtime, element, handler) { return call(runtime, element, handler, null, "GET"); },
    showMessage: showMessage
  };
})();
