/* Vigie: behaviour shared by every page (no inline script: the CSP forbids it). */
(function () {
  "use strict";

  // Entity autocomplete: <input class="entity-search" list="..."> next to a hidden <input class="entity-id">.
  function searchUrl(input) {
    const holder = input.closest("[data-search-url]");
    return input.dataset.searchUrl || (holder && holder.dataset.searchUrl);
  }
  function idField(input) {
    return input.closest("label, form").querySelector("input.entity-id") ||
      input.form && input.form.querySelector("input.entity-id");
  }
  let timer = null;
  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!input.classList || !input.classList.contains("entity-search")) return;
    const hidden = idField(input);
    const chosen = /#(\d+)$/.exec(input.value);
    if (hidden) hidden.value = chosen ? chosen[1] : "";
    if (chosen) return;
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2) return;
    timer = setTimeout(function () {
      const url = new URL(searchUrl(input), window.location.origin);
      url.searchParams.set("q", query);
      if (input.dataset.label) url.searchParams.set("label", input.dataset.label);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          const list = document.getElementById(input.getAttribute("list"));
          if (!list) return;
          list.replaceChildren();
          data.results.forEach(function (e) {
            const option = document.createElement("option");
            option.value = e.name + " (" + e.label + ") #" + e.id;  // text only: never parsed as HTML
            list.appendChild(option);
          });
        });
    }, 150);
  });

  // Errors of htmx requests (403, 500, network) are shown, not swallowed.
  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    showError(status === 403 ? "Action non autorisée." : "Le serveur n'a pas pu traiter la demande (" + status + ").");
  });
  document.addEventListener("htmx:sendError", function () {
    showError("Serveur injoignable : la décision n'a pas été enregistrée.");
  });
  function showError(text) {
    let box = document.getElementById("client-errors");
    if (!box) {
      box = document.createElement("ul");
      box.id = "client-errors";
      box.className = "messages";
      box.setAttribute("role", "alert");
      document.querySelector("main").prepend(box);
    }
    const item = document.createElement("li");
    item.className = "msg msg-error";
    item.textContent = text;
    box.appendChild(item);
  }

  // Queue filters: leave empty fields out of the URL, so that it stays short enough to read and share.
  document.addEventListener("submit", function (event) {
    if (event.target.id !== "queue-filters") return;
    Array.from(event.target.elements).forEach(function (field) {
      if (field.name && !field.value) field.disabled = true;
    });
  });

  // Queue page: "/" focuses the search, "n" reviews the next article.
  document.addEventListener("keydown", function (event) {
    if (!document.getElementById("queue-filters")) return;
    const tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/") {
      event.preventDefault();
      document.querySelector("#queue-filters input[name=q]").focus();
    } else if (event.key === "n") {
      const next = document.getElementById("review-next");
      if (next) next.requestSubmit();
    }
  });
})();
