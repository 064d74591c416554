/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../../components/csrf-field.tsx";

/**
 * "Start timer" for a task's page: starts the person's timer on the task (stopping and saving a
 * running one) and comes back to `next`. Show it to people with tasks.write only.
 */
export function StartTimerButton(props: { taskId: string; next: string; csrf: string | null }) {
  return (
    <form method="post" action="/time/timer/start" hx-post="/time/timer/start" class="start-timer-form">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="taskId" value={props.taskId} />
      <input type="hidden" name="next" value={props.next} />
      <button type="submit" class="time-button secondary outline compact">
        Start timer
      </button>
    </form>
  );
}
