import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { eventsOf, json, makeCustomer, makeInvoice, type Scene, setUpScene } from "./test-kit.ts";

type CustomerBody = { id: string; name: string; email: string | null; currency: string; taxId: string; phone: string };

let box: TestApp;
let scene: Scene;

beforeAll(async () => {
  box = await startInProcessApp();
  scene = await setUpScene(box);
});
afterAll(() => box.close());

describe("POST /api/v1/customers", () => {
  test("creates a customer: 201 with its JSON, ETag, Location and a customer.created event", async () => {
    const response = await scene.admin("POST", "/api/v1/customers", {
      name: "  Wayne Enterprises ",
      email: "AP@Wayne.example",
      phone: "+44 20 7946 0000",
      address: "1 Gotham Road\nGotham",
      taxId: "GB123456789",
      currency: "gbp",
      notes: "Pays on time.",
    });
    expect(response.headers.get("ETag")).toMatch(/^"/);
    const body = await json<CustomerBody & { createdAt: string }>(response, 201);
    expect(response.headers.get("Location")).toBe(`/api/v1/customers/${body.id}`);
    expect(body).toMatchObject({
      name: "Wayne Enterprises",
      email: "ap@wayne.example",
      currency: "GBP",
      taxId: "GB123456789",
    });
    expect(body.id).toStartWith("cus_");
    const events = eventsOf(box, body.id, "customer.created");
    expect(events).toHaveLength(1);
    expect(events[0]?.permission).toBe("invoices.manage");
  });

  test("refuses an unknown currency, a bad e-mail and a missing name with 422 details", async () => {
    const response = await scene.admin("POST", "/api/v1/customers", { name: "", email: "nope", currency: "EURO" });
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.details?.map((detail) => detail.path).sort()).toEqual(["currency", "email", "name"]);
  });

  test("an empty e-mail is stored as none", async () => {
    const body = await json<CustomerBody>(
      await scene.admin("POST", "/api/v1/customers", { name: "Walk-in", email: "", currency: "JPY" }),
      201,
    );
    expect(body.email).toBeNull();
  });
});

describe("reading, listing and changing customers", () => {
  test("GET answers the customer with an ETag and 304 on If-None-Match", async () => {
    const customer = await makeCustomer(scene.admin);
    const first = await scene.admin("GET", `/api/v1/customers/${customer.id}`);
    const etag = first.headers.get("ETag") ?? "";
    expect((await json<CustomerBody>(first, 200)).name).toBe(customer.name);
    const again = await scene.admin("GET", `/api/v1/customers/${customer.id}`, undefined, { "If-None-Match": etag });
    expect(again.status).toBe(304);
  });

  test("the list pages newest first with a cursor and filters by part of the name", async () => {
    await makeCustomer(scene.admin, { name: "Zeta Paging One" });
    await makeCustomer(scene.admin, { name: "Zeta Paging Two" });
    await makeCustomer(scene.admin, { name: "Zeta Paging Three" });
    const first = await json<{ data: CustomerBody[]; nextCursor: string }>(
      await scene.admin("GET", "/api/v1/customers?q=zeta%20paging&limit=2"),
      200,
    );
    expect(first.data.map((customer) => customer.name)).toEqual(["Zeta Paging Three", "Zeta Paging Two"]);
    await makeCustomer(scene.admin, { name: "Zeta Paging Four" });
    const second = await json<{ data: CustomerBody[]; nextCursor: string | null }>(
      await scene.admin("GET", `/api/v1/customers?q=zeta%20paging&limit=2&cursor=${first.nextCursor}`),
      200,
    );
    expect(second.data.map((customer) => customer.name)).toEqual(["Zeta Paging One"]);
    expect(second.nextCursor).toBeNull();
    const wildcard = await json<{ data: CustomerBody[] }>(await scene.admin("GET", "/api/v1/customers?q=%25"), 200);
    expect(wildcard.data).toHaveLength(0);
  });

  test("PATCH changes fields, publishes customer.updated, and answers 412 to a stale If-Match", async () => {
    const customer = await makeCustomer(scene.admin);
    const read = await scene.admin("GET", `/api/v1/customers/${customer.id}`);
    const etag = read.headers.get("ETag") ?? "";
    const patched = await scene.admin(
      "PATCH",
      `/api/v1/customers/${customer.id}`,
      { phone: "555-0100" },
      { "If-Match": etag },
    );
    expect((await json<CustomerBody>(patched, 200)).phone).toBe("555-0100");
    expect(eventsOf(box, customer.id, "customer.updated")[0]?.data).toEqual({ fields: ["phone"] });
    const stale = await scene.admin(
      "PATCH",
      `/api/v1/customers/${customer.id}`,
      { phone: "555-0199" },
      { "If-Match": etag },
    );
    expect(stale.status).toBe(412);
    expect((await errorOf(stale)).code).toBe("precondition_failed");
  });

  test("DELETE removes a customer without invoices and answers 409 for one with invoices", async () => {
    const unused = await makeCustomer(scene.admin);
    expect((await scene.admin("DELETE", `/api/v1/customers/${unused.id}`)).status).toBe(204);
    expect((await scene.admin("GET", `/api/v1/customers/${unused.id}`)).status).toBe(404);
    const billed = await makeCustomer(scene.admin);
    await makeInvoice(scene.admin, billed.id);
    const refused = await scene.admin("DELETE", `/api/v1/customers/${billed.id}`);
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).code).toBe("conflict");
  });
});

describe("who may reach customers", () => {
  test("a manager may; team lead, member and viewer get 403 on every customer route", async () => {
    const customer = await makeCustomer(scene.asRole.manager);
    for (const role of ["team_lead", "member", "viewer"] as const) {
      const call = scene.asRole[role];
      const answers = [
        await call("GET", "/api/v1/customers"),
        await call("POST", "/api/v1/customers", { name: "X", currency: "EUR" }),
        await call("GET", `/api/v1/customers/${customer.id}`),
        await call("PATCH", `/api/v1/customers/${customer.id}`, { name: "Y" }),
        await call("DELETE", `/api/v1/customers/${customer.id}`),
      ];
      expect([role, answers.map((response) => response.status)]).toEqual([role, [403, 403, 403, 403, 403]]);
    }
  });

  test("another organisation's customer is 404 on read, change and delete, and absent from its list", async () => {
    const customer = await makeCustomer(scene.admin);
    expect((await scene.outsider("GET", `/api/v1/customers/${customer.id}`)).status).toBe(404);
    expect((await scene.outsider("PATCH", `/api/v1/customers/${customer.id}`, { name: "Mine" })).status).toBe(404);
    expect((await scene.outsider("DELETE", `/api/v1/customers/${customer.id}`)).status).toBe(404);
    const list = await json<{ data: CustomerBody[] }>(await scene.outsider("GET", "/api/v1/customers"), 200);
    expect(list.data.map((row) => row.id)).not.toContain(customer.id);
  });
});
