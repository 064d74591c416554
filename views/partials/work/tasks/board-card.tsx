/** @jsxImportSource hono/jsx */
import type { TaskRowView } from "../../../pages/work/tasks/types.ts";
import { DueDate, PriorityBadge, StuckBadge } from "./badges.tsx";

export type BoardCardView = TaskRowView & { canMove: boolean };

const moves = [
  { move: "left", symbol: "←", label: "Move to the previous column" },
  { move: "up", symbol: "↑", label: "Move up" },
  { move: "down", symbol: "↓", label: "Move down" },
  { move: "right", symbol: "→", label: "Move to the next column" },
];

/**
 * A card of the board. Cards the person may move are draggable (static/board.js) and carry
 * buttons that move them by keyboard; the card itself also takes the arrow keys when focused.
 */
export function BoardCard(props: { card: BoardCardView }) {
  const { card } = props;
  return (
    <li
      class="board-card"
      id={`card-${card.id}`}
      data-id={card.id}
      data-title={card.title}
      data-movable={card.canMove ? "true" : "false"}
      tabindex={card.canMove ? 0 : undefined}
      aria-describedby={card.canMove ? "board-help" : undefined}
    >
      <a href={`/tasks/${card.id}`} class="board-card-title">
        {card.title}
      </a>
      <div class="board-card-meta">
        <PriorityBadge priority={card.priority} />
        <StuckBadge stuck={card.stuck} />
        {card.projectCode ? <code>{card.projectCode}</code> : null}
        <span>{card.assigneeName ?? <span class="muted">Nobody</span>}</span>
        {card.dueAt ? <DueDate dueAt={card.dueAt} overdue={card.overdue} /> : null}
      </div>
      {card.canMove ? (
        <div class="board-card-moves">
          {moves.map((item) => (
            <button
              type="button"
              class="board-move secondary outline"
              data-move={item.move}
              aria-label={`${item.label}: ${card.title}`}
              title={item.label}
            >
              {item.symbol}
            </button>
          ))}
        </div>
      ) : null}
    </li>
  );
}
