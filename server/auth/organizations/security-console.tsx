/** @jsxImportSource hono/jsx */

import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { securityPolicySchema } from "../../../models/security-policy.ts";
import {
  SecurityPolicyForm,
  SecurityPolicyPage,
  type SecurityPolicyProps,
} from "../../../views/pages/settings/security.tsx";
import { renderPage } from "../../console/render.tsx";
import { organizationSwitcher } from "../../console/settings-frame.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { type FormSpec, validateForm } from "../../http/validate-form.ts";
import { fields, securityPolicyProps } from "./console-props.ts";
import { updateSecurityPolicy } from "./security-policy.ts";

function render(
  c: Context<AppEnv>,
  state: Partial<SecurityPolicyProps>,
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  const props = securityPolicyProps(c, state);
  if (isHtmxRequest(c) && c.req.method === "POST") return c.html(<SecurityPolicyForm {...props} />, status);
  return renderPage(
    c,
    // The header marks Settings by its first page; the settings menu marks this section.
    { title: "Security policy", current: "/settings/users" },
    <SecurityPolicyPage {...props} switcher={organizationSwitcher(c)} />,
    status,
  );
}

/** Reads the form into a candidate policy; numbers stay numbers only when they are whole. */
function candidateFrom(values: Record<string, string>): Record<string, unknown> {
  const candidate: Record<string, unknown> = { twoFactorRequiredFor: values.twoFactorRequiredFor };
  for (const field of fields) {
    const text = (values[field.name] ?? "").trim();
    candidate[field.name] = text === "" ? (field.optional ? null : undefined) : Number(text);
  }
  return candidate;
}

const policyForm: FormSpec<Record<string, string>> = {
  values: (form) =>
    Object.fromEntries(
      ["twoFactorRequiredFor", ...fields.map((field) => field.name)].map((name) => [name, form.text(name)]),
    ),
  input: candidateFrom,
  // A number field's message names its range, whatever the schema said.
  fields: (details) => {
    const errors: Record<string, string> = {};
    for (const detail of details) {
      const name = detail.path.split(".")[0] || "form";
      const field = fields.find((candidate) => candidate.name === name);
      errors[name] ??= field ? `Enter a whole number from ${field.min} to ${field.max}.` : detail.message;
    }
    return errors;
  },
  invalid: (c, values, { errors, status }) => render(c, { values, errors }, status),
  refusal: (error) => {
    if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
    return { errors: Object.fromEntries(error.details.map((detail) => [detail.path, detail.message])), status: 422 };
  },
};

/** Settings → Security policy. */
export const securityConsole = new Hono<AppEnv>()
  .get("/", requirePermission("settings.manage"), (c) => render(c, {}))
  .post("/", requirePermission("settings.manage"), validateForm(securityPolicySchema, policyForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      updateSecurityPolicy(serviceContext(c), input);
    } catch (error) {
      return refused(error);
    }
    return render(c, { flash: { kind: "notice", text: "Security policy saved." } });
  });
