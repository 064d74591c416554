import { describe, expect, test } from "bun:test";
import { extractCsv } from "../extract/csv.ts";
import { extractHtml } from "../extract/html.ts";
import { extractMarkdown } from "../extract/markdown.ts";
import { extractPlainText } from "../extract/text.ts";
import type { Block } from "../extract/types.ts";
import { chunkBlocks } from "./chunk.ts";

const words = (count: number, prefix = "w") =>
  Array.from({ length: count }, (_, index) => `${prefix}${index}`).join(" ");

describe("chunking", () => {
  test("a long passage becomes overlapping windows of the target size, with a small tail folded in", () => {
    const chunks = chunkBlocks([{ page: 1, heading: "Intro", text: words(700) }]);
    const lengths = chunks.map((chunk) => chunk.text.split(" ").length);
    expect(lengths).toEqual([300, 300, 200]);
    expect(chunks[1]?.text.startsWith("w250 ")).toBe(true);
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual([0, 1, 2]);
    expect(chunks.every((chunk) => chunk.heading === "Intro" && chunk.page === 1)).toBe(true);
    const tail = chunkBlocks([{ page: 1, heading: "", text: words(320) }]);
    expect(tail.map((chunk) => chunk.text.split(" ").length)).toEqual([320]);
  });

  test("chunks never cross a page; short passages of one page and heading are packed together", () => {
    const blocks: Block[] = [
      { page: 1, heading: "A", text: words(100, "a") },
      { page: 1, heading: "A", text: words(100, "b") },
      { page: 2, heading: "A", text: words(100, "c") },
      { page: 2, heading: "B", text: words(150, "d") },
    ];
    const chunks = chunkBlocks(blocks);
    expect(chunks.map((chunk) => [chunk.page, chunk.heading, chunk.text.split(/\s+/).length])).toEqual([
      [1, "A", 200],
      [2, "A", 100],
      [2, "B", 150],
    ]);
  });

  test("a tiny section takes in the next one on its page, keeping the next heading in its text", () => {
    const chunks = chunkBlocks([
      { page: 1, heading: "Title", text: "Short intro." },
      { page: 1, heading: "Details", text: words(80) },
    ]);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.heading).toBe("Title");
    expect(chunks[0]?.text).toContain("\n\nDetails\n\n");
  });

  test("is deterministic", () => {
    const blocks: Block[] = [1, 2, 3].map((page) => ({ page, heading: `H${page}`, text: words(450) }));
    expect(chunkBlocks(blocks)).toEqual(chunkBlocks(blocks));
  });

  test("CSV rows are packed with the header repeated at the top of every chunk", () => {
    const rows = Array.from({ length: 200 }, (_, index) => `part-${index},${index}.50,in stock`).join("\n");
    const chunks = chunkBlocks(extractCsv(`part,price,state\n${rows}`).blocks);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.text.split("\n")[0]).toBe("part | price | state");
    expect(chunks[0]?.text.split("\n")[1]).toBe("part-0 | 0.50 | in stock");
  });
});

describe("text by heading", () => {
  test("Markdown headings head the text below them; code fences are not headings", () => {
    const { blocks } = extractMarkdown(
      "Intro line.\n\n# Safety\n\nWear gloves.\n\n```\n# not a heading\n```\n\n## Storage\n\nKeep dry.",
    );
    expect(blocks.map((block) => [block.heading, block.text])).toEqual([
      ["", "Intro line."],
      ["Safety", "Wear gloves."],
      ["Safety", "```\n# not a heading\n```"],
      ["Storage", "Keep dry."],
    ]);
  });

  test("HTML keeps its headings and drops scripts, styles and tags; entities are decoded", () => {
    const { blocks } = extractHtml(
      "<html><head><title>Guide</title><style>p{}</style></head><body><p>Welcome &amp; hello</p><script>evil()</script><h2>Rules</h2><ul><li>One</li><li>Two</li></ul></body></html>",
    );
    expect(blocks.map((block) => [block.heading, block.text])).toEqual([
      ["Guide", "Welcome & hello"],
      ["Rules", "One"],
      ["Rules", "Two"],
    ]);
  });

  test("plain text pages at form feeds", () => {
    const extraction = extractPlainText("Page one.\fPage two.\n\nMore.");
    expect(extraction.pageCount).toBe(2);
    expect(extraction.blocks.map((block) => block.page)).toEqual([1, 2, 2]);
    expect(extraction.pages).toEqual(["Page one.", "Page two.\nMore."]);
  });
});
