/* menu_selection: the learner's menu. Pick, drop, confirm (first come), or rank with buttons,
   keyboard or dragging (preference). After a change the page reloads, so seats, waiting places and
   the units gated by the choice are as the server says; the message is kept across the reload. */
function MenuSelectionBlock(runtime, element, args) {
  "use strict";
  var gettext = PartyTraining.translator(args.i18n);
  var message = element.querySelector(".party-message");
  var flashKey = "party-menu-flash:" + runtime.handlerUrl(element, "pick");
  try {
    var flash = window.sessionStorage.getItem(flashKey);
    if (flash) { window.sessionStorage.removeItem(flashKey); PartyTraining.showMessage(message, flash, "success"); }
  } catch (e) { /* storage disabled: the message is simply not repeated */ }

  function send(handler, data, button) {
    if (button) { button.disabled = true; }
    return PartyTraining.post(runtime, element, handler, data).then(function (body) {
      try { window.sessionStorage.setItem(flashKey, body.message || gettext("Saved.")); } catch (e) { /* ignore */ }
      window.location.reload();
    }).catch(function (error) {
      if (button) { button.disabled = false; }
      PartyTraining.showMessage(message, error.message || gettext("Something went wrong. Please try again."), "error");
      message.setAttribute("tabindex", "-1");
      message.focus();
    });
  }

  element.querySelectorAll(".party-menu__option [data-action]").forEach(function (button) {
    var item = button.closest(".party-menu__option");
    var key = item.getAttribute("data-key");
    var action = button.getAttribute("data-action");
    button.addEventListener("click", function () {
      if (action === "pick") { send("pick", {option: key}, button); }
      if (action === "drop") {
        if (!window.confirm(gettext("Give up this option? Your seat may go to the next learner waiting."))) { return; }
        send("drop", {option: key}, button);
      }
      if (action === "add-rank") { addRank(key, item.getAttribute("data-title")); button.hidden = true; }
    });
  });
  var confirmButton = element.querySelector("[data-action=confirm]");
  if (confirmButton) {
    confirmButton.addEventListener("click", function () { send("confirm", {}, confirmButton); });
  }

  /* Ranking: an ordered list; each line has up, down and remove buttons (keyboard and phone),
     and can be dragged on a desktop. */
  var list = element.querySelector("[data-ranked]");
  if (!list) { return; }
  var dragged = null;
  function renumber() {
    Array.prototype.forEach.call(list.children, function (line, index) {
      line.querySelector(".party-menu__rank-no").textContent = gettext("Choice %(n)s", {n: index + 1});
      line.querySelector("[data-move=up]").disabled = index === 0;
      line.querySelector("[data-move=down]").disabled = index === list.children.length - 1;
    });
  }
  function button(label, move, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "party-button party-menu__rank-button";
    b.setAttribute("data-move", move);
    b.setAttribute("aria-label", label);
    b.textContent = text;
    return b;
  }
  function decorate(line, title) {
    line.textContent = "";
    line.draggable = true;
    var number = document.createElement("span");
    number.className = "party-menu__rank-no";
    var name = document.createElement("span");
    name.className = "party-menu__rank-title";
    name.textContent = title;
    var tools = document.createElement("span");
    tools.className = "party-menu__rank-tools";
    tools.appendChild(button(gettext("Move “%(title)s” up", {title: title}), "up", "↑"));
    tools.appendChild(button(gettext("Move “%(title)s” down", {title: title}), "down", "↓"));
    tools.appendChild(button(gettext("Remove “%(title)s” from my ranking", {title: title}), "remove", "✕"));
    line.appendChild(number);
    line.appendChild(name);
    line.appendChild(tools);
    line.addEventListener("dragstart", function () { dragged = line; line.classList.add("is-dragging"); });
    line.addEventListener("dragend", function () { line.classList.remove("is-dragging"); dragged = null; renumber(); });
    line.addEventListener("dragover", function (event) {
      event.preventDefault();
      if (!dragged || dragged === line) { return; }
      var box = line.getBoundingClientRect();
      list.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? line.nextSibling : line);
    });
  }
  function addRank(key, title) {
    if (list.children.length >= args.rankCount) {
      PartyTraining.showMessage(message, gettext("You can rank at most %(max)s options.", {max: args.rankCount}), "error");
      var back = element.querySelector('.party-menu__option[data-key="' + key + '"] [data-action=add-rank]');
      window.setTimeout(function () { if (back) { back.hidden = false; } }, 0);
      return;
    }
    var line = document.createElement("li");
    line.setAttribute("data-key", key);
    decorate(line, title);
    list.appendChild(line);
    renumber();
    line.querySelector("[data-move=up]").focus();
  }
  Array.prototype.forEach.call(list.children, function (line) { decorate(line, line.textContent.trim()); });
  list.addEventListener("click", function (event) {
    var b = event.target.closest("[data-move]");
    if (!b) { return; }
    var line = b.closest("li");
    var move = b.getAttribute("data-move");
    if (move === "up" && line.previousElementSibling) { list.insertBefore(line, line.previousElementSibling); }
    if (move === "down" && line.nextElementSibling) { list.insertBefore(line.nextElementSibling, line); }
    if (move === "remove") {
      var add = element.querySelector('.party-menu__option[data-key="' + line.getAttribute("data-key") + '"] [data-action=add-rank]');
      if (add) { add.hidden = false; }
      line.remove();
    } else {
      b.focus();
    }
    renumber();
  });
  renumber();
  var save = element.querySelector("[data-action=save-ranking]");
  if (save) {
    save.addEventListener("click", function () {
      var keys = Array.prototype.map.call(list.children, function (line) { return line.getAttribute("data-key"); });
      send("rank", {ranking: keys}, save);
    });
  }
}
