import { type Cipheriv, createCipheriv, createDecipheriv, createHmac } from "node:crypto";
import type { ServiceContext } from "../auth/sessions/context.ts";
import type { Keyring } from "../tools/secrets.ts";
import { latestEventSeq } from "./read.ts";

/*
 * Public event ids. The store numbers events with one box-wide sequence, so `evt_<seq>` would
 * tell an organisation how much every other organisation on the box writes (`evt_67`, then
 * `evt_76`). The id a reader sees is that number encrypted under a key of its organisation,
 * derived from the box secret: one AES block (the seq and eight zero bytes), so an id is
 * `evt_` and 22 base64url characters, the same id for the same event every time (a resumed
 * stream goes on from it), unordered, and refused by every other organisation. The zero bytes
 * make a forged or foreign id fail to decode, instead of naming some other event.
 */
export type EventIds = {
  /** The public id of the event with this seq. */
  idOf: (seq: number) => string;
  /** The seq behind one of this organisation's ids; null for anything else. */
  seqOf: (id: string | null | undefined) => number | null;
};

const ID_PATTERN = /^evt_([A-Za-z0-9_-]{22})$/;
const MAX_KEYS = 10_000;
const keys = new Map<string, Buffer>();

/** The ids of one organisation's events. Keys the box no longer encrypts with still decode (after a rotation). */
export function eventIdsOf(keyring: Keyring, orgId: string): EventIds {
  return {
    idOf: (seq) => {
      const block = Buffer.alloc(16);
      block.writeBigUInt64BE(BigInt(seq), 0);
      return `evt_${orgEncrypter(keyring.current, orgId).update(block).toString("base64url")}`;
    },
    seqOf: (id) => {
      const encoded = ID_PATTERN.exec(id?.trim() ?? "")?.[1];
      if (!encoded) return null;
      const sealed = Buffer.from(encoded, "base64url");
      if (sealed.length !== 16) return null;
      for (const derived of [keyring.current, ...keyring.byId.values()]) {
        const decipher = createDecipheriv("aes-128-ecb", orgKey(derived, orgId), null).setAutoPadding(false);
        const block = Buffer.concat([decipher.update(sealed), decipher.final()]);
        if (block.readBigUInt64BE(8) !== 0n) continue;
        const seq = block.readBigUInt64BE(0);
        return seq <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seq) : null;
      }
      return null;
    },
  };
}

/** The id a live page resumes after: the organisation's newest event as the page was drawn. */
export function latestEventId(ctx: Pick<ServiceContext, "db" | "orgId" | "keyring">): string {
  return eventIdsOf(ctx.keyring, ctx.orgId).idOf(latestEventSeq(ctx.db, ctx.orgId));
}

const encrypters = new Map<string, Cipheriv>();

/**
 * One long-lived AES-ECB cipher per organisation key: ECB encrypts each block on its own and no
 * padding is added, so every `update` of one block answers that block's ciphertext at once, and
 * a page of 20 feed items does not build 20 ciphers.
 */
function orgEncrypter(derived: Keyring["current"], orgId: string): Cipheriv {
  const name = `${derived.id}:${orgId}`;
  let cipher = encrypters.get(name);
  if (!cipher) {
    cipher = createCipheriv("aes-128-ecb", orgKey(derived, orgId), null).setAutoPadding(false);
    if (encrypters.size >= MAX_KEYS) encrypters.clear();
    encrypters.set(name, cipher);
  }
  return cipher;
}

function orgKey(derived: Keyring["current"], orgId: string): Buffer {
  const name = `${derived.id}:${orgId}`;
  let key = keys.get(name);
  if (!key) {
    key = createHmac("sha256", derived.key).update(`opsbox event ids v1\0${orgId}`).digest().subarray(0, 16);
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(name, key);
  }
  return key;
}
