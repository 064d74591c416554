import { and, eq } from "drizzle-orm";
import { type GithubConnection, githubConnections } from "../../models/github.ts";
import { recordAudit } from "../audit/service.ts";
import { actorOf, type ServiceContext } from "../auth/sessions/context.ts";
import type { Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { decryptSecret, encryptSecret, type Keyring } from "../tools/secrets.ts";
import { fetchGithubLogin } from "./client.ts";
import type { ConnectGithubInput, GithubConnectionJson } from "./schemas.ts";

/** Binds a sealed token to its person and organisation (server/auth/secrets/secret-rotation.ts re-seals it). */
export const githubTokenContext = (orgId: string, userId: string) => `github.token:${orgId}:${userId}`;

type Person = { db: Queryable; orgId: string; userId: string };

export function findGithubConnection(person: Person): GithubConnection | null {
  return (
    person.db
      .select()
      .from(githubConnections)
      .where(and(eq(githubConnections.orgId, person.orgId), eq(githubConnections.userId, person.userId)))
      .get() ?? null
  );
}

/** The token in clear, for one request to GitHub; never logged or answered. */
export function githubTokenOf(keyring: Keyring, connection: GithubConnection): string {
  return decryptSecret(keyring, connection.tokenEncrypted, githubTokenContext(connection.orgId, connection.userId));
}

export function githubConnectionJson(connection: GithubConnection | null): GithubConnectionJson {
  return {
    connected: connection !== null,
    login: connection?.login ?? null,
    repositories: connection?.repositories ?? [],
    status: connection?.status ?? null,
    connectedAt: connection?.updatedAt.toISOString() ?? null,
  };
}

/**
 * Connects (or reconnects) the caller's GitHub account: the token is checked with `GET /user`,
 * then stored encrypted with the login it belongs to. A refused token is a 422 on `token`.
 */
export async function connectGithub(
  ctx: ServiceContext,
  input: ConnectGithubInput,
  apiUrl: string,
  now = new Date(),
): Promise<GithubConnection> {
  const login = await fetchGithubLogin(apiUrl, input.token);
  if (!login.ok && login.reason === "unauthorized") {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "token", message: "GitHub refused this token: check it, its expiry and its access to repositories." },
    ]);
  }
  if (!login.ok) throw new AppError("unavailable", `GitHub could not be asked about the token: ${login.message}`);
  const values = {
    login: login.value,
    tokenEncrypted: encryptSecret(ctx.keyring, input.token, githubTokenContext(ctx.orgId, ctx.userId)),
    repositories: [...new Set(input.repositories)],
    status: "connected" as const,
    updatedAt: now,
  };
  return ctx.db.transaction((tx) => {
    const row = tx
      .insert(githubConnections)
      .values({ orgId: ctx.orgId, userId: ctx.userId, ...values, createdAt: now })
      .onConflictDoUpdate({ target: [githubConnections.orgId, githubConnections.userId], set: values })
      .returning()
      .get();
    recordAudit(
      tx,
      {
        orgId: ctx.orgId,
        action: "github.connected",
        ...actorOf(ctx),
        targetType: "user",
        targetId: ctx.userId,
        details: { login: row.login, repositories: row.repositories.length },
        meta: ctx.meta,
      },
      now,
    );
    return row;
  });
}

/** Forgets the caller's token and login; answers whether there was one. */
export function disconnectGithub(ctx: ServiceContext, now = new Date()): boolean {
  return ctx.db.transaction((tx) => {
    const gone = tx
      .delete(githubConnections)
      .where(and(eq(githubConnections.orgId, ctx.orgId), eq(githubConnections.userId, ctx.userId)))
      .returning({ login: githubConnections.login })
      .get();
    if (gone) {
      recordAudit(
        tx,
        {
          orgId: ctx.orgId,
          action: "github.disconnected",
          ...actorOf(ctx),
          targetType: "user",
          targetId: ctx.userId,
          details: { login: gone.login },
          meta: ctx.meta,
        },
        now,
      );
    }
    return gone !== undefined;
  });
}

/** GitHub refused the stored token: the person is asked to reconnect, and it is not tried again until then. */
export function markGithubReconnect(person: Person, now = new Date()): void {
  person.db
    .update(githubConnections)
    .set({ status: "reconnect", updatedAt: now })
    .where(and(eq(githubConnections.orgId, person.orgId), eq(githubConnections.userId, person.userId)))
    .run();
}
