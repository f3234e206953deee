/* Polku: small improvements where scripts run. Every page works without this file. */
(function () {
  "use strict";

  // An error summary takes the focus, so screen readers and keyboards start there.
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  // Ticking a step off saves it without reloading the page; the plain form is the fallback.
  var progress = document.getElementById("progress");

  function countDone() {
    var steps = document.querySelectorAll("li.step form.tick");
    var done = document.querySelectorAll("li.step.done form.tick");
    if (progress && progress.dataset.template) {
      progress.textContent = progress.dataset.template
        .replace("{done}", done.length).replace("{total}", steps.length);
    }
  }

  function show(form, done) {
    var step = form.closest("li.step");
    var status = step.querySelector(".status");
    var button = form.querySelector("button");
    var label = button.firstChild;
    step.classList.toggle("done", done);
    form.elements.done.value = done ? "0" : "1";
    if (status) status.textContent = done ? status.dataset.done : status.dataset.todo;
    label.nodeValue = done ? button.dataset.done : button.dataset.todo;
    countDone();
  }

  document.querySelectorAll("form.tick").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData) return;
      event.preventDefault();
      var done = form.elements.done.value === "1";
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { "Polku-Enhanced": "1" },
        credentials: "same-origin"
      }).then(function (response) {
        if (response.status !== 204) throw new Error(String(response.status));
        show(form, done);
        button.disabled = false;
        button.focus();
      }).catch(function () {
        button.disabled = false;
        form.submit(); // the server shows what went wrong, as without scripts
      });
    });
  });

  // Addresses to copy (the private link, the calendar feed): selected whole when focused, and
  // a button to copy. A refused copy (a portal's frame without allow="clipboard-write", a
  // browser that asks and is told no) says so and selects the address to copy by hand.
  document.querySelectorAll("input[data-copy]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
    if (!navigator.clipboard || !navigator.clipboard.writeText) return;
    var copy = document.createElement("button");
    copy.type = "button";
    copy.className = "secondary";
    copy.textContent = field.dataset.copy;
    var said = document.createElement("p");
    said.className = "copy-status";
    said.setAttribute("role", "status");
    copy.addEventListener("click", function () {
      said.textContent = "";
      navigator.clipboard.writeText(field.value).then(function () {
        copy.textContent = field.dataset.copied;
      }, function () {
        said.textContent = field.dataset.refused;
        field.focus();
        field.select();
      });
    });
    field.insertAdjacentElement("afterend", said);
    field.insertAdjacentElement("afterend", copy);
  });

  // A link to a step (from "what to do next") opens it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.querySelector("details");
    if (details) details.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Printing shows every step whole; the steps closed before are closed again after.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) {
      return !d.open;
    });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });

  // "Saved" is said once: a reload or a bookmark of this address does not say it again.
  if (/[?&]saved=1(&|$)/.test(location.search) && window.history.replaceState) {
    var query = location.search.replace(/([?&])saved=1(&|$)/, "$1").replace(/[?&]$/, "");
    history.replaceState(null, "", location.pathname + query + location.hash);
  }
})();
