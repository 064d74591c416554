import { expect, test } from "bun:test";
import { encodeBase32, newId } from "./ids.ts";
import { checkReplyToken, replyTokenOf, signReplyToken, withReplyToken } from "./reply-token.ts";
import { createKeyring } from "./secrets.ts";

const root = crypto.getRandomValues(new Uint8Array(32));
const keyring = createKeyring(root);
const acme = { orgId: newId("org"), userId: newId("usr") };
const task = { kind: "task" as const, id: newId("tsk") };
const inAWeek = new Date(Date.now() + 7 * 86_400_000);

test("a token names its task and fits an address's local part with room to spare", () => {
  const token = signReplyToken(keyring, acme, task, inAWeek);
  expect(token).toMatch(/^[0-9a-z]{50}$/);
  expect(withReplyToken("inbox@acme.test", token).split("@")[0]?.length).toBeLessThanOrEqual(64);
  const check = checkReplyToken(keyring, acme, token);
  expect(check).toEqual({ ok: true, subject: task, expiresAt: new Date(Math.floor(inAWeek.getTime() / 1000) * 1000) });
  // Mail systems may change the case of the local part.
  expect(checkReplyToken(keyring, acme, token.toUpperCase()).ok).toBe(true);
});

test("an approval's token names the approval", () => {
  const approval = { kind: "approval" as const, id: newId("apr") };
  expect(checkReplyToken(keyring, acme, signReplyToken(keyring, acme, approval, inAWeek))).toMatchObject({
    ok: true,
    subject: approval,
  });
});

test("a forged token (random bytes, or one changed character) is refused", () => {
  const token = signReplyToken(keyring, acme, task, inAWeek);
  const flipped = `${token.slice(0, 20)}${token[20] === "a" ? "b" : "a"}${token.slice(21)}`;
  expect(checkReplyToken(keyring, acme, flipped)).toEqual({ ok: false, refused: "forged" });
  const random = crypto.getRandomValues(new Uint8Array(31));
  random[0] = 0x10;
  expect(checkReplyToken(keyring, acme, encodeBase32(random))).toEqual({ ok: false, refused: "forged" });
  expect(checkReplyToken(keyring, acme, "not-a-token")).toEqual({ ok: false, refused: "malformed" });
});

test("another person's token, or one for another organisation, does not check out", () => {
  const token = signReplyToken(keyring, acme, task, inAWeek);
  expect(checkReplyToken(keyring, { ...acme, userId: newId("usr") }, token)).toEqual({ ok: false, refused: "forged" });
  expect(checkReplyToken(keyring, { ...acme, orgId: newId("org") }, token)).toEqual({ ok: false, refused: "forged" });
});

test("a token made with another box's secret is refused; after a key rotation an old token still works", () => {
  const token = signReplyToken(keyring, acme, task, inAWeek);
  const otherBox = createKeyring(crypto.getRandomValues(new Uint8Array(32)));
  expect(checkReplyToken(otherBox, acme, token).ok).toBe(false);
  const rotated = createKeyring(crypto.getRandomValues(new Uint8Array(32)), [root]);
  expect(checkReplyToken(rotated, acme, token).ok).toBe(true);
});

test("an expired token is refused", () => {
  const token = signReplyToken(keyring, acme, task, new Date(Date.now() - 1000));
  expect(checkReplyToken(keyring, acme, token)).toEqual({ ok: false, refused: "expired" });
});

test("the token is read from a +tag address; the +tag of the mailbox is replaced", () => {
  expect(replyTokenOf("inbox+abc123@acme.test")).toBe("abc123");
  expect(replyTokenOf("inbox@acme.test")).toBeNull();
  expect(withReplyToken("office@acme.test", "tok")).toBe("office+tok@acme.test");
});
