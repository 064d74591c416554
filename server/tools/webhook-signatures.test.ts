import { expect, test } from "bun:test";
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { checkSendGridSignature, checkSvixSignature } from "./webhook-signatures.ts";

const secretBytes = crypto.getRandomValues(new Uint8Array(24));
const secret = `whsec_${Buffer.from(secretBytes).toString("base64")}`;
const body = '{"type":"email.bounced","data":{"email_id":"abc"}}';
const now = new Date("2026-03-01T12:00:00Z");
const seconds = String(Math.floor(now.getTime() / 1000));

const svix = (id: string, timestamp: string, payload: string) =>
  `v1,${createHmac("sha256", secretBytes).update(`${id}.${timestamp}.${payload}`).digest("base64")}`;

test("Svix: the right HMAC passes, also beside another one (a rolled secret)", () => {
  const signature = svix("msg_1", seconds, body);
  expect(checkSvixSignature({ secret, id: "msg_1", timestamp: seconds, signature, body }, now)).toBe("ok");
  const both = `v1,${Buffer.alloc(32).toString("base64")} ${signature}`;
  expect(checkSvixSignature({ secret, id: "msg_1", timestamp: seconds, signature: both, body }, now)).toBe("ok");
});

test("Svix: missing headers, another body, id or secret, and a timestamp over five minutes away are refused", () => {
  const signature = svix("msg_1", seconds, body);
  expect(checkSvixSignature({ secret, id: "msg_1", timestamp: seconds, body }, now)).toBe("unsigned");
  expect(checkSvixSignature({ secret, timestamp: seconds, signature, body }, now)).toBe("unsigned");
  expect(checkSvixSignature({ secret, id: "msg_1", timestamp: seconds, signature, body: `${body} ` }, now)).toBe(
    "wrong",
  );
  expect(checkSvixSignature({ secret, id: "msg_2", timestamp: seconds, signature, body }, now)).toBe("wrong");
  const other = `whsec_${Buffer.alloc(24, 7).toString("base64")}`;
  expect(checkSvixSignature({ secret: other, id: "msg_1", timestamp: seconds, signature, body }, now)).toBe("wrong");
  const old = String(Number(seconds) - 301);
  expect(
    checkSvixSignature({ secret, id: "msg_1", timestamp: old, signature: svix("msg_1", old, body), body }, now),
  ).toBe("stale");
  const ahead = String(Number(seconds) + 301);
  expect(
    checkSvixSignature({ secret, id: "msg_1", timestamp: ahead, signature: svix("msg_1", ahead, body), body }, now),
  ).toBe("stale");
});

const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const publicKey = pair.publicKey.export({ format: "der", type: "spki" }).toString("base64");
const sendGrid = (timestamp: string, payload: string) =>
  sign("sha256", Buffer.from(`${timestamp}${payload}`), pair.privateKey).toString("base64");

test("SendGrid: an ECDSA P-256 signature over timestamp and body passes", () => {
  const events = '[{"event":"bounce","email":"a@example.com"}]\r\n';
  const signature = sendGrid(seconds, events);
  expect(checkSendGridSignature({ publicKey, timestamp: seconds, signature, body: events }, now)).toBe("ok");
});

test("SendGrid: unsigned, another key, another body and a stale timestamp are refused", () => {
  const events = '[{"event":"spamreport"}]';
  const signature = sendGrid(seconds, events);
  expect(checkSendGridSignature({ publicKey, timestamp: seconds, body: events }, now)).toBe("unsigned");
  const otherKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .publicKey.export({ format: "der", type: "spki" })
    .toString("base64");
  expect(checkSendGridSignature({ publicKey: otherKey, timestamp: seconds, signature, body: events }, now)).toBe(
    "wrong",
  );
  expect(checkSendGridSignature({ publicKey, timestamp: seconds, signature, body: "[]" }, now)).toBe("wrong");
  expect(checkSendGridSignature({ publicKey, timestamp: seconds, signature: "bm9wZQ==", body: events }, now)).toBe(
    "wrong",
  );
  const old = String(Number(seconds) - 600);
  expect(
    checkSendGridSignature({ publicKey, timestamp: old, signature: sendGrid(old, events), body: events }, now),
  ).toBe("stale");
});
