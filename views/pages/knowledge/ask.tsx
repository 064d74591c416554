/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { AskMessage, type AskMessageView } from "../../partials/knowledge/ask-message.tsx";

export type AskConversationItem = { id: string; title: string; scope: string | null };

export type AskPageProps = {
  conversations: AskConversationItem[];
  /** The open conversation, or null for a new one. */
  conversation: { id: string; title: string; scope: string | null } | null;
  messages: AskMessageView[];
  /** A new conversation's scope (from "Ask about this equipment"). */
  newScope: { equipmentId: string; label: string } | null;
  /** The typed question, handed back when it was refused. */
  content: string;
  error: string | null;
  csrf: string | null;
};

/** /ask and /ask/{id}: the person's conversations, one conversation, and the question form. */
export function AskPage(props: AskPageProps) {
  const { conversation } = props;
  const scope = conversation ? conversation.scope : (props.newScope?.label ?? null);
  return (
    <div class="ask-page">
      <aside class="ask-list" aria-label="Conversations">
        <a class="link-button ask-new" href="/ask">
          New conversation
        </a>
        {props.conversations.length === 0 ? <p class="empty-state ask-list-empty">No conversations yet.</p> : null}
        <ul id="ask-conversations">
          {props.conversations.map((item) => (
            <li>
              <a href={`/ask/${item.id}`} aria-current={item.id === conversation?.id ? "page" : undefined}>
                {item.title}
              </a>
              {item.scope ? <small>{item.scope}</small> : null}
            </li>
          ))}
        </ul>
      </aside>
      <section class="ask-conversation" aria-labelledby="ask-heading">
        <header class="work-header">
          <div>
            <h1 id="ask-heading">{conversation ? conversation.title : "Ask the assistant"}</h1>
            <p class="ask-scope">
              {scope
                ? `Answers come from the manuals of ${scope} only.`
                : "Answers come from your organisation's documents, with the pages they cite."}
            </p>
          </div>
          {conversation ? (
            <form
              method="post"
              action={`/ask/${conversation.id}/delete`}
              hx-post={`/ask/${conversation.id}/delete`}
              hx-confirm="Delete this conversation?"
              class="work-inline-form"
            >
              <CsrfField token={props.csrf} />
              <button type="submit" class="secondary outline">
                Delete
              </button>
            </form>
          ) : null}
        </header>
        <ol id="ask-messages" class="ask-messages" aria-live="polite">
          {props.messages.map((message) => (
            <AskMessage message={message} />
          ))}
        </ol>
        <form
          id="ask-form"
          class="ask-form"
          method="post"
          action={conversation ? `/ask/${conversation.id}/messages` : "/ask"}
          data-conversation={conversation?.id ?? ""}
          data-csrf={props.csrf ?? ""}
        >
          <CsrfField token={props.csrf} />
          {!conversation && props.newScope ? (
            <input type="hidden" name="equipmentId" value={props.newScope.equipmentId} />
          ) : null}
          <label for="ask-content">Your question</label>
          <textarea
            id="ask-content"
            name="content"
            rows={3}
            maxlength={4000}
            required
            placeholder="How do I reset the boiler?"
            aria-invalid={props.error ? "true" : undefined}
            aria-describedby={props.error ? "ask-error" : undefined}
          >
            {props.content}
          </textarea>
          <p id="ask-error" class="ask-error" role="alert" hidden={!props.error}>
            {props.error ?? ""}
          </p>
          <div class="ask-actions">
            <button type="submit" id="ask-submit">
              Ask
            </button>
            <button type="button" id="ask-stop" class="secondary" hidden>
              Stop
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
