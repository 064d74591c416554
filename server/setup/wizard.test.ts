import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { organizations, users } from "../../models/identity.ts";
import { organizationTimeZone } from "../organization-time-zone.ts";
import type { TestApp } from "../testing/harness.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { setupTokenPath } from "./token.ts";
import {
  ADMIN_PASSWORD,
  cookieFrom,
  openWizard,
  postStep,
  readSetupToken,
  totpCodeFromPage,
  walkToReview,
} from "./wizard-test-helpers.ts";

let box: TestApp;
beforeAll(async () => {
  box = await startInProcessApp();
});
afterAll(() => box.close());

describe("the setup link", () => {
  test("moves the token into a short-lived HttpOnly SameSite=Strict cookie and out of the address bar", async () => {
    const response = await box.fetch(`/setup?token=${readSetupToken(box)}`);
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/setup");
    const header = response.headers.getSetCookie().find((line) => line.startsWith("opsbox_setup=")) ?? "";
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Strict");
    expect(header).toContain("Path=/setup");
    expect(header).toMatch(/Max-Age=\d+/);
    const cookie = cookieFrom(response, "opsbox_setup") ?? "";
    const resume = await box.fetch("/setup", { headers: { Cookie: cookie } });
    expect(resume.status).toBe(302);
    expect(resume.headers.get("Location")).toBe("/setup/organisation");
    const page = await box.fetch("/setup/organisation", { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Step 1 of 9");
    expect(html).toContain('name="name"');
  });

  test("without the token, /setup only says where to find it", async () => {
    const response = await box.fetch("/setup");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("This box is not set up yet.");
    expect(html).toContain(setupTokenPath(box.dataDir));
    expect(html).toContain("sudo cat");
    expect(html).not.toContain("<form");
    expect(html).not.toContain(readSetupToken(box));
  });

  test("a wrong token gets the same page and no cookie", async () => {
    const response = await box.fetch("/setup?token=not-the-token", { headers: { "X-Forwarded-For": "198.51.100.7" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("This box is not set up yet.");
    expect(cookieFrom(response, "opsbox_setup")).toBeNull();
  });

  test("steps without the cookie lead back to /setup", async () => {
    const page = await box.fetch("/setup/administrator");
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/setup");
    const post = await postStep(box, "opsbox_setup=forged.cookie", "organisation", { name: "X", nav: "next" });
    expect(post.headers.get("HX-Redirect")).toBe("/setup");
  });
});

describe("wizard steps", () => {
  test("a refused step answers 422 with the errors beside the fields and keeps what was typed", async () => {
    const cookie = await openWizard(box);
    const empty = await postStep(box, cookie, "organisation", { name: " ", industry: "retail", nav: "next" });
    expect(empty.status).toBe(422);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain("Enter your organisation&#39;s name.");
    expect(emptyHtml).toMatch(/name="name"[^>]*aria-invalid="true"/);
    expect(emptyHtml).toMatch(/<option value="retail" selected/);

    await postStep(box, cookie, "organisation", { name: "Corner Shop", industry: "retail", nav: "next" });
    const refused = await postStep(box, cookie, "administrator", {
      name: "Rita Retail",
      email: "not-an-email",
      password: "hunter2-but-longer",
      confirm: "hunter2-but-longer",
      nav: "next",
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('value="Rita Retail"');
    expect(html).toContain('value="not-an-email"');
    expect(html).toContain("Enter a valid e-mail address.");
    expect(html).toContain("Re-enter your password.");
    expect(html).not.toContain("hunter2-but-longer");
  });

  test("back and next keep every value, and a kept password is not asked for again", async () => {
    const cookie = await openWizard(box);
    await postStep(box, cookie, "organisation", { name: "Field & Co", industry: "agriculture", nav: "next" });
    const admin = { name: "Fred Farmer", email: "fred@example.com" };
    await postStep(box, cookie, "administrator", {
      ...admin,
      password: ADMIN_PASSWORD,
      confirm: ADMIN_PASSWORD,
      nav: "next",
    });
    const back = await postStep(box, cookie, "two-factor", { code: "", nav: "back" });
    expect(back.headers.get("HX-Push-Url")).toBe("/setup/administrator");
    const adminHtml = await back.text();
    expect(adminHtml).toContain('value="Fred Farmer"');
    expect(adminHtml).toContain("A password is set.");
    const toOrganisation = await postStep(box, cookie, "administrator", {
      ...admin,
      password: "",
      confirm: "",
      nav: "back",
    });
    const orgHtml = await toOrganisation.text();
    expect(orgHtml).toContain('value="Field &amp; Co"');
    expect(orgHtml).toMatch(/<option value="agriculture" selected/);
    await postStep(box, cookie, "organisation", { name: "Field & Co", industry: "agriculture", nav: "next" });
    const forward = await postStep(box, cookie, "administrator", { ...admin, password: "", confirm: "", nav: "next" });
    expect(forward.status).toBe(200);
    expect(forward.headers.get("HX-Push-Url")).toBe("/setup/two-factor");
  });

  test("a wrong authenticator code is refused and steps ahead cannot be opened early", async () => {
    const cookie = await openWizard(box);
    const early = await box.fetch("/setup/review", { headers: { Cookie: cookie } });
    expect(early.status).toBe(302);
    expect(early.headers.get("Location")).toBe("/setup/organisation");
    await postStep(box, cookie, "organisation", { name: "Acme", industry: "general", nav: "next" });
    await postStep(box, cookie, "administrator", {
      name: "Ada",
      email: "ada@example.com",
      password: ADMIN_PASSWORD,
      confirm: ADMIN_PASSWORD,
      nav: "next",
    });
    const wrong = await postStep(box, cookie, "two-factor", { code: "000000", nav: "next" });
    const html = await wrong.text();
    expect(wrong.status).toBe(422);
    expect(html).toContain("That code is not right.");
    expect(html).toContain("<svg");
  });

  test("plain form posts without JavaScript get post/redirect/get", async () => {
    const cookie = await openWizard(box);
    const response = await postStep(box, cookie, "organisation", { name: "No JS Ltd", nav: "next" }, { htmx: false });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/setup/administrator");
  });
});

describe("the backups step", () => {
  test("takes a directory, path-style and retention; the preset's floor is shown and the review lists them", async () => {
    const cookie = await openWizard(box);
    await walkToReview(box, cookie, "Backup Bakery");
    const step = await box.fetch("/setup/backups", { headers: { Cookie: cookie } });
    const stepHtml = await step.text();
    expect(stepHtml).toContain('name="directory"');
    expect(stepHtml).toContain('name="forcePathStyle"');
    expect(stepHtml).toContain("asks for at least 90 days");
    const form = { enabled: "true", directory: "usb/opsbox", retentionDays: "120", nav: "next" };
    const refused = await postStep(box, cookie, "backups", form);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Enter an absolute path, like /mnt/usb/opsbox.");
    expect((await postStep(box, cookie, "backups", { ...form, directory: "/mnt/usb/opsbox" })).status).toBe(200);
    const review = await (await box.fetch("/setup/review", { headers: { Cookie: cookie } })).text();
    expect(review).toContain("Directory /mnt/usb/opsbox");
    expect(review).toContain("Snapshots kept 120 days");
  });
});

describe("the e-mail step", () => {
  test("offers SMTP, Resend and SendGrid; an API key is required, kept out of the page and named in the review", async () => {
    const cookie = await openWizard(box);
    await walkToReview(box, cookie, "Mail Bakery");
    const stepHtml = await (await box.fetch("/setup/email", { headers: { Cookie: cookie } })).text();
    for (const provider of ["log", "smtp", "resend", "sendgrid"])
      expect(stepHtml).toContain(`name="provider" value="${provider}"`);
    expect(stepHtml).toContain('name="apiKey"');

    const form = { provider: "resend", from: "orders@bakery.example", nav: "next" };
    const refused = await postStep(box, cookie, "email", form);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Enter the API key.");
    const accepted = await postStep(box, cookie, "email", { ...form, apiKey: "re_wizard_secret_123" });
    expect(accepted.status).toBe(200);

    const again = await (await box.fetch("/setup/email", { headers: { Cookie: cookie } })).text();
    expect(again).not.toContain("re_wizard_secret_123");
    expect(again).toContain("Saved. Leave blank to keep it.");
    expect(again).toContain('value="resend" checked');
    const review = await (await box.fetch("/setup/review", { headers: { Cookie: cookie } })).text();
    expect(review).toContain("Resend (API key stored encrypted), from orders@bakery.example");
    expect(review).not.toContain("re_wizard_secret_123");

    // SendGrid with the key left blank: the Resend key is never taken for SendGrid's.
    const switched = { provider: "sendgrid", from: "o@bakery.example", nav: "next" };
    const noKey = await postStep(box, cookie, "email", switched);
    expect(noKey.status).toBe(422);
    expect(await noKey.text()).toContain("Enter the API key.");
    expect((await postStep(box, cookie, "email", { ...switched, apiKey: "SG.wizard.key" })).status).toBe(200);
    const sendGridReview = await (await box.fetch("/setup/review", { headers: { Cookie: cookie } })).text();
    expect(sendGridReview).toContain("SendGrid (API key stored encrypted), from o@bakery.example");
  });
});

describe("finishing the wizard", () => {
  test("sets up the box, stores the verified 2FA key and signs the admin in", async () => {
    const cookie = await openWizard(box);
    const review = await walkToReview(box, cookie, "Wizard & Sons");
    const reviewHtml = await review.text();
    expect(reviewHtml).toContain("Step 9 of 9");
    expect(reviewHtml).toContain("Wizard &amp; Sons");
    expect(reviewHtml).toContain("recovery codes");
    expect(reviewHtml).toContain("Time zone: UTC");

    // The organisation's time zone: an unknown one comes back as typed, a known one is in the review.
    const organisation = { name: "Wizard & Sons", industry: "legal", nav: "next" };
    const unknownZone = await postStep(box, cookie, "organisation", { ...organisation, timeZone: "Mars/Base" });
    expect(unknownZone.status).toBe(422);
    const unknownHtml = await unknownZone.text();
    expect(unknownHtml).toContain('value="Mars/Base"');
    expect(unknownHtml).toContain("Choose a time zone from the list");
    expect(unknownHtml).toContain('<option value="Europe/Lisbon">');
    await postStep(box, cookie, "organisation", { ...organisation, timeZone: "Europe/Lisbon" });
    const zoned = await (await box.fetch("/setup/review", { headers: { Cookie: cookie } })).text();
    expect(zoned).toContain("Time zone: Europe/Lisbon");

    const finish = await postStep(box, cookie, "review", { nav: "next" }, { address: "192.0.2.50" });
    expect(finish.status).toBe(200);
    expect(finish.headers.get("HX-Redirect")).toBe("/");
    const session = cookieFrom(finish, "opsbox_session") ?? "";
    expect(session).not.toBe("");

    const home = await box.fetch("/", { headers: { Cookie: session } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Wizard &amp; Sons");
    const me = (await (await box.fetch("/api/v1/me", { headers: { Cookie: session } })).json()) as {
      twoFactorEnabled: boolean;
      pending: string | null;
      role: string;
    };
    expect(me).toMatchObject({ twoFactorEnabled: true, pending: null, role: "admin" });

    const admin = box.deps.db.select().from(users).where(eq(users.email, "ada@example.com")).get();
    expect(admin?.totpKeyEncrypted).toStartWith("v1.");
    const actions = box.deps.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .all()
      .map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(["setup.completed", "auth.two_factor_enabled", "auth.sign_in"]));

    const organization = box.deps.db.select().from(organizations).where(eq(organizations.name, "Wizard & Sons")).get();
    expect(organizationTimeZone(box.deps.db, organization?.id ?? "")).toBe("Europe/Lisbon");

    expect(existsSync(setupTokenPath(box.dataDir))).toBe(false);
    const again = await box.fetch("/setup", { headers: { Cookie: cookie } });
    expect(again.status).toBe(302);
    expect(again.headers.get("Location")).toBe("/");
    const lateStep = await postStep(box, cookie, "organisation", { name: "Late", nav: "next" });
    expect(lateStep.headers.get("HX-Redirect")).toBe("/");
  });
});

test("the TOTP code helper reads the key the page shows", () => {
  expect(totpCodeFromPage('<code id="totp-secret" class="totp-secret">GEZD GNBV GY3T QOJQ</code>')).toMatch(/^\d{6}$/);
});
