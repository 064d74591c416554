/** @jsxImportSource hono/jsx */
import type { HistoryEntryView } from "../../../pages/work/tasks/types.ts";
import { formatTime } from "./badges.tsx";

/** Every change of the task, oldest first: who, what, from, to, when. */
export function HistoryTimeline(props: { entries: HistoryEntryView[] }) {
  return (
    <section id="task-history" class="task-history" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ol class="history-list">
        {props.entries.map((entry) => (
          <li id={`change-${entry.id}`}>
            <time class="muted" datetime={entry.at.toISOString()}>
              {formatTime(entry.at)}
            </time>{" "}
            <strong>{entry.actorName}</strong> {entry.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
