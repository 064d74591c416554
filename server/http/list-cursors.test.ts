import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { apiAs, roleStep } from "../work/approvals/test-kit.ts";
import { encodeCursor } from "./cursor.ts";
import { type OpenApiDocument, openApiPath } from "./openapi.ts";

/*
 * Every list of the API pages the same way: `?limit=` 1 to 200 and an opaque `?cursor=`; a
 * cursor the box did not hand out, or a limit out of range, is a 422 on that field, never an
 * empty or silently full page. The walk finds the lists from the app itself, so a new list is
 * checked without being named here.
 */

let box: TestApp;
let admin: Record<string, string>;
let doc: OpenApiDocument;
/** A real record for each parameterised list's parent (`/tasks/:id/comments`), so the list is reached. */
const parents: Record<string, string> = {};

beforeAll(async () => {
  box = await startInProcessApp();
  const { orgId, adminId } = await setUpBox(box);
  admin = { Cookie: sessionCookie(box, adminId, orgId), Accept: "application/json" };
  for (const role of ["manager", "member", "viewer"]) await createUser(box, { orgId, role });
  doc = (await (await box.fetch("/api/v1/openapi.json")).json()) as OpenApiDocument;
  const as = apiAs(box, adminId, orgId);
  const made = async (path: string, body: Record<string, unknown>) => {
    const response = await as("POST", path, body);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  await made("/api/v1/approval-pipelines", { name: "Anything", steps: [roleStep("Manager", "manager")] });
  parents.approvals = await made("/api/v1/approvals", { subjectType: "other", title: "Offsite" });
  parents.tasks = await made("/api/v1/tasks", { title: "Fix the gate" });
  parents.agents = "stuck-tasks"; // The agents are built in: their ids are fixed.
});
afterAll(() => box.close());

type ErrorBody = { error: { code: string; details?: { path: string }[] } };
type Page = { data: unknown[]; nextCursor: string | null };

async function get(path: string): Promise<Response> {
  return box.fetch(path, { headers: admin });
}

/** Every list endpoint: a GET that documents `cursor`, or (without path parameters) answers a page. */
async function listEndpoints(): Promise<string[]> {
  const paths = [
    ...new Set(
      box.app.routes
        .filter((route) => route.method === "GET" && route.path.startsWith("/api/v1/"))
        .map((route) => route.path),
    ),
  ];
  const lists: string[] = [];
  for (const path of paths) {
    const documented = doc.paths[openApiPath(path).path]?.get?.parameters ?? [];
    // `/api/v1/tasks/:id/comments` → the real task's comments; any other parent is made up.
    const concrete = path.replace(
      /\/([\w-]+)\/:\w+/g,
      (_match, parent: string) => `/${parent}/${parents[parent] ?? "x_unknown"}`,
    );
    if (documented.some((parameter) => parameter.in === "query" && parameter.name === "cursor")) {
      lists.push(concrete);
    } else if (!path.includes(":") && path !== "/api/v1/openapi.json") {
      const response = await get(path);
      const body: unknown = response.headers.get("Content-Type")?.startsWith("application/json")
        ? await response.json()
        : await response.body?.cancel();
      if (typeof body === "object" && body !== null && "nextCursor" in body) lists.push(concrete);
    }
  }
  return lists;
}

async function detailPaths(response: Response): Promise<string[]> {
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe("validation_failed");
  return (body.error.details ?? []).map((detail) => detail.path);
}

describe("every list endpoint", () => {
  test("answers 422 on `cursor` to a cursor it did not hand out, and 422 on `limit` to 0 or 201", async () => {
    const lists = await listEndpoints();
    // The walk found the lists (and those that answered 200 [] or ignored the cursor before).
    expect(lists).toEqual(
      expect.arrayContaining([
        "/api/v1/tasks",
        `/api/v1/tasks/${parents.tasks}/comments`,
        `/api/v1/approvals/${parents.approvals}/decisions`,
        "/api/v1/api-keys",
        "/api/v1/audit-events",
        "/api/v1/audit-events.csv",
        "/api/v1/roles",
        "/api/v1/me/sessions",
        "/api/v1/me/invitations",
        "/api/v1/sso-providers",
        "/api/v1/ai/models",
      ]),
    );
    const wrong: string[] = [];
    for (const path of lists) {
      const cases: [query: string, field: string][] = [
        ["cursor=garbage", "cursor"],
        ["limit=0", "limit"],
        ["limit=201", "limit"],
      ];
      // A cursor of ours in shape but of no list (three values): the CSV exports take no pages.
      if (!path.endsWith(".csv")) cases.push([`cursor=${encodeCursor(["no-such-row", 1, "x"])}`, "cursor"]);
      for (const [query, field] of cases) {
        const response = await get(`${path}?${query}`);
        if (response.status !== 422) {
          wrong.push(`${path}?${query} → ${response.status}`);
          await response.body?.cancel();
        } else if (!(await detailPaths(response)).includes(field)) {
          wrong.push(`${path}?${query} → 422 without a detail on ${field}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("lists read whole (roles, sessions, invitations, models) page like the others", () => {
  test("limit=1 walks the roles one at a time, each once, to a null nextCursor", async () => {
    const all = (await (await get("/api/v1/roles")).json()) as Page;
    expect(all.data.length).toBeGreaterThanOrEqual(5);
    expect(all.nextCursor).toBeNull();
    const walked: unknown[] = [];
    let cursor: string | null = null;
    do {
      const response = await get(`/api/v1/roles?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      expect(page.data.length).toBe(1);
      walked.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.data);
  });

  test("a cursor past the end (the list shrank since) is refused, so the client starts again", async () => {
    const all = (await (await get("/api/v1/roles")).json()) as Page;
    for (const offset of [all.data.length, 0, -1, 1.5, "1"]) {
      const response = await get(`/api/v1/roles?cursor=${encodeCursor([offset])}`);
      expect(response.status).toBe(422);
      expect(await detailPaths(response)).toEqual(["cursor"]);
    }
  });
});

describe("keyset lists that took a raw id as their cursor", () => {
  test("api keys, audit events and sso providers hand out opaque cursors and refuse raw ids", async () => {
    for (let n = 0; n < 3; n++) {
      const created = await box.fetch("/api/v1/api-keys", {
        method: "POST",
        headers: {
          ...admin,
          Origin: new URL(box.url).origin,
          "HX-Request": "true",
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ name: `Key ${n}`, scopes: ["workspace.read"] }),
      });
      expect(created.status).toBe(201);
    }
    for (const path of ["/api/v1/api-keys", "/api/v1/audit-events"]) {
      const first = (await (await get(`${path}?limit=1`)).json()) as Page & { data: { id: string }[] };
      expect(first.nextCursor).toBeString();
      const second = (await (await get(`${path}?limit=1&cursor=${first.nextCursor}`)).json()) as Page & {
        data: { id: string }[];
      };
      expect(second.data[0]?.id).not.toBe(first.data[0]?.id);
      // The id itself, as these lists took before: not one of ours.
      const raw = await get(`${path}?cursor=${first.data[0]?.id}`);
      expect(raw.status).toBe(422);
    }
  });
});
