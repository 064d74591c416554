import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { onTestsEnd } from "./tests-end.ts";
import { CHROMIUM_PATH } from "./tools.ts";

/** Where browser tests leave screenshots for people to look at. */
export const SCREENSHOT_DIR = join(import.meta.dir, "..", "..", "test-results", "screenshots");

// Without the networking flags Chromium keeps trying to reach Google's hosts, which this box cannot.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** What a browser test gets: fresh contexts (their own cookies and storage) and a close() for them. */
export type TestBrowser = {
  newContext: (...options: Parameters<Browser["newContext"]>) => Promise<BrowserContext>;
  newPage: (...options: Parameters<Browser["newPage"]>) => Promise<Page>;
  /** Closes the contexts and pages opened through this handle. */
  close: () => Promise<void>;
};

let chromiumProcess: Promise<Browser> | null = null;

/** Debian's Chromium, headless, driven by playwright-core: one per test process, closed after the last file. */
function sharedChromium(): Promise<Browser> {
  if (!chromiumProcess) {
    const launching = chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    chromiumProcess = launching;
    // A browser that crashed or failed to start is started again for the next test.
    const forget = () => {
      if (chromiumProcess === launching) chromiumProcess = null;
    };
    launching.then((browser) => browser.on("disconnected", forget), forget);
    onTestsEnd(async () => {
      forget();
      await (await launching).close();
    });
  }
  return chromiumProcess;
}

/**
 * A handle on the test process's Chromium. Starting Chromium took 0.8-1.5 s on two cores and a
 * fresh context 0.3 s, so the suite's browser tests share one Chromium; each test's pages live in
 * contexts of their own, which share no cookies, storage or cache, and close() closes them.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await sharedChromium();
  const contexts = new Set<BrowserContext>();
  return {
    newContext: async (...options) => {
      const context = await browser.newContext(...options);
      contexts.add(context);
      return context;
    },
    newPage: async (...options) => {
      const page = await browser.newPage(...options);
      contexts.add(page.context());
      return page;
    },
    close: async () => {
      await Promise.all([...contexts].map((context) => context.close()));
      contexts.clear();
    },
  };
}

/** Saves a full-page screenshot under test-results/screenshots and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // caret "initial": the default hides the caret with an inline style, which the strict CSP refuses.
  await page.screenshot({ path, fullPage: true, caret: "initial" });
  return path;
}

/** Collects console errors and CSP violations, which a page must not produce. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}
