import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { users } from "../../models/identity.ts";
import { mailMessages } from "../../models/mail.ts";
import { mailSuppressions } from "../../models/mail-suppressions.ts";
import { notifications } from "../../models/notifications.ts";
import { saveMailSettings } from "../mail/settings.ts";
import { suppressAddress } from "../mail/suppression.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { loopbackSmtpSettings, startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server.ts";
import { apiAs, type Call, errorOf, jsonOf } from "../work/approvals/test-kit.ts";
import type { BroadcastJson, RecipientJson } from "./schemas.ts";
import { untilDelivered } from "./test-kit.ts";

type Full = BroadcastJson & { recipients: RecipientJson[] };

let box: TestApp;
let smtp: TestSmtpServer;
let orgId = "";
let adminId = "";
const people: Record<string, string> = {};
let kitchenId = "";
let globex = { orgId: "", adminId: "" };
let globexTeamId = "";
let globexRoleId = "";
let asMia: Call;
let asGlobex: Call;

beforeAll(async () => {
  box = await startInProcessApp();
  smtp = await startTestSmtpServer();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  adminId = acme.adminId;
  saveMailSettings(box.deps.db, box.deps.keyring, loopbackSmtpSettings(smtp));
  const roles: [string, string][] = [
    ["mia", "manager"],
    ["leo", "team_lead"],
    ["max", "member"],
    ["nina", "member"],
    ["owen", "member"],
    ["vera", "viewer"],
  ];
  for (const [name, role] of roles) {
    people[name] = await createUser(box, {
      orgId,
      role,
      name: name[0]?.toUpperCase() + name.slice(1),
      email: `${name}@acme.test`,
    });
  }
  people.gone = await createUser(box, { orgId, role: "member", email: "gone@acme.test" });
  asMia = apiAs(box, people.mia ?? "", orgId);
  const kitchen = await jsonOf<{ id: string }>(
    await asMia("POST", "/api/v1/teams", {
      name: "Kitchen",
      memberIds: [people.mia, people.max, people.nina, people.owen, people.gone],
    }),
    201,
  );
  kitchenId = kitchen.id;
  box.deps.db
    .update(users)
    .set({ status: "deactivated" })
    .where(eq(users.id, people.gone ?? ""))
    .run();
  // Nina reads broadcasts in the console only, Owen by e-mail only.
  await apiAs(box, people.nina ?? "", orgId)("PUT", "/api/v1/me/notification-preferences", {
    choices: { broadcast: { email: false } },
  });
  await apiAs(box, people.owen ?? "", orgId)("PUT", "/api/v1/me/notification-preferences", {
    choices: { broadcast: { console: false } },
  });
  globex = await createOrganization(box, "Globex");
  asGlobex = apiAs(box, globex.adminId, globex.orgId);
  globexTeamId = (await jsonOf<{ id: string }>(await asGlobex("POST", "/api/v1/teams", { name: "Night shift" }), 201))
    .id;
  globexRoleId = (
    await jsonOf<{ id: string }>(
      await asGlobex("POST", "/api/v1/roles", { name: "Drivers", permissions: ["workspace.read"] }),
      201,
    )
  ).id;
});
afterAll(async () => {
  await box.close();
  await smtp.close();
});

const kitchen = () => ({ type: "team", teamId: kitchenId });

describe("POST /api/v1/broadcasts/preview", () => {
  test("counts the active people an audience reaches, never the sender", async () => {
    const count = async (audience: unknown) =>
      (await jsonOf<{ recipientCount: number }>(await asMia("POST", "/api/v1/broadcasts/preview", { audience }), 200))
        .recipientCount;
    // Ada, Leo, Max, Nina, Owen, Vera: not Mia herself, not the deactivated member.
    expect(await count({ type: "organization" })).toBe(6);
    expect(await count(kitchen())).toBe(3);
    expect(await count({ type: "role", role: "member" })).toBe(3);
    expect(await count({ type: "role", role: "manager" })).toBe(0);
  });
});

