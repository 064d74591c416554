import { afterAll, beforeAll, expect } from "bun:test";
import { rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { makeTempDir, startTestApp, type TestApp } from "../testing/harness.ts";
import { browserSessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { missingTool, testWith } from "../testing/tools.ts";

let box: TestApp;
let acme: TestBox;
const mirror = makeTempDir("opsbox-backups-browser-");
beforeAll(async () => {
  box = await startTestApp({ env: { OPSBOX_BACKUP_SYNC_INTERVAL_MS: "200" } });
  acme = await setUpBox(box);
});
afterAll(async () => {
  await box.close();
  rmSync(mirror, { recursive: true, force: true });
});

testWith(
  "chromium",
  "the instance admin sets up a directory replica, sees it replicate, the snapshots load, backs up now and downloads the key",
  async () => {
    // The page needs Litestream to show anything but "off"; testWith("litestream") covers its absence elsewhere.
    if (missingTool("litestream") && process.env.CI !== "true") return;
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      await context.addCookies([browserSessionCookie(box, acme.adminId, acme.orgId)]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/settings/backups`);
      expect(await page.textContent("h1")).toBe("Backups");

      await page.check("#backup-settings-form input[name=enabled]");
      await page.fill("#backup-settings-form input[name=directory]", "not/absolute");
      await page.click("#backup-settings-form button[type=submit]");
      await page.waitForSelector("#backup-settings-form input[name=directory][aria-invalid=true]");
      await page.fill("#backup-settings-form input[name=directory]", mirror);
      await page.click("#backup-settings-form button[type=submit]");
      await page.waitForSelector("text=Backup settings saved and applied.");
      // The listing asks for itself once the page is shown; the status panel polls until a replica reports.
      await page.waitForSelector("#backup-listing:not([aria-busy])");
      await page.waitForSelector("#backup-replicas", { timeout: 15_000 });

      await page.click("text=Back up now");
      await page.waitForSelector("#backup-job-snapshot.job-ok:has-text('done')", { timeout: 20_000 });
      await page.click("#backup-listing button");
      await page.waitForSelector("#backup-snapshots tbody tr");
      await saveScreenshot(page, "settings-backups");

      // The key's one download: a plain form post answered with the file; the page then says it is used.
      await page.click("#backup-key-form button[type=submit]");
      await page.waitForSelector("#backup-key-form input[name=keepOffline][aria-invalid=true]");
      await page.check("#backup-key-form input[name=keepOffline]");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click("#backup-key-form button[type=submit]"),
      ]);
      expect(download.suggestedFilename()).toBe("opsbox-backup-key.txt");
      const keyFile = await readFile((await download.path()) ?? "", "utf8");
      expect(keyFile).toStartWith("# Opsbox backup key");
      await page.goto(`${box.url}/settings/backups`);
      await page.waitForSelector("#backup-key-downloaded");
      expect(await page.locator("#backup-key-form").count()).toBe(0);
      // The browser logs the 422s of the mistyped directory and the unticked key form; nothing else may appear.
      expect(errors.filter((error) => !error.includes("status of 422"))).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
