import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { SIGN_IN_LOCKOUT, verifyCredentials } from "./sign-in.ts";

let box: TestApp;
let knownEmail = "";
beforeAll(async () => {
  box = await startInProcessApp();
  // soc2 locks at 6 tries for 30 minutes, the default (basic) at 10 for 15: they must not show.
  knownEmail = (await setUpBox(box, { complianceLevel: "soc2" })).adminEmail;
});
afterAll(() => box.close());

/**
 * Wrong passwords a minute apart (past every back-off wait) until the address is locked: the try
 * that was refused as locked and the Retry-After it was given.
 */
async function lockOut(email: string, address: string): Promise<{ attempt: number; retryAfterSeconds: number }> {
  const start = Date.now() + 365 * 24 * 3_600_000;
  for (let attempt = 1; attempt <= 25; attempt += 1) {
    const now = new Date(start + attempt * 61_000);
    const result = await verifyCredentials(
      box.deps.db,
      { email, password: "not the password at all" },
      { ipAddress: address },
      now,
    );
    if (!result.ok && result.reason === "locked") return { attempt, retryAfterSeconds: result.retryAfterSeconds };
  }
  throw new Error(`${email} was never locked`);
}

test("a known soc2 address and an unknown address are locked at the same try with the same Retry-After", async () => {
  const known = await lockOut(knownEmail, "203.0.113.20");
  const unknown = await lockOut("nobody-here@example.com", "203.0.113.21");
  expect(unknown).toEqual(known);
  expect(known.attempt).toBe(SIGN_IN_LOCKOUT.lockAfter + 1);
  expect(known.retryAfterSeconds).toBe(SIGN_IN_LOCKOUT.lockMinutes * 60 - 61);
});

test("the box-wide rule is the strictest of the compliance presets: 5 tries, then 60 minutes", () => {
  expect(SIGN_IN_LOCKOUT).toEqual({ slowAfter: 3, lockAfter: 5, lockMinutes: 60 });
});