describe("POST /api/v1/broadcasts", () => {
  test("answers at once; each recipient gets a console notification and an e-mail as their choices allow", async () => {
    const response = await asMia("POST", "/api/v1/broadcasts", {
      subject: "Deep clean on Friday",
      body: "The kitchen closes at **3 pm**.\n\n- wipe\n- mop",
      audience: kitchen(),
    });
    const created = await jsonOf<BroadcastJson>(response, 202);
    expect(response.headers.get("Location")).toBe(`/api/v1/broadcasts/${created.id}`);
    expect(created.status).toBe("sending");
    expect(created.audience).toEqual({ type: "team", id: kitchenId, label: "Kitchen" });

    const done = await untilDelivered(asMia, created.id);
    expect(done.status).toBe("sent");
    const byName = Object.fromEntries(done.recipients.map((row) => [row.name, row]));
    expect(Object.keys(byName).sort()).toEqual(["Max", "Nina", "Owen"]);
    expect(byName.Nina?.emailStatus).toBe("off");
    expect(byName.Owen?.inConsole).toBe(false);
    expect(done.counts.recipients).toBe(3);

    // Max and Owen's e-mails really leave the box, through the SMTP server.
    await smtp.waitFor(2);
    const sent = await untilDelivered(asMia, created.id, (row) => row.counts.email.sent === 2);
    expect(sent.counts.email).toMatchObject({ sent: 2, off: 1, queued: 0 });
    const mail = box.deps.db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.toAddress, "max@acme.test"), eq(mailMessages.template, "broadcast")))
      .get();
    expect(mail?.kind).toBe("non_essential");
    expect(mail?.subject).toBe("Deep clean on Friday · Acme Ltd");
    expect(mail?.htmlBody).toContain("<strong>3 pm</strong>");
    expect(mail?.textBody).toContain(`/broadcasts/${created.id}`);

    const bell = box.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, people.nina ?? ""), eq(notifications.subjectId, created.id)))
      .get();
    expect(bell).toMatchObject({
      kind: "broadcast",
      title: "Mia: Deep clean on Friday",
      link: `/broadcasts/${created.id}`,
    });
    expect(
      box.deps.db
        .select()
        .from(notifications)
        .where(eq(notifications.userId, people.owen ?? ""))
        .all(),
    ).toEqual([]);
  });

  test("a recipient reading the console notification shows as read", async () => {
    const created = await jsonOf<BroadcastJson>(
      await asMia("POST", "/api/v1/broadcasts", { subject: "Menu", body: "New menu.", audience: kitchen() }),
      202,
    );
    await untilDelivered(asMia, created.id);
    const asMax = apiAs(box, people.max ?? "", orgId);
    const page = await jsonOf<{ data: { id: string; link: string }[] }>(
      await asMax("GET", "/api/v1/notifications"),
      200,
    );
    const mine = page.data.find((row) => row.link === `/broadcasts/${created.id}`);
    await jsonOf(await asMax("POST", `/api/v1/notifications/${mine?.id}/read`), 200);
    const after = await jsonOf<Full>(await asMia("GET", `/api/v1/broadcasts/${created.id}`), 200);
    expect(after.counts.read).toBe(1);
    expect(after.recipients.find((row) => row.name === "Max")?.readAt).not.toBeNull();
    expect(after.recipients.find((row) => row.name === "Nina")?.readAt).toBeNull();
  });

  test("an address on the suppression list (it unsubscribed) shows as suppressed", async () => {
    suppressAddress(box.deps.db, {
      orgId,
      address: "owen@acme.test",
      reason: "unsubscribed",
      source: "unsubscribe_page",
    });
    const created = await jsonOf<BroadcastJson>(
      await asMia("POST", "/api/v1/broadcasts", { subject: "Rota", body: "See the rota.", audience: kitchen() }),
      202,
    );
    const done = await untilDelivered(asMia, created.id, (row) => row.counts.email.queued === 0);
    expect(done.recipients.find((row) => row.name === "Owen")?.emailStatus).toBe("suppressed");
    expect(done.recipients.find((row) => row.name === "Max")?.emailStatus).toBe("sent");
    box.deps.db.delete(mailSuppressions).run();
  });

  test("is refused with field errors: an empty subject, an audience that reaches nobody", async () => {
    const empty = await asMia("POST", "/api/v1/broadcasts", { subject: " ", body: "x", audience: kitchen() });
    expect(empty.status).toBe(422);
    expect((await errorOf(empty)).details?.map((detail) => detail.path)).toEqual(["subject"]);
    const nobody = await asMia("POST", "/api/v1/broadcasts", {
      subject: "Managers",
      body: "x",
      audience: { type: "role", role: "manager" },
    });
    expect(nobody.status).toBe(422);
    expect((await errorOf(nobody)).details?.[0]?.path).toBe("audience");
  });
});

