// Crockford's base32 alphabet is in ASCII order, so ids sort by creation time as plain strings.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export const idPrefixes = [
  // identity and the box
  "org",
  "usr",
  "mem",
  "rol",
  "ivt",
  "key",
  "aud",
  "sso",
  "msg",
  "ses",
  "ntf",
  // the operations workspace
  "prj",
  "tsk",
  "cmt",
  "chg",
  "tem",
  "apl",
  "aps",
  "apr",
  "apd",
  "apc",
  "cus",
  "inv",
  "inl",
  "bil",
  "bln",
  "tim",
  "tsh",
  "eqp",
  // the knowledge base and the assistant
  "doc",
  "job",
  "mdl",
  "cnv",
  "cmg",
  // mail
  "inm",
  "sup",
  "brd",
  "mat",
  "rsc",
  // background jobs
  "run",
] as const;
export type IdPrefix = (typeof idPrefixes)[number];

/**
 * An opaque, type-prefixed id (`usr_01jd…`): 48 bits of milliseconds then 80 random bits,
 * 26 characters, sortable by creation time (keyset pagination relies on that). Ids made in the
 * same millisecond by this process increase too (the random part is incremented), so rows
 * written one after another keep their order.
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  const bytes = new Uint8Array(16);
  if (now === last.time) {
    bytes.set(last.bytes);
    incrementRandomPart(bytes);
  } else {
    let time = now;
    for (let index = 5; index >= 0; index -= 1) {
      bytes[index] = time % 256;
      time = Math.floor(time / 256);
    }
    crypto.getRandomValues(bytes.subarray(6));
    // An id dated on purpose (back-dated imports, a test's clock a year ahead) leaves the
    // sequence alone: one dated in the future would otherwise stop the ids made after it, at
    // the real time, from increasing within their millisecond. A time near the clock starts a
    // new sequence even when it is a little earlier than the last one (a caller that read the
    // clock before another), so the ids of its millisecond increase too.
    if (Math.abs(now - Date.now()) > OFF_CLOCK_MS) return `${prefix}_${encodeSortable(bytes)}`;
    last.time = now;
  }
  last.bytes = bytes;
  return `${prefix}_${encodeSortable(bytes)}`;
}

const last = { time: -1, bytes: new Uint8Array(16) };
/** How far from the clock a given time may be and still be "now" (callers read the clock a little earlier). */
const OFF_CLOCK_MS = 60_000;

function incrementRandomPart(bytes: Uint8Array): void {
  for (let index = 15; index >= 6; index -= 1) {
    const next = (bytes[index] ?? 0) + 1;
    bytes[index] = next & 255;
    if (next <= 255) return;
  }
}

export function isId(prefix: IdPrefix, value: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`).test(value);
}

/** Bytes as Crockford base32 (lower case, most significant bit first, the last character padded with zeros). */
export function encodeBase32(bytes: Uint8Array): string {
  return encodeSortable(bytes);
}

/** The `length` bytes that encodeBase32 wrote; null for a character outside the alphabet or a wrong length. Case-blind. */
export function decodeBase32(text: string, length: number): Uint8Array | null {
  if (text.length !== Math.ceil((length * 8) / 5)) return null;
  const bytes = new Uint8Array(length);
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of text.toLowerCase()) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return null;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      if (index < length) bytes[index] = (value >>> (bits - 8)) & 255;
      index += 1;
      bits -= 8;
    }
  }
  return bytes;
}

/** The 16 bytes behind an id of this prefix, or null when `id` is not one. */
export function idBytes(prefix: IdPrefix, id: string): Uint8Array | null {
  return isId(prefix, id) ? decodeBase32(id.slice(prefix.length + 1), 16) : null;
}

/** The id of this prefix that `bytes` (16, from idBytes) stand for. */
export function idFromBytes(prefix: IdPrefix, bytes: Uint8Array): string {
  return `${prefix}_${encodeSortable(bytes)}`;
}

function encodeSortable(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}
