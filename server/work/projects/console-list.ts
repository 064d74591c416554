import type { ProjectStatus } from "../../../models/work.ts";
import type { ProjectListRow, ProjectStatusFilter } from "../../../views/pages/work/projects/list.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import { namesOf } from "../../members/directory.ts";
import { listProjects } from "./service.ts";

export type ProjectListPage = { rows: ProjectListRow[]; nextCursor: string | null };

/**
 * A page of /projects with its owners' names. The first page of each status filter (no search,
 * no cursor: what nearly every visit shows) is reused until the next write (db-read-cache.ts),
 * so a repeated view costs no query; the view memoises its table by the rows it is given.
 * The value is shared between requests: never modify it.
 */
export function projectListPage(
  ctx: Pick<ServiceContext, "db" | "orgId">,
  query: {
    status: ProjectStatusFilter;
    statuses: ProjectStatus[] | undefined;
    q: string;
    cursor?: string | undefined;
    limit: number;
  },
): ProjectListPage {
  const read = (): ProjectListPage => {
    const page = listProjects(ctx, {
      limit: query.limit,
      cursor: query.cursor,
      q: query.q || undefined,
      status: query.statuses,
    });
    const owners = namesOf(
      ctx.db,
      ctx.orgId,
      page.data.map((project) => project.ownerId),
    );
    return {
      rows: page.data.map((project) => ({
        id: project.id,
        name: project.name,
        code: project.code,
        status: project.status,
        ownerName: project.ownerId ? (owners.get(project.ownerId) ?? null) : null,
        targetDate: project.targetDate,
        progress: project.progress,
      })),
      nextCursor: page.nextCursor,
    };
  };
  if (query.cursor !== undefined || query.q !== "") return read();
  return readUntilWrite(ctx.db, `projects.consolePage:${ctx.orgId}:${query.status}:${query.limit}`, read);
}
