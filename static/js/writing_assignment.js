/* writing_assignment: the writing assignment block. Autosaved drafts with a revision number (a
   save based on an older revision is refused, so a second tab or device cannot silently
   overwrite), a copy in localStorage (nothing is lost on reload or a dropped connection), a
   character counter (core's one counting rule) and submission. Strings go through gettext with
   the block's catalog (args.i18n). The server renders no editor when the access rule makes the
   piece read-only (args.editable false). */
function WritingAssignmentBlock(runtime, element, args) {
  "use strict";
  var form = element.querySelector(".party-writing__editor");
  if (!form || !args.editable) { return; }
  var gettext = PartyTraining.translator(args.i18n);
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
  var lengthProblem = "";
  var DEBOUNCE_MS = 1500, RETRY_MS = 10000;
  var tabId = Math.random().toString(36).slice(2);

  function chars(text) {
    /* As the server counts (core.text.count_chars): every character once, spaces and line
       breaks not at all; Array.from counts characters outside the BMP once. */
    return Array.from(text.replace(/\s+/g, "")).length;
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
    var parts = [gettext("%(count)s characters", {count: count})];
    if (args.minChars) { parts.push(gettext("at least %(min)s", {min: args.minChars})); }
    if (args.maxChars) { parts.push(gettext("at most %(max)s", {max: args.maxChars})); }
    var note = "";
    counter.classList.remove("is-short", "is-long");
    if (args.maxChars && count > args.maxChars) { counter.classList.add("is-long"); note = " · " + gettext("Too long: please shorten it."); }
    else if (args.minChars && count < args.minChars) { counter.classList.add("is-short"); note = " · " + gettext("Too short to submit yet."); }
    counter.textContent = parts.join(" / ") + note;
    /* Below the minimum or above the maximum the piece cannot be submitted: say so beside the button
       instead of after the confirmation dialog. */
    lengthProblem = note ? note.slice(3) : "";
    if (submitButton) {
      submitButton.disabled = submitting || Boolean(lengthProblem);
      submitButton.title = lengthProblem;
    }
  }
  function showConflict(body) {
    conflict = body;
    conflictBox.querySelector(".party-writing__banner-text").textContent = gettext("This draft was changed in another tab or on another device (saved at %(time)s).", {time: body.time || ""});
    conflictBox.hidden = false;
  }
  function save(force) {
    if (saving || conflict && !force) { return Promise.resolve(); }
    window.clearTimeout(timer);
    saving = true;
    saveState.textContent = gettext("Saving…");
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
      saveState.textContent = gettext("Draft saved at %(time)s", {time: body.time});
      if (dirty) { schedule(); }
    }).catch(function (error) {
      saving = false;
      if (error.status) { PartyTraining.showMessage(message, error.message, "error"); saveState.textContent = ""; return; }
      /* No answer at all: offline. The text is in localStorage; try again later. */
      saveState.textContent = gettext("Not saved: no connection. Your text is kept on this device and will be saved when the connection returns.");
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
    if (other && other.tab !== tabId) { tabsBox.textContent = gettext("This draft is also open in another tab. Edit it in one place only."); tabsBox.hidden = false; }
  });

  conflictBox.querySelector("[data-action=load-newer]").textContent = gettext("Load the newer version");
  conflictBox.querySelector("[data-action=keep-mine]").textContent = gettext("Keep this version");
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
      gettext("This device has a copy of your text from %(time)s that differs from the saved draft.",
              {time: new Date(local.savedAt).toLocaleString()});
    restoreBox.querySelector("[data-action=restore]").textContent = gettext("Restore it");
    restoreBox.querySelector("[data-action=discard]").textContent = gettext("Discard it");
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
    updateCounter();
    if (lengthProblem) { PartyTraining.showMessage(message, lengthProblem, "error"); return; }
    if (!window.confirm(gettext("Submit your piece for grading? You can change it afterwards only if it is returned for revision."))) { return; }
    var choice = form.querySelector("input[name=showcase_choice]:checked");
    submitting = true;
    submitButton.disabled = true;
    window.clearTimeout(timer);
    PartyTraining.showMessage(message, gettext("Submitting…"), "");
    PartyTraining.post(runtime, element, "submit", {
      title: titleInput.value, text: textArea.value, showcase_choice: choice ? choice.value : "named"
    }).then(function (body) {
      dirty = false;
      try { window.localStorage.removeItem(args.storageKey); } catch (e) { /* ignore */ }
      PartyTraining.showMessage(message, body.message || gettext("Submitted."), "success");
      window.setTimeout(function () { window.location.reload(); }, 400);
    }).catch(function (error) {
      submitting = false;
      updateCounter();
      PartyTraining.showMessage(message, error.message, "error");
    });
  });

  updateCounter();
}
