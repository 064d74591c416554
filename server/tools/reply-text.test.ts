import { expect, test } from "bun:test";
import { replyTextOf } from "./reply-text.ts";

test("a Gmail-style reply keeps only what was written above 'On … wrote:'", () => {
  const text =
    "Done, the boiler is fixed.\n\nOn Tue, 3 Mar 2026 at 10:04, Opsbox <inbox@acme.test> wrote:\n> Task assigned";
  expect(replyTextOf(text)).toBe("Done, the boiler is fixed.");
});

test("an attribution broken over two lines is found", () => {
  expect(replyTextOf("Yes.\n\nOn Tue, 3 Mar 2026 at 10:04, Opsbox\n<inbox@acme.test> wrote:\n> hi")).toBe("Yes.");
});

test("Outlook's original-message block and header block are cut", () => {
  expect(replyTextOf("Approved.\r\n\r\n-----Original Message-----\r\nFrom: Opsbox")).toBe("Approved.");
  expect(replyTextOf("Fine by me.\n\nFrom: Opsbox <inbox@acme.test>\nSent: Tuesday\nSubject: x")).toBe("Fine by me.");
});

test("quoted lines and the signature are cut; plain text is kept whole", () => {
  expect(replyTextOf("Thanks!\n-- \nAda\nCEO")).toBe("Thanks!");
  expect(replyTextOf("> old\nnew")).toBe("");
  expect(replyTextOf("Line one\nLine two")).toBe("Line one\nLine two");
});
