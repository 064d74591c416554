/** @jsxImportSource hono/jsx */

import type { DocumentJson } from "../../../server/knowledge/schemas.ts";
import { documentHref, documentPageHref } from "../../../server/tools/document-links.ts";
import { CsrfField } from "../../components/csrf-field.tsx";
import { DocumentApproval, type DocumentApprovalProps } from "../../partials/knowledge/document-approval.tsx";
import { DocumentStatusBadge, documentKindLabels, formatSize } from "../../partials/knowledge/documents.tsx";
import { CheckboxGroup, type FormErrors, type Option, TextField } from "../../partials/work/projects/fields.tsx";
import { FormMessage } from "../auth/form-parts.tsx";

export type DocumentFormValues = {
  title: string;
  category: string;
  tags: string;
  equipmentIds: string[];
  projectIds: string[];
};

export type DocumentPageProps = {
  item: DocumentJson;
  uploaderName: string | null;
  parent: { id: string; title: string } | null;
  attachments: { id: string; title: string }[];
  /** The supplier's bill read from this document (people with bills.manage only). */
  bill: { title: string; href: string } | null;
  equipment: { id: string; name: string }[];
  projects: { id: string; code: string; name: string }[];
  /** The extracted text shown: pages `from`…`to` of `pageCount`. */
  pages: { page: number; text: string }[];
  window: { from: number; to: number; pageCount: number; perView: number };
  /** The page a link asked for (marked). */
  focusPage: number | null;
  attempts: number;
  canChange: boolean;
  csrf: string | null;
  form: {
    values: DocumentFormValues;
    errors: FormErrors;
    etag: string;
    equipment: Option[];
    projects: Option[];
  } | null;
  streamUrl: string | null;
  approval: DocumentApprovalProps;
};

/** /documents/{id} and /documents/{id}/pages/{n}: facts, status, links, edit form and the text by page. */
export function DocumentPage(props: DocumentPageProps) {
  const { item } = props;
  const base = documentHref(item.id);
  return (
    <article class="work-page document-page">
      <header class="work-header">
        <div>
          <p class="work-breadcrumbs">
            <a href="/documents">Knowledge</a>
            {item.category ? ` / ${item.category}` : ""}
          </p>
          <h1>{item.title}</h1>
        </div>
        <div class="work-actions">
          <a class="link-button secondary" href={item.links.file} download>
            Download
          </a>
          {props.canChange ? (
            <form
              method="post"
              action={`${base}/delete`}
              hx-post={`${base}/delete`}
              hx-confirm={`Delete “${item.title}”? Its text, search entries and file go with it.`}
              class="work-inline-form"
            >
              <CsrfField token={props.csrf} />
              <button type="submit" class="secondary outline">
                Delete
              </button>
            </form>
          ) : null}
        </div>
      </header>
      <div id="document-live" hx-sse:connect={props.streamUrl ?? undefined}>
        <DocumentStatus item={item} attempts={props.attempts} canChange={props.canChange} csrf={props.csrf} />
      </div>
      <dl class="work-facts">
        <Fact
          label="File"
          value={`${item.fileName} · ${documentKindLabels[item.kind]} · ${formatSize(item.sizeBytes)}`}
        />
        <Fact
          label="Uploaded"
          value={`${item.createdAt.slice(0, 16).replace("T", " ")} UTC${props.uploaderName ? ` by ${props.uploaderName}` : ""}`}
        />
        <Fact label="Category" value={item.category ?? ""} />
        <Fact label="Tags" value={item.tags.join(", ")} />
        <div>
          <dt>Equipment</dt>
          <dd>
            {props.equipment.length === 0
              ? "—"
              : props.equipment.map((entry, index) => (
                  <>
                    {index > 0 ? ", " : ""}
                    <a href={`/equipment/${entry.id}`}>{entry.name}</a>
                  </>
                ))}
          </dd>
        </div>
        <div>
          <dt>Projects</dt>
          <dd>
            {props.projects.length === 0
              ? "—"
              : props.projects.map((entry, index) => (
                  <>
                    {index > 0 ? ", " : ""}
                    <a href={`/projects/${entry.id}`}>{entry.code}</a>
                  </>
                ))}
          </dd>
        </div>
        {props.parent ? (
          <div>
            <dt>Came in</dt>
            <dd>
              attached to <a href={documentHref(props.parent.id)}>{props.parent.title}</a>
            </dd>
          </div>
        ) : null}
        {props.attachments.length > 0 ? (
          <div>
            <dt>Attachments</dt>
            <dd>
              {props.attachments.map((entry, index) => (
                <>
                  {index > 0 ? ", " : ""}
                  <a href={documentHref(entry.id)}>{entry.title}</a>
                </>
              ))}
            </dd>
          </div>
        ) : null}
        {props.bill ? (
          <div>
            <dt>Bill</dt>
            <dd>
              <a href={props.bill.href}>{props.bill.title}</a>
            </dd>
          </div>
        ) : null}
      </dl>
      <DocumentApproval {...props.approval} />
      {props.form ? <EditForm id={item.id} csrf={props.csrf} {...props.form} /> : null}
      <DocumentText id={item.id} pages={props.pages} window={props.window} focusPage={props.focusPage} />
    </article>
  );
}

