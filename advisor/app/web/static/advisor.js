// advisor's only script: saves each answer as it is given, so that closing
// the tab loses nothing. Without it, the forms save section by section.
"use strict";
(function () {
  function message(form, key, text) {
    var block = form.querySelector('.question[data-clave="' + CSS.escape(key) + '"]');
    if (!block) { return; }
    var error = block.querySelector(".error");
    var inputs = block.querySelectorAll("input, select");
    if (text) {
      error.textContent = text;
      error.hidden = false;
      block.classList.add("has-error");
    } else {
      error.textContent = "";
      error.hidden = true;
      block.classList.remove("has-error");
    }
    inputs.forEach(function (input) {
      if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    });
  }

  function save(form, key) {
    var data = new FormData(form);
    data.append("__solo", key);
    var status = document.getElementById("estado-guardado");
    fetch(form.action, { method: "POST", body: data, headers: { "X-Guardado": "auto" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        var errors = result.errores || {};
        // A refusal of the whole request (the workshop was closed meanwhile) is said beside the answer too.
        message(form, key, errors[key] || (result.problemas && result.problemas[0].mensaje));
        if (status && result.guardado && !errors[key]) { status.textContent = form.dataset.saved || ""; }
      })
      .catch(function () { /* the section's button still saves everything */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-autosave]");
    if (!form) { return; }
    form.dataset.saved = form.dataset.savedText || "";
    form.addEventListener("change", function (event) {
      var key = event.target.getAttribute("data-clave");
      if (key) { save(form, key); }
    });
    var summary = document.getElementById("problemas");
    if (summary) { summary.focus(); }
  });
})();
