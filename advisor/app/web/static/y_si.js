// «¿Y si…?»: each change of the form asks the server for the panel at the same
// address the form would open (plus parte=1) and swaps the form and the result
// in place; the result is a live region, so a screen reader hears what changed.
// Without this script the form opens that address as a page: the same result.
"use strict";
(function () {
  var pending = null;

  function query(form) {
    var params = new URLSearchParams(new FormData(form));
    return params.toString();
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    ["y-si-formulario", "y-si-resultado"].forEach(function (id) {
      var now = document.getElementById(id);
      var then = fresh.getElementById(id);
      if (now && then) { now.replaceChildren.apply(now, Array.prototype.slice.call(then.childNodes)); }
    });
  }

  function update(form) {
    var focused = document.activeElement && document.activeElement.id;
    var focusedName = document.activeElement && document.activeElement.name;
    var focusedValue = document.activeElement && document.activeElement.value;
    var asked = query(form);
    var url = form.getAttribute("action") + (asked ? "?" + asked : "");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url + (asked ? "&" : "?") + "parte=1", { credentials: "same-origin", signal: pending.signal })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        swap(html);
        history.replaceState(null, "", url);
        var again = focused ? document.getElementById(focused) : null;
        if (!again && focusedName) {
          again = form.querySelector('[name="' + CSS.escape(focusedName) + '"][value="' + CSS.escape(focusedValue || "") + '"]');
        }
        if (again) { again.focus(); }
      })
      .catch(function () { /* a newer request replaced it, or the server is away: submitting still works */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-y-si]");
    if (!form) { return; }
    form.addEventListener("submit", function (event) { event.preventDefault(); update(form); });
    // An answer updates at once; the question list waits for the button, since
    // arrow keys on a closed list fire a change for every option they pass.
    form.addEventListener("change", function (event) {
      if (event.target.tagName !== "SELECT") { update(form); }
    });
  });
})();
