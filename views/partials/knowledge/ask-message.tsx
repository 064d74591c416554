/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";

export type AskCitationView = { n: number; href: string; title: string; page: number };

export type AskMessageView = {
  id: string;
  role: "user" | "assistant";
  /** Escaped, sanitised HTML from the server's answer renderer (never raw model or document text). */
  html: string;
  status: "complete" | "stopped" | "failed";
  citations: AskCitationView[];
};

const statusNotes: Record<AskMessageView["status"], string | null> = {
  complete: null,
  stopped: "Stopped before the end",
  failed: "Failed",
};

/** One turn of a conversation; static/ask.js builds the same markup for an answer it streams. */
export function AskMessage(props: { message: AskMessageView }) {
  const { message } = props;
  const note = statusNotes[message.status];
  return (
    <li class={`ask-message ask-message-${message.role}`} data-status={message.status}>
      <p class="ask-message-who">
        {message.role === "user" ? "You" : "Assistant"}
        {note ? <span class={`ask-status ask-status-${message.status}`}>{note}</span> : null}
      </p>
      <div class="ask-message-body">{raw(message.html)}</div>
      {message.citations.length > 0 ? <AskCitations citations={message.citations} /> : null}
    </li>
  );
}

export function AskCitations(props: { citations: AskCitationView[] }) {
  return (
    <ol class="ask-citations" aria-label="Sources">
      {props.citations.map((citation) => (
        <li>
          <a href={citation.href}>
            <span class="ask-citation-number">[{citation.n}]</span> {citation.title}, page {citation.page}
          </a>
        </li>
      ))}
    </ol>
  );
}
