/* The review page, keyboard first. Shortcuts are listed in the "?" overlay (templates/entities/_help.html). */
(function () {
  "use strict";

  let current = null;      // {kind, id} of the selected suggestion
  let advanceFrom = -1;    // after a decision: move on to the next pending suggestion from this index

  function review() { return document.getElementById("review"); }
  function items() { return Array.from(document.querySelectorAll("#review .sugg")); }
  function textBox() { return document.getElementById("review-text"); }
  function chars() { return Array.from(textBox().textContent); }  // code points: the stored text's offsets

  function select(li, scroll) {
    document.querySelectorAll("#review .current").forEach(function (el) {
      el.classList.remove("current");
      el.removeAttribute("aria-current");
    });
    if (!li) { current = null; return; }
    li.classList.add("current");
    li.setAttribute("aria-current", "true");
    current = { kind: li.dataset.kind, id: li.dataset.id };
    const marks = textBox().querySelectorAll('mark[data-kind="' + current.kind + '"][data-id="' + current.id + '"]');
    marks.forEach(function (m) { m.classList.add("current"); });
    if (scroll !== false) {
      li.scrollIntoView({ block: "nearest" });
      if (marks.length) marks[0].scrollIntoView({ block: "nearest" });
    }
  }

  function currentItem() {
    if (!current) return null;
    return document.getElementById("s-" + current.kind + "-" + current.id);
  }

  function move(delta) {
    const all = items();
    if (!all.length) return;
    const index = all.indexOf(currentItem());
    const next = index < 0 ? (delta > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + delta));
    select(all[next]);
  }

  function nextPending(from) {
    const all = items();
    for (let i = from + 1; i < all.length; i++) if (all[i].classList.contains("st-suggested")) return all[i];
    for (let i = 0; i <= Math.min(from, all.length - 1); i++) if (all[i].classList.contains("st-suggested")) return all[i];
    return all[Math.min(Math.max(from, 0), all.length - 1)] || null;
  }

  function submit(li, action) {
    if (!li) return;
    const form = li.querySelector('form[data-action="' + action + '"]');
    if (!form) return;
    const button = form.querySelector("button[type=submit]");
    if (button && button.disabled) return;
    advanceFrom = items().indexOf(li);
    form.requestSubmit();
  }

  function submitBar(name) {
    const form = document.querySelector('#review form[data-shortcut="' + name + '"]');
    if (!form) return;
    const button = form.querySelector("button[type=submit]");
    if (button && button.disabled) return;
    form.requestSubmit();
  }

  function edit(li) {
    if (!li) return;
    const details = li.querySelector("details.edit");
    if (!details) return;
    details.open = true;
    const field = details.querySelector("select, input:not([type=hidden])");
    if (field) field.focus();
    updatePreviews(details);
  }

  // After htmx replaced the workspace: keep the selection, or move on after a decision.
  document.addEventListener("htmx:afterSettle", function () {
    if (advanceFrom >= 0) {
      select(nextPending(advanceFrom));
      advanceFrom = -1;
    } else {
      select(currentItem(), false);
    }
  });

  // Selecting text in the article fills the "add a mention" form with its offsets.
  function readSelection() {
    const form = document.getElementById("add-mention");
    const box = textBox();
    const selection = window.getSelection();
    if (!form || !selection.rangeCount || selection.isCollapsed) return false;
    const range = selection.getRangeAt(0);
    if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return false;
    const before = document.createRange();
    before.selectNodeContents(box);
    before.setEnd(range.startContainer, range.startOffset);
    const start = Array.from(before.toString()).length;
    const end = start + Array.from(range.toString()).length;
    if (end <= start) return false;
    form.elements.start.value = start;
    form.elements.end.value = end;
    form.querySelector(".selection-preview").textContent = "« " + chars().slice(start, end).join("") + " »";
    form.classList.add("has-selection");
    return true;
  }
  document.addEventListener("mouseup", function (event) {
    if (!textBox() || !textBox().contains(event.target)) return;
    if (readSelection()) return;
    const mark = event.target.closest("mark[data-kind]");
    if (mark && mark.dataset.kind !== "date") select(document.getElementById("s-" + mark.dataset.kind + "-" + mark.dataset.id));
  });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey && textBox() && textBox().contains(window.getSelection().anchorNode)) readSelection();
  });

  // Span editing: nudge buttons and a live preview of the span being edited.
  function updatePreviews(scope) {
    const root = scope || document;
    const forms = root.matches && root.matches("form.span-form") ? [root] : root.querySelectorAll("form.span-form");
    forms.forEach(function (form) {
      const start = parseInt(form.elements.start.value, 10);
      const end = parseInt(form.elements.end.value, 10);
      const preview = form.querySelector(".span-preview");
      if (preview) preview.textContent = end > start ? "« " + chars().slice(start, end).join("") + " »" : "(passage vide)";
    });
  }
  document.addEventListener("click", function (event) {
    const nudge = event.target.closest("[data-nudge]");
    if (nudge) {
      const input = nudge.form.elements[nudge.dataset.nudge];
      input.value = Math.max(0, Math.min(chars().length, parseInt(input.value, 10) + parseInt(nudge.dataset.by, 10)));
      updatePreviews(nudge.form);
      return;
    }
    if (event.target.closest("[data-open-help]")) { toggleHelp(true); return; }
    if (event.target.closest("[data-close-help]")) { toggleHelp(false); return; }
    const li = event.target.closest("#review .sugg");
    if (li && !event.target.closest("form, details, button, a")) select(li, false);
  });
  document.addEventListener("input", function (event) {
    if (event.target.form && event.target.form.classList.contains("span-form")) updatePreviews(event.target.form);
  });

  function toggleHelp(show) {
    const help = document.getElementById("help");
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
    if (!help.hidden) help.querySelector("button").focus();
  }

  const LABEL_KEYS = { "1": 0, "2": 1, "3": 2, "4": 3, "5": 4 };

  document.addEventListener("keydown", function (event) {
    if (!review()) return;
    const tag = event.target.tagName;
    const typing = tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA";
    if (event.key === "Escape") {
      toggleHelp(false);
      document.querySelectorAll("#review details.edit[open]").forEach(function (d) { d.open = false; });
      if (typing) event.target.blur();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const li = currentItem();
    switch (event.key) {
      case "?": toggleHelp(); break;
      case "j": case "ArrowDown": move(1); break;
      case "k": case "ArrowUp": move(-1); break;
      case "a": submit(li, "accept"); break;
      case "r": submit(li, "reject"); break;
      case "i": submit(li, "accept-same"); break;
      case "x": submit(li, "reject-same"); break;
      case "e": edit(li); break;
      case "A":
        if (window.confirm("Accepter toutes les suggestions restantes ?")) submitBar("accept-all");
        break;
      case "u": submitBar("undo"); break;
      case "n": submitBar("done"); break;
      case "h": window.location.href = review().dataset.historyUrl; break;
      default:
        if (event.key in LABEL_KEYS) {
          const form = document.getElementById("add-mention");
          if (!form || !form.classList.contains("has-selection")) return;
          form.querySelectorAll(".label-buttons button")[LABEL_KEYS[event.key]].click();
          break;
        }
        return;
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!review()) return;
    const first = items().find(function (li) { return li.classList.contains("st-suggested"); });
    select(first || items()[0] || null, false);
  });
})();
