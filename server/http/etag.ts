import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { Context } from "hono";
import { AppError } from "./errors.ts";

/** A strong ETag of a resource's JSON: it changes whenever anything a client sees changes. */
export function etagOf(value: unknown): string {
  const digest = sha256(new TextEncoder().encode(JSON.stringify(value)));
  return `"${encodeBase64urlNoPadding(digest.subarray(0, 18))}"`;
}

/**
 * Whether `If-None-Match` names this ETag, weakly compared as RFC 9110 §13.1.2 asks for GET: a
 * compressed answer's ETag is the weak form of the identity answer's.
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === bare);
}

/** A resource's GET answer: its ETag, and 304 without a body when `If-None-Match` names it. */
export function jsonWithEtag(c: Context, etag: string, body: unknown): Response {
  c.header("ETag", etag);
  if (etagMatches(c.req.header("If-None-Match"), etag)) return c.body(null, 304);
  return c.json(body);
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
