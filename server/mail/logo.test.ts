import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, desc, eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { mailAttachments, mailMessages } from "../../models/mail.ts";
import { apiAs, type Call } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { untilMailStatus } from "../testing/outbox.ts";
import { loopbackSmtpSettings, startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server.ts";
import { LOGO_CONTENT_ID, logoProblem } from "./logo.ts";
import { saveMailSettings } from "./settings.ts";

/** A real 1 × 1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

let box: TestApp;
let smtp: TestSmtpServer;
let acme: { orgId: string; adminId: string };
let globex: { orgId: string; adminId: string };
let admin: Call;
let viewer: Call;
let globexAdmin: Call;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  const viewerId = await createUser(box, { orgId: acme.orgId, role: "viewer" });
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  viewer = apiAs(box, sessionCookie(box, viewerId, acme.orgId));
  globexAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
  saveMailSettings(box.deps.db, box.deps.keyring, loopbackSmtpSettings(smtp));
});
afterAll(async () => {
  await box?.close();
  await smtp?.close();
});

const logoOf = async (call: Call) => (await call("GET", "/api/v1/mail/logo")).json();

describe("the organisation's e-mail logo", () => {
  test("only PNGs up to 100 KB and 1024 pixels a side are taken", () => {
    expect(logoProblem(new Uint8Array(PNG))).toBeNull();
    expect(logoProblem(new Uint8Array(SVG))).toContain("PNG");
    const huge = new Uint8Array(PNG);
    new DataView(huge.buffer).setUint32(16, 5000);
    expect(logoProblem(huge)).toContain("1024");
    const heavy = new Uint8Array(100 * 1024 + 1);
    heavy.set(PNG);
    expect(logoProblem(heavy)).toContain("100 KB");
  });

  test("a viewer gets 403; an SVG is 422 on logo; a PNG is stored, audited, and another organisation sees none", async () => {
    expect((await viewer("PUT", "/api/v1/mail/logo", { png: PNG.toString("base64") })).status).toBe(403);
    const svg = await admin("PUT", "/api/v1/mail/logo", { png: SVG.toString("base64") });
    expect(svg.status).toBe(422);
    expect(JSON.stringify(await svg.json())).toContain('"path":"logo"');

    const saved = await admin("PUT", "/api/v1/mail/logo", { png: PNG.toString("base64") });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ set: true, sizeBytes: PNG.byteLength });
    expect(await logoOf(globexAdmin)).toMatchObject({ set: false });
    // Another organisation's DELETE removes its own (none), never Acme's.
    expect((await globexAdmin("DELETE", "/api/v1/mail/logo")).status).toBe(204);
    expect(await logoOf(admin)).toMatchObject({ set: true });
    const audited = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, acme.orgId), eq(auditEvents.action, "settings.logo_changed")))
      .all();
    expect(audited).toHaveLength(1);
  });

  test("an invitation carries it inline (cid) over real SMTP; the other organisation's mail has none", async () => {
    expect(
      (await admin("POST", "/api/v1/users", { email: "lia@example.com", name: "Lia", role: "member" })).status,
    ).toBe(201);
    const row = box.deps.db
      .select()
      .from(mailMessages)
      .where(eq(mailMessages.toAddress, "lia@example.com"))
      .orderBy(desc(mailMessages.id))
      .get();
    expect(row?.htmlBody).toContain(`src="cid:${LOGO_CONTENT_ID}"`);
    const sent = await untilMailStatus(box.deps.db, row?.id ?? "", "sent");
    const raw = smtp.received.find((mail) => mail.messageId === sent.messageIdHeader)?.raw ?? "";
    const { default: PostalMime } = await import("postal-mime");
    const parsed = await PostalMime.parse(raw);
    const logo = parsed.attachments.find((attachment) => attachment.contentId === `<${LOGO_CONTENT_ID}>`);
    expect(logo?.mimeType).toBe("image/png");
    expect(Buffer.from(logo?.content as ArrayBuffer).equals(PNG)).toBe(true);

    expect(
      (await globexAdmin("POST", "/api/v1/users", { email: "gus@example.com", name: "Gus", role: "member" })).status,
    ).toBe(201);
    const theirs = box.deps.db.select().from(mailMessages).where(eq(mailMessages.toAddress, "gus@example.com")).get();
    expect(theirs?.htmlBody).not.toContain("cid:");
    expect(
      box.deps.db
        .select()
        .from(mailAttachments)
        .where(eq(mailAttachments.messageId, theirs?.id ?? ""))
        .all(),
    ).toEqual([]);
  }, 20_000);

  test("Settings → Logo: upload from a file, a refused SVG is 422 beside the field, then remove", async () => {
    const headers = consoleHeaders(box, sessionCookie(box, acme.adminId, acme.orgId));
    const post = (path: string, form: FormData) =>
      box.fetch(path, { method: "POST", headers: { ...headers, "HX-Request": "true" }, body: form });
    const page = await box.fetch("/settings/logo", { headers });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("data:image/png;base64,");

    const refused = new FormData();
    refused.set("logo", new File([SVG], "logo.svg", { type: "image/svg+xml" }));
    const svg = await post("/settings/logo", refused);
    expect(svg.status).toBe(422);
    expect(await svg.text()).toContain("mail clients do not show SVG");

    const removed = await post("/settings/logo/remove", new FormData());
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain("No logo yet");
    expect(await logoOf(admin)).toMatchObject({ set: false });

    const upload = new FormData();
    upload.set("logo", new File([PNG], "logo.png", { type: "image/png" }));
    const uploaded = await post("/settings/logo", upload);
    expect(uploaded.status).toBe(200);
    expect(await uploaded.text()).toContain("Saved.");
    expect(await logoOf(admin)).toMatchObject({ set: true });
  });
});
