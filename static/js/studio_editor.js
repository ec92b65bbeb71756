/* The Studio editor of every block: collects the form and posts it to studio_submit, like Studio's
   editors. Lists described by the block are rows to add, remove and reorder and objects with fixed
   keys one input per key (both from core.js, PartyTraining.rows / keyed: no JSON to type); rich text
   gets a small formatting toolbar; the server sanitises and checks every value. */
function PartyStudioEditor(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator((args || {}).i18n);
  var form = element.querySelector(".party-studio-form");

  var readers = {};
  form.querySelectorAll(".party-rows[data-kind=rows], .party-rows[data-kind=keyed]").forEach(function (container) {
    var data = JSON.parse(container.nextElementSibling.textContent);
    var build = container.getAttribute("data-kind") === "rows" ? PartyTraining.rows : PartyTraining.keyed;
    readers[container.getAttribute("data-field")] = build(container, data.schema, data.value, gettext);
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
      if (kind === "rows" || kind === "keyed") { values[name] = readers[name](); }
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
