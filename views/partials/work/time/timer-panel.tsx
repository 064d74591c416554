/** @jsxImportSource hono/jsx */

import { formatMinutes } from "../../../../server/tools/durations.ts";
import type { FormErrors } from "../../../../server/work/time/entry-form.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import { type WorkChoicesView, WorkSelect } from "./parts.tsx";

export type RunningTimerView = {
  label: string;
  note: string;
  billable: boolean;
  startedAt: string;
  elapsedMinutes: number;
};
export type TimerFormValues = { work: string; note: string; billable: boolean };

export type TimerPanelProps = {
  timer: RunningTimerView | null;
  choices: WorkChoicesView;
  values: TimerFormValues;
  errors: FormErrors;
  csrf: string | null;
};

/**
 * The running timer with Stop and Discard, or a form to start one. It refreshes itself every
 * minute so the elapsed time stays right without a script of our own.
 */
export function TimerPanel(props: TimerPanelProps) {
  return (
    <section
      id="timer-panel"
      class={props.timer ? "timer-panel running" : "timer-panel"}
      aria-labelledby="timer-heading"
      hx-get={props.timer ? "/time/timer" : undefined}
      hx-trigger={props.timer ? "every 60s" : undefined}
      hx-swap={props.timer ? "outerHTML" : undefined}
    >
      <h2 id="timer-heading">Timer</h2>
      {props.timer ? <Running timer={props.timer} csrf={props.csrf} /> : <StartForm {...props} />}
    </section>
  );
}

function Running(props: { timer: RunningTimerView; csrf: string | null }) {
  const started = props.timer.startedAt.slice(11, 16);
  return (
    <div class="timer-running">
      <p>
        <span class="timer-dot" aria-hidden="true" />
        Running on <strong>{props.timer.label}</strong>
        {props.timer.note ? <span class="muted"> · {props.timer.note}</span> : null}
        <br />
        <span class="timer-elapsed" role="timer">
          {formatMinutes(props.timer.elapsedMinutes)}
        </span>{" "}
        <small class="muted">
          since <time datetime={props.timer.startedAt}>{started} UTC</time>
          {props.timer.billable ? " · billable" : ""}
        </small>
      </p>
      <div class="timer-actions">
        <form method="post" action="/time/timer/stop" hx-post="/time/timer/stop" hx-target="#main">
          <CsrfField token={props.csrf} />
          <button type="submit" class="time-button">
            Stop and save
          </button>
        </form>
        <form
          method="post"
          action="/time/timer/discard"
          hx-post="/time/timer/discard"
          hx-target="#main"
          hx-confirm="Discard the running timer? Its time is not saved."
        >
          <CsrfField token={props.csrf} />
          <button type="submit" class="time-button secondary outline">
            Discard
          </button>
        </form>
      </div>
    </div>
  );
}

function StartForm(props: TimerPanelProps) {
  return (
    <form
      method="post"
      action="/time/timer/start"
      hx-post="/time/timer/start"
      hx-target="#main"
      class="timer-start"
      novalidate
    >
      <CsrfField token={props.csrf} />
      {props.errors.form ? (
        <p class="form-message form-message-error" role="alert">
          {props.errors.form}
        </p>
      ) : null}
      <WorkSelect id="timer-work" value={props.values.work} choices={props.choices} error={props.errors.work} />
      <label>
        Note
        <input name="note" value={props.values.note} maxlength={2000} placeholder="What are you working on?" />
      </label>
      <label class="time-billable-field">
        <input type="checkbox" name="billable" checked={props.values.billable} />
        Billable
      </label>
      <button type="submit" class="time-button">
        Start timer
      </button>
    </form>
  );
}
