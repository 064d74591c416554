import { afterAll, beforeAll, describe, expect } from "bun:test";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP, generateTOTP } from "@oslojs/otp";
import type { Page } from "playwright-core";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { setUpBox, TEST_PASSWORD, type TestBox } from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";
import { totpStepAt } from "../two-factor/totp.ts";

let box: TestApp;
let acme: TestBox;
beforeAll(async () => {
  box = await startTestApp();
  acme = await setUpBox(box);
});
afterAll(() => box.close());

async function submitSignIn(page: Page, password: string): Promise<void> {
  await page.fill('input[name="email"]', acme.adminEmail);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
}

describe("signing in with two-factor authentication in Chromium", () => {
  testWith(
    "chromium",
    "sign in → forced 2FA enrolment → dashboard; sign out; sign in again with password and code",
    async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        const errors = collectPageErrors(page);

        await page.goto(`${box.url}/sign-in`);
        await submitSignIn(page, "a wrong password entirely");
        await page.waitForSelector('[role="alert"]');
        expect(await page.textContent('[role="alert"]')).toBe("The e-mail address or password is wrong.");
        expect(await page.inputValue('input[name="email"]')).toBe(acme.adminEmail);
        expect(await page.inputValue('input[name="password"]')).toBe("");
        await saveScreenshot(page, "auth-sign-in-wrong-password");

        await page.fill('input[name="password"]', TEST_PASSWORD);
        await page.click('button[type="submit"]');
        await page.waitForURL("**/account/two-factor/setup");
        expect(await page.textContent("h1")).toBe("Set up two-factor authentication");
        expect(await page.locator(".qr-code svg").count()).toBe(1);
        await saveScreenshot(page, "auth-two-factor-setup");

        const secret = (await page.textContent('[data-testid="totp-secret"]')) ?? "";
        const key = decodeBase32IgnorePadding(secret.replaceAll(" ", ""));
        await page.fill('input[name="code"]', "000000");
        await page.click('button[type="submit"]');
        await page.waitForSelector('[role="alert"]');
        const enrolledAt = new Date();
        await page.fill('input[name="code"]', generateTOTP(key, 30, 6));
        await page.click('button[type="submit"]');
        await page.waitForSelector(".recovery-code-list");
        expect(await page.locator(".recovery-code-list li").count()).toBe(10);
        await saveScreenshot(page, "auth-two-factor-recovery-codes");

        await page.click("a.link-button");
        await page.waitForURL(`${box.url}/`);
        expect(await page.textContent("main .pulse-eyebrow")).toBe("Pulse");
        expect(await page.getAttribute(".account-menu summary", "title")).toBe("Ada Admin");
        await saveScreenshot(page, "auth-dashboard-signed-in");

        await page.click(".account-menu summary");
        await saveScreenshot(page, "auth-account-menu-open");
        await page.click(".account-menu-sign-out");
        await page.waitForURL("**/sign-in");
        expect(await page.textContent("h1")).toBe("Sign in");

        await submitSignIn(page, TEST_PASSWORD);
        await page.waitForURL("**/sign-in/two-factor");
        await saveScreenshot(page, "auth-two-factor-challenge");
        // The enrolment's code was used; each code works once, so take the next time step's if still in the same one.
        const step = Math.max(totpStepAt(new Date()), totpStepAt(enrolledAt) + 1);
        await page.fill('input[name="code"]', generateHOTP(key, BigInt(step), 6));
        await page.click('button[type="submit"]');
        await page.waitForURL(`${box.url}/`);
        expect(await page.getAttribute(".account-menu summary", "title")).toBe("Ada Admin");

        await page.goto(`${box.url}/account`);
        expect(await page.textContent("h1")).toBe("Ada Admin");
        expect(await page.locator("tr.session-current").count()).toBe(1);
        await saveScreenshot(page, "auth-account");

        // The two wrong entries answer 422 on purpose; anything else (a CSP violation, a script error) is a failure.
        expect(errors.filter((error) => !error.includes("status of 422"))).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
