// The real entry point plus one slow route and one stop hook, so that tests can watch a
// graceful stop from outside the process.
import { main } from "../main.ts";

const running = await main({
  extend: (app) => {
    app.get("/__test/slow", async (c) => {
      running.deps.log.info("slow request started");
      await Bun.sleep(Number(c.req.query("ms") ?? "1000"));
      return c.text("finished");
    });
  },
});
running.deps.lifecycle.onStop("test-hook", async () => {
  await Bun.sleep(50);
  running.deps.log.info("test stop hook ran");
});
