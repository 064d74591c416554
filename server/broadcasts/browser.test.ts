import { afterAll, beforeAll, expect } from "bun:test";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { testWith } from "../testing/tools.ts";
import { apiAs, jsonOf } from "../work/approvals/test-kit.ts";

let box: TestApp;
let orgId = "";
let mia = "";

beforeAll(async () => {
  box = await startTestApp();
  orgId = (await setUpBox(box)).orgId;
  mia = await createUser(box, { orgId, role: "manager", name: "Mia Manager", email: "mia@example.com" });
  const crew: string[] = [];
  for (const name of ["Max Member", "Nina Cook", "Owen Porter"]) {
    crew.push(
      await createUser(box, { orgId, role: "member", name, email: `${name.split(" ")[0]?.toLowerCase()}@example.com` }),
    );
  }
  await jsonOf(await apiAs(box, mia, orgId)("POST", "/api/v1/teams", { name: "Kitchen", memberIds: crew }), 201);
});
afterAll(() => box.close());

testWith("chromium", "a manager previews a broadcast to a team, sends it, and follows its delivery", async () => {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name = "", value = ""] = sessionCookie(box, mia, orgId).split("=");
    await context.addCookies([{ name, value, url: box.url }]);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${box.url}/broadcasts`);
    await page.getByRole("link", { name: "New broadcast" }).click();
    await page.getByLabel("Subject").fill("Deep clean on Friday");
    await page.getByLabel("To").selectOption({ label: "Kitchen" });
    await page
      .getByLabel("Message")
      .fill("The kitchen closes at **3 pm** on Friday.\n\n- empty the fridges\n- stack the chairs");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.locator("#broadcast-recipient-count").waitFor();
    expect(await page.locator("#broadcast-recipient-count").textContent()).toContain("3 people");
    await saveScreenshot(page, "broadcast-compose");
    await page.getByRole("button", { name: "Send" }).click();
    await page.waitForURL(/\/broadcasts\/brd_/);
    // Delivery runs in the background: the page shows everyone once it has finished.
    for (let tries = 0; (await page.locator("#broadcast-recipients tbody tr").count()) < 3 && tries < 50; tries++) {
      await Bun.sleep(100);
      await page.reload();
    }
    expect(await page.locator("#broadcast-recipients tbody tr").count()).toBe(3);
    await saveScreenshot(page, "broadcast-sent");
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});
