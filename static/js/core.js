/* core: shared helpers for party-training blocks: JSON calls to handlers, messages, translations.
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
  window.PartyTraining = {
    translator: translator,
    post: function (runtime, element, handler, data) { return call(runtime, element, handler, data, "POST"); },
    get: function (runtime, element, handler) { return call(runtime, element, handler, null, "GET"); },
    showMessage: showMessage
  };
})();
