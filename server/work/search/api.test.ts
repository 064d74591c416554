import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { customRoles } from "../../../models/identity.ts";
import { tasks } from "../../../models/work.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { newId } from "../../tools/ids.ts";
import { seedCustomer, seedEquipment, seedInvoice, seedProject, seedTask } from "./search-test-kit.ts";

type Hit = { kind: string; id: string; title: string; snippet: string; url: string };

let box: TestApp;
let acme = "";
let globex = "";
const cookies: Record<"admin" | "manager" | "member" | "viewer" | "noRead" | "globex", string> = {
  admin: "",
  manager: "",
  member: "",
  viewer: "",
  noRead: "",
  globex: "",
};
const ids: Record<string, string> = {};

beforeAll(async () => {
  box = await startInProcessApp();
  const setup = await setUpBox(box);
  acme = setup.orgId;
  const other = await createOrganization(box, "Globex");
  globex = other.orgId;
  cookies.admin = sessionCookie(box, setup.adminId, acme);
  for (const role of ["manager", "member", "viewer"] as const) {
    cookies[role] = sessionCookie(box, await createUser(box, { orgId: acme, role }), acme);
  }
  const roleId = newId("rol");
  box.deps.db
    .insert(customRoles)
    .values({ id: roleId, orgId: acme, name: "Assistant only", permissions: ["assistant.ask"] })
    .run();
  cookies.noRead = sessionCookie(box, await createUser(box, { orgId: acme, role: roleId }), acme);
  cookies.globex = sessionCookie(box, other.adminId, globex);

  ids.project = seedProject(box, acme, { code: "BLR", name: "Boiler room refit", description: "New pipes" });
  ids.titleTask = seedTask(box, acme, { title: "Service the boiler", description: "Yearly check" });
  ids.bodyTask = seedTask(box, acme, {
    title: "Order parts",
    description: "Valves for the boiler in the basement, and a lot more words about valves and parts and deliveries",
    labels: ["plumbing"],
  });
  ids.equipment = seedEquipment(box, acme, {
    name: "Viessmann Vitodens",
    manufacturer: "Viessmann",
    serialNumber: "SN-4711",
  });
  ids.customer = seedCustomer(box, acme, { name: "Café Müller", notes: "Pays late" });
  ids.invoice = seedInvoice(box, acme, { number: "INV-0042", customerId: ids.customer, notes: "Boiler repair" });
  ids.hostile = seedTask(box, acme, { title: 'Quote "x" <script>alert(1)</script> AND (y) OR z: NEAR' });
  // Globex has the same words: none of it may ever reach Acme.
  for (let n = 0; n < 30; n += 1) seedTask(box, globex, { title: `Boiler boiler boiler ${n}`, description: "boiler" });
  ids.globexCustomer = seedCustomer(box, globex, { name: "Café Müller Globex" });
});
afterAll(() => box.close());

async function search(who: keyof typeof cookies, params: Record<string, string>) {
  const response = await box.fetch(`/api/v1/search?${new URLSearchParams(params)}`, {
    headers: { Cookie: cookies[who] },
  });
  return { status: response.status, body: (await response.json()) as { data: Hit[]; error?: { code: string } } };
}

