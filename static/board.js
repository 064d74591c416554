// The task board: drag a card with the mouse (SortableJS) or move it with the keyboard (arrow
// keys on a focused card, or its arrow buttons). Every move is saved with POST /tasks/:id/move
// (status and place in the column), without a reload; a refused move is put back and announced.
(() => {
  const board = document.querySelector(".task-board");
  if (!board) return;
  const announcer = document.getElementById("board-announcer");
  const lists = Array.from(board.querySelectorAll(".board-cards"));
  const projectId = board.dataset.projectId || "";
  const keys = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down" };
  // Moves are saved one after another, so that quick keyboard moves arrive in order.
  let saving = Promise.resolve();

  function announce(text) {
    if (!announcer) return;
    // Emptied first so that the same sentence twice is read twice.
    announcer.textContent = "";
    window.setTimeout(() => {
      announcer.textContent = text;
    }, 30);
  }

  function placeOf(card) {
    const list = card.parentElement;
    return { list, index: Array.from(list.children).indexOf(card) };
  }

  function updateCounts() {
    for (const list of lists) {
      const count = list.closest(".board-column")?.querySelector(".board-count");
      if (count) count.textContent = String(list.children.length);
    }
  }

  function where(card) {
    const { list, index } = placeOf(card);
    return `${list.dataset.label}, ${index + 1} of ${list.children.length}`;
  }

  function failure(status) {
    if (status === 403) return "you may only move tasks that you reported or that are assigned to you";
    if (status === 404) return "the task no longer exists; reload the board";
    return "the move was not saved; reload the board and try again";
  }

  function save(card, origin) {
    const { list, index } = placeOf(card);
    const body = new URLSearchParams({ status: list.dataset.status, position: String(index) });
    if (projectId) body.set("projectId", projectId);
    const title = card.dataset.title;
    card.setAttribute("aria-busy", "true");
    updateCounts();
    saving = saving
      .then(() =>
        fetch(`/tasks/${encodeURIComponent(card.dataset.id)}/move`, {
          method: "POST",
          credentials: "same-origin",
          headers: { "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
          body,
        }),
      )
      .then((response) => {
        card.removeAttribute("aria-busy");
        if (response.ok) {
          card.dataset.saved = "true";
          announce(`Moved “${title}” to ${where(card)}.`);
          return;
        }
        origin.list.insertBefore(card, origin.list.children[origin.index] || null);
        updateCounts();
        announce(`Could not move “${title}”: ${failure(response.status)}.`);
      })
      .catch(() => {
        card.removeAttribute("aria-busy");
        origin.list.insertBefore(card, origin.list.children[origin.index] || null);
        updateCounts();
        announce(`Could not move “${title}”: the box did not answer.`);
      });
  }

  function move(card, direction, focusTarget) {
    const origin = placeOf(card);
    const column = lists.indexOf(origin.list);
    if (direction === "left" || direction === "right") {
      const target = lists[column + (direction === "left" ? -1 : 1)];
      if (!target) {
        announce(`“${card.dataset.title}” is already in the ${direction === "left" ? "first" : "last"} column.`);
        return;
      }
      target.insertBefore(card, target.children[Math.min(origin.index, target.children.length)] || null);
    } else if (direction === "up") {
      if (origin.index === 0) {
        announce(`“${card.dataset.title}” is already at the top of ${origin.list.dataset.label}.`);
        return;
      }
      origin.list.insertBefore(card, origin.list.children[origin.index - 1]);
    } else {
      const next = origin.list.children[origin.index + 1];
      if (!next) {
        announce(`“${card.dataset.title}” is already at the bottom of ${origin.list.dataset.label}.`);
        return;
      }
      origin.list.insertBefore(card, next.nextSibling);
    }
    // Moving an element in the document drops its focus; keep the person where they were. The
    // card first: its buttons only show while it holds the focus, and a hidden button takes none.
    card.focus();
    if (focusTarget) focusTarget.focus();
    save(card, origin);
  }

  board.addEventListener("keydown", (event) => {
    const card = event.target.closest?.(".board-card");
    const direction = keys[event.key];
    if (!card || !direction || event.target !== card || card.dataset.movable !== "true") return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    move(card, direction, null);
  });

  board.addEventListener("click", (event) => {
    const button = event.target.closest?.("button[data-move]");
    const card = button?.closest(".board-card");
    if (!button || !card) return;
    move(card, button.dataset.move, button);
  });

  if (typeof window.Sortable !== "function") return;
  for (const list of lists) {
    window.Sortable.create(list, {
      group: "tasks",
      draggable: '.board-card[data-movable="true"]',
      // The arrow buttons stay buttons: a press on them never starts a drag.
      filter: "button",
      preventOnFilter: false,
      animation: 150,
      // Pointer events rather than native drag and drop: the same behaviour in every browser.
      forceFallback: true,
      fallbackOnBody: true,
      ghostClass: "board-card-ghost",
      onEnd(event) {
        if (event.from === event.to && event.oldIndex === event.newIndex) return;
        save(event.item, { list: event.from, index: event.oldIndex });
      },
    });
  }
})();
