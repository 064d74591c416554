import { afterAll, beforeAll, expect } from "bun:test";
import { collectPageErrors, launchBrowser, saveScreenshot, type TestBrowser } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";

let box: TestApp;
let acme: TestBox;
const id: Record<string, string> = {};

beforeAll(async () => {
  box = await startTestApp();
  acme = await setUpBox(box);
  for (const [key, role, name] of [
    ["ann", "manager", "Ann Manager"],
    ["lee", "team_lead", "Lee Lead"],
    ["mia", "member", "Mia Member"],
  ] as const) {
    id[key] = await createUser(box, { orgId: acme.orgId, role, name, email: `${key}@acme.test` });
  }
});
afterAll(() => box.close());

async function pageAs(browser: TestBrowser, userId: string) {
  const [name, value] = sessionCookie(box, userId, acme.orgId).split("=");
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.addCookies([{ name: name ?? "", value: value ?? "", url: box.url }]);
  const page = await context.newPage();
  return { page, errors: collectPageErrors(page) };
}

testWith(
  "chromium",
  "a manager builds a pipeline, a member asks for a purchase, the approvers decide it step by step",
  async () => {
    const browser = await launchBrowser();
    try {
      // The pipeline editor: add a row, fill it, move it up, save.
      const ann = await pageAs(browser, id.ann ?? "");
      await ann.page.goto(`${box.url}/approvals/pipelines/new`);
      await ann.page.fill("input[name=name]", "Equipment purchases");
      await ann.page.selectOption("select[name=subjectType]", "purchase");
      await ann.page.fill("input[name='steps.0.name']", "Team lead check");
      await ann.page.selectOption("select[name='steps.0.approver']", "role:team_lead");
      await ann.page.click("button:has-text('+ Add a step')");
      await ann.page.waitForSelector("input[name='steps.1.name']");
      expect(await ann.page.inputValue("input[name='steps.0.name']")).toBe("Team lead check");
      await ann.page.fill("input[name='steps.1.name']", "Managers sign off");
      await ann.page.selectOption("select[name='steps.1.approver']", "role:manager");
      await ann.page.selectOption("select[name='steps.1.rule']", "all");
      await ann.page.click("button[aria-label='Move step 2 up']");
      await ann.page.waitForFunction(
        () =>
          (document.querySelector("input[name='steps.0.name']") as HTMLInputElement | null)?.value ===
          "Managers sign off",
      );
      await ann.page.fill("textarea[name=description]", "Tools and machines over 500 EUR.");
      await saveScreenshot(ann.page, "approvals-pipeline-editor");
      await ann.page.click("button:has-text('Create pipeline')");
      await ann.page.waitForURL(`${box.url}/approvals/pipelines?notice=saved`);
      expect(await ann.page.textContent("table.pipeline-list")).toContain(
        "Managers sign off (every Manager) → Team lead check (any one Team Lead)",
      );
      await saveScreenshot(ann.page, "approvals-pipelines");

      // A member asks; a mistyped amount comes back with what was typed.
      const mia = await pageAs(browser, id.mia ?? "");
      await mia.page.goto(`${box.url}/approvals/new`);
      await mia.page.fill("input[name=title]", "Cordless drill set");
      await mia.page.fill("input[name=amount]", "twelve");
      await mia.page.fill("textarea[name=details]", "Two drills, batteries and a charger.");
      await mia.page.click("button:has-text('Ask for approval')");
      await mia.page.waitForSelector("input[name=amount][aria-invalid=true]");
      expect(await mia.page.inputValue("input[name=title]")).toBe("Cordless drill set");
      await mia.page.fill("input[name=amount]", "649.90");
      await mia.page.click("button:has-text('Ask for approval')");
      await mia.page.waitForURL(/\/approvals\/apr_/);
      const requestPath = new URL(mia.page.url()).pathname;
      expect(await mia.page.isVisible("#decision-form")).toBe(false);
      expect(await mia.page.textContent(".approval-timeline")).toContain("Waiting on Ann Manager.");

      // The manager finds it under "Waiting on me" and approves with a comment.
      await ann.page.goto(`${box.url}/approvals`);
      await saveScreenshot(ann.page, "approvals-waiting-on-me");
      // Inside the page, not the notification bell (which names the same request).
      await ann.page.click("#main >> text=Cordless drill set");
      await ann.page.waitForSelector("#decision-form");
      await ann.page.fill("#decision-form textarea[name=comment]", "Fine, but get the brushless model.");
      await saveScreenshot(ann.page, "approvals-request-decide");
      await ann.page.click("#decision-form button[value=approve]");
      await ann.page.waitForSelector("text=You approved this step.");
      expect(await ann.page.isVisible("#decision-form")).toBe(false);

      // The team lead decides the second step; the requester sees the whole timeline.
      const lee = await pageAs(browser, id.lee ?? "");
      await lee.page.goto(`${box.url}${requestPath}`);
      await lee.page.fill("#decision-form textarea[name=comment]", "Ordered from the usual supplier.");
      await lee.page.click("#decision-form button[value=approve]");
      await lee.page.waitForSelector("text=You approved this step.");
      await mia.page.goto(`${box.url}${requestPath}`);
      const timeline = (await mia.page.textContent(".approval-timeline")) ?? "";
      expect(timeline).toContain("Fine, but get the brushless model.");
      expect(timeline).toContain("Ordered from the usual supplier.");
      expect(await mia.page.textContent(".approval-heading")).toContain("Approved");
      await saveScreenshot(mia.page, "approvals-request-approved");

      // The requester writes in the thread: htmx swaps the thread in, rendered, with an empty form.
      await mia.page.fill("#approval-comments textarea[name=body]", "Thanks! **Delivery** next week?");
      await mia.page.click("#approval-comments button:has-text('Comment')");
      await mia.page.waitForSelector("#approval-comment-list strong:has-text('Delivery')");
      expect(await mia.page.inputValue("#approval-comments textarea[name=body]")).toBe("");
      await saveScreenshot(mia.page, "approvals-request-comments");

      // The 422 of the mistyped amount is logged by the browser as a failed load; nothing else may be.
      expect(mia.errors.filter((error) => !error.includes("status of 422"))).toEqual([]);
      expect([...ann.errors, ...lee.errors]).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
