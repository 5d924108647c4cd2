/* The merge queue, keyboard first: s same, d different, u unsure, p (or space) skip.
   Every key only presses a button or follows a link of the page, which work without JavaScript. */
(function () {
  "use strict";

  const VERDICTS = { s: "same", d: "not_same", u: "unsure" };
  let sent = false;  // one decision per page: a key held down must not post twice

  function typing(target) {
    const tag = target && target.tagName;
    return tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || (target && target.isContentEditable);
  }

  // Tells a browser test (and a curious analyst's inspector) that the keys are live.
  const pair = document.getElementById("merge-pair");
  if (pair) pair.dataset.keys = "ready";

  document.addEventListener("keydown", function (event) {
    if (!document.getElementById("merge-pair")) return;
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (sent) return;
    const key = event.key.toLowerCase();
    if (VERDICTS[key]) {
      const form = document.querySelector('form[data-verdict="' + VERDICTS[key] + '"]');
      if (!form) return;
      event.preventDefault();
      sent = true;
      form.requestSubmit();
    } else if (key === "p" || key === " ") {
      const skip = document.getElementById("merge-skip");
      if (!skip) return;
      event.preventDefault();
      sent = true;
      window.location.assign(skip.href);
    }
  });
})();
