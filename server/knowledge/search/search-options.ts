import type { Db } from "../../db.ts";

/** What the search page offers as document filters: only values the organisation's documents use. */
export type DocumentFilterOptions = {
  categories: string[];
  tags: string[];
  equipment: { id: string; name: string }[];
  projects: { id: string; name: string }[];
};

const MAX_OPTIONS = 200;

export function documentFilterOptions(db: Db, orgId: string): DocumentFilterOptions {
  const client = db.$client;
  const strings = (text: string) =>
    client
      .query<{ value: string }, [string, number]>(text)
      .all(orgId, MAX_OPTIONS)
      .map((row) => row.value);
  return {
    categories: strings(
      `SELECT DISTINCT category AS value FROM documents WHERE org_id = ?1 AND category IS NOT NULL AND category != ''
       ORDER BY value COLLATE NOCASE LIMIT ?2`,
    ),
    tags: strings(
      `SELECT DISTINCT t.value AS value FROM documents d, json_each(d.tags) t WHERE d.org_id = ?1
       ORDER BY value COLLATE NOCASE LIMIT ?2`,
    ),
    equipment: client
      .query<{ id: string; name: string }, [string, number]>(
        `SELECT DISTINCT e.id AS id, e.name AS name FROM document_equipment de JOIN equipment e ON e.id = de.equipment_id
         WHERE de.org_id = ?1 AND e.org_id = ?1 ORDER BY e.name COLLATE NOCASE LIMIT ?2`,
      )
      .all(orgId, MAX_OPTIONS),
    projects: client
      .query<{ id: string; name: string }, [string, number]>(
        `SELECT DISTINCT p.id AS id, p.name AS name FROM document_projects dp JOIN projects p ON p.id = dp.project_id
         WHERE dp.org_id = ?1 AND p.org_id = ?1 ORDER BY p.name COLLATE NOCASE LIMIT ?2`,
      )
      .all(orgId, MAX_OPTIONS),
  };
}
