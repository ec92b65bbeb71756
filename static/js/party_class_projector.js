/* party_class: the projector page of a party class: rotating code, QR code and live count, refreshed from
   the block's projector_state handler. The countdown ticks locally between refreshes. */
(function () {
  "use strict";
  var url = JSON.parse(document.getElementById("pc-projector-url").textContent);
  var codeNode = document.querySelector(".pc-code-big");
  var qrNode = document.querySelector(".pc-projector-qr");
  var secondsNode = document.querySelector(".pc-seconds");
  var countNode = document.querySelector(".pc-count");
  var expectedNode = document.querySelector(".pc-expected");
  var errorNode = document.querySelector(".pc-projector-error");
  var secondsLeft = secondsNode ? parseInt(secondsNode.textContent, 10) || 0 : 0;
  var sinceRefresh = 0;
  var REFRESH_EVERY = 3;

  function apply(state) {
    if (codeNode && state.code && codeNode.getAttribute("data-code") !== state.code) {
      codeNode.textContent = state.code;
      codeNode.setAttribute("data-code", state.code);
      if (qrNode) { qrNode.innerHTML = state.qr_svg; qrNode.setAttribute("data-url", state.url); }  /* server-generated SVG */
    }
    secondsLeft = state.seconds_left;
    if (secondsNode) { secondsNode.textContent = String(secondsLeft); }
    if (countNode) { countNode.textContent = String(state.count); }
    if (expectedNode) { expectedNode.textContent = String(state.expected); }
  }

  function refresh() {
    sinceRefresh = 0;
    fetch(url, {credentials: "same-origin", headers: {"X-Requested-With": "XMLHttpRequest"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.statusText); }
        return response.json();
      })
      .then(function (state) { errorNode.hidden = true; apply(state); })
      .catch(function () { errorNode.hidden = false; });
  }

  window.setInterval(function () {
    secondsLeft -= 1;
    sinceRefresh += 1;
    if (secondsNode && secondsLeft >= 0) { secondsNode.textContent = String(secondsLeft); }
    if (secondsLeft <= 0 || sinceRefresh >= REFRESH_EVERY) { refresh(); }
  }, 1000);
})();
