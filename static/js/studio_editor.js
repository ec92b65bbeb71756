/* Generic Studio editor: collects the form and posts it to studio_submit, like Studio's editors. */
function PartyStudioEditor(runtime, element) {
  "use strict";
  var form = element.querySelector(".party-studio-form");
  var message = element.querySelector(".party-message");
  function collect() {
    var values = {};
    form.querySelectorAll("[data-field]").forEach(function (input) {
      var name = input.getAttribute("data-field");
      if (input.type === "checkbox") { values[name] = input.checked; }
      else { values[name] = input.value; }
    });
    return values;
  }
  function save(event) {
    event.preventDefault();
    form.querySelectorAll(".party-field-error").forEach(function (node) { node.textContent = ""; });
    if (runtime.notify) { runtime.notify("save", {state: "start"}); }
    PartyTraining.post(runtime, element, "studio_submit", {values: collect()}).then(function () {
      PartyTraining.showMessage(message, form.getAttribute("data-saved"), "success");
      if (runtime.notify) { runtime.notify("save", {state: "end"}); }
    }).catch(function (error) {
      var fields = (error.body && error.body.fields) || {};
      Object.keys(fields).forEach(function (name) {
        var slot = form.querySelector('[data-error-for="' + name + '"]');
        if (slot) { slot.textContent = fields[name]; }
      });
      PartyTraining.showMessage(message, error.message, "error");
      if (runtime.notify) { runtime.notify("error", {title: error.message, message: error.message}); }
    });
  }
  form.addEventListener("submit", save);
  var cancel = element.querySelector(".party-cancel");
  if (cancel) {
    cancel.addEventListener("click", function () { if (runtime.notify) { runtime.notify("cancel", {}); } });
  }
}
