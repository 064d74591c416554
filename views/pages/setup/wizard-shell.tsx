/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

export type WizardShellProps = {
  steps: readonly { id: string; title: string }[];
  /** Index of the step shown. */
  index: number;
  /** Index of the furthest step that may be opened. */
  reached: number;
  skippable: boolean;
  /** A message for the whole step (not one field), such as a rate limit. */
  notice?: string | undefined;
  children: Child;
};

/**
 * One wizard screen: the progress, the step's form and its Back / Skip / Next buttons. The
 * form works as a plain POST too; htmx swaps the whole wizard for the next screen.
 */
export function WizardShell(props: WizardShellProps) {
  const step = props.steps[props.index];
  if (!step) return null;
  const last = props.index === props.steps.length - 1;
  const action = `/setup/${step.id}`;
  return (
    <section id="setup-wizard" class="setup-wizard" aria-labelledby="setup-title">
      <hgroup>
        <h1 id="setup-title">Set up Opsbox</h1>
        <p class="setup-progress-label">
          Step {props.index + 1} of {props.steps.length}: {step.title}
        </p>
      </hgroup>
      <progress value={props.index + 1} max={props.steps.length} aria-label="Setup progress" />
      <ol class="setup-steps">
        {props.steps.map((item, i) => (
          <li
            aria-current={i === props.index ? "step" : undefined}
            class={i < props.reached && i !== props.index ? "done" : undefined}
          >
            {item.title}
          </li>
        ))}
      </ol>
      <article>
        <form method="post" action={action} hx-post={action} hx-target="#setup-wizard" hx-swap="outerHTML show:top">
          <h2>{step.title}</h2>
          {props.notice ? (
            <p class="setup-notice" role="alert">
              {props.notice}
            </p>
          ) : null}
          {props.children}
          <footer class="wizard-actions">
            {/* Next comes first in the document so that Enter in a field means "next". */}
            <button type="submit" name="nav" value="next">
              {last ? "Finish setup" : "Next"}
            </button>
            {props.skippable ? (
              <button type="submit" name="nav" value="skip" class="secondary outline" formnovalidate>
                Skip
              </button>
            ) : null}
            {props.index > 0 ? (
              <button type="submit" name="nav" value="back" class="secondary" formnovalidate>
                Back
              </button>
            ) : null}
          </footer>
        </form>
      </article>
    </section>
  );
}
