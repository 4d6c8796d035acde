// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Move focus to the error summary so screen readers hear the problems first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  document.querySelectorAll(".error-summary__list a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      var legend = target.closest("fieldset") && target.closest("fieldset").querySelector("legend");
      var label = legend || document.querySelector("label[for='" + target.id + "']");
      (label || target).scrollIntoView();
      target.focus({ preventScroll: true });
    });
  });

  // One click on a send button sends once: the server also makes a second send harmless.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted) { event.preventDefault(); return; }
      form.dataset.submitted = "1";
      setTimeout(function () {
        form.querySelectorAll("[data-prevent-double-click]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  // Coming back with the browser's Back button: the form can be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll("[data-prevent-double-click]").forEach(function (b) { b.disabled = false; });
    });
  });

  // Show the extra question only when its answer is chosen.
  document.querySelectorAll("[data-reveal-for]").forEach(function (block) {
    var name = block.getAttribute("data-reveal-for");
    var value = block.getAttribute("data-reveal-value");
    var radios = document.querySelectorAll("input[name='" + name + "']");
    function update() {
      var chosen = document.querySelector("input[name='" + name + "']:checked");
      var hasError = block.querySelector(".form-group--error");
      block.hidden = !hasError && !(chosen && chosen.value === value);
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });

  // Character count: how many characters are left, said politely.
  document.querySelectorAll("[data-character-count]").forEach(function (group) {
    var limit = parseInt(group.getAttribute("data-character-count"), 10);
    var field = group.querySelector("textarea");
    var message = group.querySelector("[data-count-message]");
    if (!field || !message) { return; }
    message.setAttribute("aria-live", "polite");
    function update() {
      var left = limit - field.value.length;
      var template = left >= 0 ? message.dataset.templateLeft : message.dataset.templateOver;
      message.textContent = template.replace("__N__", Math.abs(left));
      message.classList.toggle("character-count--over", left < 0);
    }
    field.addEventListener("input", update);
    if (field.value.length) { update(); }
  });

  // The reply box's reading score as the agent types; the server counts the syllables, the
  // "How does it read?" button does the same without JavaScript.
  document.querySelectorAll("[data-readability-url]").forEach(function (meter) {
    var field = document.getElementById(meter.dataset.readabilityFor);
    var token = field && field.form.querySelector("input[name$='csrf_token']");
    if (!field || !token || !window.fetch) { return; }
    var timer;
    function update() {
      var body = new URLSearchParams({ text: field.value, language: meter.dataset.language });
      fetch(meter.dataset.readabilityUrl, { method: "POST", body: body, credentials: "same-origin",
                                            headers: { "X-CSRFToken": token.value } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (result) { if (result) { meter.textContent = result.words; } })
        .catch(function () { /* the button still works */ });
    }
    field.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 400); });
    if (field.value.trim() && !meter.textContent.trim()) { update(); }
  });

  // The ambassador app: what a colleague types is kept in this browser until it is passed on, so a
  // lost connection loses nothing; the page that thanks them clears it. Installable, with an offline page.
  var keep = document.querySelector("form[data-keep-draft]");
  if (keep && window.localStorage) {
    var key = "gehoord:" + keep.dataset.keepDraft;
    try {
      var kept = JSON.parse(localStorage.getItem(key) || "{}");
      Object.keys(kept).forEach(function (name) {
        var field = keep.elements[name];
        if (field && field.type !== "hidden" && !field.value) { field.value = kept[name]; }
      });
    } catch (ignored) { /* a broken copy is not worth a broken page */ }
    keep.addEventListener("input", function () {
      var copy = {};
      ["words", "name", "email", "phone"].forEach(function (name) {
        if (keep.elements[name]) { copy[name] = keep.elements[name].value; }
      });
      localStorage.setItem(key, JSON.stringify(copy));
    });
  }
  var done = document.querySelector("[data-clear-draft]");
  if (done && window.localStorage) { localStorage.removeItem("gehoord:" + done.dataset.clearDraft); }
  var worker = document.querySelector("[data-service-worker]");
  if (worker && navigator.serviceWorker) {
    navigator.serviceWorker.register(worker.dataset.serviceWorker, { scope: worker.dataset.scope })
      .catch(function () { /* the app works without it */ });
  }

  // Print button for the confirmation page.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.closest(".js-only").hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
