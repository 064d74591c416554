// The task board: drag a card with the mouse (SortableJS) or move it with the keyboard (arrow
// keys on a focused card, or its arrow buttons). Every move is saved with POST /tasks/:id/move
// (status and place in the column), without a reload; a refused move is put back and announced.
// Other people's changes arrive live (#board-live, htmx's SSE extension) as fresh columns; they
// are held back while a card is being dragged or saved, and the focus stays on its card.
(() => {
  const board = document.querySelector(".task-board");
  if (!board) return;
  const announcer = document.getElementById("board-announcer");
  const live = document.getElementById("board-live");
  // Looked up each time: the live stream replaces whole columns.
  const columnLists = () => Array.from(board.querySelectorAll(".board-cards"));
  const projectId = board.dataset.projectId || "";
  const keys = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down" };
  // Moves are saved one after another, so that quick keyboard moves arrive in order.
  let saving = Promise.resolve();
  // A card held by the pointer, moves not yet answered, a board being fetched afresh.
  let dragging = false;
  let saves = 0;
  let refreshing = false;
  // A live message was held back: once nothing moves, the whole board is fetched afresh (the
  // message was drawn before the moves in between, so it would undo them on screen).
  let stale = false;
  const sortables = new Set();

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
    for (const list of columnLists()) {
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
    saves += 1;
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
      })
      .finally(() => {
        saves -= 1;
        settle();
      });
  }

  function move(card, direction, focusTarget) {
    const origin = placeOf(card);
    const lists = columnLists();
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

  function enableDrag(list) {
    if (typeof window.Sortable !== "function" || window.Sortable.get(list)) return;
    const sortable = window.Sortable.create(list, {
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
      onChoose() {
        dragging = true;
      },
      onUnchoose() {
        dragging = false;
        settle();
      },
      onEnd(event) {
        dragging = false;
        if (event.from !== event.to || event.oldIndex !== event.newIndex) {
          save(event.item, { list: event.from, index: event.oldIndex });
        }
        settle();
      },
    });
    sortables.add(sortable);
  }

  // -- Live changes

  const busy = () => dragging || saves > 0 || refreshing;

  /** Where the focus is inside a card (the card, its title link or an arrow button), by ids. */
  function focusedCard() {
    const active = document.activeElement;
    const card = active?.closest?.(".board-card");
    if (!card || !board.contains(card)) return null;
    const inside =
      active === card ? null : active.dataset.move ? `button[data-move="${active.dataset.move}"]` : ".board-card-title";
    return { element: active, cardId: card.id, inside };
  }

  /** A replaced card loses the focus: give it to the same place on its new copy, wherever it went. */
  function restoreFocus(memo) {
    if (!memo || (memo.element.isConnected && document.activeElement === memo.element)) return;
    const card = document.getElementById(memo.cardId);
    if (!card) return;
    // The card first: its buttons only show while it holds the focus.
    card.focus({ preventScroll: true });
    if (memo.inside) card.querySelector(memo.inside)?.focus({ preventScroll: true });
  }

  /** New columns: drop the SortableJS of the replaced lists, give the new ones theirs, put the focus back. */
  function columnsChanged(memo) {
    for (const sortable of sortables) {
      if (sortable.el?.isConnected) continue;
      sortables.delete(sortable);
      sortable.destroy();
    }
    for (const list of columnLists()) enableDrag(list);
    restoreFocus(memo);
  }

  async function refresh() {
    stale = false;
    refreshing = true;
    try {
      const response = await fetch(window.location.href, {
        credentials: "same-origin",
        headers: { "HX-Request": "true" },
      });
      if (!response.ok) return;
      const html = await response.text();
      // A card was picked up meanwhile: this copy may be older than its move.
      if (dragging || saves > 0) {
        stale = true;
        return;
      }
      const fresh = new DOMParser().parseFromString(html, "text/html");
      const memo = focusedCard();
      for (const column of fresh.querySelectorAll(".board-column[id]")) {
        document.getElementById(column.id)?.replaceWith(document.adoptNode(column));
      }
      columnsChanged(memo);
    } catch {
      // The box did not answer; the next live message tries again.
    } finally {
      refreshing = false;
      settle();
    }
  }

  /** Runs after the current event (a drop fires unchoose, then end, then starts its save). */
  function settle() {
    window.setTimeout(() => {
      if (stale && !busy()) void refresh();
    }, 0);
  }

  if (live) {
    let memo = null;
    live.addEventListener("htmx:sse:before:message", (event) => {
      if (!busy()) return;
      // Swapping a column now would pull the card from under the pointer or undo a move on screen.
      event.preventDefault();
      stale = true;
    });
    live.addEventListener("htmx:before:swap", () => {
      memo = focusedCard();
    });
    live.addEventListener("htmx:after:swap", () => {
      columnsChanged(memo);
      memo = null;
    });
  }

  for (const list of columnLists()) enableDrag(list);
})();
