import { afterAll, beforeAll, expect } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import type { Page } from "playwright-core";
import { collectPageErrors, launchBrowser, SCREENSHOT_DIR } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { testWith } from "../testing/tools.ts";
import { readSetupToken } from "./wizard-test-helpers.ts";

let box: TestApp;
beforeAll(async () => {
  box = await startTestApp();
});
afterAll(() => box.close());

/**
 * Like saveScreenshot, but leaving the caret alone: hiding it makes Playwright write inline
 * styles on the inputs, which the strict CSP then reports as errors of the page.
 */
async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, caret: "initial" });
}

async function atStep(page: Page, n: number, title: string): Promise<void> {
  await page.locator(".setup-progress-label", { hasText: `Step ${n} of 9: ${title}` }).waitFor();
}

async function next(page: Page, label = "Next"): Promise<void> {
  await page.getByRole("button", { name: label, exact: true }).click();
}

testWith(
  "chromium",
  "an admin walks the whole wizard from the setup link and ends on the dashboard, signed in",
  async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/setup?token=${readSetupToken(box)}`);
      expect(new URL(page.url()).pathname).toBe("/setup/organisation");
      await page.waitForFunction(() => "htmx" in window);
      await atStep(page, 1, "Organisation");
      await saveScreenshot(page, "setup-1-organisation");

      await next(page);
      await page.locator(".field-error", { hasText: "Enter your organisation's name." }).waitFor();
      expect(await page.getAttribute("#name", "aria-invalid")).toBe("true");
      await saveScreenshot(page, "setup-1-organisation-error");
      await page.fill("#name", "Browser & Co");
      await page.selectOption("#industry", "healthcare");
      await next(page);

      await atStep(page, 2, "Administrator");
      expect(new URL(page.url()).pathname).toBe("/setup/administrator");
      await page.fill("#name", "Bea Browser");
      await page.fill("#email", "bea@example.com");
      await page.fill("#password", "orchid lighthouse pepper");
      await page.fill("#confirm", "orchid lighthouse pepper");
      await saveScreenshot(page, "setup-2-administrator");
      await next(page);

      await atStep(page, 3, "Two-factor");
      expect(await page.locator(".totp-qr svg").count()).toBe(1);
      await saveScreenshot(page, "setup-3-two-factor");
      const secret = (await page.textContent("#totp-secret")) ?? "";
      const code = generateTOTP(decodeBase32IgnorePadding(secret.replace(/\s+/g, "")), 30, 6);
      await page.fill("#code", code);
      await next(page);

      await atStep(page, 4, "Compliance");
      // Healthcare suggests the enterprise preset.
      expect(await page.isChecked('input[name="complianceLevel"][value="enterprise"]')).toBe(true);
      await saveScreenshot(page, "setup-4-compliance");
      await next(page);

      await atStep(page, 5, "E-mail");
      expect(await page.isVisible("#host")).toBe(false);
      expect(await page.isVisible("#from")).toBe(false);
      await page.check('input[name="provider"][value="resend"]');
      expect(await page.isVisible("#apiKey")).toBe(true);
      expect(await page.isVisible("#host")).toBe(false);
      await page.check('input[name="provider"][value="smtp"]');
      expect(await page.isVisible("#host")).toBe(true);
      expect(await page.isVisible("#apiKey")).toBe(false);
      await page.fill("#host", "smtp.example.com");
      await page.fill("#from", "office@localhost");
      await next(page);
      await page.locator(".field-error", { hasText: "Enter the sender address" }).waitFor();
      expect(await page.inputValue("#host")).toBe("smtp.example.com");
      await saveScreenshot(page, "setup-5-email-error");
      await next(page, "Back");
      await atStep(page, 4, "Compliance");
      await next(page);
      await atStep(page, 5, "E-mail");
      expect(await page.inputValue("#host")).toBe("smtp.example.com");
      expect(await page.inputValue("#from")).toBe("office@localhost");
      await next(page, "Skip");

      await atStep(page, 6, "Backups");
      await saveScreenshot(page, "setup-6-backups");
      await next(page, "Skip");
      await atStep(page, 7, "AI models");
      await saveScreenshot(page, "setup-7-ai");
      await next(page, "Skip");

      await atStep(page, 8, "Agents");
      expect(await page.isChecked('input[name="agents"][value="approval-nudger"]')).toBe(true);
      expect(await page.isChecked('input[name="agents"][value="stuck-tasks"]')).toBe(true);
      await page.uncheck('input[name="agents"][value="stuck-tasks"]');
      await saveScreenshot(page, "setup-8-agents");
      await next(page);

      await atStep(page, 9, "Review");
      const review = (await page.textContent(".setup-review")) ?? "";
      expect(review).toContain("Browser & Co");
      expect(review).toContain("Enterprise (HIPAA / SOX)");
      expect(review).toContain("Draft log");
      expect(review).toContain("Approval nudger");
      expect(review).not.toContain("Stuck-task agent");
      await saveScreenshot(page, "setup-9-review");
      await next(page, "Finish setup");

      await page.waitForURL(`${box.url}/`);
      expect(await page.textContent("h1")).toBe("Browser & Co");
      expect(await page.locator(".app-nav").count()).toBe(1);
      await saveScreenshot(page, "setup-10-dashboard");
      const cookies = await page.context().cookies();
      expect(cookies.map((cookie) => cookie.name)).toContain("opsbox_session");
      expect(cookies.map((cookie) => cookie.name)).not.toContain("opsbox_setup");
      // Only the deliberate 422s of the refused steps may show up as failed loads.
      expect(errors.filter((error) => !error.includes("422"))).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
