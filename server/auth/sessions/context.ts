import type { ApiKey, Session, User } from "../../../models/identity.ts";
import type { RequestMeta } from "../../audit/service.ts";
import type { Db } from "../../db.ts";
import type { Logger } from "../../http/logger.ts";
import type { Keyring } from "../../tools/secrets.ts";
import type { Permission } from "../roles/permissions.ts";
import type { ResolvedMembership } from "../roles/roles.ts";

/** Who is calling and what they may do, resolved once per request by authenticate(). */
export type Auth = {
  via: "session" | "api_key";
  user: User;
  /** The organisation the caller works in now, with their role there; null if they belong to none. */
  membership: ResolvedMembership | null;
  /** For a session: the role's permissions. For a key: its scopes within the owner's role. */
  permissions: ReadonlySet<Permission>;
  session: Session | null;
  apiKey: ApiKey | null;
  /** What the session still owes before anything else answers. */
  pending: null | "two_factor" | "two_factor_enrolment";
};

/** What every service function takes first. The organisation always comes from here, never from input. */
export type ServiceContext = {
  db: Db;
  log: Logger;
  keyring: Keyring;
  orgId: string;
  userId: string;
  apiKeyId: string | null;
  permissions: ReadonlySet<Permission>;
  meta: RequestMeta;
  /** Never set for a person: it tells an AgentContext apart. */
  agentId?: undefined;
};

/**
 * An agent at work in one organisation (server/agents/): it holds only the permissions its
 * definition names, and what it changes is recorded as the agent, never as a person.
 */
export type AgentContext = Omit<ServiceContext, "userId" | "apiKeyId" | "agentId"> & {
  agentId: string;
  userId: null;
  apiKeyId: null;
};

/** Whoever acts through a service that agents use too: a person (or their key), or an agent. */
export type ActorContext = ServiceContext | AgentContext;

/** Who to write into an audit entry or a record's history. */
export function actorOf(ctx: ActorContext): {
  actorUserId: string | null;
  actorApiKeyId: string | null;
  actorAgentId: string | null;
} {
  return { actorUserId: ctx.userId, actorApiKeyId: ctx.apiKeyId, actorAgentId: ctx.agentId ?? null };
}