describe("who may send and read", () => {
  test("team leads, members and viewers get 403 on every broadcast route of the API", async () => {
    for (const name of ["leo", "max", "vera"]) {
      const call = apiAs(box, people[name] ?? "", orgId);
      const body = { subject: "Hi", body: "x", audience: { type: "organization" } };
      for (const [method, path, sent] of [
        ["POST", "/api/v1/broadcasts", body],
        ["POST", "/api/v1/broadcasts/preview", { audience: { type: "organization" } }],
        ["GET", "/api/v1/broadcasts", undefined],
        ["GET", "/api/v1/broadcasts/brd_00000000000000000000000000", undefined],
      ] as const) {
        const response = await call(method, path, sent);
        expect([name, path, response.status]).toEqual([name, path, 403]);
        expect((await errorOf(response)).code).toBe("forbidden");
      }
    }
  });

  test("an admin sends too, and the list shows every broadcast of the organisation, newest first", async () => {
    const asAdmin = apiAs(box, adminId, orgId);
    const created = await jsonOf<BroadcastJson>(
      await asAdmin("POST", "/api/v1/broadcasts", {
        subject: "All hands",
        body: "At 10.",
        audience: { type: "organization" },
      }),
      202,
    );
    const done = await untilDelivered(asAdmin, created.id);
    expect(done.recipients.map((row) => row.name).sort()).toEqual(["Leo", "Max", "Mia", "Nina", "Owen", "Vera"]);
    const page = await jsonOf<{ data: BroadcastJson[]; nextCursor: string | null }>(
      await asMia("GET", "/api/v1/broadcasts?limit=2"),
      200,
    );
    expect(page.data[0]?.subject).toBe("All hands");
    expect(page.data[0]?.counts.recipients).toBe(6);
    expect(page.nextCursor).not.toBeNull();
    expect((await asMia("GET", "/api/v1/broadcasts?cursor=nope")).status).toBe(422);
  });

  test("another organisation's manager can neither target Acme's teams or roles nor read its broadcasts", async () => {
    const [first] = (await jsonOf<{ data: BroadcastJson[] }>(await asMia("GET", "/api/v1/broadcasts"), 200)).data;
    const read = await asGlobex("GET", `/api/v1/broadcasts/${first?.id}`);
    expect(read.status).toBe(404);
    expect((await errorOf(read)).code).toBe("not_found");
    expect((await jsonOf<{ data: unknown[] }>(await asGlobex("GET", "/api/v1/broadcasts"), 200)).data).toEqual([]);

    const team = await asGlobex("POST", "/api/v1/broadcasts", { subject: "Hi", body: "x", audience: kitchen() });
    expect(team.status).toBe(422);
    expect((await errorOf(team)).details?.[0]?.path).toBe("audience.teamId");
    const asMiaPreview = await asMia("POST", "/api/v1/broadcasts/preview", {
      audience: { type: "team", teamId: globexTeamId },
    });
    expect(asMiaPreview.status).toBe(422);
    const role = await asMia("POST", "/api/v1/broadcasts", {
      subject: "Hi",
      body: "x",
      audience: { type: "role", role: globexRoleId },
    });
    expect(role.status).toBe(422);
    expect((await errorOf(role)).details?.[0]?.path).toBe("audience.role");
  });
});
