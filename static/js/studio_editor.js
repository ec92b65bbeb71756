/* Generic Studio editor: collects the form and posts it to studio_submit, like Studio's editors. */
function PartyStudioEditor(runtime, element) {
  "use strict";
  var form = element.querySelector(".party-studio-form");
  function collect() {
    var values = {};
    form.querySelectorAll("[data-field]").forEach(function (input) {
      var name = input.getAttribute("data-field");
      if (input.type === "checkbox") { values[name] = input.checked; }
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
