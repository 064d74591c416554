import type { Context } from "hono";
import type { ApiKeysPageProps } from "../../../views/pages/settings/api-keys.tsx";
import { organizationSwitcher } from "../../console/settings-frame.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import type { listApiKeysPage } from "./api-key-management.ts";
import type { ApiKeyFormValues } from "./api-key-schemas.ts";

/** The API keys page's props: a page of the organisation's keys, the new-key form, the key just made. */

export const emptyForm: ApiKeyFormValues = { name: "", scopes: ["workspace.read"], expiresOn: "" };

export function apiKeysPageProps(
  c: Context<AppEnv>,
  form: Pick<ApiKeysPageProps, "values" | "errors" | "created">,
  page: ReturnType<typeof listApiKeysPage>,
): ApiKeysPageProps {
  return {
    ...form,
    keys: page.data,
    olderHref: page.nextCursor ? `/settings/api-keys?cursor=${encodeURIComponent(page.nextCursor)}` : null,
    availableScopes: [...serviceContext(c).permissions],
    csrfToken: formCsrf(c),
    switcher: organizationSwitcher(c),
  };
}
