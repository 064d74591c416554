import { describe, expect, test } from "bun:test";
import { makePdf, PNG_BYTES } from "../test-kit.ts";
import { sniffDocument } from "./sniff.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const kindOf = (content: Uint8Array | string) =>
  sniffDocument(typeof content === "string" ? bytes(content) : content)?.kind ?? null;

describe("the type comes from the content, never the name", () => {
  test("PDF, e-mail, HTML, Markdown, CSV and plain text are told apart", async () => {
    expect(kindOf(await makePdf([{ lines: ["hello"] }]))).toBe("pdf");
    expect(kindOf("From: a@b.test\r\nSubject: Hi\r\nTo: c@d.test\r\n\r\nBody")).toBe("email");
    expect(kindOf("<!DOCTYPE html><html><body><p>Hi</p></body></html>")).toBe("html");
    expect(kindOf("# Title\n\nSome text.")).toBe("markdown");
    expect(kindOf('name,price\n"Nozzle, small",12.50\ngasket,3.20\n')).toBe("csv");
    expect(kindOf("part;price\nnozzle;12\n")).toBe("csv");
    expect(kindOf("Just a note.\nWith two lines.")).toBe("text");
    expect(kindOf("Grüße aus Köln — 10 €")).toBe("text");
  });

  test("images, archives, other binaries, invalid UTF-8 and empty files are refused", () => {
    expect(kindOf(PNG_BYTES)).toBeNull();
    expect(kindOf(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]))).toBeNull();
    expect(kindOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]))).toBeNull();
    expect(kindOf(new Uint8Array([0x68, 0x69, 0xc3, 0x28]))).toBeNull();
    expect(kindOf(new Uint8Array())).toBeNull();
    expect(kindOf("text with a NUL \u0000 byte")).toBeNull();
  });

  test("a header-like first line alone is not an e-mail, and a cut-off head still sniffs as text", () => {
    expect(kindOf("Note: this is plain text\nand more of it")).toBe("text");
    // 64 KB of text whose last character is cut in half by the sniffing window.
    const long = bytes(`${"é".repeat(40_000)}`).subarray(0, 64 * 1024 + 1);
    expect(kindOf(long)).toBe("text");
  });
});
