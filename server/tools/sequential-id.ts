import { type IdPrefix, newId } from "./ids.ts";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const last = new Map<string, string>();

/**
 * A time-sortable id (server/tools/ids.ts) that is also strictly greater than the last one this
 * process made with the prefix: two tasks (or history rows) of the same millisecond still list
 * in the order they were made, and a keyset page never reorders them.
 */
export function sequentialId(prefix: IdPrefix, now: number): string {
  let id = newId(prefix, now);
  const previous = last.get(prefix);
  if (previous !== undefined && id <= previous) id = successor(previous);
  last.set(prefix, id);
  return id;
}

/** The next id in base32 order: the last character goes up by one, carrying leftwards. */
function successor(id: string): string {
  const chars = [...id];
  for (let index = chars.length - 1; index > id.indexOf("_"); index -= 1) {
    const digit = ALPHABET.indexOf(chars[index] ?? "");
    if (digit < ALPHABET.length - 1) {
      chars[index] = ALPHABET[digit + 1] ?? "0";
      return chars.join("");
    }
    chars[index] = "0";
  }
  return chars.join("");
}
