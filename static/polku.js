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

  // The private link: selected whole when focused, and a button to copy it.
  var link = document.getElementById("private-link");
  if (link) {
    link.addEventListener("focus", function () { link.select(); });
    if (navigator.clipboard && link.dataset.copy) {
      var copy = document.createElement("button");
      copy.type = "button";
      copy.className = "secondary";
      copy.textContent = link.dataset.copy;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(link.value).then(function () {
          copy.textContent = link.dataset.copied;
        });
      });
      link.insertAdjacentElement("afterend", copy);
    }
  }
})();
