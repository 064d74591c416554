import { describe, expect, test } from "bun:test";
import { renderMarkdown } from "./markdown.ts";

describe("renderMarkdown", () => {
  test("renders Markdown: emphasis, lists, code and safe links", () => {
    const html = renderMarkdown("Fix **the boiler**\n\n- one\n- two\n\n`code` and [manual](https://example.com/m)");
    expect(html).toContain("<strong>the boiler</strong>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain('<a href="https://example.com/m" rel="noopener noreferrer nofollow">manual</a>');
  });

  test("script tags and other raw HTML do not survive: they are shown as text", () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<a href="x">y</a>');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<a ");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  test("javascript:, vbscript: and data: links do not survive, however they are disguised", () => {
    for (const href of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "&#106;avascript:alert(1)",
      "vbscript:msgbox(1)",
      "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
      " javascript:alert(1)",
    ]) {
      const html = renderMarkdown(`[click](${href}) <${href}>`);
      expect([href, html.includes("<a")]).toEqual([href, false]);
      expect(html.toLowerCase()).not.toContain('href="javascript');
    }
    expect(renderMarkdown("![x](javascript:alert(1))")).not.toContain("<img");
  });

  test("relative links, anchors and mail links are kept", () => {
    expect(renderMarkdown("[task](/tasks/tsk_1)")).toContain('<a href="/tasks/tsk_1">task</a>');
    expect(renderMarkdown("[top](#top)")).toContain('<a href="#top">top</a>');
    expect(renderMarkdown("[mail](mailto:ada@example.com)")).toContain('href="mailto:ada@example.com"');
  });

  test("an empty description renders nothing", () => {
    expect(renderMarkdown("  \n ")).toBe("");
  });
});
