import { recordAudit } from "../../audit/service.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { AppError } from "../../http/errors.ts";
import { beginMailOAuth, finishMailOAuth, type MailOAuthFlow } from "./connect.ts";
import type { GrantPurpose, OAuthEndpointOverrides } from "./endpoints.ts";
import { announceGrantChange } from "./events.ts";
import { deleteGrant, findGrant, grantKeyFor } from "./grants.ts";
import type { MailOAuthConnectInput } from "./schemas.ts";

/** What a connection needs beyond the request: the box's public address, and (tests) local endpoints. */
export type MailOAuthOptions = { baseUrl: string; endpoints?: OAuthEndpointOverrides };

function audit(ctx: ServiceContext, action: string, key: string, details: Record<string, unknown>) {
  recordAudit(ctx.db, {
    orgId: ctx.orgId,
    action,
    actorUserId: ctx.userId,
    actorApiKeyId: ctx.apiKeyId,
    targetType: "mail_oauth_grant",
    targetId: key,
    details,
    meta: ctx.meta,
  });
}

/**
 * Stores the app for the purpose's grant (the box's sending one, or this organisation's inbound
 * one) and answers where to send the browser, with the flow its callback must bring back.
 */
export function startMailOAuth(
  ctx: ServiceContext,
  purpose: GrantPurpose,
  input: MailOAuthConnectInput,
  options: MailOAuthOptions & { loginHint: string | null },
): { url: URL; flow: MailOAuthFlow } {
  const key = grantKeyFor(purpose, ctx.orgId);
  const orgId = purpose === "send" ? null : ctx.orgId;
  const store = { db: ctx.db, keyring: ctx.keyring, endpoints: options.endpoints };
  const begun = beginMailOAuth(store, { ...input, key, orgId, purpose, loginHint: options.loginHint }, options.baseUrl);
  audit(ctx, "mail.oauth_connect_started", key, { provider: input.provider, clientId: input.clientId });
  return begun;
}

/** Completes the connection the flow began; the grant must be the caller's to change (checked by the route). */
export async function completeMailOAuth(
  ctx: ServiceContext,
  flow: MailOAuthFlow,
  code: string,
  options: MailOAuthOptions,
): Promise<string | null> {
  const store = { db: ctx.db, keyring: ctx.keyring, endpoints: options.endpoints };
  const account = await finishMailOAuth(store, flow, code, options.baseUrl);
  audit(ctx, "mail.oauth_connected", flow.key, { provider: findGrant(ctx.db, flow.key)?.provider, account });
  announceGrantChange(flow.key);
  return account;
}

/** Forgets the purpose's grant and its tokens (the provider keeps its own record until the person revokes it there). */
export function disconnectMailOAuth(ctx: ServiceContext, purpose: GrantPurpose): void {
  const key = grantKeyFor(purpose, ctx.orgId);
  if (!deleteGrant(ctx.db, key)) throw new AppError("not_found", "No account is connected.");
  audit(ctx, "mail.oauth_disconnected", key, {});
  announceGrantChange(key);
}
