/** @jsxImportSource hono/jsx */

import { formatDay } from "../../../../server/tools/days.ts";
import { documentHref } from "../../../../server/tools/document-links.ts";
import type { EquipmentJson } from "../../../../server/work/equipment/schemas.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import { EquipmentStatusBadge, Warranty } from "../../../partials/work/equipment/warranty.tsx";
import type { Option } from "../../../partials/work/projects/fields.tsx";

export type EquipmentPageProps = {
  item: EquipmentJson;
  /** The linked projects, by code. */
  projects: { id: string; code: string; name: string }[];
  /** Projects that could still be linked. */
  linkable: Option[];
  canManage: boolean;
  /** Whether the person may ask the assistant (about this equipment's manuals). */
  canAsk: boolean;
  csrf: string | null;
  today: string;
};

/** /equipment/{id}: one machine, vehicle or tool with its projects and its manuals. */
export function EquipmentPage(props: EquipmentPageProps) {
  const { item } = props;
  const base = `/equipment/${item.id}`;
  return (
    <article class="work-page equipment-page">
      <header class="work-header">
        <div>
          <p class="work-breadcrumbs">
            <a href="/equipment">Equipment</a>
            {item.type ? ` / ${item.type}` : ""}
          </p>
          <h1>
            {item.name} <EquipmentStatusBadge status={item.status} />
          </h1>
        </div>
        {props.canManage ? (
          <div class="work-actions">
            <a class="link-button" href={`${base}/edit`}>
              Edit
            </a>
            <form
              method="post"
              action={`${base}/delete`}
              hx-post={`${base}/delete`}
              hx-confirm={`Delete “${item.name}”? Its project links go with it.`}
              class="work-inline-form"
            >
              <CsrfField token={props.csrf} />
              <button type="submit" class="secondary outline">
                Delete
              </button>
            </form>
          </div>
        ) : null}
      </header>
      <dl class="work-facts">
        <Fact label="Manufacturer" value={item.manufacturer} />
        <Fact label="Model" value={item.model} />
        <Fact label="Serial number" value={item.serialNumber} />
        <Fact label="Location" value={item.location} />
        <Fact label="Purchased" value={item.purchaseDate ? formatDay(item.purchaseDate) : ""} />
        <div>
          <dt>Warranty ends</dt>
          <dd>
            <Warranty warrantyEnd={item.warrantyEnd} today={props.today} />
          </dd>
        </div>
      </dl>
      {item.notes ? <p class="work-description">{item.notes}</p> : null}
      <section aria-labelledby="equipment-projects-heading">
        <h2 id="equipment-projects-heading">Projects</h2>
        {props.projects.length === 0 ? <p class="empty-state">Not linked to any project.</p> : null}
        <ul class="work-member-list">
          {props.projects.map((project) => (
            <li>
              <span>
                <a href={`/projects/${project.id}`}>{project.name}</a> <code>{project.code}</code>
              </span>
              {props.canManage ? (
                <form
                  method="post"
                  action={`${base}/projects/${project.id}/remove`}
                  hx-post={`${base}/projects/${project.id}/remove`}
                >
                  <CsrfField token={props.csrf} />
                  <button type="submit" class="secondary outline compact" aria-label={`Unlink ${project.name}`}>
                    Unlink
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
        {props.canManage && props.linkable.length > 0 ? (
          <form method="post" action={`${base}/projects`} hx-post={`${base}/projects`} class="work-inline-form">
            <CsrfField token={props.csrf} />
            <label>
              Link to a project
              <select name="projectId" required>
                {props.linkable.map((option) => (
                  <option value={option.value}>{option.label}</option>
                ))}
              </select>
            </label>
            <button type="submit" class="secondary">
              Link
            </button>
          </form>
        ) : null}
      </section>
      <section aria-labelledby="equipment-manuals-heading">
        <h2 id="equipment-manuals-heading">Manuals</h2>
        {props.canAsk ? (
          <p>
            <a class="link-button secondary" href={`/ask?equipmentId=${encodeURIComponent(item.id)}`}>
              Ask about this equipment
            </a>
          </p>
        ) : null}
        {item.manuals.length === 0 ? (
          <p class="empty-state">
            No manuals yet. Upload one under <a href="/documents">Knowledge</a> and link it to this equipment.
          </p>
        ) : (
          <ul class="work-member-list">
            {item.manuals.map((manual) => (
              <li>
                <a href={documentHref(manual.id)}>{manual.title}</a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
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
