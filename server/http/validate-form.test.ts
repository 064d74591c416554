import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./env.ts";
import { AppError } from "./errors.ts";
import { type FormSpec, validateForm } from "./validate-form.ts";

const input = z.object({ name: z.string().trim().min(1, "Enter a name."), tags: z.array(z.string()).max(2) });
type Values = { name: string; tags: string[]; first: string };

const spec: FormSpec<Values> = {
  values: (form) => ({ name: form.text("name"), tags: form.list("tags"), first: form.text("tags") }),
  input: ({ name, tags }) => ({ name, tags }),
  invalid: (c, values, refusal) => c.json({ values, ...refusal }, refusal.status),
};

const app = new Hono<AppEnv>().post("/", validateForm(input, spec), (c) => {
  const { input: valid, values, refused } = c.req.valid("form");
  if (valid.name === "taken") return refused(new AppError("conflict", "Taken.", [{ path: "name", message: "Taken." }]));
  return c.json({ saved: valid, first: values.first });
});

function post(fields: [string, string][]) {
  return app.request("/", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("validateForm", () => {
  test("a valid form reaches the handler with the API's input", async () => {
    const response = await post([["name", " Ada "]]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ saved: { name: "Ada", tags: [] }, first: "" });
  });

  test("an invalid form is drawn again with 422, the first message per field and the values as typed", async () => {
    const response = await post([
      ["name", "  "],
      ["tags", "a"],
      ["tags", "b"],
      ["tags", "c"],
    ]);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      values: { name: "  ", tags: ["a", "b", "c"], first: "a" },
      errors: { name: "Enter a name.", tags: expect.any(String) },
      status: 422,
    });
  });

  test("a repeated name reads as its first value in text() and as every value in list()", async () => {
    const response = await post([
      ["name", "Ada"],
      ["tags", "x"],
      ["tags", "y"],
    ]);
    expect(await response.json()).toEqual({ saved: { name: "Ada", tags: ["x", "y"] }, first: "x" });
  });

  test("a service's refusal is drawn again with its status, its field message and the values kept", async () => {
    const response = await post([["name", "taken"]]);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      values: { name: "taken", tags: [], first: "" },
      errors: { name: "Taken." },
      status: 409,
    });
  });
});
