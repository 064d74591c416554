// Project fields with live options (views/pages/work/tasks/form-project.tsx): in the field,
// ArrowDown walks into the options, ArrowUp/ArrowDown move between them, Enter or a click puts
// the option's code in the field, Escape closes them. htmx fills the options as one types.
(() => {
  const fieldOf = (element) => element?.closest?.(".project-picker")?.querySelector("input[role=combobox]");
  const panelOf = (input) => document.getElementById(input.getAttribute("aria-controls") ?? "");
  const optionsOf = (input) => Array.from(panelOf(input)?.querySelectorAll("[role=option]") ?? []);

  function close(input) {
    panelOf(input)?.replaceChildren();
    input.setAttribute("aria-expanded", "false");
  }

  function choose(input, option) {
    input.value = option.dataset.code ?? "";
    close(input);
    input.focus();
  }

  document.addEventListener("htmx:after:swap", (event) => {
    const input = fieldOf(event.target);
    if (input) input.setAttribute("aria-expanded", optionsOf(input).length > 0 ? "true" : "false");
  });

  document.addEventListener("click", (event) => {
    const option = event.target instanceof Element ? event.target.closest(".project-picker [role=option]") : null;
    const input = fieldOf(option);
    if (option && input) choose(input, option);
  });

  document.addEventListener("keydown", (event) => {
    const input = fieldOf(event.target);
    if (!input) return;
    const options = optionsOf(input);
    if (event.key === "Escape" && options.length > 0) {
      event.preventDefault();
      close(input);
      input.focus();
      return;
    }
    if (event.key === "Enter" && event.target !== input && options.includes(event.target)) {
      event.preventDefault();
      choose(input, event.target);
      return;
    }
    if ((event.key !== "ArrowDown" && event.key !== "ArrowUp") || options.length === 0) return;
    event.preventDefault();
    const index = options.indexOf(document.activeElement);
    const next = event.key === "ArrowDown" ? index + 1 : index - 1;
    if (next < 0) input.focus();
    else options[Math.min(next, options.length - 1)]?.focus();
  });
})();
