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
  /* A Studio editor's save: post the values to studio_submit, show the block's errors next to
     their fields ([data-error-for]) and tell Studio (runtime.notify). */
  function studioSave(runtime, element, form, values) {
    var message = form.querySelector(".party-message");
    form.querySelectorAll(".party-field-error").forEach(function (node) { node.textContent = ""; });
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
      showMessage(message, error.message, "error");
      if (runtime.notify) { runtime.notify("error", {title: error.message, message: error.message}); }
    });
  }
  /* An element with a class and a text (user text always goes in as text, never as markup). */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  window.PartyTraining = {
    el: el,
    studioSave: studioSave,
    translator: translator,
    post: function (runtime, element, handler, data) { return call(runtime, element, handler, data, "POST"); },
    get: function (runtime, element, handler) { return call(runtime, element, handler, null, "GET"); },
    showMessage: showMessage
  };
})();
