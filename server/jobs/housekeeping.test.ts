import { afterEach, expect, test } from "bun:test";
import { authThrottles, emailTokens, membershipInvitations, sessions, users } from "../../models/identity.ts";
import { createLogger } from "../http/logger.ts";
import { newId } from "../tools/ids.ts";
import { AUTH_HOUSEKEEPING_JOB, systemJobs } from "./system-jobs.ts";
import { insertOrganizations, type JobsKit, jobsKit } from "./test-kit.ts";

let kit: JobsKit;
afterEach(() => kit?.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Rows of one organisation's person: a session, a reset token and a membership invitation, each live or dead. */
function seedPerson(kit: JobsKit, orgId: string, otherOrgId: string, at: Date, live: boolean) {
  const t = (offset: number) => new Date(at.getTime() + offset);
  const userId = newId("usr");
  const { db } = kit;
  db.insert(users)
    .values({ id: userId, email: `${userId}@example.com`, name: userId, status: "active" })
    .run();
  db.insert(sessions)
    .values([
      {
        id: newId("ses"),
        secretHash: Buffer.alloc(32),
        userId,
        orgId,
        lastSeenAt: at,
        idleExpiresAt: t(live ? HOUR : -1),
        absoluteExpiresAt: t(live ? DAY : DAY),
      },
      {
        id: newId("ses"),
        secretHash: Buffer.alloc(32),
        userId,
        orgId,
        lastSeenAt: at,
        idleExpiresAt: t(live ? HOUR : HOUR),
        absoluteExpiresAt: t(live ? DAY : -1),
      },
    ])
    .run();
  const token = (kind: "password_reset" | "membership", expiresAt: Date, usedAt: Date | null) => ({
    id: newId("ivt"),
    kind,
    tokenHash: Buffer.alloc(32),
    userId,
    orgId,
    expiresAt,
    usedAt,
  });
  db.insert(emailTokens)
    .values(
      live
        ? [token("password_reset", t(HOUR), null), token("membership", t(7 * DAY), null)]
        : [token("password_reset", t(-1), null), token("password_reset", t(HOUR), t(-HOUR))],
    )
    .run();
  db.insert(membershipInvitations)
    .values({
      id: newId("mem"),
      orgId: otherOrgId,
      userId,
      role: "member",
      displayName: userId,
      // Dead: 31 days past expiry; live: expired yesterday, still listed so that it can be sent again.
      expiresAt: t(live ? -DAY : -31 * DAY),
    })
    .run();
  return userId;
}

function housekeeping(kit: JobsKit) {
  const log = createLogger("fatal");
  const config = { jobHistoryDays: 30, dataDir: "", baseUrl: "https://box.example", selfCheckIntervalMs: 60_000 };
  // Only the fields this job reads; the housekeeping job needs no keyring.
  const jobs = systemJobs({ db: kit.db, log, config: config as never, keyring: undefined as never });
  return kit.scheduler(jobs.filter((job) => job.id === AUTH_HOUSEKEEPING_JOB));
}

test("the daily housekeeping deletes expired sessions, spent links and stale counts; live rows stay, in every organisation", async () => {
  kit = jobsKit("2030-01-07T03:00:00Z");
  insertOrganizations(kit.db, ["org_a", "org_b"]);
  const scheduler = housekeeping(kit);
  const start = kit.clock.now;
  // Dead rows in organisation A; live ones in organisation B, made so that they are still live after the clock moves.
  seedPerson(kit, "org_a", "org_b", start, false);
  const liveUser = seedPerson(kit, "org_b", "org_a", new Date(start.getTime() + 20 * 60_000), true);
  kit.db
    .insert(authThrottles)
    .values([
      { key: "stale", failures: 3, firstFailureAt: new Date(start.getTime() - 2 * HOUR), lockedUntil: null },
      {
        key: "locked",
        failures: 9,
        firstFailureAt: new Date(start.getTime() - 2 * HOUR),
        lockedUntil: new Date(start.getTime() + HOUR),
      },
      { key: "recent", failures: 2, firstFailureAt: new Date(start.getTime() - 10 * 60_000), lockedUntil: null },
    ])
    .run();

  // At start (runAtStart), then not again until 03:20 UTC.
  kit.clock.advance(20 * 60_000);
  scheduler.start();
  await scheduler.idle();
  await scheduler.stop(Date.now() + 1_000);

  const [run] = kit.runs();
  expect(run).toMatchObject({ jobId: AUTH_HOUSEKEEPING_JOB, status: "succeeded" });
  expect(run?.resultText).toBe(
    "Removed 2 expired sessions, 2 used or expired password-reset tokens, 1 expired membership invitation, 1 stale sign-in failure count.",
  );
  const left = kit.db.select().from(sessions).all();
  expect(left.length).toBe(2);
  expect(left.every((session) => session.userId === liveUser && session.orgId === "org_b")).toBe(true);
  expect(
    kit.db
      .select()
      .from(emailTokens)
      .all()
      .map((row) => row.userId),
  ).toEqual([liveUser, liveUser]);
  expect(
    kit.db
      .select()
      .from(membershipInvitations)
      .all()
      .map((row) => row.userId),
  ).toEqual([liveUser]);
  expect(
    kit.db
      .select()
      .from(authThrottles)
      .all()
      .map((row) => row.key)
      .sort(),
  ).toEqual(["locked", "recent"]);
});

test("a housekeeping run that finds nothing to remove leaves no history", async () => {
  kit = jobsKit("2030-01-07T03:19:59Z");
  const scheduler = housekeeping(kit);
  scheduler.tick();
  kit.clock.advance(1_000);
  scheduler.tick();
  await scheduler.idle();
  expect(kit.runs()).toEqual([]);
});
