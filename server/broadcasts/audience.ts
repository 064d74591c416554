import { and, asc, eq, inArray, ne } from "drizzle-orm";
import type { BroadcastAudience } from "../../models/broadcasts.ts";
import { memberships, users } from "../../models/identity.ts";
import { teamMembers } from "../../models/work.ts";
import { findRole } from "../auth/roles/assignable-roles.ts";
import type { Permission } from "../auth/roles/permissions.ts";
import { permissionsOfRole } from "../auth/roles/roles.ts";
import type { Db } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { findTeamById } from "../work/teams/service.ts";
import type { AudienceInput } from "./schemas.ts";

/** An audience of the organisation, checked: its kind, the team or role, and what it is called. */
export type Audience = { type: BroadcastAudience; id: string | null; label: string };

/** The audience the input names; a team or role this organisation does not have is a 422 (as for an unknown one). */
export function resolveAudience(db: Db, orgId: string, input: AudienceInput): Audience {
  if (input.type === "organization") return { type: "organization", id: null, label: "Everyone" };
  if (input.type === "team") {
    const team = findTeamById({ db, orgId }, input.teamId);
    if (!team) throw refused("audience.teamId", "There is no such team in this organisation.");
    return { type: "team", id: team.id, label: team.name };
  }
  const role = findRole(db, orgId, input.role);
  if (!role) throw refused("audience.role", "There is no such role in this organisation.");
  return { type: "role", id: role.role, label: role.label };
}

/**
 * Who the audience reaches now, by id: active people of the organisation (not invited, not
 * deactivated) whose role lets them read the workspace (where notifications are read), in the
 * team or holding the role, never the sender.
 */
export function audienceMemberIds(
  db: Db,
  orgId: string,
  audience: Pick<Audience, "type" | "id">,
  senderId: string | null,
): string[] {
  const inTeam =
    audience.type === "team"
      ? inArray(
          memberships.userId,
          db
            .select({ id: teamMembers.userId })
            .from(teamMembers)
            .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.teamId, audience.id ?? ""))),
        )
      : undefined;
  const rows = db
    .select({ id: memberships.userId, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.orgId, orgId),
        eq(users.status, "active"),
        senderId ? ne(memberships.userId, senderId) : undefined,
        audience.type === "role" ? eq(memberships.role, audience.id ?? "") : undefined,
        inTeam,
      ),
    )
    .orderBy(asc(memberships.userId))
    .all();
  const reads = new Map<string, boolean>();
  return rows
    .filter((row) => {
      let may = reads.get(row.role);
      if (may === undefined) {
        const permissions: ReadonlySet<Permission> | undefined = permissionsOfRole(db, orgId, row.role)?.permissions;
        may = permissions?.has("workspace.read") ?? false;
        reads.set(row.role, may);
      }
      return may;
    })
    .map((row) => row.id);
}

function refused(path: string, message: string): AppError {
  return new AppError("validation_failed", "The request is not valid.", [{ path, message }]);
}
