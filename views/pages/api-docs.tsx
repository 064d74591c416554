/** @jsxImportSource hono/jsx */

export type ApiReferenceField = {
  name: string;
  where: "path" | "query" | "header" | "body";
  type: string;
  required: boolean;
  notes: string;
};

export type ApiReferenceOperation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  permission: string | null;
  /** "Public", "Any signed-in caller", a permission name… */
  access: string;
  fields: ApiReferenceField[];
  responses: { status: string; description: string }[];
};

export type ApiReferenceGroup = { tag: string; anchor: string; operations: ApiReferenceOperation[] };

export type ApiDocsPageProps = {
  groups: ApiReferenceGroup[];
  version: string;
  baseUrl: string;
  documentUrl: string;
};

/** The readable API reference, rendered from the OpenAPI document: one section per tag. */
export function ApiDocsPage(props: ApiDocsPageProps) {
  const count = props.groups.reduce((sum, group) => sum + group.operations.length, 0);
  return (
    <article class="api-docs">
      <header>
        <h1>API reference</h1>
        <p>
          Version {props.version} · {count} operations · machine-readable:{" "}
          <a href={props.documentUrl}>
            <code>{props.documentUrl}</code>
          </a>{" "}
          (OpenAPI 3.1)
        </p>
        <p>
          Send an API key from Settings → API keys as <code>Authorization: Bearer obx_…</code>. JSON in and out; lists
          take <code>limit</code> and <code>cursor</code> and answer <code>{"{ data, nextCursor }"}</code>; errors
          answer <code>{'{ "error": { "code", "message", "requestId", "details" } }'}</code>.
        </p>
        <pre>
          <code>{`curl -H "Authorization: Bearer $OPSBOX_KEY" ${props.baseUrl}/api/v1/me`}</code>
        </pre>
        <nav aria-label="API sections" class="api-docs-toc">
          <ul>
            {props.groups.map((group) => (
              <li>
                <a href={`#${group.anchor}`}>{group.tag}</a> <small>({group.operations.length})</small>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {props.groups.map((group) => (
        <section id={group.anchor} aria-labelledby={`${group.anchor}-title`}>
          <h2 id={`${group.anchor}-title`}>{group.tag}</h2>
          {group.operations.map((operation) => (
            <Operation operation={operation} />
          ))}
        </section>
      ))}
    </article>
  );
}

function Operation(props: { operation: ApiReferenceOperation }) {
  const op = props.operation;
  return (
    <details class="api-op" id={op.id}>
      <summary>
        <span class={`api-method api-method-${op.method.toLowerCase()}`}>{op.method}</span> <code>{op.path}</code>{" "}
        <span class="api-op-summary">{op.summary}</span>
      </summary>
      <dl class="api-op-meta">
        <dt>Access</dt>
        <dd>{op.permission ? <code>{op.permission}</code> : op.access}</dd>
      </dl>
      {(op.description ? op.description.split(/\n\n+/) : []).map((paragraph) => (
        <p>
          <InlineCode text={paragraph} />
        </p>
      ))}
      {op.fields.length > 0 ? <Fields fields={op.fields} /> : <p class="api-none">No parameters.</p>}
      <h4>Responses</h4>
      <ul class="api-responses">
        {op.responses.map((response) => (
          <li>
            <code>{response.status}</code> <InlineCode text={response.description} />
          </li>
        ))}
      </ul>
    </details>
  );
}

function Fields(props: { fields: ApiReferenceField[] }) {
  return (
    <div class="overflow-auto">
      <table class="api-fields">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">In</th>
            <th scope="col">Type</th>
            <th scope="col">Required</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {props.fields.map((field) => (
            <tr>
              <td>
                <code>{field.name}</code>
              </td>
              <td>{field.where}</td>
              <td>
                <code>{field.type}</code>
              </td>
              <td>{field.required ? "yes" : ""}</td>
              <td>
                <InlineCode text={field.notes} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `backticks` in descriptions become <code>; everything else stays text (escaped by JSX). */
function InlineCode(props: { text: string }) {
  const parts = props.text.split("`");
  return <>{parts.map((part, index) => (index % 2 === 1 ? <code>{part}</code> : part))}</>;
}