describe("GET /api/v1/search", () => {
  test("ranks a match in the title above a match in the body, with snippets and console urls", async () => {
    const { status, body } = await search("member", { q: "boiler", kinds: "task" });
    expect(status).toBe(200);
    expect(body.data.map((hit) => hit.id)).toEqual([ids.titleTask ?? "", ids.bodyTask ?? ""]);
    const [first, second] = body.data;
    expect(first).toEqual({
      kind: "task",
      id: ids.titleTask ?? "",
      title: "Service the boiler",
      snippet: "Yearly check",
      url: `/tasks/${ids.titleTask}`,
    });
    expect(second?.snippet).toContain("Valves for the boiler in the basement");
    expect(second?.snippet).not.toMatch(/[\uE000\uE001]/);
  });

  test("shows the labels of a task as words in its snippet", async () => {
    const { body } = await search("member", { q: "plumbing" });
    expect(body.data[0]?.snippet).toEndWith("plumbing");
    expect(body.data[0]?.snippet).not.toContain('["');
  });

  test("never returns another organisation's rows, even when they rank higher", async () => {
    const { body } = await search("admin", { q: "boiler", limit: "3" });
    expect(body.data).toHaveLength(3);
    for (const hit of body.data) expect(Object.values(ids)).toContain(hit.id);
    const globexView = await search("globex", { q: "refit" });
    expect(globexView.body.data).toEqual([]);
    const globexCafe = await search("globex", { q: "cafe" });
    expect(globexCafe.body.data.map((hit) => hit.id)).toEqual([ids.globexCustomer ?? ""]);
  });

  test("finds projects, equipment, customers and invoices, each with its console url", async () => {
    const project = await search("viewer", { q: "BLR" });
    expect(project.body.data[0]).toMatchObject({ kind: "project", url: `/projects/${ids.project}` });
    const machine = await search("viewer", { q: "SN-4711" });
    expect(machine.body.data[0]).toMatchObject({ kind: "equipment", url: `/equipment/${ids.equipment}` });
    const invoice = await search("manager", { q: "INV-0042" });
    expect(invoice.body.data[0]).toMatchObject({ kind: "invoice", title: "INV-0042 Café Müller" });
    expect(invoice.body.data[0]?.url).toBe(`/invoices/${ids.invoice}`);
    const customer = await search("manager", { q: "pays late" });
    expect(customer.body.data[0]).toMatchObject({ kind: "customer", url: `/customers/${ids.customer}/edit` });
  });

  test("matches the start of the last word, ignoring case and accents", async () => {
    for (const q of ["cafe", "CAFÉ", "caf", "muller", "Müll", "café müller"]) {
      const { body } = await search("manager", { q, kinds: "customer" });
      expect([q, body.data.map((hit) => hit.id)]).toEqual([q, [ids.customer ?? ""]]);
    }
    const { body } = await search("member", { q: "boi" });
    expect(body.data.map((hit) => hit.kind)).toContain("project");
  });

  test("customers and invoices only for invoices.manage, whatever kinds are asked for", async () => {
    for (const who of ["member", "viewer"] as const) {
      const { status, body } = await search(who, { q: "cafe boiler INV", kinds: "customer,invoice" });
      expect(status).toBe(200);
      expect(body.data).toEqual([]);
      const all = await search(who, { q: "boiler" });
      expect(all.body.data.map((hit) => hit.kind).sort()).toEqual(["project", "task", "task"]);
    }
    const manager = await search("manager", { q: "boiler" });
    expect(manager.body.data.map((hit) => hit.kind).sort()).toEqual(["invoice", "project", "task", "task"]);
  });

  test("filters by kinds", async () => {
    const { body } = await search("admin", { q: "boiler", kinds: "project,invoice" });
    expect(body.data.map((hit) => hit.kind).sort()).toEqual(["invoice", "project"]);
  });

  test("hostile text is searched as words and never breaks the query", async () => {
    const hostile = [
      '"',
      '""',
      '"boiler',
      "boiler\"'",
      "(boiler",
      "boiler)",
      "boiler AND",
      "OR boiler",
      "NOT",
      "NEAR(boiler service, 2)",
      "title:boiler",
      "{title body}: boiler",
      "boiler*",
      "*",
      "^boiler",
      "boiler + service",
      "-boiler",
      "\\",
      "'; DROP TABLE tasks; --",
      "\uE000boiler\uE001",
      "🔥 boiler",
      "日本語",
      "a".repeat(500),
      Array.from({ length: 60 }, (_, n) => `w${n}`).join(" "),
    ];
    for (const q of hostile) {
      const { status, body } = await search("admin", { q });
      expect([q, status, Array.isArray(body.data)]).toEqual([q, 200, true]);
    }
    // Control characters are refused before any search (422, see server/http/control-characters.ts).
    expect((await search("admin", { q: "\u0000boiler" })).status).toBe(422);
    const quoted = await search("admin", { q: '"boiler' });
    expect(quoted.body.data.length).toBeGreaterThan(0);
    // Operators are words: "boiler OR refit" needs both words (there is no "or" anywhere).
    const or = await search("admin", { q: "boiler OR refit" });
    expect(or.body.data).toEqual([]);
    const hostileTitle = await search("admin", { q: "<script>alert(1)</script>" });
    expect(hostileTitle.body.data.map((hit) => hit.id)).toEqual([ids.hostile ?? ""]);
    expect(hostileTitle.body.data[0]?.title).toBe('Quote "x" <script>alert(1)</script> AND (y) OR z: NEAR');
  });

  test("empty and symbol-only text answers an empty list", async () => {
    for (const q of ["", "   ", "!!!", "()", '"*"', ":-)"]) {
      const { status, body } = await search("admin", { q });
      expect([q, status, body.data]).toEqual([q, 200, []]);
    }
    const noParam = await box.fetch("/api/v1/search", { headers: { Cookie: cookies.admin } });
    expect(await noParam.json()).toEqual({ data: [] });
  });

  test("follows changes to the rows through the triggers", async () => {
    box.deps.db
      .update(tasks)
      .set({ title: "Replace the thermostat" })
      .where(eq(tasks.id, ids.titleTask ?? ""))
      .run();
    const { body } = await search("member", { q: "thermostat" });
    expect(body.data.map((hit) => hit.id)).toEqual([ids.titleTask ?? ""]);
    box.deps.db
      .update(tasks)
      .set({ title: "Service the boiler" })
      .where(eq(tasks.id, ids.titleTask ?? ""))
      .run();
  });

  test("422 for an unknown kind or a bad limit", async () => {
    const cases: Record<string, string>[] = [
      { q: "x", kinds: "task,user" },
      { q: "x", limit: "0" },
      { q: "x", limit: "201" },
    ];
    for (const params of cases) {
      const { status, body } = await search("admin", params);
      expect(status).toBe(422);
      expect(body.error?.code).toBe("validation_failed");
    }
  });

  test("401 when signed out, 403 for a role without workspace.read", async () => {
    expect((await box.fetch("/api/v1/search?q=boiler")).status).toBe(401);
    const { status, body } = await search("noRead", { q: "boiler" });
    expect(status).toBe(403);
    expect(body.error?.code).toBe("forbidden");
  });
});
