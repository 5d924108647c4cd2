/* The entity page's graph: entities cited with this one (co-occurrence) and taking part in the same
   events, drawn with Cytoscape.js (vendored). The data URL comes from data-graph-url; the filter
   form reloads the graph in place and keeps its filters in the page's URL. No inline script. */
(function () {
  "use strict";

  const COLOURS = { PER: "#0072b2", ORG: "#b35900", GPE: "#007a5a", LOC: "#5a6b00", MISC: "#8a4f7d" };
  let cy = null;

  // Cytoscape adds a <style> element unless one with this id exists; the strict CSP forbids that
  // element, and vigie.css already carries its one rule.
  function claimStylesheetSlot() {
    const id = "__________cytoscape_stylesheet";
    if (document.getElementById(id)) return;
    const placeholder = document.createElement("meta");
    placeholder.id = id;
    document.head.appendChild(placeholder);
  }

  function status(box, text) {
    const line = document.getElementById("graph-status");
    if (!line) return;
    line.textContent = text;
    line.hidden = !text;
  }

  function width(weight, max) {
    return 1 + 7 * Math.sqrt(weight / Math.max(1, max));
  }

  function draw(box, data) {
    const nodes = data.nodes || [];
    const edges = data.edges || [];
    const maxEdge = edges.reduce(function (m, e) { return Math.max(m, e.data.weight); }, 1);
    const maxNode = nodes.reduce(function (m, n) { return Math.max(m, n.data.articles || 0); }, 1);
    if (cy) { cy.destroy(); cy = null; }
    box.replaceChildren();
    if (nodes.length <= 1) {
      status(box, "Aucune entité liée avec ces filtres.");
      return;
    }
    status(box, "");
    claimStylesheetSlot();
    cy = window.cytoscape({
      container: box,
      elements: { nodes: nodes, edges: edges },
      wheelSensitivity: 0.3,
      minZoom: 0.2,
      maxZoom: 1.5,  // a graph of two or three nodes is not blown up to fill the box
      style: [
        {
          selector: "node",
          style: {
            label: "data(name)",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 3,
            "text-wrap": "ellipsis",
            "text-max-width": 140,
            color: "#1d232a",
            "background-color": function (n) { return COLOURS[n.data("type")] || "#5b6670"; },
            width: function (n) { return n.data("center") ? 34 : 14 + 16 * Math.sqrt((n.data("articles") || 0) / maxNode); },
            height: function (n) { return n.data("center") ? 34 : 14 + 16 * Math.sqrt((n.data("articles") || 0) / maxNode); },
            // Shape as well as colour: types are told apart without relying on colour.
            shape: function (n) {
              return { PER: "ellipse", ORG: "round-rectangle", GPE: "diamond", LOC: "triangle" }[n.data("type")] || "hexagon";
            },
          },
        },
        { selector: "node[?center]", style: { "border-width": 3, "border-color": "#1d232a", "font-weight": "bold" } },
        {
          selector: "edge",
          style: {
            width: function (e) { return width(e.data("weight"), maxEdge); },
            "curve-style": "bezier",
            opacity: 0.65,
          },
        },
        { selector: 'edge[kind = "cooccurrence"]', style: { "line-color": "#9aa5b1" } },
        { selector: 'edge[kind = "event"]', style: { "line-color": "#d55e00", "line-style": "dashed" } },
        { selector: "edge.side", style: { opacity: 0.2 } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#0b5cad" } },
      ],
      // An ego graph: the entity in the middle, the entities sharing most articles with it on the
      // inner rings. Deterministic, so the same filters always draw the same picture.
      layout: {
        name: "concentric",
        concentric: function (n) { return n.data("center") ? maxNode + 1 : n.data("articles") || 0; },
        levelWidth: function () { return Math.max(1, maxNode / 3); },
        minNodeSpacing: 28,
        avoidOverlap: true,
        animate: false,
      },
    });
    // Links between two neighbours are context: drawn fainter than the entity's own.
    cy.edges().filter(function (e) { return !e.source().data("center") && !e.target().data("center"); }).addClass("side");
    cy.on("tap", "node", function (event) {
      const url = event.target.data("url");
      // Only a page of this site: the URL is built by the server, but check all the same.
      if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") window.location.assign(url);
    });
    cy.on("mouseover", "node", function () { box.classList.add("pointing"); });
    cy.on("mouseout", "node", function () { box.classList.remove("pointing"); });
  }

  function load(box, url) {
    status(box, "Chargement du graphe…");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (!result.ok) {
          status(box, (result.data.errors || ["Filtres invalides."]).join(" "));
          return;
        }
        draw(box, result.data);
      })
      .catch(function () { status(box, "Le graphe n'a pas pu être chargé."); });
  }

  function init() {
    const box = document.getElementById("entity-graph");
    if (!box || typeof window.cytoscape !== "function") return;
    load(box, box.dataset.graphUrl);
    const form = document.getElementById("graph-filters");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const params = new URLSearchParams();
      Array.from(form.elements).forEach(function (field) {
        if (!field.name || !field.value) return;
        if (field.type === "checkbox" && !field.checked) return;
        params.append(field.name, field.value);
      });
      const base = box.dataset.graphUrl.split("?")[0];
      const query = params.toString();
      load(box, base + (query ? "?" + query : ""));
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + "#graph-title");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
