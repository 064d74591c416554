/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../../components/csrf-field.tsx";
import { FormMessage } from "../../../pages/auth/form-parts.tsx";
import type { Option } from "./fields.tsx";

export type ProjectMembersProps = {
  projectId: string;
  members: { id: string; name: string; isOwner: boolean }[];
  /** People who could be added (not members yet). */
  candidates: Option[];
  canManage: boolean;
  csrf: string | null;
  error?: string | null;
  notice?: string | null;
};

/** The members section of a project page; also the fragment htmx swaps in after adding or removing someone. */
export function ProjectMembers(props: ProjectMembersProps) {
  const base = `/projects/${props.projectId}/members`;
  const swap = { "hx-target": "#project-members", "hx-swap": "outerHTML" };
  return (
    <section id="project-members" aria-labelledby="project-members-heading">
      <h2 id="project-members-heading">Members</h2>
      <FormMessage error={props.error} notice={props.notice} />
      {props.members.length === 0 ? (
        <p class="empty-state">
          No members yet.{props.canManage ? " Add the people who work on this project below." : ""}
        </p>
      ) : (
        <ul class="work-member-list">
          {props.members.map((member) => (
            <li id={`member-${member.id}`}>
              <span>
                {member.name}
                {member.isOwner ? <small class="muted"> (owner)</small> : null}
              </span>
              {props.canManage ? (
                <form
                  method="post"
                  action={`${base}/${member.id}/remove`}
                  hx-post={`${base}/${member.id}/remove`}
                  {...swap}
                >
                  <CsrfField token={props.csrf} />
                  <button type="submit" class="secondary outline compact" aria-label={`Remove ${member.name}`}>
                    Remove
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {props.canManage && props.candidates.length > 0 ? (
        <form method="post" action={base} hx-post={base} {...swap} class="work-inline-form">
          <CsrfField token={props.csrf} />
          <label>
            Add a member
            <select name="userId" required>
              {props.candidates.map((person) => (
                <option value={person.value}>{person.label}</option>
              ))}
            </select>
          </label>
          <button type="submit" class="secondary">
            Add
          </button>
        </form>
      ) : null}
    </section>
  );
}
