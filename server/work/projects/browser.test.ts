import { afterAll, beforeAll, expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { tasks } from "../../../models/work.ts";
import { apiAs, type Call } from "../../auth/people/people-test-kit.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { browserSessionCookie, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";
import { todayUtc } from "../../tools/days.ts";

let box: TestApp;
let acme: TestBox;
let admin: Call;
let memberId: string;

beforeAll(async () => {
  box = await startTestApp();
  acme = await setUpBox(box);
  memberId = await createUser(box, { orgId: acme.orgId, role: "member", name: "Mia Member" });
  await createUser(box, { orgId: acme.orgId, role: "team_lead", name: "Leo Lead" });
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
});
afterAll(() => box.close());

function adminCookie() {
  return browserSessionCookie(box, acme.adminId, acme.orgId);
}

function dayFromToday(days: number): string {
  return todayUtc(new Date(Date.now() + days * 86_400_000));
}

testWith(
  "chromium",
  "a manager creates a project from a template, sees its overview, and the equipment list marks warranties",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      await context.addCookies([adminCookie()]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);

      await page.goto(`${box.url}/projects`);
      expect(await page.textContent("h1")).toBe("Projects");
      await page.waitForSelector("text=No projects yet.");

      // A target before the start is refused; what was typed stays.
      await page.click("text=New project");
      await page.fill("#project-form input[name=name]", "Boiler replacement");
      await page.fill("#project-form input[name=code]", "boiler");
      await page.fill("#project-form input[name=startDate]", "2026-05-01");
      await page.fill("#project-form input[name=targetDate]", "2026-04-01");
      await page.check(`#project-form input[name=memberIds][value=${memberId}]`);
      await page.selectOption("#project-form select[name=template]", "Client project");
      await page.click("#project-form button[type=submit]");
      await page.waitForSelector("#project-form input[name=targetDate][aria-invalid=true]");
      expect(await page.inputValue("#project-form input[name=name]")).toBe("Boiler replacement");
      expect(await page.isChecked(`#project-form input[name=memberIds][value=${memberId}]`)).toBe(true);
      await saveScreenshot(page, "projects-new-refused");

      await page.fill("#project-form input[name=targetDate]", "2026-07-31");
      await page.click("#project-form button[type=submit]");
      await page.waitForURL(/\/projects\/prj_/);
      const projectId = new URL(page.url()).pathname.split("/")[2] ?? "";

      // Some work done, and equipment linked to the project.
      box.deps.db
        .update(tasks)
        .set({ status: "done" })
        .where(and(eq(tasks.projectId, projectId), eq(tasks.title, "Kick-off")))
        .run();
      const boilerBody = {
        name: "Boiler 1",
        type: "Boiler",
        manufacturer: "Vaillant",
        model: "ecoTEC plus 832",
        serialNumber: "VT-2291-88",
        location: "Basement plant room",
        purchaseDate: "2023-06-01",
        warrantyEnd: dayFromToday(12),
        projectIds: [projectId],
      };
      expect((await admin("POST", "/api/v1/equipment", boilerBody)).status).toBe(201);
      for (const body of [
        {
          name: "Transit van",
          type: "Vehicle",
          manufacturer: "Ford",
          model: "Transit Custom",
          location: "Yard",
          warrantyEnd: dayFromToday(-40),
        },
        {
          name: "Core drill",
          type: "Tool",
          manufacturer: "Hilti",
          model: "DD 150-U",
          location: "Workshop",
          status: "in_repair",
          warrantyEnd: dayFromToday(400),
        },
        { name: "Laptop 3", type: "IT", manufacturer: "Lenovo", model: "T14", location: "Office" },
      ]) {
        expect((await admin("POST", "/api/v1/equipment", body)).status).toBe(201);
      }

      await page.goto(`${box.url}/projects/${projectId}`);
      await page.waitForSelector("text=1 of 4 tasks done (25%)");
      expect(await page.getAttribute(".work-actions a:has-text('Tasks')", "href")).toBe(
        `/tasks?projectId=${projectId}`,
      );
      expect(await page.getAttribute(".work-actions a:has-text('Board')", "href")).toBe(
        `/tasks/board?projectId=${projectId}`,
      );
      // Members change in place.
      await page.selectOption("#project-members select[name=userId]", { label: "Leo Lead" });
      await page.click("#project-members button:has-text('Add')");
      await page.waitForSelector("#project-members >> text=Leo Lead");
      await saveScreenshot(page, "project-overview");

      await page.goto(`${box.url}/projects`);
      await page.waitForSelector(`#project-${projectId}`);
      await saveScreenshot(page, "projects-list");

      // Archiving asks first, then the project page shows it archived with a way back.
      await page.goto(`${box.url}/projects/${projectId}`);
      page.once("dialog", (dialog) => void dialog.accept());
      await page.click(".work-actions button:has-text('Archive')");
      await page.waitForSelector(".work-actions button:has-text('Restore')");
      expect(await page.textContent("h1 .status")).toBe("Archived");

      await page.goto(`${box.url}/equipment`);
      await page.waitForSelector(".warranty-soon");
      expect(await page.textContent(".warranty-soon")).toContain("Ends in 12 days");
      expect(await page.textContent(".warranty-expired")).toContain("Expired");
      await saveScreenshot(page, "equipment-list");

      await page.click("text=Boiler 1");
      await page.waitForSelector("text=No manuals yet.");
      await saveScreenshot(page, "equipment-detail");
      // The 422 of the refused project form is logged by the browser as a failed load; nothing else may be.
      expect(errors.filter((error) => !error.includes("status of 422"))).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
