import { afterAll, beforeAll, expect } from "bun:test";
import { openEventStreamCount } from "../events/stream.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { testWith } from "../testing/tools.ts";
import { makePdf, makeScannedPdf } from "./test-kit.ts";

let box: TestApp;
let orgId = "";
let memberId = "";

beforeAll(async () => {
  box = await startTestApp();
  orgId = (await setUpBox(box)).orgId;
  memberId = await createUser(box, { orgId, role: "member", name: "Mo Member" });
});
afterAll(() => box.close());

testWith(
  "chromium",
  "dropping two files uploads each with its progress, and the list shows them indexed without a reload",
  async () => {
    const manual = Buffer.from(
      await makePdf([
        { heading: "Safety", lines: ["Keep the pressure between 1 and 2 bar."] },
        { heading: "Service", lines: ["Service the burner every year."] },
      ]),
    ).toString("base64");
    const scan = Buffer.from(await makeScannedPdf()).toString("base64");
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const [name = "", value = ""] = sessionCookie(box, memberId, orgId).split("=");
      await context.addCookies([{ name, value, url: box.url }]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/documents`);
      await page.getByText("No documents yet.").waitFor();
      for (let tries = 0; tries < 100 && openEventStreamCount() < 1; tries++) await Bun.sleep(50);
      // A real drop: a DataTransfer with two files, dispatched on the zone.
      await page.evaluate(
        ({ manual, scan }) => {
          const bytes = (base64: string) => Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes(manual)], "boiler-manual.pdf", { type: "application/pdf" }));
          transfer.items.add(new File([bytes(scan)], "scanned-invoice.pdf", { type: "application/pdf" }));
          const zone = document.getElementById("document-upload");
          for (const type of ["dragenter", "dragover", "drop"]) {
            zone?.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
          }
        },
        { manual, scan },
      );
      await page.locator(".upload-item[data-state=done]").nth(1).waitFor();
      expect(
        await page
          .locator(".upload-item progress")
          .evaluateAll((bars) => bars.map((bar) => (bar as HTMLProgressElement).value)),
      ).toEqual([100, 100]);
      // Statuses move by the event stream: no reload.
      await page.locator("#document-list .document-status-indexed").waitFor({ timeout: 20_000 });
      await page.locator("#document-list .document-status-needs_ocr").waitFor({ timeout: 20_000 });
      await saveScreenshot(page, "documents-list");
      await page.getByRole("link", { name: "boiler-manual.pdf" }).first().click();
      await page.locator("#page-2").waitFor();
      expect(await page.locator("#page-2").innerText()).toContain("Service the burner every year.");
      await saveScreenshot(page, "document-page");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
