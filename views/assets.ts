import pkg from "../package.json" with { type: "json" };

/** Cache-busting suffix for static files: changes with every release. */
const version = pkg.version;

export const assets = {
  htmx: `/static/vendor/htmx.min.js?v=${version}`,
  /** htmx's server-sent events extension: live views (the Pulse, boards). */
  sse: `/static/vendor/hx-sse.min.js?v=${version}`,
  sortable: `/static/vendor/sortable.min.js?v=${version}`,
  /** The task board's drag and keyboard moves. */
  board: `/static/board.js?v=${version}`,
  /** The header search box: "/" to focus, arrow keys through the live results. */
  search: `/static/search.js?v=${version}`,
  /** The Ask page: streams the assistant's answers, with a stop button. */
  ask: `/static/ask.js?v=${version}`,
  /** The documents page's drag-and-drop uploads with per-file progress. */
  documents: `/static/documents.js?v=${version}`,
  pico: `/static/vendor/pico.min.css?v=${version}`,
  css: `/static/app.css?v=${version}`,
  icon: `/static/icon.svg?v=${version}`,
};
