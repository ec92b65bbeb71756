/* party_class: the page a QR code opens. It signs the learner in through the class's own sign-in
   handler (the class's rules decide), says so, and goes on to the unit. Sent at once when the code came
   in the address; otherwise the learner types it. */
(function () {
  "use strict";
  var form = document.querySelector(".party-class-landing");
  if (!form) { return; }
  var catalogNode = document.getElementById("party-landing-i18n");
  var gettext = PartyTraining.translator(catalogNode ? JSON.parse(catalogNode.textContent) : {});
  var message = form.querySelector(".party-message");
  var input = form.querySelector(".pc-landing-code");
  var button = form.querySelector("button[type=submit]");
  var handler = form.getAttribute("data-handler");
  var runtime = {handlerUrl: function () { return handler; }};
  function submit() {
    button.disabled = true;
    PartyTraining.showMessage(message, gettext("Signing you in…"), "");
    PartyTraining.post(runtime, form, "sign_in", {method: "onsite", code: input.value.trim()}).then(function (body) {
      PartyTraining.showMessage(message, body.message + " " + gettext("Opening the class…"), "success");
      window.setTimeout(function () { window.location.assign(form.getAttribute("data-unit")); }, 1200);
    }).catch(function (error) {
      PartyTraining.showMessage(message, error.message, "error");
      button.disabled = false;
      input.focus();
    });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
  if (/^\d+$/.test(input.value)) { submit(); }
})();
