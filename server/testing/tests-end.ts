/**
 * Work to do once every test file has run (the preload's afterAll calls it): what a test process
 * shares across files, such as its one Chromium, is closed here rather than by each file.
 */
const hooks: (() => Promise<void> | void)[] = [];

/** Runs `hook` once, after the last test file. */
export function onTestsEnd(hook: () => Promise<void> | void): void {
  hooks.push(hook);
}

/** Called by server/testing/preload.ts. */
export async function runTestsEnd(): Promise<void> {
  await Promise.allSettled(hooks.splice(0).map(async (hook) => hook()));
}
