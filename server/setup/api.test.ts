import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, statSync } from "node:fs";
import { organizationTimeZone } from "../organization-time-zone.ts";
import type { TestApp } from "../testing/harness.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { setupTokenPath } from "./token.ts";
import { openWizard, postStep, readSetupToken, walkToReview } from "./wizard-test-helpers.ts";

const validBody = {
  organization: { name: "Acme Ltd", industry: "manufacturing", complianceLevel: "soc2", timeZone: "Europe/Berlin" },
  admin: { name: "Ada Admin", email: "Ada@Example.com", password: "quiet meadow lantern orbit" },
  email: { provider: "log" },
  agents: { defaults: ["stuck-tasks"] },
};

type ErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };

let box: TestApp;
beforeAll(async () => {
  box = await startInProcessApp();
});
afterAll(() => box.close());

// Each test speaks from its own address (through the trusted loopback proxy), so rate limits stay apart.
function postSetup(body: unknown, options: { token?: string | null; address: string }): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-Forwarded-For": options.address };
  const token = options.token === undefined ? readSetupToken(box) : options.token;
  if (token !== null) headers["X-Setup-Token"] = token;
  return box.fetch("/api/v1/setup", { method: "POST", headers, body: JSON.stringify(body) });
}

describe("POST /api/v1/setup before setup", () => {
  test("the token file is readable only by the box's user", () => {
    expect(statSync(setupTokenPath(box.dataDir)).mode & 0o777).toBe(0o600);
  });

  test("answers 401 without the X-Setup-Token header or with a wrong one", async () => {
    for (const token of [null, "wrong-token"]) {
      const response = await postSetup(validBody, { token, address: "203.0.113.1" });
      expect(response.status).toBe(401);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code).toBe("unauthenticated");
      expect(body.error.message).toContain("X-Setup-Token");
    }
  });

  test("answers 422 naming each field that is wrong", async () => {
    const response = await postSetup(
      { ...validBody, organization: { name: "", timeZone: "Mars/Base" }, admin: { ...validBody.admin, email: "nope" } },
      { address: "203.0.113.2" },
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "organization.name", message: "Enter your organisation's name." }),
        expect.objectContaining({ path: "organization.timeZone" }),
        expect.objectContaining({ path: "admin.email", message: "Enter a valid e-mail address." }),
      ]),
    );
  });

  test("a password below the chosen preset's minimum is named at admin.password", async () => {
    const response = await postSetup(
      { ...validBody, admin: { ...validBody.admin, password: "thirteen char" } },
      { address: "203.0.113.6" },
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.details).toEqual([
      expect.objectContaining({ path: "admin.password", message: "Use at least 14 characters." }),
    ]);
  });

  test("answers 429 with Retry-After after 5 attempts from one address", async () => {
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const response = await postSetup({}, { token: "wrong", address: "203.0.113.3" });
      expect(response.status).toBe(401);
      expect(response.headers.get("RateLimit-Remaining")).toBe(String(5 - attempt));
    }
    const limited = await postSetup(validBody, { address: "203.0.113.3" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(3000);
    expect(((await limited.json()) as ErrorBody).error.code).toBe("rate_limited");
    const elsewhere = await postSetup({}, { token: "wrong", address: "203.0.113.4" });
    expect(elsewhere.status).toBe(401);
  });

  test("the wizard's finish shares the API's budget of 5 attempts an hour", async () => {
    const cookie = await openWizard(box);
    await walkToReview(box, cookie);
    for (let attempt = 1; attempt <= 5; attempt += 1) await postSetup({}, { token: "wrong", address: "203.0.113.5" });
    const finish = await postStep(box, cookie, "review", { nav: "next" }, { address: "203.0.113.5" });
    expect(finish.status).toBe(429);
    expect(finish.headers.get("Retry-After")).not.toBeNull();
    expect(await finish.text()).toContain("Too many requests.");
  });
});

describe("POST /api/v1/setup", () => {
  test("sets up the box: 201 with the ids and next steps, the token file gone", async () => {
    const response = await postSetup(validBody, { address: "203.0.113.10" });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { organizationId: string; userId: string; nextSteps: string[] };
    expect(body.organizationId).toStartWith("org_");
    expect(body.userId).toStartWith("usr_");
    expect(body.nextSteps.join(" ")).toContain("two-factor");
    expect(existsSync(setupTokenPath(box.dataDir))).toBe(false);
    expect(organizationTimeZone(box.deps.db, body.organizationId)).toBe("Europe/Berlin");
  });

  test("answers 409 already_set_up afterwards, and /setup no longer offers the wizard", async () => {
    const response = await postSetup(validBody, { token: "anything", address: "203.0.113.11" });
    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorBody).error.code).toBe("already_set_up");
    const page = await box.fetch("/setup");
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/");
  });

  test("the admin made through the API signs in and owes 2FA enrolment before anything else", async () => {
    const response = await box.fetch("/api/v1/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": "203.0.113.12" },
      body: JSON.stringify({ email: "ada@example.com", password: validBody.admin.password }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { twoFactor: string }).twoFactor).toBe("not_enrolled");
  });
});
