import type { Context } from "hono";
import type { InboundMailProps, InboundMailValues } from "../../views/pages/settings/inbound-mail.tsx";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";
import { type MailOAuthFormState, mailOAuthSectionProps } from "../mail/oauth/console-props.ts";
import { findInbox, inboundMailJsonOf } from "./settings.ts";

/** The page's props: the stored mailbox (or what was typed, when refused) and its state. */
export function inboundMailProps(
  c: Context<AppEnv>,
  state: Partial<Pick<InboundMailProps, "values" | "errors" | "flash">> & { oauth?: MailOAuthFormState },
): InboundMailProps {
  const ctx = serviceContext(c);
  const json = inboundMailJsonOf(ctx.db, ctx.orgId, findInbox(ctx.db, ctx.orgId));
  const stored: InboundMailValues = {
    enabled: json.configured ? json.enabled : true,
    address: json.address ?? "",
    host: json.host ?? "",
    port: json.port === null ? "993" : String(json.port),
    security: json.security,
    authMethod: json.authMethod,
    username: json.username ?? "",
    folder: json.folder,
    deleteAfterImport: json.deleteAfterImport,
  };
  return {
    values: state.values ?? stored,
    errors: state.errors ?? {},
    flash: state.flash ?? null,
    csrf: formCsrf(c),
    passwordSet: json.passwordSet,
    status: json.status,
    oauth: mailOAuthSectionProps(c, "inbound", { canChange: true, orgId: ctx.orgId, form: state.oauth }),
  };
}
