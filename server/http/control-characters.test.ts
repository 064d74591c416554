import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestApp } from "../testing/harness.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { createTaskWorld, type TaskWorld } from "../work/tasks/test-kit.ts";
import { findForbiddenCharacter } from "./control-characters.ts";

let box: TestApp;
let w: TaskWorld;
beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTaskWorld(box);
});
afterAll(() => box.close());

type ErrorBody = { error: { code: string; details?: { path: string; message: string }[] } };

function errorLogLines(): Record<string, unknown>[] {
  return box.logs.filter((line) => Number(line.level) >= 50);
}

function jsonPost(path: string, body: string): Promise<Response> {
  return box.fetch(path, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Cookie: w.cookies.admin,
      Origin: new URL(box.url).origin,
      "HX-Request": "true",
    },
    body,
  });
}

test("a NUL byte in ?q= on /api/v1/tasks is 422 validation_failed naming q, with no error in the log", async () => {
  const before = errorLogLines().length;
  const response = await box.fetch("/api/v1/tasks?q=boiler%00", { headers: { Cookie: w.cookies.admin } });
  expect(response.status).toBe(422);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe("validation_failed");
  expect(body.error.details?.[0]?.path).toBe("q");
  expect(errorLogLines().length).toBe(before);
});

test("a NUL byte in ?q= on the console's /tasks is a 422 page, not a 500, with no error in the log", async () => {
  const before = errorLogLines().length;
  const response = await box.fetch("/tasks?q=%00", { headers: { Cookie: w.cookies.admin } });
  expect(response.status).toBe(422);
  expect(await response.text()).toContain("control character");
  expect(errorLogLines().length).toBe(before);
});

test("a NUL byte in a task title through the API is 422 naming the field", async () => {
  const response = await jsonPost("/api/v1/tasks", JSON.stringify({ title: "Fix\u0000 the boiler" }));
  expect(response.status).toBe(422);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.details).toEqual([{ path: "title", message: expect.stringContaining("U+0000") }]);
});

test("a lone surrogate in JSON (\\ud800) is 422, deep in the body too", async () => {
  const lone = await jsonPost("/api/v1/tasks", '{"title":"Fix \\ud800 it"}');
  expect(lone.status).toBe(422);
  const nested = await jsonPost("/api/v1/tasks", '{"title":"Fix it","labels":["ok","bad\\udc00"]}');
  expect(nested.status).toBe(422);
  expect(((await nested.json()) as ErrorBody).error.details?.[0]?.path).toBe("labels.1");
});

test("DEL and other C0 controls are refused; tabs, line breaks and emoji in a multi-line field are kept", async () => {
  expect((await jsonPost("/api/v1/tasks", JSON.stringify({ title: "Fix\u007f" }))).status).toBe(422);
  expect((await jsonPost("/api/v1/tasks", JSON.stringify({ title: "Fix\u001b[31m" }))).status).toBe(422);
  const description = "Steps:\n\t1. Bleed the radiators\r\n\t2. Check the pressure 🔧";
  const created = await jsonPost("/api/v1/tasks", JSON.stringify({ title: "Service\tthe boiler", description }));
  expect(created.status).toBe(201);
  expect(((await created.json()) as { description: string }).description).toBe(description);
});

test("a console form with a NUL byte in a field answers 422 naming the field instead of saving it", async () => {
  const response = await box.fetch("/tasks", {
    method: "POST",
    headers: {
      Cookie: w.cookies.admin,
      Origin: new URL(box.url).origin,
      "HX-Request": "true",
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      title: "Fix\u0000 it",
      description: "",
      status: "todo",
      priority: "medium",
    }).toString(),
  });
  expect(response.status).toBe(422);
  const html = await response.text();
  expect(html).toContain("title");
  expect(html).toContain("control character");
});

test("findForbiddenCharacter allows line breaks only where text may have several lines", () => {
  expect(findForbiddenCharacter("a\tb", { multiline: false })).toBeNull();
  expect(findForbiddenCharacter("a\nb", { multiline: true })).toBeNull();
  expect(findForbiddenCharacter("a\nb", { multiline: false })).toContain("U+000A");
  expect(findForbiddenCharacter("😀", { multiline: false })).toBeNull();
  expect(findForbiddenCharacter("\udfff", { multiline: false })).toContain("U+DFFF");
});

test("a document upload's text fields are checked too, though its body streams past the middleware", async () => {
  const form = new FormData();
  form.set("file", new File(["How to bleed a radiator."], "manual.txt", { type: "text/plain" }));
  form.set("title", "Boiler\u0000 manual");
  const response = await box.fetch("/api/v1/documents", {
    method: "POST",
    headers: { Cookie: w.cookies.admin, Origin: new URL(box.url).origin, "HX-Request": "true" },
    body: form,
  });
  expect(response.status).toBe(422);
  expect(((await response.json()) as ErrorBody).error.details?.[0]?.path).toBe("title");
});
