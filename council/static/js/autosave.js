/* Keeps a child's words while they type: every few seconds after a change, and when the tab is hidden,
   the form's text is sent to the server as the draft. Without JavaScript, every "Next" saves anyway. */
(function () {
  "use strict";
  const DELAY_MS = 3000;

  function setup(form) {
    const url = form.dataset.autosave;
    let timer = null;
    let dirty = false;

    function save(useBeacon) {
      if (!dirty) return;
      dirty = false;
      const data = new FormData(form);
      if (useBeacon && navigator.sendBeacon) {
        navigator.sendBeacon(url, data);
        return;
      }
      fetch(url, { method: "POST", body: data, credentials: "same-origin" }).catch(function () {
        dirty = true; // try again with the next change
      });
    }

    form.addEventListener("input", function () {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(function () { save(false); }, DELAY_MS);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
    form.addEventListener("submit", function () { dirty = false; clearTimeout(timer); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(setup);
  });
})();
