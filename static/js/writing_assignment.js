/* Writing assignment: autosaved drafts with a revision number (a save based on an older
   revision is refused, so a second tab or device cannot silently overwrite), a copy in
   localStorage (nothing is lost on reload or a dropped connection), a character counter,
   and submission. Strings come translated from the server in args.strings. */
function WritingAssignmentBlock(runtime, element, args) {
  "use strict";
  var form = element.querySelector(".party-writing__editor");
  if (!form || !args.editable) { return; }
  var S = args.strings;
  var titleInput = form.querySelector("input[name=title]");
  var textArea = form.querySelector("textarea[name=text]");
  var counter = form.querySelector(".party-writing__count");
  var saveState = form.querySelector(".party-writing__save");
  var message = form.querySelector(".party-message");
  var conflictBox = form.querySelector(".party-writing__banner--conflict");
  var restoreBox = form.querySelector(".party-writing__banner--restore");
  var tabsBox = form.querySelector(".party-writing__banner--tabs");
  var submitButton = form.querySelector("[data-action=submit]");
  var revision = args.revision || 0;
  /* The saved draft as the server rendered it (escaped in the page; user text never travels
     in the init arguments, whose JSON sits inside a <script> element). */
  var serverTitle = titleInput.value, serverText = textArea.value;
  var dirty = false, saving = false, timer = null, retryTimer = null, conflict = null, submitting = false;
  var DEBOUNCE_MS = 1500, RETRY_MS = 10000;
  var tabId = Math.random().toString(36).slice(2);

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] === undefined ? "" : values[key]; });
  }
  function chars(text) {
    /* As the server counts: line breaks normalized, outer blank space ignored; Array.from
       counts characters outside the BMP once. */
    return Array.from(text.replace(/\r\n?/g, "\n").trim()).length;
  }
  function store() {
    try {
      window.localStorage.setItem(args.storageKey, JSON.stringify({
        title: titleInput.value, text: textArea.value, revision: revision, synced: !dirty,
        savedAt: new Date().toISOString(), tab: tabId
      }));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }
  function readStored() {
    try { return JSON.parse(window.localStorage.getItem(args.storageKey) || "null"); } catch (e) { return null; }
  }
  function updateCounter() {
    var count = chars(textArea.value);
    var parts = [fmt(S.chars, {count: count})];
    if (args.minChars) { parts.push(fmt(S.min, {min: args.minChars})); }
    if (args.maxChars) { parts.push(fmt(S.max, {max: args.maxChars})); }
    var note = "";
    counter.classList.remove("is-short", "is-long");
    if (args.maxChars && count > args.maxChars) { counter.classList.add("is-long"); note = " · " + S.too_long; }
    else if (args.minChars && count < args.minChars) { counter.classList.add("is-short"); note = " · " + S.too_short; }
    counter.textContent = parts.join(" / ") + note;
  }
  function showConflict(body) {
    conflict = body;
    conflictBox.querySelector(".party-writing__banner-text").textContent = fmt(S.conflict, {time: body.time || ""});
    conflictBox.hidden = false;
  }
  function save(force) {
    if (saving || conflict && !force) { return Promise.resolve(); }
    window.clearTimeout(timer);
    saving = true;
    saveState.textContent = S.saving;
    var sentTitle = titleInput.value, sentText = textArea.value;
    return PartyTraining.post(runtime, element, "save_draft", {
      title: sentTitle, text: sentText, revision: revision, force: !!force
    }).then(function (body) {
      saving = false;
      revision = body.revision;
      if (body.conflict) { showConflict(body); saveState.textContent = ""; return; }
      conflict = null;
      conflictBox.hidden = true;
      dirty = titleInput.value !== sentTitle || textArea.value !== sentText;
      store();
      saveState.textContent = fmt(S.saved, {time: body.time});
      if (dirty) { schedule(); }
    }).catch(function (error) {
      saving = false;
      if (error.status) { PartyTraining.showMessage(message, error.message, "error"); saveState.textContent = ""; return; }
      /* No answer at all: offline. The text is in localStorage; try again later. */
      saveState.textContent = S.offline;
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(function () { if (dirty) { save(false); } }, RETRY_MS);
    });
  }
  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { save(false); }, DEBOUNCE_MS);
  }
  function changed() {
    dirty = true;
    store();
    updateCounter();
    schedule();
  }

  titleInput.addEventListener("input", changed);
  textArea.addEventListener("input", changed);
  window.addEventListener("online", function () { if (dirty) { save(false); } });
  window.addEventListener("beforeunload", function () {
    if (!dirty || submitting || conflict) { return; }
    store();
    /* keepalive lets the last save finish while the page goes away. */
    try {
      fetch(runtime.handlerUrl(element, "save_draft"), {
        method: "POST", keepalive: true, credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || ""},
        body: JSON.stringify({title: titleInput.value, text: textArea.value, revision: revision})
      });
    } catch (e) { /* the localStorage copy remains */ }
  });
  /* Another tab of the same draft writes the same localStorage key. */
  window.addEventListener("storage", function (event) {
    if (event.key !== args.storageKey || !event.newValue) { return; }
    var other = null;
    try { other = JSON.parse(event.newValue); } catch (e) { return; }
    if (other && other.tab !== tabId) { tabsBox.textContent = S.other_tab; tabsBox.hidden = false; }
  });

  conflictBox.querySelector("[data-action=load-newer]").textContent = S.load_newer;
  conflictBox.querySelector("[data-action=keep-mine]").textContent = S.keep_mine;
  conflictBox.querySelector("[data-action=load-newer]").addEventListener("click", function () {
    titleInput.value = conflict.title || "";
    textArea.value = conflict.text || "";
    conflict = null;
    dirty = false;
    conflictBox.hidden = true;
    store();
    updateCounter();
  });
  conflictBox.querySelector("[data-action=keep-mine]").addEventListener("click", function () {
    conflict = null;
    conflictBox.hidden = true;
    save(true);
  });

  /* A local copy that differs from the server's draft (the page was closed offline, or the
     last save never arrived): offer it back. */
  var local = readStored();
  if (local && !local.synced && (local.text !== serverText || local.title !== serverTitle)) {
    restoreBox.querySelector(".party-writing__banner-text").textContent =
      fmt(S.restore, {time: new Date(local.savedAt).toLocaleString()});
    restoreBox.querySelector("[data-action=restore]").textContent = S.restore_yes;
    restoreBox.querySelector("[data-action=discard]").textContent = S.restore_no;
    restoreBox.hidden = false;
    restoreBox.querySelector("[data-action=restore]").addEventListener("click", function () {
      titleInput.value = local.title || "";
      textArea.value = local.text || "";
      restoreBox.hidden = true;
      changed();
    });
    restoreBox.querySelector("[data-action=discard]").addEventListener("click", function () {
      restoreBox.hidden = true;
      store();
    });
  } else {
    store();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!window.confirm(S.confirm_submit)) { return; }
    var choice = form.querySelector("input[name=showcase_choice]:checked");
    submitting = true;
    submitButton.disabled = true;
    window.clearTimeout(timer);
    PartyTraining.showMessage(message, S.submitting, "");
    PartyTraining.post(runtime, element, "submit", {
      title: titleInput.value, text: textArea.value, showcase_choice: choice ? choice.value : "named"
    }).then(function (body) {
      dirty = false;
      try { window.localStorage.removeItem(args.storageKey); } catch (e) { /* ignore */ }
      PartyTraining.showMessage(message, body.message || S.submitted, "success");
      window.setTimeout(function () { window.location.reload(); }, 400);
    }).catch(function (error) {
      submitting = false;
      submitButton.disabled = false;
      PartyTraining.showMessage(message, error.message, "error");
    });
  });

  updateCounter();
}
