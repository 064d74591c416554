import { afterAll, beforeAll, describe, expect } from "bun:test";
import { eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { ssoProviders } from "../../../models/identity.ts";
import { saveOrganizationPrivateHosts } from "../../outbound/outbound-hosts.ts";
import { collectPageErrors, launchBrowser, saveScreenshot, type TestBrowser } from "../../testing/browser.ts";
import { freePort, startTestApp, type TestApp } from "../../testing/harness.ts";
import { browserSessionCookie, createOrganization, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startOidcProvider, type TestOidcProvider } from "../../testing/oidc-test-provider.ts";
import { testWith } from "../../testing/tools.ts";
import { createSsoProvider } from "./sso-providers.ts";

let box: TestApp;
let setup: TestBox;
let idp: TestOidcProvider;
let browser: TestBrowser | null = null;
let providerId: string;

/** A service context for the setup admin, for arranging data without going through the UI under test. */
function adminContext() {
  const { db, log, keyring } = box.deps;
  return {
    db,
    log,
    keyring,
    orgId: setup.orgId,
    userId: setup.adminId,
    apiKeyId: null,
    permissions: new Set([]),
    meta: {},
  };
}

beforeAll(async () => {
  const port = freePort();
  box = await startTestApp({ env: { PORT: String(port), OPSBOX_BASE_URL: `http://127.0.0.1:${port}` } });
  setup = await setUpBox(box);
  const provider = createSsoProvider(adminContext(), {
    kind: "oidc",
    name: "Acme Keycloak",
    issuer: "https://placeholder.invalid",
    clientId: "opsbox-test",
    clientSecret: "test-client-secret",
    domainRules: [{ domain: "newco.test", role: "member" }],
    enabled: true,
  });
  providerId = provider.id;
  idp = await startOidcProvider({
    redirectUris: [`${box.config.baseUrl}/auth/sso/${provider.id}/callback`],
    accounts: { nina: { email: "nina@newco.test", email_verified: true, name: "Nina Newcomer" } },
  });
  box.deps.db.update(ssoProviders).set({ issuer: idp.issuer }).where(eq(ssoProviders.id, provider.id)).run();
  saveOrganizationPrivateHosts(box.deps.db, setup.orgId, ["127.0.0.1"]);
});
afterAll(async () => {
  await browser?.close();
  await idp?.close();
  await box?.close();
});

/**
 * Playwright's screenshot leaves an empty `style` attribute on inputs (it hides the caret);
 * htmx copies it onto the swapped-in form and the strict CSP rightly refuses it. Tidy up
 * after each screenshot so that only the page's own behaviour is judged.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, name);
  await page.evaluate(() => {
    for (const element of document.querySelectorAll("[style]")) element.removeAttribute("style");
  });
}

async function adminContextInBrowser(userId = setup.adminId, orgId = setup.orgId): Promise<BrowserContext> {
  browser ??= await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([browserSessionCookie(box, userId, orgId)]);
  return context;
}

describe("single sign-on in a browser", () => {
  testWith(
    "chromium",
    "an admin adds a provider; a bad form keeps what was typed but not the secret",
    async () => {
      const context = await adminContextInBrowser();
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/settings/sso`);
      expect(await page.textContent("h1")).toBe("Single sign-on");
      // The issuer field belongs to OpenID Connect, the tenant to Microsoft: they follow the kind chosen.
      expect(await page.isVisible("#sso-issuer")).toBe(false);
      await page.selectOption("#sso-kind", "oidc");
      expect(await page.isVisible("#sso-issuer")).toBe(true);
      expect(await page.isVisible("#sso-tenant")).toBe(false);
      await screenshot(page, "sso-settings");

      await page.fill("#sso-name", "Office Keycloak");
      await page.fill("#sso-issuer", "keycloak without scheme");
      await page.fill("#sso-clientId", "opsbox");
      await page.fill("#sso-clientSecret", "typed-secret");
      await page.fill("#sso-domainRules", "acme.test = Team Member\nexample.org = admin");
      await page.click("form.sso-form button[type=submit]");
      await page.waitForSelector("#sso-issuer[aria-invalid=true]");
      expect(await page.inputValue("#sso-name")).toBe("Office Keycloak");
      expect(await page.inputValue("#sso-clientSecret")).toBe("");
      expect(await page.textContent(".sso-field-issuer small")).toContain("URL");
      await screenshot(page, "sso-settings-invalid");

      await page.fill("#sso-issuer", "https://keycloak.acme.test/realms/acme");
      await page.fill("#sso-clientSecret", "typed-secret");
      await page.click("form.sso-form button[type=submit]");
      await page.waitForSelector(".sso-field-domainRules small:has-text('line 2')");
      await page.fill("#sso-domainRules", "acme.test = Team Member");
      await page.fill("#sso-clientSecret", "typed-secret");
      await page.click("form.sso-form button[type=submit]");
      await page.waitForSelector("text=Office Keycloak was added");
      expect(await page.textContent("table.sso-providers")).toContain("acme.test → member");
      await screenshot(page, "sso-settings-added");

      await page.click(`#sso-provider-${providerId} a:has-text('Edit')`);
      await page.waitForSelector("h2:has-text('Edit Acme Keycloak')");
      expect(await page.inputValue("#sso-issuer")).toBe(idp.issuer);
      expect(await page.inputValue("#sso-domainRules")).toBe("newco.test = member");
      expect(await page.inputValue("#sso-clientSecret")).toBe("");
      await saveScreenshot(page, "sso-settings-edit");
      expect(errors.filter((error) => !error.includes("status of 422"))).toEqual([]);
      await context.close();
    },
    30_000,
  );

  testWith(
    "chromium",
    "another organisation's rule waits for its domain; the instance admin approves it, a bad domain is handed back",
    async () => {
      const globex = await createOrganization(box, "Globex");
      createSsoProvider(
        { ...adminContext(), orgId: globex.orgId, userId: globex.adminId },
        {
          kind: "google",
          name: "Globex Google",
          clientId: "globex.apps.googleusercontent.com",
          clientSecret: "globex-secret",
          domainRules: [{ domain: "globex.test", role: "member" }],
          enabled: false,
        },
      );
      const asGlobex = await adminContextInBrowser(globex.adminId, globex.orgId);
      const page = await asGlobex.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/settings/sso`);
      expect(await page.textContent("table.sso-providers")).toContain(
        "globex.test → member waits for the instance admin's approval",
      );
      expect(await page.textContent("#sso-approved-domains-heading + p")).toContain("Only the instance admin");
      expect(await page.locator("textarea[name=domains]").count()).toBe(0);
      await screenshot(page, "sso-settings-domain-waiting");
      await asGlobex.close();

      const asInstanceAdmin = await adminContextInBrowser();
      const admin = await asInstanceAdmin.newPage();
      admin.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      await admin.goto(`${box.url}/settings/sso`);
      const form = `form:has(input[name=scope][value="${globex.orgId}"]):has(textarea[name=domains])`;
      await admin.fill(`${form} textarea`, "globex.test\nglobex");
      await admin.click(`${form} button[type=submit]`);
      await admin.waitForSelector(`${form} textarea[aria-invalid=true]`);
      expect(await admin.inputValue(`${form} textarea`)).toBe("globex.test\nglobex");
      expect(await admin.textContent(`${form} small`)).toContain("(line 2)");
      await screenshot(admin, "sso-settings-domains-invalid");
      await admin.fill(`${form} textarea`, "globex.test");
      await admin.click(`${form} button[type=submit]`);
      await admin.waitForSelector("text=Globex's domain rules may make accounts at: globex.test.");
      expect(await admin.inputValue(`${form} textarea`)).toBe("globex.test");
      await screenshot(admin, "sso-settings-domains-approved");
      expect(errors.filter((error) => !error.includes("status of 422"))).toEqual([]);
      await asInstanceAdmin.close();
    },
    30_000,
  );

  testWith(
    "chromium",
    "a newcomer signs in through the provider's own pages and lands signed in",
    async () => {
      browser ??= await launchBrowser();
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${box.url}/auth/sso/${providerId}/start`);
      await page.fill("input[name=login]", "nina");
      await page.fill("input[name=password]", "anything");
      await page.click("button[type=submit]");
      await page.click("button[type=submit]"); // consent
      await page.waitForURL(`${box.url}/`);
      const me = await page.evaluate(async () => (await fetch("/api/v1/me")).json());
      expect(me).toMatchObject({ email: "nina@newco.test", role: "member" });
      await context.close();
    },
    30_000,
  );

  testWith(
    "chromium",
    "a forged callback shows a clear refusal page",
    async () => {
      browser ??= await launchBrowser();
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      const response = await page.goto(`${box.url}/auth/sso/${providerId}/callback?code=abc&state=forged`);
      expect(response?.status()).toBe(403);
      expect(await page.textContent("h1")).toBe("This sign-in could not be verified");
      await saveScreenshot(page, "sso-refused");
      expect(errors.filter((error) => !error.includes("403"))).toEqual([]);
      await context.close();
    },
    30_000,
  );
});
