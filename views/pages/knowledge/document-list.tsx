/** @jsxImportSource hono/jsx */
import type { DocumentJson } from "../../../server/knowledge/schemas.ts";
import { DocumentList, documentStatusLabels } from "../../partials/knowledge/documents.tsx";
import { type Option, SelectField, TextField } from "../../partials/work/projects/fields.tsx";

export type DocumentFilters = { status: string; category: string; tag: string; q: string };

export type DocumentListPageProps = {
  items: DocumentJson[];
  filters: DocumentFilters;
  facets: { categories: string[]; tags: string[] };
  moreHref: string | null;
  /** Set when the person may upload: the form token the upload script sends. */
  upload: { csrf: string | null; maxBytes: number } | null;
  streamUrl: string | null;
};

const statusOptions: Option[] = Object.entries(documentStatusLabels).map(([value, label]) => ({ value, label }));
const asOptions = (values: string[]): Option[] => values.map((value) => ({ value, label: value }));

/** /documents: the knowledge base's documents with their live status, and uploads by drag and drop. */
export function DocumentListPage(props: DocumentListPageProps) {
  const filtered = Object.values(props.filters).some((value) => value !== "");
  return (
    <article class="work-page documents-page">
      <header class="work-header">
        <div>
          <h1>Knowledge</h1>
          <p class="muted">Manuals, contracts and policies: searchable, and what the assistant answers from.</p>
        </div>
      </header>
      {props.upload ? <UploadZone csrf={props.upload.csrf} maxBytes={props.upload.maxBytes} /> : null}
      <form method="get" action="/documents" class="work-filters" aria-label="Filter documents">
        <SelectField label="Status" name="status" value={props.filters.status} options={statusOptions} blank="Any" />
        <SelectField
          label="Category"
          name="category"
          value={props.filters.category}
          options={asOptions(props.facets.categories)}
          blank="Any"
        />
        <SelectField
          label="Tag"
          name="tag"
          value={props.filters.tag}
          options={asOptions(props.facets.tags)}
          blank="Any"
        />
        <TextField label="Search" name="q" value={props.filters.q} placeholder="Title or file name…" maxlength={120} />
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <div id="documents-live" hx-sse:connect={props.streamUrl ?? undefined}>
        <DocumentList items={props.items} filtered={filtered} canUpload={props.upload !== null} />
      </div>
      {props.moreHref ? (
        <p>
          <a href={props.moreHref}>More documents</a>
        </p>
      ) : null}
    </article>
  );
}

/** Drop zone and file picker; static/documents.js uploads each file with its own progress bar. */
function UploadZone(props: { csrf: string | null; maxBytes: number }) {
  const limit = `${Math.round(props.maxBytes / 1024 / 1024)} MB`;
  return (
    <section
      class="upload-zone"
      id="document-upload"
      aria-labelledby="upload-heading"
      data-upload-url="/api/v1/documents"
      data-csrf={props.csrf ?? ""}
      data-max-bytes={String(props.maxBytes)}
    >
      <h2 id="upload-heading" class="visually-hidden">
        Upload documents
      </h2>
      <label class="upload-drop" for="upload-input">
        <span>
          <strong>Drop files here</strong> or <span class="upload-choose">choose files</span>
        </span>
        <small>PDF, text, Markdown, HTML, CSV or e-mail (.eml), up to {limit} each. Several at once are fine.</small>
        <input type="file" id="upload-input" name="file" multiple />
      </label>
      <noscript>
        <p class="muted">Uploading here needs JavaScript; integrators can use POST /api/v1/documents.</p>
      </noscript>
      <ul id="upload-progress" class="upload-progress" aria-live="polite" />
    </section>
  );
}
