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

  // Photos and papers: what was chosen, with a small picture of each photo (the server checks them
  // again; this only shows the choice before sending).
  document.querySelectorAll("[data-file-preview]").forEach(function (input) {
    var list = input.parentNode.querySelector("[data-file-preview-list]");
    input.addEventListener("change", function () {
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        if (/^image\/(jpeg|png)$/.test(file.type)) {
          var picture = document.createElement("img");
          picture.src = URL.createObjectURL(file);
          picture.alt = "";
          picture.className = "file-preview__thumb";
          item.appendChild(picture);
        }
        item.appendChild(document.createTextNode(file.name + " (" + Math.max(1, Math.round(file.size / 1000)) + " kB)"));
        list.appendChild(item);
      });
    });
  });

  // A form with files shows how far the sending is; the page the server answers is then shown as
  // it would be without this (the next page, or the form with its errors).
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var chosen = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
        return input.files && input.files.length;
      });
      if (!chosen || !window.FormData || event.defaultPrevented) { return; }
      event.preventDefault();
      var progress = document.createElement("progress");
      progress.max = 100;
      progress.value = 0;
      progress.className = "upload-progress";
      progress.setAttribute("aria-label", form.dataset.progressLabel || "Sending");
      form.appendChild(progress);
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (sent) {
        if (sent.lengthComputable) { progress.value = Math.round(sent.loaded * 100 / sent.total); }
      });
      request.addEventListener("load", function () {
        if (request.status < 400 && request.responseURL) { window.location.assign(request.responseURL); return; }
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () { form.removeAttribute("data-submitted"); form.submit(); });
      request.send(new FormData(form));
    });
  });

  // Reply templates: a click (or its number key, below) puts the template, filled in for this
  // customer, in the reply box at once; what the agent wrote is only replaced when they say so.
  var replyBox = document.getElementById("reply-body");
  function useTemplate(link) {
    if (!replyBox) { window.location.assign(link.href); return; }
    var text = link.getAttribute("data-template-text");
    var holder = link.closest("[data-reply-templates]");
    var current = replyBox.value.trim();
    var fromTemplate = replyBox.getAttribute("data-from-template") === current;
    if (current && !fromTemplate && !window.confirm(holder.getAttribute("data-replace-question"))) { return; }
    replyBox.value = text;
    replyBox.setAttribute("data-from-template", text.trim());
    replyBox.dispatchEvent(new Event("input"));
    replyBox.focus();
    replyBox.setSelectionRange(text.length, text.length);
  }
  document.querySelectorAll("[data-template-text]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); useTemplate(link); });
  });

  // Keyboard shortcuts for staff (the list is under "?"; a person can turn them off: WCAG 2.1.4).
  // A key does nothing while the person types in a field, or with Ctrl, Alt or Cmd held.
  if (document.body.getAttribute("data-shortcuts") === "on") {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-row]"));
    var current = -1;
    var help = document.getElementById("shortcut-help");
    function typing(target) {
      var name = (target.tagName || "").toLowerCase();
      return name === "input" || name === "textarea" || name === "select" || target.isContentEditable;
    }
    function choose(index) {
      if (!rows.length) { return false; }
      if (current >= 0) { rows[current].classList.remove("row--current"); }
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows[current].classList.add("row--current");
      rows[current].querySelector("[data-row-link]").focus();
      return true;
    }
    function follow(selector) {
      var link = document.querySelector(selector);
      if (link) { window.location.assign(link.href); }
      return Boolean(link);
    }
    function search() {
      var field = document.getElementById("q");
      if (field) { field.focus(); field.select(); return true; }
      window.location.assign(document.body.getAttribute("data-search-url"));
      return true;
    }
    if (window.location.hash === "#q" && document.getElementById("q")) { document.getElementById("q").focus(); }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
      if (help && help.open) { return; }  // the dialog handles Esc itself
      if (typing(event.target)) { return; }
      var key = event.key, done = false;
      if (key === "?") {
        if (help && help.showModal) { help.showModal(); done = true; }
      } else if (key === "j") {
        done = rows.length ? choose(current + 1) : follow("[data-shortcut-next]");
      } else if (key === "k") {
        done = rows.length ? choose(current < 0 ? 0 : current - 1) : follow("[data-shortcut-prev]");
      } else if (key === "x" && current >= 0) {
        var box = rows[current].querySelector("[data-pick]");
        if (box) { box.checked = !box.checked; done = true; }
      } else if (key === "c") {
        var claim = document.querySelector("[data-shortcut-claim]");
        if (claim) { claim.click(); done = true; }
      } else if (key === "r" && replyBox) {
        replyBox.focus(); done = true;
      } else if (key === "/") {
        done = search();
      } else if (key === "u") {
        done = follow("[data-shortcut-back]");
      } else if (/^[1-9]$/.test(key)) {
        var link = document.querySelector('[data-template-key="' + key + '"]');
        if (link) { useTemplate(link); done = true; }
      }
      if (done) { event.preventDefault(); }
    });
  }

  // Print button for the confirmation page.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.closest(".js-only").hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
