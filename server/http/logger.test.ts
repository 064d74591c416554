import { expect, test } from "bun:test";
import { createLogger } from "./logger.ts";

test("secret-bearing fields are redacted from log lines", () => {
  const lines: string[] = [];
  const log = createLogger("info", { write: (line: string) => void lines.push(line) });
  log.info(
    { password: "hunter2hunter2", token: "tok-123", apiKey: "obx_abc", headers: { cookie: "s=1" }, user: "ada" },
    "x",
  );
  const entry = JSON.parse(lines[0] ?? "{}");
  expect(entry).toMatchObject({ password: "[redacted]", token: "[redacted]", apiKey: "[redacted]", user: "ada" });
  expect(entry.headers.cookie).toBe("[redacted]");
  expect(lines[0]).not.toContain("hunter2");
});

test("lines are JSON with an ISO time and a level name", () => {
  const lines: string[] = [];
  createLogger("info", { write: (line: string) => void lines.push(line) }).warn("careful");
  const entry = JSON.parse(lines[0] ?? "{}");
  expect(entry).toMatchObject({ level: "warn", msg: "careful", service: "opsbox" });
  expect(new Date(entry.time).toISOString()).toBe(entry.time);
});
