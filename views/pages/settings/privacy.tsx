/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";
import type { Flash } from "./users-types.ts";

export type RetentionProps = {
  dataRetentionDays: number | null;
  cutoff: string | null;
  counts: { closedTasks: number; timeEntries: number; documents: number };
  confirmedAt: string | null;
  active: boolean;
  flash: Flash | null;
  csrf: string | null;
};

const kindLabels = { closedTasks: "Closed tasks", timeEntries: "Time entries", documents: "Documents" } as const;

/** Settings → Personal data: what data retention deletes, and the admin's go-ahead. */
export function PrivacySettingsPage(props: RetentionProps & { switcher: OrganizationSwitcherProps }) {
  return (
    <SettingsFrame current="/settings/privacy" switcher={props.switcher}>
      <RetentionSection {...props} />
    </SettingsFrame>
  );
}

export function RetentionSection(props: RetentionProps) {
  return (
    <div id="retention">
      <header>
        <h1>Personal data</h1>
        <p>
          Export or erase a person from <a href="/settings/users">Users and roles</a> (“Personal data” beside each
          member). Below: data retention, set by the security policy.
        </p>
      </header>
      {props.flash ? (
        <FormMessage
          error={props.flash.kind === "error" ? props.flash.text : null}
          notice={props.flash.kind === "notice" ? props.flash.text : null}
        />
      ) : null}
      <h2>Data retention</h2>
      {props.dataRetentionDays === null ? (
        <p>
          The <a href="/settings/security">security policy</a> keeps records until someone deletes them: nothing is
          deleted automatically.
        </p>
      ) : (
        <>
          <p>
            Records are kept {props.dataRetentionDays} days. Past that (before {props.cutoff?.slice(0, 10)}), a daily
            job deletes these; invoices, customers, approvals and the audit log are kept.
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Past retention now</th>
              </tr>
            </thead>
            <tbody>
              {(Object.keys(kindLabels) as (keyof typeof kindLabels)[]).map((kind) => (
                <tr>
                  <td>{kindLabels[kind]}</td>
                  <td data-kind={kind}>{props.counts[kind]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {props.active ? (
            <p>Confirmed {props.confirmedAt?.slice(0, 10)}: the daily job deletes these.</p>
          ) : (
            <form
              method="post"
              action="/settings/privacy/retention"
              hx-post="/settings/privacy/retention"
              hx-target="#retention"
              hx-swap="outerHTML"
            >
              <CsrfField token={props.csrf} />
              <input type="hidden" name="dataRetentionDays" value={String(props.dataRetentionDays)} />
              <p>
                Nothing is deleted until you confirm this preview (again after each change of the retention period).
              </p>
              <button type="submit" class="danger">
                Start deleting records past {props.dataRetentionDays} days
              </button>
            </form>
          )}
        </>
      )}
    </div>
  );
}

export type ErasePersonProps = {
  person: { id: string; name: string; email: string };
  members: { id: string; name: string }[];
  values: { uploads: string; reassignTo: string };
  errors: Record<string, string>;
  /** Set once the person is erased: the page shows only this. */
  done: string | null;
  csrf: string | null;
};

/** A member's personal data: download it, or erase the person. */
export function PersonPrivacyPage(props: ErasePersonProps & { switcher: OrganizationSwitcherProps }) {
  return (
    <SettingsFrame current="/settings/privacy" switcher={props.switcher}>
      <PersonPrivacy {...props} />
    </SettingsFrame>
  );
}

export function PersonPrivacy(props: ErasePersonProps) {
  const base = `/settings/privacy/people/${props.person.id}`;
  if (props.done) {
    return (
      <div id="person-privacy">
        <FormMessage notice={props.done} error={null} />
        <p>
          <a href="/settings/users">Back to Users and roles</a>
        </p>
      </div>
    );
  }
  return (
    <div id="person-privacy">
      <h1>Personal data of {props.person.name}</h1>
      <p>{props.person.email}</p>
      <h2>Export</h2>
      <div>
        <form method="get" action={`${base}/export`}>
          <button type="submit" class="secondary">
            Download their data (zip)
          </button>
        </form>
      </div>
      <h2>Erase</h2>
      <form
        method="post"
        action={`${base}/erase`}
        hx-post={`${base}/erase`}
        hx-target="#person-privacy"
        hx-swap="outerHTML"
      >
        <CsrfField token={props.csrf} />
        <FormMessage error={props.errors.form ?? null} notice={null} />
        <p>
          Their sessions, API keys, timers and assistant conversations here are deleted; tasks, time, approvals,
          invoices and the audit log are kept under a pseudonym such as “Erased person 7F3K”. If they belong to
          organisations you do not manage, their account lives on there.
        </p>
        <fieldset>
          <legend>Their uploaded documents</legend>
          <label>
            <input type="radio" name="uploads" value="delete" checked={props.values.uploads === "delete"} /> Delete them
          </label>
          <label>
            <input type="radio" name="uploads" value="reassign" checked={props.values.uploads === "reassign"} /> Give
            them to
            <select name="reassignTo" aria-invalid={props.errors.reassignTo ? "true" : undefined}>
              <option value="">Choose a member</option>
              {props.members.map((member) => (
                <option value={member.id} selected={member.id === props.values.reassignTo}>
                  {member.name}
                </option>
              ))}
            </select>
          </label>
          {props.errors.reassignTo || props.errors.uploads ? (
            <small>{props.errors.reassignTo ?? props.errors.uploads}</small>
          ) : null}
        </fieldset>
        <button type="submit" class="danger">
          Erase {props.person.name}
        </button>
      </form>
    </div>
  );
}
