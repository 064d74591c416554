import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns.ts";
import { users } from "./identity.ts";
import { orgId } from "./org-column.ts";

export const githubConnectionStatuses = ["connected", "reconnect"] as const;
export type GithubConnectionStatus = (typeof githubConnectionStatuses)[number];

/**
 * A person's GitHub account in one organisation, so the timesheet drafter can read their commits.
 * The personal access token is stored only encrypted (server/tools/secrets.ts, context
 * `github.token:<org>:<user>`) and never shown again; `reconnect` once GitHub refused it.
 */
export const githubConnections = sqliteTable(
  "github_connections",
  {
    orgId: orgId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The GitHub login the token belongs to, as `GET /user` answered. */
    login: text("login").notNull(),
    tokenEncrypted: text("token_encrypted").notNull(),
    /** `owner/repo` names to read; empty: every repository the token can see. */
    repositories: text("repositories", { mode: "json" }).$type<string[]>().notNull(),
    status: text("status", { enum: githubConnectionStatuses }).notNull().default("connected"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.userId] })],
);
export type GithubConnection = typeof githubConnections.$inferSelect;
