import { expect, test } from "bun:test";
import { createKeyring } from "./secrets.ts";
import { checkUnsubscribeToken, signUnsubscribeToken } from "./unsubscribe-token.ts";

const keyring = createKeyring(crypto.getRandomValues(new Uint8Array(32)));
const target = { orgId: "org_06h3y54678qrn047ccr84jhnqw", address: "ada@example.com" };
const inAYear = new Date(Date.now() + 365 * 86_400_000);

test("a token names its address and organisation, and is safe in a URL path", () => {
  const token = signUnsubscribeToken(keyring, target, inAYear);
  expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
  expect(checkUnsubscribeToken(keyring, token)).toEqual({
    ok: true,
    target,
    expiresAt: new Date(Math.floor(inAYear.getTime() / 1000) * 1000),
  });
  const boxWide = signUnsubscribeToken(keyring, { orgId: null, address: "ops@example.com" }, inAYear);
  expect(checkUnsubscribeToken(keyring, boxWide)).toMatchObject({ ok: true, target: { orgId: null } });
});

test("a token with another address or organisation in it, or a wrong MAC, is forged", () => {
  const token = signUnsubscribeToken(keyring, target, inAYear);
  const [payload, mac] = token.split(".") as [string, string];
  const changed = Buffer.from(
    Buffer.from(payload, "base64url").toString("utf8").replace("ada@", "bob@"),
    "utf8",
  ).toString("base64url");
  expect(checkUnsubscribeToken(keyring, `${changed}.${mac}`)).toEqual({ ok: false, refused: "forged" });
  const otherBox = createKeyring(crypto.getRandomValues(new Uint8Array(32)));
  expect(checkUnsubscribeToken(otherBox, token)).toEqual({ ok: false, refused: "forged" });
  expect(checkUnsubscribeToken(keyring, "nonsense")).toEqual({ ok: false, refused: "malformed" });
  expect(checkUnsubscribeToken(keyring, `${payload}.${mac}.x`)).toEqual({ ok: false, refused: "malformed" });
});

test("an expired token is refused as expired; a previous key still checks", () => {
  const old = signUnsubscribeToken(keyring, target, new Date(Date.now() - 1000));
  expect(checkUnsubscribeToken(keyring, old)).toEqual({ ok: false, refused: "expired" });
  const previousRoot = crypto.getRandomValues(new Uint8Array(32));
  const before = signUnsubscribeToken(createKeyring(previousRoot), target, inAYear);
  const rotated = createKeyring(crypto.getRandomValues(new Uint8Array(32)), [previousRoot]);
  expect(checkUnsubscribeToken(rotated, before).ok).toBe(true);
});
