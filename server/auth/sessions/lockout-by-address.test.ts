import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { authThrottles } from "../../../models/identity.ts";
import { mailMessages } from "../../../models/mail.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, setUpBox, TEST_PASSWORD } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { apiAs, latestMail, linkOf } from "../people/people-test-kit.ts";
import { SIGN_IN_LOCKOUT, signInThrottleKeys, verifyCredentials } from "./sign-in.ts";
import { throttledUntil } from "./throttle.ts";

/**
 * Issue 11, F7: anyone could lock another organisation's admin out by guessing wrong from a few
 * addresses, and then out of the password reset that lifts the lock. The hard lock now holds
 * the guessing addresses only; every address together only slows the e-mail down.
 */

let box: TestApp;
const anonymous = () => apiAs(box, null);
const VICTIM = "admin@beta.test";
const VICTIM_ADDRESS = "198.51.100.7";
const ATTACKERS = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"];

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box, { name: "Acme" });
  await createOrganization(box, "Beta");
  await createUser(box, { orgId: acme.orgId, role: "member", email: "known-slow@example.com" });
});
afterAll(() => box.close());

function login(email: string, password: string, from: string): Promise<Response> {
  return anonymous()("POST", "/api/v1/auth/login", { email, password }, { "X-Forwarded-For": from });
}

function requestReset(email: string, from: string): Promise<Response> {
  return anonymous()("POST", "/api/v1/auth/password-reset", { email }, { "X-Forwarded-For": from });
}

function resetMailsTo(email: string): number {
  return box.deps.db
    .select()
    .from(mailMessages)
    .where(eq(mailMessages.toAddress, email))
    .all()
    .filter((mail) => mail.template === "password_reset").length;
}

describe("an attacker without an account cannot lock another organisation's admin out", () => {
  test("the victim signs in and gets a reset from their own address; the guessing addresses stay locked", async () => {
    // Five wrong passwords from five addresses: the exact steps.
    for (const address of ATTACKERS) expect((await login(VICTIM, "wrong guess number one", address)).status).toBe(401);
    // One of them keeps going until it is locked (its earlier tries seeded, to skip their back-off waits).
    const [first] = ATTACKERS;
    if (!first) throw new Error("no attacker");
    box.deps.db
      .update(authThrottles)
      .set({ failures: SIGN_IN_LOCKOUT.lockAfter - 1, lockedUntil: null })
      .where(eq(authThrottles.key, signInThrottleKeys(VICTIM, first).pair))
      .run();
    expect((await login(VICTIM, "wrong guess, the last one", first)).status).toBe(401);
    const locked = await login(VICTIM, TEST_PASSWORD, first);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(SIGN_IN_LOCKOUT.lockMinutes * 60 - 10);

    // The victim, from their own address, is not locked.
    expect((await login(VICTIM, TEST_PASSWORD, VICTIM_ADDRESS)).status).toBe(200);
    // Their sign-in does not unlock the attacker's address.
    expect((await login(VICTIM, TEST_PASSWORD, first)).status).toBe(429);

    // Five reset requests from the attacker's addresses do not take the victim's reset away.
    for (const address of ATTACKERS) expect((await requestReset(VICTIM, address)).status).toBe(204);
    expect((await requestReset(VICTIM, VICTIM_ADDRESS)).status).toBe(204);
    // Resets are written after the answer: wait for all six, then the newest link is the live one.
    for (let attempt = 0; attempt < 100 && resetMailsTo(VICTIM) < ATTACKERS.length + 1; attempt += 1)
      await Bun.sleep(20);
    expect(resetMailsTo(VICTIM)).toBe(ATTACKERS.length + 1);
    const mail = latestMail(box, VICTIM) ?? (null as never);
    // Setting a new password with it lifts every lock on the e-mail, the guessing addresses' too.
    const reset = await anonymous()("POST", "/api/v1/auth/password-reset/confirm", {
      token: linkOf(mail).token,
      password: "velvet harbour compass 93",
    });
    expect(reset.status).toBe(204);
    expect((await login(VICTIM, "wrong guess after the reset", first)).status).toBe(401);
  });

  test("one address asking again and again for one e-mail is refused with 429, known or not", async () => {
    for (const email of ["admin@beta.test", "nobody-at-all@beta.test"]) {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await requestReset(email, "192.0.2.99")).status);
      expect(statuses).toEqual([204, 204, 204, 204, 204, 429]);
    }
  });

  test("requests for one e-mail from many addresses are all answered 204 alike, but the mails stop at a cap", async () => {
    await createUser(box, {
      orgId: (await createOrganization(box, "Delta")).orgId,
      role: "member",
      email: "flooded@delta.test",
    });
    const answers: Record<string, number[]> = {};
    for (const email of ["flooded@delta.test", "nobody-flooded@delta.test"]) {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 30; attempt += 1) {
        statuses.push((await requestReset(email, `192.0.2.${attempt + 100}`)).status);
      }
      answers[email] = statuses;
    }
    expect(answers["flooded@delta.test"]).toEqual(new Array<number>(30).fill(204));
    expect(answers["nobody-flooded@delta.test"]).toEqual(answers["flooded@delta.test"]);
    await Bun.sleep(300);
    const sent = resetMailsTo("flooded@delta.test");
    expect(sent).toBeGreaterThan(5);
    expect(sent).toBeLessThan(30);
  });
});

