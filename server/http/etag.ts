import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { AppError } from "./errors.ts";

/** A strong ETag of a resource's JSON: it changes whenever anything a client sees changes. */
export function etagOf(value: unknown): string {
  const digest = sha256(new TextEncoder().encode(JSON.stringify(value)));
  return `"${encodeBase64urlNoPadding(digest.subarray(0, 18))}"`;
}

/** 412 when `If-Match` was sent and names neither `*` nor the current ETag (a stale write). */
export function assertIfMatch(ifMatch: string | undefined, current: string): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  if (tags.includes("*") || tags.includes(current)) return;
  throw new AppError(
    "precondition_failed",
    "The resource changed since you read it. Fetch it again and retry with its new ETag.",
  );
}
