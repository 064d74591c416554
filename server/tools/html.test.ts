import { describe, expect, test } from "bun:test";
import { escapeHtml } from "./html.ts";

describe("escapeHtml", () => {
  test("escapes the five characters that matter in text and quoted attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;",
    );
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });

  test("plain text comes back unchanged", () => {
    expect(escapeHtml("Ship the release · 2026")).toBe("Ship the release · 2026");
    expect(escapeHtml("")).toBe("");
  });
});
