import pkg from "../package.json" with { type: "json" };

/** Cache-busting suffix for static files: changes with every release. */
const version = pkg.version;

export const assets = {
  htmx: `/static/vendor/htmx.min.js?v=${version}`,
  pico: `/static/vendor/pico.min.css?v=${version}`,
  css: `/static/app.css?v=${version}`,
  icon: `/static/icon.svg?v=${version}`,
};
