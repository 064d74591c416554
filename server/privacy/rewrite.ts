import { sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import { users } from "../../models/identity.ts";
import type { Queryable } from "../db.ts";
import { totalsTables, type WalkedTable, walkedTables } from "./tables.ts";

/**
 * Tables the rewrite leaves alone: running totals (their triggers follow the rows they count;
 * rewriting them too would count twice), a document's own text (the business's content, not a
 * record about a person), and the person's own access rows (deleted before the rewrite).
 */
const untouched = new Set([
  ...totalsTables,
  "document_chunks",
  "document_pages",
  "sessions",
  "api_keys",
  "email_tokens",
  "memberships",
  "membership_invitations",
]);

/** Where a person's name is written out in text kept for history (summaries, audit details, titles). */
const nameColumns: Record<string, readonly string[]> = {
  domain_events: ["summary", "data"],
  audit_events: ["details"],
  approval_requests: ["title", "details"],
  mail_messages: ["subject", "text_body"],
  notifications: ["title"],
  mail_inbound_messages: ["from_name", "subject"],
};

const rewritable = walkedTables.filter((table) => table.hasOrgId && !untouched.has(table.name));

function replaceIn(db: Queryable, table: WalkedTable, column: string, orgId: string | null, from: string, to: string) {
  const scope = orgId === null ? sql`org_id is null` : sql`org_id = ${orgId}`;
  const name = sql.identifier(table.name);
  const col = sql.identifier(column);
  db.run(
    sql`update ${name} set ${col} = replace(${col}, ${from}, ${to}) where ${scope} and instr(${col}, ${from}) > 0`,
  );
}

/**
 * Rewrites `from` as `to` in every text column (ids, JSON, free text) of one organisation's
 * rows (`null`: the rows of the whole box). Ids are unique strings and e-mail addresses are
 * unmistakable, so a plain replace is exact for them.
 */
export function replaceEverywhere(db: Queryable, orgId: string | null, from: string, to: string): void {
  for (const table of rewritable) {
    for (const column of table.textColumns) {
      if (column === "id" || column === "org_id") continue;
      replaceIn(db, table, column, orgId, from, to);
    }
  }
}

/**
 * Rewrites a person's name where history spelled it out. Only these columns: a name is a common
 * word elsewhere ("Rose", "Mark"), where rewriting it would damage other text.
 */
export function replaceName(db: Queryable, orgId: string | null, name: string, to: string): void {
  // One or two letters would match inside too many words.
  if (name.trim().length < 3) return;
  for (const table of rewritable) {
    for (const column of nameColumns[table.name] ?? []) replaceIn(db, table, column, orgId, name, to);
  }
}

/** The columns that point at an account (foreign keys to users.id), per table with an org_id. */
const accountReferences = walkedTables.flatMap((table) => {
  if (!table.hasOrgId) return [];
  return getTableConfig(table.table).foreignKeys.flatMap((foreignKey) => {
    const reference = foreignKey.reference();
    if (reference.foreignTable !== users) return [];
    return reference.columns.map((column) => ({ table: table.name, column: column.name }));
  });
});

/** Every organisation whose rows point at the account (present and former organisations alike). */
export function organizationsReferencing(db: Queryable, userId: string): string[] {
  const found = new Set<string>();
  for (const reference of accountReferences) {
    const rows = db.all<{ org_id: string }>(
      sql`select distinct org_id from ${sql.identifier(reference.table)} where ${sql.identifier(reference.column)} = ${userId}`,
    );
    for (const row of rows) found.add(row.org_id);
  }
  return [...found];
}