describe("guessing one e-mail from many addresses is still slowed down", () => {
  /**
   * One wrong password from each of `count` fresh addresses, each as soon as the e-mail may be
   * tried again: the wait (seconds) the e-mail was given after each failure, 0 when none.
   */
  async function distributedGuesses(email: string, count: number, start: number): Promise<number[]> {
    const waits: number[] = [];
    let now = start;
    for (let guess = 0; guess < count; guess += 1) {
      const result = await verifyCredentials(
        box.deps.db,
        { email, password: "a distributed wrong guess" },
        { ipAddress: `10.${email.length}.${guess}.1` },
        new Date(now),
      );
      expect(result).toEqual({ ok: false, reason: "invalid_credentials" });
      const until = throttledUntil(box.deps.db, signInThrottleKeys(email, "").email, new Date(now));
      const wait = until ? Math.ceil((until.getTime() - now) / 1000) : 0;
      waits.push(wait);
      now += wait * 1000 + 1000;
    }
    return waits;
  }

  test("the back-off grows with failures from all addresses together, but is never a lockout", async () => {
    const start = Date.now() + 2 * 365 * 24 * 3_600_000;
    const known = await distributedGuesses("known-slow@example.com", 16, start);
    expect(known.slice(-6)).toEqual([2, 4, 8, 16, 32, 60]);
    for (let index = 1; index < known.length; index += 1)
      expect(known[index]).toBeGreaterThanOrEqual(known[index - 1] ?? 0);
    expect(Math.max(...known)).toBeLessThanOrEqual(60);
    // The same for an address without an account: the slow-down does not tell them apart.
    const unknown = await distributedGuesses("unknown-slow@example.com", 16, start);
    expect(unknown).toEqual(known);
  });

  test("while the e-mail is slowed down, the right password from anywhere waits at most a minute, then works", async () => {
    const email = "known-slow@example.com";
    const start = Date.now() + 3 * 365 * 24 * 3_600_000;
    const waits = await distributedGuesses(email, 12, start);
    const last = waits.at(-1) ?? 0;
    expect(last).toBeGreaterThan(0);
    // Straight after the last failure (same instant): a slow-down, not a lockout.
    const end = start + waits.slice(0, -1).reduce((sum, wait) => sum + wait * 1000 + 1000, 0);
    const waiting = await verifyCredentials(
      box.deps.db,
      { email, password: TEST_PASSWORD },
      { ipAddress: "198.51.100.200" },
      new Date(end),
    );
    expect(waiting).toEqual({ ok: false, reason: "locked", retryAfterSeconds: last });
    const after = await verifyCredentials(
      box.deps.db,
      { email, password: TEST_PASSWORD },
      { ipAddress: "198.51.100.200" },
      new Date(end + last * 1000),
    );
    expect(after.ok).toBe(true);
  });
});
