/** @jsxImportSource hono/jsx */

import { statusLabels } from "../../../../models/task-labels.ts";
import type { TaskStatus } from "../../../../models/work.ts";
import { BoardCard, type BoardCardView } from "../../../partials/work/tasks/board-card.tsx";
import { TaskTabs } from "../../../partials/work/tasks/task-table.tsx";
import type { ProjectChoice } from "./types.ts";

export type BoardColumnView = {
  status: TaskStatus;
  cards: BoardCardView[];
  /** The list with this column's filter, when the column holds more than the board shows. */
  moreHref: string | null;
};

export type BoardPageProps = {
  columns: BoardColumnView[];
  projects: ProjectChoice[];
  projectId: string;
  canCreate: boolean;
  canMoveAny: boolean;
  /** The board's live stream (htmx SSE): changed columns arrive as <hx-partial>s; null = not live. */
  streamUrl: string | null;
};

/** /tasks/board: a column per status; cards move by mouse (drag) or keyboard (buttons, arrow keys). */
export function BoardPage(props: BoardPageProps) {
  return (
    <article class="tasks-page task-board-page">
      <header>
        <h1>Board</h1>
        <TaskTabs
          current="board"
          canCreate={props.canCreate}
          newHref={props.projectId ? `/tasks/new?projectId=${props.projectId}` : "/tasks/new"}
        />
      </header>
      <form method="get" action="/tasks/board" class="board-filter" aria-label="Choose the board's project">
        <label>
          Project
          <select name="projectId">
            <option value="">All projects</option>
            {props.projects.map((project) => (
              <option value={project.id} selected={project.id === props.projectId}>
                {project.code} · {project.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          Show
        </button>
      </form>
      {props.canMoveAny ? (
        <p id="board-help" class="muted board-help">
          Drag a card to another column or place. With the keyboard, focus a card and press ← or → to move it to the
          previous or next column, ↑ or ↓ to move it up or down; or use its arrow buttons.
        </p>
      ) : null}
      <div id="board-announcer" class="visually-hidden" role="status" aria-live="assertive" aria-atomic="true" />
      <div class="task-board" data-project-id={props.projectId}>
        {props.columns.map((column) => (
          <BoardColumn column={column} />
        ))}
      </div>
      {/* Empty: messages carry only partials, which static/board.js holds back while a card is moving. */}
      {props.streamUrl ? <div id="board-live" hx-sse:connect={props.streamUrl} /> : null}
    </article>
  );
}

/** One column; its id is what the live stream replaces when the column's cards change. */
export function BoardColumn(props: { column: BoardColumnView }) {
  const { column } = props;
  return (
    <section class="board-column" id={`board-column-${column.status}`} aria-labelledby={`column-${column.status}`}>
      <h2 id={`column-${column.status}`}>
        {statusLabels[column.status]} <span class="board-count">{column.cards.length}</span>
      </h2>
      <ol
        class="board-cards"
        data-status={column.status}
        data-label={statusLabels[column.status]}
        aria-labelledby={`column-${column.status}`}
      >
        {column.cards.map((card) => (
          <BoardCard card={card} />
        ))}
      </ol>
      {column.moreHref ? (
        <p class="board-more">
          <a href={column.moreHref}>More in the list →</a>
        </p>
      ) : null}
    </section>
  );
}