/** The status block (#document-status): the event stream replaces it as ingestion moves on. */
export function DocumentStatus(props: {
  item: DocumentJson;
  attempts: number;
  canChange: boolean;
  csrf: string | null;
}) {
  const { item } = props;
  const retryable = item.status === "failed" || item.status === "needs_ocr";
  return (
    <section id="document-status" class={`document-status document-status-box-${item.status}`} aria-live="polite">
      <p>
        <DocumentStatusBadge status={item.status} />{" "}
        {item.status === "indexed"
          ? `${item.pageCount ?? 1} page${item.pageCount === 1 ? "" : "s"}, ${item.chunkCount} passage${item.chunkCount === 1 ? "" : "s"} indexed${item.embeddingModelId ? "" : " for keyword search (no embedding model yet)"}.`
          : item.status === "queued"
            ? "Waiting to be read."
            : item.status === "processing"
              ? "Reading the text and indexing it…"
              : null}
        {props.attempts > 1 ? <small class="muted"> Tries so far: {props.attempts}.</small> : null}
      </p>
      {item.statusReason ? <p class="document-status-reason">{item.statusReason}</p> : null}
      {retryable && props.canChange ? (
        <form
          method="post"
          action={`${documentHref(item.id)}/retry`}
          hx-post={`${documentHref(item.id)}/retry`}
          class="work-inline-form"
        >
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary">
            Try again
          </button>
        </form>
      ) : null}
    </section>
  );
}

function EditForm(props: {
  id: string;
  csrf: string | null;
  values: DocumentFormValues;
  errors: FormErrors;
  etag: string;
  equipment: Option[];
  projects: Option[];
}) {
  const { values, errors } = props;
  const action = documentHref(props.id);
  const open = Object.keys(errors).length > 0;
  return (
    <details class="document-edit" open={open}>
      <summary>Edit title, category, tags and links</summary>
      <form id="document-form" method="post" action={action} hx-post={action} hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="etag" value={props.etag} />
        <FormMessage error={errors.form} />
        <TextField label="Title" name="title" value={values.title} error={errors.title} required maxlength={200} />
        <div class="grid">
          <TextField label="Category" name="category" value={values.category} error={errors.category} maxlength={60} />
          <TextField
            label="Tags"
            name="tags"
            value={values.tags}
            error={errors.tags}
            hint="Separate tags with commas."
          />
        </div>
        <CheckboxGroup
          legend="Equipment"
          name="equipmentIds"
          options={props.equipment}
          checked={values.equipmentIds}
          error={errors.equipmentIds}
          empty="No equipment yet."
        />
        <CheckboxGroup
          legend="Projects"
          name="projectIds"
          options={props.projects}
          checked={values.projectIds}
          error={errors.projectIds}
          empty="No open projects."
        />
        <button type="submit">Save</button>
      </form>
    </details>
  );
}

/** The extracted text, one section per page with the anchor `page-N` that citations link to. */
export function DocumentText(props: {
  id: string;
  pages: { page: number; text: string }[];
  window: DocumentPageProps["window"];
  focusPage: number | null;
}) {
  const { window } = props;
  const earlier = window.from > 1 ? Math.max(1, window.from - window.perView) : null;
  const later = window.to < window.pageCount ? window.to + 1 : null;
  return (
    <section id="document-text" aria-labelledby="document-text-heading" class="document-text">
      <h2 id="document-text-heading">Text</h2>
      {props.pages.length === 0 ? (
        <p class="empty-state">No text yet: it appears here once the document is read.</p>
      ) : (
        <>
          <p class="muted">
            Pages {window.from}–{window.to} of {window.pageCount}.
          </p>
          {props.pages.map((page) => (
            <section
              id={`page-${page.page}`}
              class={`document-text-page${props.focusPage === page.page ? " document-text-page-focus" : ""}`}
            >
              <h3>
                <a href={documentPageHref(props.id, page.page)}>Page {page.page}</a>
              </h3>
              {page.text.trim() ? <pre>{page.text}</pre> : <p class="muted">No text on this page.</p>}
            </section>
          ))}
          <nav class="document-text-pager" aria-label="Pages">
            {earlier ? <a href={documentPageHref(props.id, earlier)}>‹ Earlier pages</a> : null}
            {later ? <a href={documentPageHref(props.id, later)}>Later pages ›</a> : null}
          </nav>
        </>
      )}
    </section>
  );
}

function Fact(props: { label: string; value: string }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>{props.value || "—"}</dd>
    </div>
  );
}
