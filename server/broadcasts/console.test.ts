import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { postForm } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { apiAs, jsonOf } from "../work/approvals/test-kit.ts";
import { untilDelivered } from "./test-kit.ts";

let box: TestApp;
let orgId = "";
let miaId = "";
let maxId = "";
let kitchenId = "";
const cookies: Record<string, string> = {};

beforeAll(async () => {
  box = await startInProcessApp();
  orgId = (await setUpBox(box)).orgId;
  miaId = await createUser(box, { orgId, role: "manager", name: "Mia Manager" });
  maxId = await createUser(box, { orgId, role: "member", name: "Max Member" });
  const vera = await createUser(box, { orgId, role: "viewer", name: "Vera Viewer" });
  const leo = await createUser(box, { orgId, role: "team_lead", name: "Leo Lead" });
  const globex = await createOrganization(box, "Globex");
  cookies.mia = sessionCookie(box, miaId, orgId);
  cookies.max = sessionCookie(box, maxId, orgId);
  cookies.vera = sessionCookie(box, vera, orgId);
  cookies.leo = sessionCookie(box, leo, orgId);
  cookies.globex = sessionCookie(box, globex.adminId, globex.orgId);
  kitchenId = (
    await jsonOf<{ id: string }>(
      await apiAs(box, miaId, orgId)("POST", "/api/v1/teams", { name: "Kitchen", memberIds: [maxId] }),
      201,
    )
  ).id;
});
afterAll(() => box.close());

function page(path: string, who: string) {
  return box.fetch(path, { headers: { Cookie: cookies[who] ?? "" } });
}

describe("/broadcasts/new", () => {
  test("offers everyone, the organisation's teams and its roles; the account menu leads senders there", async () => {
    const html = await (await page("/broadcasts/new", "mia")).text();
    expect(html).toContain('<option value="organization" selected="">Everyone in the organisation</option>');
    expect(html).toContain(`<option value="team:${kitchenId}">Kitchen</option>`);
    expect(html).toContain('<option value="role:team_lead">Team Lead</option>');
    expect(html).toContain('<li><a href="/broadcasts">Broadcasts</a></li>');
    expect(await (await page("/tasks", "max")).text()).not.toContain('href="/broadcasts"');
  });

  test("Preview shows how many people the audience reaches and the rendered message", async () => {
    const response = await postForm(box, cookies.mia ?? "", "/broadcasts/preview", {
      subject: "Deep clean",
      audience: `team:${kitchenId}`,
      body: "Bring **gloves**. <script>alert(1)</script>",
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<strong>1 person<\/strong>\s*\(Kitchen\) will get this message/);
    expect(html).toContain("<strong>gloves</strong>");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain(`<option value="team:${kitchenId}" selected="">Kitchen</option>`);
  });

  test("a refused broadcast is drawn again with 422, what was typed and the field errors", async () => {
    const empty = await postForm(box, cookies.mia ?? "", "/broadcasts", {
      subject: "",
      audience: "role:team_lead",
      body: "Kept as typed",
    });
    expect(empty.status).toBe(422);
    const html = await empty.text();
    expect(html).toContain("Enter a subject.");
    expect(html).toContain("Kept as typed");
    expect(html).toContain('<option value="role:team_lead" selected="">Team Lead</option>');

    const nobody = await postForm(box, cookies.mia ?? "", "/broadcasts", {
      subject: "Managers only",
      audience: "role:manager",
      body: "x",
    });
    expect(nobody.status).toBe(422);
    expect(await nobody.text()).toContain("Nobody would receive this");

    const unknown = await postForm(box, cookies.mia ?? "", "/broadcasts", {
      subject: "x",
      audience: "team:nope",
      body: "x",
    });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain("There is no such team in this organisation.");
  });

  test("team leads, members and viewers may not compose or list broadcasts", async () => {
    for (const who of ["leo", "max", "vera"]) {
      expect([who, (await page("/broadcasts", who)).status]).toEqual([who, 403]);
      expect([who, (await page("/broadcasts/new", who)).status]).toEqual([who, 403]);
      const sent = await postForm(box, cookies[who] ?? "", "/broadcasts", {
        subject: "x",
        audience: "organization",
        body: "x",
      });
      expect([who, sent.status]).toEqual([who, 403]);
    }
  });
});

describe("a sent broadcast", () => {
  let id = "";
  beforeAll(async () => {
    const sent = await postForm(box, cookies.mia ?? "", "/broadcasts", {
      subject: "Kitchen closed",
      audience: `team:${kitchenId}`,
      body: "Closed on *Friday*.",
    });
    id = /\/broadcasts\/(brd_\w+)/.exec(sent.headers.get("HX-Redirect") ?? "")?.[1] ?? "";
    await untilDelivered(apiAs(box, miaId, orgId), id);
  });

  test("its sender's page shows the counts and every recipient's delivery; the list links it", async () => {
    const html = await (await page(`/broadcasts/${id}`, "mia")).text();
    expect(html).toContain("<h1>Kitchen closed</h1>");
    expect(html).toContain("<em>Friday</em>");
    expect(html).toMatch(/<dt>Recipients<\/dt><dd>1<\/dd>/);
    expect(html).toContain("Max Member");
    // No provider is configured in this box: the e-mail waits in the draft log.
    expect(html).toContain("In the draft log (no e-mail provider)");
    expect(html).toContain("Unread");
    expect(await (await page("/broadcasts", "mia")).text()).toContain(`<a href="/broadcasts/${id}">Kitchen closed</a>`);
  });

  test("a recipient reads the message alone; someone it did not reach, or another organisation, gets 404", async () => {
    const mine = await page(`/broadcasts/${id}`, "max");
    expect(mine.status).toBe(200);
    const html = await mine.text();
    expect(html).toContain("<em>Friday</em>");
    expect(html).not.toContain("broadcast-recipients");
    expect((await page(`/broadcasts/${id}`, "vera")).status).toBe(404);
    expect((await page(`/broadcasts/${id}`, "globex")).status).toBe(404);
  });
});
