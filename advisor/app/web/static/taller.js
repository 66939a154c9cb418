// The trainer's page: the class part is asked for again every few seconds and
// swapped in when it changed, so answers show up as they arrive. Without this
// script, reloading the page shows the same.
"use strict";
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var current = document.getElementById("clase");
    var status = document.getElementById("clase-estado");
    if (!current || !current.dataset.fuente) { return; }
    var every = Math.max(2, parseInt(current.dataset.cada, 10) || 4) * 1000;
    var last = current.innerHTML;

    function refresh() {
      if (document.hidden) { setTimeout(refresh, every); return; }
      fetch(current.dataset.fuente, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("clase");
          if (!fresh || fresh.innerHTML === last) { return; }
          last = fresh.innerHTML;
          current.replaceChildren.apply(current, Array.prototype.slice.call(fresh.childNodes));
          if (status && fresh.dataset.estado !== current.dataset.estado) { status.textContent = fresh.dataset.estado; }
          current.dataset.estado = fresh.dataset.estado;
        })
        .catch(function () { /* the next attempt, or a reload, shows the class */ })
        .then(function () { setTimeout(refresh, every); });
    }
    setTimeout(refresh, every);
  });
})();
