import { eq, sql } from "drizzle-orm";
import { type User, users } from "../../../models/identity.ts";
import type { Db } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";

/**
 * A person's account by id, whatever their organisations, or null: what authentication reads on
 * every request (users.ts findUserById is the organisation-scoped read for pages and the API).
 */
export function findAccountById(db: Db, userId: string): User | null {
  return (
    preparedQuery(db, "auth.accountById", () =>
      db
        .select()
        .from(users)
        .where(eq(users.id, sql.placeholder("userId")))
        .prepare(),
    ).get({ userId }) ?? null
  );
}
