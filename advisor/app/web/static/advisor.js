// advisor's only script: saves each answer as it is given, says beside the
// question whether it was saved, and keeps what was typed on the page until it
// is. Without it, the forms save section by section.
"use strict";
(function () {
  var LIST = "advisor.evaluaciones";
  var pending = {};

  function block(form, key) {
    return form.querySelector('.question[data-clave="' + CSS.escape(key) + '"]');
  }

  function status(form, key, text) {
    form.querySelectorAll(".field-status").forEach(function (p) { p.textContent = ""; });
    var place = block(form, key);
    if (place && text) { place.querySelector(".field-status").textContent = text; }
  }

  function message(form, key, text) {
    var place = block(form, key);
    if (!place) { return; }
    var error = place.querySelector(".error");
    error.textContent = text || "";
    error.hidden = !text;
    place.classList.toggle("has-error", !!text);
    place.querySelectorAll("input, select").forEach(function (input) {
      if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    });
    if (text) { place.querySelector(".field-status").textContent = ""; }
  }

  function snapshot(form, states) {
    var field = form.querySelector('input[name="antes"]');
    if (!field) { return; }
    var seen = JSON.parse(field.value || "{}");
    Object.keys(states).forEach(function (key) { seen[key] = states[key]; });
    field.value = JSON.stringify(seen);
  }

  function count(result) {
    var text = document.getElementById("cuenta");
    var bar = document.getElementById("barra-progreso");
    if (text && result.cuenta) { text.textContent = result.cuenta; }
    if (bar && typeof result.total === "number") { bar.max = Math.max(result.total, 1); bar.value = result.respondidas; }
  }

  function failed(form, key, text) {
    pending[key] = true;
    message(form, key, text);
  }

  // One autosave at a time, each sent with what the one before it stored:
  // two quick clicks on one question are one person's answer, not a conflict.
  var queue = Promise.resolve();

  function save(form, key) {
    status(form, key, form.dataset.savingText);
    queue = queue.then(function () { return send(form, key, false); });
  }

  function send(form, key, again) {
    var data = new FormData(form);
    data.append("__solo", key);
    return fetch(form.action, { method: "POST", body: data, headers: { "X-Guardado": "auto" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return { guardado: false, mensaje: form.dataset.failedText }; });
      }, function () {
        failed(form, key, form.dataset.offlineText);
        return null;
      })
      .then(function (result) {
        if (!result) { return; }
        if (result.csrf && !again) {
          form.querySelectorAll('input[name="csrf"]').forEach(function (input) { input.value = result.csrf; });
          return send(form, key, true);
        }
        snapshot(form, result.actuales || {});
        var errors = result.errores || {};
        // A refusal of the whole request (the workshop was closed meanwhile) is said beside the answer too.
        var refusal = result.mensaje || errors[key] || (result.problemas && result.problemas[0] && result.problemas[0].mensaje);
        if (refusal) { return failed(form, key, refusal); }
        delete pending[key];
        snapshot(form, result.estados || {});
        message(form, key, "");
        status(form, key, form.dataset.savedText);
        count(result);
      });
  }

  function exclusive(target) {
    // «Ninguna», «No sé» and the options of one question exclude one another.
    var place = target.closest(".question");
    if (!place) { return; }
    if (target.type === "text" || target.tagName === "SELECT") {
      if (target.value.trim()) {
        place.querySelectorAll('input[name="no_sabe"]').forEach(function (box) { box.checked = false; });
      }
      return;
    }
    if (!target.checked) { return; }
    if (target.name === "no_sabe") {
      place.querySelectorAll('input[type="text"]').forEach(function (input) { input.value = ""; });
      place.querySelectorAll("select").forEach(function (select) { select.value = ""; });
    } else if (target.type === "checkbox") {
      var special = target.value === "__ninguna__" || target.value === "__no_sabe__";
      place.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        var other = box.value === "__ninguna__" || box.value === "__no_sabe__";
        if (box !== target && (special || other)) { box.checked = false; }
      });
    }
  }

  function remember(kicker) {
    try {
      var list = JSON.parse(localStorage.getItem(LIST) || "[]").filter(function (item) {
        return item.id !== kicker.dataset.evaluacion;
      });
      list.unshift({ id: kicker.dataset.evaluacion, titulo: kicker.dataset.titulo, fecha: new Date().toISOString().slice(0, 10) });
      localStorage.setItem(LIST, JSON.stringify(list.slice(0, 20)));
    } catch (e) { /* storage off: nothing to remember */ }
  }

  function listOpen(section) {
    var list;
    try { list = JSON.parse(localStorage.getItem(LIST) || "[]"); } catch (e) { return; }
    if (!list.length) { return; }
    var ul = section.querySelector("ul");
    list.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/e/" + encodeURIComponent(item.id);
      a.textContent = item.titulo + " · " + section.dataset.startedText + " " + item.fecha;
      li.appendChild(a);
      ul.appendChild(li);
    });
    section.querySelector("button").addEventListener("click", function () {
      localStorage.removeItem(LIST);
      section.hidden = true;
    });
    section.hidden = false;
  }

  function copying(button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var said = button.parentNode.querySelector(".copy-status");
      var done = function () { said.textContent = button.dataset.copiedText; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(button.dataset.copy).then(done, function () { said.textContent = button.dataset.copy; });
      } else {
        said.textContent = button.dataset.copy;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(copying);
    var open = document.getElementById("mis-evaluaciones");
    if (open) { listOpen(open); }
    var kicker = document.querySelector("[data-evaluacion]");
    if (kicker) { remember(kicker); }
    var form = document.querySelector("form[data-autosave]");
    if (!form) { return; }
    form.addEventListener("change", function (event) {
      var key = event.target.getAttribute("data-clave");
      if (!key) { return; }
      exclusive(event.target);
      save(form, key);
    });
    window.addEventListener("online", function () {
      Object.keys(pending).forEach(function (key) { save(form, key); });
    });
    var summary = document.getElementById("problemas");
    if (summary) { summary.focus(); }
  });
})();
