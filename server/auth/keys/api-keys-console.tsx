/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiKeyRow, ApiKeysPage, type ApiKeysPageProps } from "../../../views/pages/settings/api-keys.tsx";
import { renderPage } from "../../console/render.tsx";
import { organizationSwitcher } from "../../console/settings-frame.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { issueApiKey, listApiKeysPage, revokeApiKeyInOrganization } from "./api-key-management.ts";
import { type ApiKeyFormValues, apiKeyForm, apiKeyListQuery } from "./api-key-schemas.ts";

const emptyForm: ApiKeyFormValues = { name: "", scopes: ["workspace.read"], expiresOn: "" };

/** Settings → API keys page: list, create (the key shown once), revoke. */
export const apiKeysConsole = new Hono<AppEnv>()
  .get("/", requirePermission("api_keys.manage"), (c) => render(c, { values: emptyForm, errors: {}, created: null }))
  .post("/", requirePermission("api_keys.manage"), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const values = formValuesOf(body);
    const parsed = apiKeyForm.safeParse(body);
    if (!parsed.success) {
      const errors: ApiKeysPageProps["errors"] = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as keyof ApiKeyFormValues;
        errors[field] ??= issue.message;
      }
      return render(c, { values, errors, created: null }, 422);
    }
    try {
      const { view, key } = issueApiKey(serviceContext(c), {
        name: parsed.data.name,
        scopes: parsed.data.scopes,
        expiresAt: parsed.data.expiresOn ? new Date(`${parsed.data.expiresOn}T23:59:59.999Z`) : null,
      });
      return render(c, { values: emptyForm, errors: {}, created: { name: view.name, key } });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
      const errors: ApiKeysPageProps["errors"] = {};
      for (const detail of error.details) errors[detail.path === "expiresAt" ? "expiresOn" : "scopes"] = detail.message;
      return render(c, { values, errors, created: null }, 422);
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
  const props: ApiKeysPageProps = {
    ...form,
    keys: page.data,
    olderHref: page.nextCursor ? `/settings/api-keys?cursor=${encodeURIComponent(page.nextCursor)}` : null,
    availableScopes: [...ctx.permissions],
    csrfToken: formCsrf(c),
    switcher: organizationSwitcher(c),
  };
  return renderPage(c, { title: "API keys", current: "/settings/users" }, <ApiKeysPage {...props} />, status);
}

function formValuesOf(body: Record<string, string | File | (string | File)[]>): ApiKeyFormValues {
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const scopes = body.scopes;
  return {
    name: text(body.name),
    scopes: (Array.isArray(scopes) ? scopes : scopes === undefined ? [] : [scopes]).map(text),
    expiresOn: text(body.expiresOn),
  };
}
