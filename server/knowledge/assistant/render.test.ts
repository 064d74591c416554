import { describe, expect, test } from "bun:test";
import type { Citation } from "../../../models/knowledge.ts";
import { renderAnswerHtml } from "./render.ts";
import { INSTRUCTING_TEXT, unsafeMarkup } from "./test-kit.ts";

const citations: Citation[] = [
  { n: 1, documentId: "doc_a", chunkId: 7, page: 3, title: 'Boiler "manual" <v2>' },
  { n: 2, documentId: "doc_b", chunkId: 9, page: 1, title: "Warranty" },
];

describe("answers as HTML", () => {
  test("citations become numbered links to the document's page; unknown numbers stay text", () => {
    const html = renderAnswerHtml("Keep it at 1.5 bar [1][2], see also [9].", citations);
    expect(html).toContain(
      '<a class="citation" href="/documents/doc_a/pages/3#page-3" title="Boiler &quot;manual&quot; &lt;v2&gt;, page 3">[1]</a>',
    );
    expect(html).toContain(
      '<a class="citation" href="/documents/doc_b/pages/1#page-1" title="Warranty, page 1">[2]</a>',
    );
    expect(html).toContain("[9]");
    expect(html).not.toContain('href="/documents/doc_a/pages/9');
  });

  test("markup from the model or a document it quotes is never live: no tags, images, scripts or off-site links", () => {
    const html = renderAnswerHtml(
      `${INSTRUCTING_TEXT}\n\n[ok](/tasks) [off](https://evil.example/x) <b>bold</b>`,
      citations,
    );
    expect(unsafeMarkup(html)).toEqual([]);
    expect(html).not.toMatch(/<(script|img|b)\b/i);
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('<a href="/tasks">ok</a>');
  });

  test("unsafeMarkup sees live markup but not escaped text", () => {
    expect(unsafeMarkup('<p>&lt;script&gt; <a href="/x">x</a></p>')).toEqual([]);
    expect(unsafeMarkup('<img src="x">')).toEqual(['<img src="x">']);
    expect(unsafeMarkup('<a href="https://evil.example">x</a>').length).toBe(1);
    expect(unsafeMarkup('<p onclick="x">').length).toBe(1);
  });

  test("the private markers that carry citations through Markdown cannot be forged by the text", () => {
    const html = renderAnswerHtml("forged \uE0001\uE001 marker", citations);
    expect(html).not.toContain("citation");
    expect(html).toContain("forged 1 marker");
  });

  test("Markdown still reads as Markdown", () => {
    expect(renderAnswerHtml("**Steps**\n\n1. Open [1]\n2. Close", citations)).toContain("<strong>Steps</strong>");
    expect(renderAnswerHtml("   ", citations)).toBe("");
  });
});
