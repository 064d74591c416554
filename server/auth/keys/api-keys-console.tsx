/** @jsxImportSource hono/jsx */

import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiKeyRow, ApiKeysPage, type ApiKeysPageProps } from "../../../views/pages/settings/api-keys.tsx";
import { renderPage } from "../../console/render.tsx";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { type FormSpec, validateForm } from "../../http/validate-form.ts";
import { issueApiKey, listApiKeysPage, revokeApiKeyInOrganization } from "./api-key-management.ts";
import { type ApiKeyFormValues, apiKeyForm, apiKeyListQuery } from "./api-key-schemas.ts";
import { apiKeysPageProps, emptyForm } from "./console-props.ts";

/** A new key as typed; refused, the page shows the form again (the key's expiry is typed as a day). */
const keyForm: FormSpec<ApiKeyFormValues> = {
  values: (form) => ({ name: form.text("name"), scopes: form.list("scopes"), expiresOn: form.text("expiresOn") }),
  invalid: (c, values, refusal) => render(c, { values, errors: refusal.errors, created: null }, refusal.status),
  refusal: (error) => {
    if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
    const errors: Record<string, string> = {};
    for (const detail of error.details) errors[detail.path === "expiresAt" ? "expiresOn" : "scopes"] = detail.message;
    return { errors, status: 422 };
  },
};

/** Settings → API keys page: list, create (the key shown once), revoke. */
export const apiKeysConsole = new Hono<AppEnv>()
  .get("/", requirePermission("api_keys.manage"), (c) => render(c, { values: emptyForm, errors: {}, created: null }))
  .post("/", requirePermission("api_keys.manage"), validateForm(apiKeyForm, keyForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      const { view, key } = issueApiKey(serviceContext(c), {
        name: input.name,
        scopes: input.scopes,
        expiresAt: input.expiresOn ? new Date(`${input.expiresOn}T23:59:59.999Z`) : null,
      });
      return render(c, { values: emptyForm, errors: {}, created: { name: view.name, key } });
    } catch (error) {
      return refused(error);
    }
  })
  .post("/:id/revoke", requirePermission("api_keys.manage"), (c) => {
    const view = revokeApiKeyInOrganization(serviceContext(c), c.req.param("id"));
    if (isHtmxRequest(c)) return c.html(<ApiKeyRow apiKey={view} csrfToken={formCsrf(c)} />);
    return c.redirect("/settings/api-keys", 303);
  });

function render(
  c: Context<AppEnv>,
  form: Pick<ApiKeysPageProps, "values" | "errors" | "created">,
  status: ContentfulStatusCode = 200,
) {
  const ctx = serviceContext(c);
  const query = apiKeyListQuery.safeParse({ cursor: c.req.query("cursor") });
  const page = listApiKeysPage(ctx, query.success ? query.data : { limit: 50 });
  return renderPage(
    c,
    { title: "API keys", current: "/settings/users" },
    <ApiKeysPage {...apiKeysPageProps(c, form, page)} />,
    status,
  );
}
