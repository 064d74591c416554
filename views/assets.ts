import { assetUrl } from "../server/tools/static-manifest.ts";

/** The URLs of static files, fingerprinted by content (see server/tools/static-manifest.ts). */
export const assets = {
  htmx: assetUrl("vendor/htmx.min.js"),
  /** htmx's server-sent events extension: live views (the Pulse, boards). */
  sse: assetUrl("vendor/hx-sse.min.js"),
  sortable: assetUrl("vendor/sortable.min.js"),
  /** The task board's drag and keyboard moves. */
  board: assetUrl("board.js"),
  /** The header search box: "/" to focus, arrow keys through the live results. */
  search: assetUrl("search.js"),
  /** The Ask page: streams the assistant's answers, with a stop button. */
  ask: assetUrl("ask.js"),
  /** The task form's project field: arrow keys and Enter through the matching projects. */
  projectPicker: assetUrl("project-picker.js"),
  /** The documents page's drag-and-drop uploads with per-file progress. */
  documents: assetUrl("documents.js"),
  pico: assetUrl("vendor/pico.min.css"),
  css: assetUrl("app.css"),
  icon: assetUrl("icon.svg"),
};
