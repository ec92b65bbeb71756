/* Shared helpers for party-training blocks: JSON calls to handlers, messages.
   Defined once per page; blocks call PartyTraining.post(runtime, element, handler, data). */
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
  window.PartyTraining = {
    post: function (runtime, element, handler, data) { return call(runtime, element, handler, data, "POST"); },
    get: function (runtime, element, handler) { return call(runtime, element, handler, null, "GET"); },
    showMessage: showMessage
  };
})();
