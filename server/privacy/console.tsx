/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  type ErasePersonProps,
  PersonPrivacy,
  PersonPrivacyPage,
  PrivacySettingsPage,
  type RetentionProps,
  RetentionSection,
} from "../../views/pages/settings/privacy.tsx";
import { personName, personOrNotFound } from "../auth/people/users.ts";
import { renderPage } from "../console/render.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { requireAuth, requirePermission, serviceContext } from "../http/guards.ts";
import { isHtmxRequest } from "../http/htmx.ts";
import { type FormSpec, validateForm } from "../http/validate-form.ts";
import { listMembers } from "../members/directory.ts";
import { retentionJson, zipDownload } from "./api.ts";
import { erasePerson } from "./erasure.ts";
import { exportPersonZip } from "./exports.ts";
import { confirmRetention, previewRetention } from "./retention.ts";
import { confirmRetentionInput, eraseInput } from "./schemas.ts";

type Ctx = Context<AppEnv>;

function renderRetention(c: Ctx, flash: RetentionProps["flash"] = null, status: ContentfulStatusCode = 200) {
  const props: RetentionProps = {
    ...retentionJson(previewRetention(c.var.deps.db, serviceContext(c).orgId)),
    flash,
    csrf: formCsrf(c),
  };
  if (isHtmxRequest(c) && c.req.method === "POST") return c.html(<RetentionSection {...props} />, status);
  return renderPage(
    c,
    { title: "Personal data", current: "/settings/users" },
    <PrivacySettingsPage {...props} switcher={organizationSwitcher(c)} />,
    status,
  );
}

function renderPerson(c: Ctx, state: Partial<ErasePersonProps>, status: ContentfulStatusCode = 200) {
  const ctx = serviceContext(c);
  const id = c.req.param("id") ?? "";
  const person = personOrNotFound(ctx, id);
  const props: ErasePersonProps = {
    person: { id, name: personName(person), email: person.user.email },
    members: listMembers(ctx.db, ctx.orgId).filter((member) => member.id !== id),
    values: state.values ?? { uploads: "reassign", reassignTo: ctx.userId },
    errors: state.errors ?? {},
    done: state.done ?? null,
    csrf: formCsrf(c),
  };
  if (isHtmxRequest(c) && c.req.method === "POST") return c.html(<PersonPrivacy {...props} />, status);
  return renderPage(
    c,
    { title: "Personal data", current: "/settings/users" },
    <PersonPrivacyPage {...props} switcher={organizationSwitcher(c)} />,
    status,
  );
}

type EraseValues = { uploads: string; reassignTo: string };
const eraseForm: FormSpec<EraseValues> = {
  values: (form) => ({ uploads: form.text("uploads"), reassignTo: form.text("reassignTo") }),
  input: (values) => (values.uploads === "reassign" ? values : { uploads: values.uploads }),
  invalid: (c, values, { errors, status }) => renderPerson(c, { values, errors }, status),
  refusal: (error) => {
    if (!(error instanceof AppError) || !["conflict", "forbidden", "validation_failed"].includes(error.code))
      throw error;
    const detail = error.details[0];
    return {
      errors: detail ? { [detail.path]: detail.message } : { form: error.message },
      status: error.status as ContentfulStatusCode,
    };
  },
};

const retentionForm: FormSpec<{ dataRetentionDays: string }> = {
  values: (form) => ({ dataRetentionDays: form.text("dataRetentionDays") }),
  invalid: (c, _values, { errors, status }) =>
    renderRetention(c, { kind: "error", text: Object.values(errors)[0] ?? "The request is not valid." }, status),
};

/** Settings → Personal data (/settings/privacy): retention, and each member's export and erasure. */
export const privacyConsole = new Hono<AppEnv>()
  .get("/", requirePermission("settings.manage"), (c) => renderRetention(c))
  .post("/retention", requirePermission("settings.manage"), validateForm(confirmRetentionInput, retentionForm), (c) => {
    try {
      confirmRetention(serviceContext(c), c.req.valid("form").input.dataRetentionDays);
      return renderRetention(c, {
        kind: "notice",
        text: "Confirmed: the daily job now deletes records past retention.",
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "conflict") throw error;
      return renderRetention(c, { kind: "error", text: error.message }, 409);
    }
  })
  .get("/people/:id", requirePermission("users.manage"), (c) => renderPerson(c, {}))
  .get("/people/:id/export", requirePermission("users.manage"), (c) =>
    zipDownload(c, exportPersonZip(serviceContext(c), c.var.deps.config.dataDir, c.req.param("id"))),
  )
  .post("/people/:id/erase", requirePermission("users.manage"), validateForm(eraseInput, eraseForm), (c) => {
    const { input, refused } = c.req.valid("form");
    const ctx = serviceContext(c);
    const person = personOrNotFound(ctx, c.req.param("id"));
    try {
      const erasure = erasePerson(ctx, c.var.deps.config.dataDir, person.user.id, input);
      const where =
        erasure.scope === "account"
          ? "Their account was deleted."
          : "Their account lives on in their other organisations.";
      return c.html(
        <PersonPrivacy
          person={{ id: person.user.id, name: erasure.pseudonym, email: "" }}
          members={[]}
          values={{ uploads: "", reassignTo: "" }}
          errors={{}}
          csrf={null}
          done={`${personName(person)} was erased; this organisation's records now say “${erasure.pseudonym}”. ${where}`}
        />,
      );
    } catch (error) {
      return refused(error);
    }
  });

/** GET /account/export: the signed-in person's own download, from their profile page. */
export const myExportConsole = new Hono<AppEnv>().get("/", requireAuth(), (c) => {
  const ctx = serviceContext(c);
  return zipDownload(c, exportPersonZip(ctx, c.var.deps.config.dataDir, ctx.userId));
});
