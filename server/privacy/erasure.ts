import { and, eq, isNull, ne } from "drizzle-orm";
import { memberships, organizations, users } from "../../models/identity.ts";
import { documents } from "../../models/knowledge.ts";
import { mailMessages } from "../../models/mail.ts";
import { recordAudit } from "../audit/service.ts";
import { countActiveAdminsBesides } from "../auth/people/user-updates.ts";
import { personOrNotFound } from "../auth/people/users.ts";
import { assertWithin, findRole } from "../auth/roles/assignable-roles.ts";
import { resolveMembership } from "../auth/roles/roles.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { clearSignInFailures } from "../auth/sessions/sign-in.ts";
import type { Db } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { deleteDocument } from "../knowledge/changes.ts";
import { assertMember } from "../members/directory.ts";
import { type Forgotten, forgetInOrganization } from "./forget.ts";
import { createStandIn } from "./pseudonym.ts";
import { organizationsReferencing, replaceEverywhere } from "./rewrite.ts";
import type { EraseInput } from "./schemas.ts";

export type Erasure = {
  /** `account`: the account is gone; `organization`: only this organisation forgot the person. */
  scope: "account" | "organization";
  pseudonym: string;
  documentsDeleted: number;
  documentsReassigned: number;
};

/**
 * Erases a person from the current organisation's records: their rows there point at a stand-in
 * named by a pseudonym, their e-mail and name in kept text become the pseudonym, their own rows
 * (sessions, keys, timers, assistant conversations, outbox mail) go, and their uploads are deleted
 * or given to another member. When the actor manages people in every organisation of the
 * account (the rule of deactivation), the same happens in each of them and the account itself is
 * deleted; otherwise the account lives on in its other organisations, which are not this one's to
 * touch. Refused (409) for oneself, a pending invitation and the last active admin.
 */
export function erasePerson(
  ctx: ServiceContext,
  dataDir: string,
  userId: string,
  input: EraseInput,
  now = new Date(),
): Erasure {
  const person = personOrNotFound(ctx, userId);
  if (person.pending)
    throw new AppError("conflict", "This person has not joined yet: withdraw the invitation instead.");
  if (userId === ctx.userId) throw new AppError("conflict", "You cannot erase yourself.");
  assertWithin(
    findRole(ctx.db, ctx.orgId, person.role)?.permissions ?? new Set(),
    ctx.permissions,
    "You cannot erase a person whose role has permissions you do not have.",
  );
  if (person.role === "admin" && countActiveAdminsBesides(ctx.db, ctx.orgId, userId) === 0) {
    throw new AppError("conflict", "An organisation needs at least one active admin. Make someone else admin first.");
  }
  if (input.uploads === "reassign") {
    if (input.reassignTo === userId) {
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: "reassignTo", message: "Choose someone other than the person you erase." },
      ]);
    }
    assertMember(ctx.db, ctx.orgId, input.reassignTo, "reassignTo");
  }
  const scope = managesEveryOrganization(ctx, userId) ? "account" : "organization";

  const uploads = ctx.db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.uploadedBy, userId)))
    .all();
  if (input.uploads === "delete") for (const upload of uploads) deleteDocument(ctx, dataDir, upload.id, now);

  const erasure = withSecureDelete(ctx.db, () =>
    ctx.db.transaction((tx) => {
      if (input.uploads === "reassign") {
        tx.update(documents)
          .set({ uploadedBy: input.reassignTo })
          .where(and(eq(documents.orgId, ctx.orgId), eq(documents.uploadedBy, userId)))
          .run();
      }
      const email = person.user.email;
      const forgotten: Forgotten[] = [];
      const orgIds = scope === "account" ? memberOrganizations(tx, userId) : [ctx.orgId];
      for (const orgId of orgIds) forgotten.push(forgetInOrganization(tx, { orgId, user: person.user }, now));
      const here = forgotten.find((item) => item.orgId === ctx.orgId);
      if (!here) throw new Error("the acting organisation was not among the person's organisations");
      if (scope === "account") {
        // Organisations the person has left still point at the account: a stand-in each, so the
        // account can go. Their text is theirs and stays as it is (they named no one but a former member).
        for (const orgId of organizationsReferencing(tx, userId)) {
          replaceEverywhere(tx, orgId, userId, createStandIn(tx, now).id);
        }
        replaceEverywhere(tx, null, email, here.pseudonym);
        tx.delete(mailMessages)
          .where(and(isNull(mailMessages.orgId), eq(mailMessages.toAddress, email)))
          .run();
        tx.delete(users).where(eq(users.id, userId)).run();
      } else if (person.user.homeOrgId === ctx.orgId) {
        tx.update(users).set({ homeOrgId: null }).where(eq(users.id, userId)).run();
      }
      for (const item of forgotten) {
        recordAudit(
          tx,
          {
            orgId: item.orgId,
            actorUserId: item.orgId === ctx.orgId ? ctx.userId : null,
            actorApiKeyId: item.orgId === ctx.orgId ? ctx.apiKeyId : null,
            meta: item.orgId === ctx.orgId ? ctx.meta : {},
            targetType: "user",
            targetId: item.standInId,
            action: "user.erased",
            // Never the erased address: the pseudonym is how the organisation's records name them now.
            details: {
              pseudonym: item.pseudonym,
              scope,
              ...(item.orgId === ctx.orgId
                ? { uploads: input.uploads, documents: uploads.length }
                : { organization: organizationName(tx, ctx.orgId) }),
            },
          },
          now,
        );
      }
      return {
        scope,
        pseudonym: here.pseudonym,
        documentsDeleted: input.uploads === "delete" ? uploads.length : 0,
        documentsReassigned: input.uploads === "reassign" ? uploads.length : 0,
      } satisfies Erasure;
    }),
  );
  withSecureDelete(ctx.db, () => compactAfterErasure(ctx.db));
  if (erasure.scope === "account") clearSignInFailures(ctx.db, person.user.email);
  return erasure;
}

/** True when the actor manages people in every other organisation of the account, too. */
function managesEveryOrganization(ctx: ServiceContext, userId: string): boolean {
  const others = ctx.db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), ne(memberships.orgId, ctx.orgId)))
    .all();
  return others.every(
    (other) => resolveMembership(ctx.db, ctx.userId, other.orgId)?.permissions.has("users.manage") === true,
  );
}

function memberOrganizations(db: Parameters<typeof forgetInOrganization>[0], userId: string): string[] {
  return db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .all()
    .map((row) => row.orgId);
}

function organizationName(db: Parameters<typeof forgetInOrganization>[0], orgId: string): string {
  return (
    db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).get()?.name ?? ""
  );
}

/** Deleted rows are overwritten with zeros in the file, not only marked free. */
function withSecureDelete<T>(db: Db, work: () => T): T {
  db.$client.run("PRAGMA secure_delete = ON");
  try {
    return work();
  } finally {
    db.$client.run("PRAGMA secure_delete = OFF");
  }
}

/**
 * Merges the keyword index so that no segment keeps the erased words, and folds the WAL into the
 * database file so that its old pages go too. Best effort: a reader holding the WAL only delays it.
 */
function compactAfterErasure(db: Db): void {
  db.$client.run("INSERT INTO search_index(search_index) VALUES ('optimize')");
  db.$client.run("PRAGMA wal_checkpoint(TRUNCATE)");
}
