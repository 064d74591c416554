// The header's search box: "/" focuses it from anywhere that is not a text field; in the box,
// ArrowDown walks into the live results, ArrowUp/ArrowDown move between them, Escape closes.
(() => {
  const box = () => document.getElementById("global-search");
  const panel = () => document.getElementById("global-search-results");
  const links = () => Array.from(panel()?.querySelectorAll("a[href]") ?? []);

  function typing(target) {
    if (!(target instanceof HTMLElement)) return false;
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", (event) => {
    const input = box();
    if (!input) return;
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target)) {
      event.preventDefault();
      input.focus();
      input.select();
      return;
    }
    const inSearch = event.target === input || panel()?.contains(event.target);
    if (!inSearch) return;
    if (event.key === "Escape") {
      const results = panel();
      if (results) results.replaceChildren();
      input.focus();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const all = links();
    if (all.length === 0) return;
    event.preventDefault();
    const index = all.indexOf(document.activeElement);
    const next = event.key === "ArrowDown" ? index + 1 : index - 1;
    if (next < 0) input.focus();
    else all[Math.min(next, all.length - 1)]?.focus();
  });
})();
