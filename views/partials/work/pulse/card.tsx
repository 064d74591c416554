/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

/**
 * One Pulse section: a title with a count, its list or an empty state that says what to do,
 * and a link to the full page. Its `id` is what the live stream replaces.
 */
export function PulseCard(props: {
  id: string;
  title: string;
  count: number | null;
  more?: boolean;
  /** "attention" colours the count when something needs doing (overdue, waiting). */
  tone?: "attention";
  link: { href: string; label: string };
  empty: Child;
  children?: Child;
  hasItems: boolean;
}) {
  const titleId = `${props.id}-title`;
  return (
    <section id={props.id} class="pulse-card" aria-labelledby={titleId}>
      <header class="pulse-card-head">
        <h2 id={titleId}>{props.title}</h2>
        {props.count !== null ? (
          <span
            class={props.tone === "attention" && props.count > 0 ? "pulse-count pulse-count-attention" : "pulse-count"}
            title={props.more ? `More than ${props.count}` : undefined}
          >
            {props.count}
            {props.more ? "+" : ""}
          </span>
        ) : null}
      </header>
      {props.hasItems ? props.children : <p class="pulse-empty">{props.empty}</p>}
      <footer class="pulse-card-foot">
        <a href={props.link.href}>{props.link.label} →</a>
      </footer>
    </section>
  );
}
