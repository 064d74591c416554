/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import type { PersonRow, RoleOption, UsersSettingsProps } from "./users-types.ts";

const statusLabels: Record<PersonRow["status"], string> = {
  invited: "Invited",
  active: "Active",
  deactivated: "Deactivated",
};

/** htmx attributes of every form in the section: the answer replaces the page's content block. */
const swap = { "hx-target": "#users-settings", "hx-swap": "outerHTML" };
/** Links get the whole page and keep only that block. */
const swapFromPage = { ...swap, "hx-select": "#users-settings" };

function formatUtc(date: Date | null): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : "Never";
}

/** The organisation's people: role, status, last sign-in, and what an admin can do to each. */
export function PeopleSection(props: UsersSettingsProps) {
  return (
    <section aria-labelledby="people-heading">
      <h2 id="people-heading">People</h2>
      <div class="overflow-auto">
        <table class="people">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.people.map((person) => (
              <PersonTableRow
                person={person}
                roles={props.roles}
                self={person.id === props.currentUserId}
                confirming={
                  props.confirmDeactivateId === person.id
                    ? "deactivate"
                    : props.confirmRemoveId === person.id
                      ? "remove"
                      : null
                }
                csrf={props.csrf}
              />
            ))}
          </tbody>
        </table>
      </div>
      {props.nextHref ? (
        <p>
          <a href={props.nextHref}>More people</a>
        </p>
      ) : null}
    </section>
  );
}

function PersonTableRow(props: {
  person: PersonRow;
  roles: RoleOption[];
  self: boolean;
  confirming: "deactivate" | "remove" | null;
  csrf: string | null;
}) {
  const { person } = props;
  const base = `/settings/users/${person.id}`;
  return (
    <tr id={`person-${person.id}`} data-status={person.status}>
      <td>
        <strong>{person.name}</strong>
        {props.self ? <small class="muted"> (you)</small> : null}
        <br />
        <small>{person.email}</small>
      </td>
      <td>
        {person.status === "deactivated" ? (
          person.roleLabel
        ) : (
          <form class="role-form" method="post" action={`${base}/role`} hx-post={`${base}/role`} {...swap}>
            <CsrfField token={props.csrf} />
            <select name="role" aria-label={`Role of ${person.name}`}>
              {props.roles.map((role) => (
                <option value={role.id} selected={role.id === person.role}>
                  {role.label}
                </option>
              ))}
            </select>
            <button type="submit" class="secondary outline compact">
              Change
            </button>
          </form>
        )}
      </td>
      <td>
        <span class={`status status-${person.status}`}>{statusLabels[person.status]}</span>
        {person.twoFactorEnabled ? <small class="muted"> · 2FA</small> : null}
      </td>
      <td>{formatUtc(person.lastSignInAt)}</td>
      <td>
        {props.confirming === "deactivate" ? (
          <ConfirmDeactivate person={person} csrf={props.csrf} />
        ) : props.confirming === "remove" ? (
          <ConfirmRemove person={person} csrf={props.csrf} />
        ) : (
          <PersonActions person={person} self={props.self} csrf={props.csrf} />
        )}
      </td>
    </tr>
  );
}

function PersonActions(props: { person: PersonRow; self: boolean; csrf: string | null }) {
  const base = `/settings/users/${props.person.id}`;
  const remove = props.self ? null : (
    <form method="get" action={`${base}/remove`} hx-get={`${base}/remove`} {...swapFromPage}>
      <button
        type="submit"
        class="secondary outline compact"
        aria-label={`${props.person.status === "invited" ? "Withdraw the invitation of" : "Remove"} ${props.person.name}`}
      >
        {props.person.status === "invited" ? "Withdraw" : "Remove"}
      </button>
    </form>
  );
  const privacy =
    props.self || props.person.status === "invited" ? null : (
      <form method="get" action={`/settings/privacy/people/${props.person.id}`}>
        <button type="submit" class="secondary outline compact" aria-label={`Personal data of ${props.person.name}`}>
          Personal data
        </button>
      </form>
    );
  if (props.person.status === "deactivated") {
    return (
      <div class="row-actions">
        {privacy}
        <form method="post" action={`${base}/reactivate`} hx-post={`${base}/reactivate`} {...swap}>
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary outline compact">
            Reactivate
          </button>
        </form>
        {remove}
      </div>
    );
  }
  return (
    <div class="row-actions">
      {props.person.status === "invited" ? (
        <form method="post" action={`${base}/resend`} hx-post={`${base}/resend`} {...swap}>
          <CsrfField token={props.csrf} />
          <button
            type="submit"
            class="secondary outline compact"
            aria-label={`Resend the invitation of ${props.person.name}`}
          >
            Resend
          </button>
        </form>
      ) : null}
      {props.self || props.person.status === "invited" ? null : (
        <form method="get" action={`${base}/deactivate`} hx-get={`${base}/deactivate`} {...swapFromPage}>
          <button type="submit" class="secondary outline compact">
            Deactivate
          </button>
        </form>
      )}
      {privacy}
      {remove}
    </div>
  );
}

/** The confirm step of taking someone out of this organisation: their account lives on elsewhere. */
function ConfirmRemove(props: { person: PersonRow; csrf: string | null }) {
  const base = `/settings/users/${props.person.id}`;
  const invited = props.person.status === "invited";
  return (
    <form class="confirm-deactivate" method="post" action={`${base}/remove`} hx-post={`${base}/remove`} {...swap}>
      <CsrfField token={props.csrf} />
      <p>
        {invited
          ? `Withdraw the invitation of ${props.person.name}? Their link stops working.`
          : `Remove ${props.person.name} from this organisation? Their sessions here end, their API keys for this organisation stop working and they leave its teams and projects. Their work stays; their account lives on in any other organisation.`}
      </p>
      <button type="submit" class="danger compact">
        {invited ? "Yes, withdraw" : "Yes, remove"}
      </button>
      <button type="button" class="secondary outline compact" hx-get="/settings/users" {...swapFromPage}>
        Cancel
      </button>
    </form>
  );
}

/** The confirm step: what deactivation does, then the button that does it. */
function ConfirmDeactivate(props: { person: PersonRow; csrf: string | null }) {
  const base = `/settings/users/${props.person.id}`;
  return (
    <form
      class="confirm-deactivate"
      method="post"
      action={`${base}/deactivate`}
      hx-post={`${base}/deactivate`}
      {...swap}
    >
      <CsrfField token={props.csrf} />
      <p>Deactivate {props.person.name}? They are signed out everywhere and their API keys stop working.</p>
      <button type="submit" class="danger compact">
        Yes, deactivate
      </button>
      <button type="button" class="secondary outline compact" hx-get="/settings/users" {...swapFromPage}>
        Cancel
      </button>
    </form>
  );
}
