import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isNonPublicAddress } from "./address-ranges.ts";

export type OutboundOptions = {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Host names an admin allowed to resolve to loopback or private addresses (an on-prem Keycloak, tests). */
  allowedPrivateHosts?: readonly string[];
  /** For the whole exchange, redirects included. */
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
};

/** A response read in full (within the size cap), so that callers never hold a live socket. */
export type OutboundResponse = {
  status: number;
  headers: Headers;
  /** The URL that answered, after redirects. */
  url: string;
  body: Uint8Array;
  text: () => string;
  json: () => unknown;
};

export type OutboundFailure =
  | "bad_url"
  | "non_public_address"
  | "dns_failed"
  | "too_many_redirects"
  | "too_large"
  | "timeout"
  | "network";

/** Why an outbound request was refused or failed; the message names the host, never a query or a secret. */
export class OutboundRequestError extends Error {
  override name = "OutboundRequestError";
  constructor(
    readonly reason: OutboundFailure,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULTS = { timeoutMs: 10_000, maxBytes: 1024 * 1024, maxRedirects: 3 };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** `Host.Example` and `[::1]` compare as `host.example` and `::1`. */
export function normalizeHostName(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
}

/**
 * The one way Opsbox reaches another server (single sign-on, model pulls, webhooks, agent
 * catalogs). Each hop's host is resolved first and refused when any of its addresses is not
 * public, unless an admin allowed that host; the connection then goes to the checked address,
 * so a second DNS answer cannot swap in another. Redirects are followed by hand and each hop
 * is checked again. Only http and https, no credentials in URLs, a timeout and a size cap.
 */
export async function fetchOutbound(input: string | URL, options: OutboundOptions = {}): Promise<OutboundResponse> {
  const settings = { ...DEFAULTS, ...options };
  const signal = AbortSignal.timeout(settings.timeoutMs);
  const { response, url } = await followRedirects(input, options, settings, signal);
  const bytes = await readCapped(response, settings.maxBytes, url, settings.timeoutMs);
  return {
    status: response.status,
    headers: response.headers,
    url: url.href,
    body: bytes,
    text: () => new TextDecoder().decode(bytes),
    json: () => JSON.parse(new TextDecoder().decode(bytes)),
  };
}

/** A response whose body is still streaming: for downloads too large to hold in memory (model pulls). */
export type OutboundStream = {
  status: number;
  headers: Headers;
  /** The URL that answered, after redirects. */
  url: string;
  body: ReadableStream<Uint8Array> | null;
};

/**
 * fetchOutbound's checks (public addresses only unless allowed, each redirect hop checked
 * again), but the body is handed back unread. `timeoutMs` covers reaching the server and its
 * headers only; the body is read for as long as the caller likes, and `signal` stops it.
 * The caller must read or cancel the body.
 */
export async function openOutbound(
  input: string | URL,
  options: Omit<OutboundOptions, "maxBytes"> & { signal?: AbortSignal } = {},
): Promise<OutboundStream> {
  const settings = { ...DEFAULTS, ...options };
  const headersDeadline = new AbortController();
  const timer = setTimeout(
    () => headersDeadline.abort(new DOMException("No answer in time.", "TimeoutError")),
    settings.timeoutMs,
  );
  const signal = options.signal ? AbortSignal.any([headersDeadline.signal, options.signal]) : headersDeadline.signal;
  try {
    const { response, url } = await followRedirects(input, options, settings, signal);
    return { status: response.status, headers: response.headers, url: url.href, body: response.body };
  } finally {
    clearTimeout(timer);
  }
}

/** Sends the request and follows redirects by hand, checking every hop; answers the first non-redirect. */
async function followRedirects(
  input: string | URL,
  options: OutboundOptions,
  settings: { timeoutMs: number; maxRedirects: number },
  signal: AbortSignal,
): Promise<{ response: Response; url: URL }> {
  const allowed = new Set((options.allowedPrivateHosts ?? []).map(normalizeHostName));
  let url = parseUrl(input);
  let method = options.method ?? "GET";
  let body = options.body;
  let headers = { ...options.headers };

  for (let hop = 0; ; hop += 1) {
    const addresses = await resolvePublicAddresses(url, allowed);
    const response = await send(url, addresses, { method, headers, body, signal }, settings.timeoutMs);
    const location = response.headers.get("Location");
    if (!REDIRECTS.has(response.status) || !location) return { response, url };
    await response.body?.cancel();
    if (hop >= settings.maxRedirects) {
      throw new OutboundRequestError(
        "too_many_redirects",
        `${url.host} redirected more than ${settings.maxRedirects} times.`,
      );
    }
    const next = parseUrl(new URL(location, url));
    // Credentials were meant for the first origin only.
    if (next.origin !== url.origin) headers = withoutHeaders(headers, ["authorization", "cookie"]);
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
      headers = withoutHeaders(headers, ["content-type", "content-length"]);
    }
    url = next;
  }
}

function parseUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new OutboundRequestError("bad_url", "The address is not a valid URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new OutboundRequestError("bad_url", `Only http and https addresses can be reached (got ${url.protocol}).`);
  }
  if (url.username || url.password) {
    throw new OutboundRequestError("bad_url", "Addresses with a user name or password in them are refused.");
  }
  return url;
}

type Address = { address: string; family: number };

/** The addresses to dial, in order: every address the host resolves to must be public, unless the host is allowed. */
async function resolvePublicAddresses(url: URL, allowed: ReadonlySet<string>): Promise<Address[]> {
  const host = normalizeHostName(url.hostname);
  let addresses: Address[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new OutboundRequestError("dns_failed", `The host ${host} could not be found.`);
    }
  }
  if (addresses.length === 0) throw new OutboundRequestError("dns_failed", `The host ${host} has no addresses.`);
  const blocked = addresses.find((entry) => isNonPublicAddress(entry.address));
  if (blocked && !allowed.has(host)) {
    throw new OutboundRequestError(
      "non_public_address",
      `Refused to reach ${host}: it resolves to ${blocked.address}, a loopback, private or link-local address. ` +
        "An admin can allow this host for outbound requests.",
    );
  }
  return addresses;
}

type SendInit = { method: string; headers: Record<string, string>; body: string | undefined; signal: AbortSignal };

/** Dials each checked address in turn, so that a box without IPv6 still reaches a host that has both. */
async function send(url: URL, addresses: Address[], init: SendInit, timeoutMs: number): Promise<Response> {
  let failure = new OutboundRequestError("network", `Could not reach ${url.host}.`);
  for (const address of addresses) {
    try {
      return await sendTo(url, address, init);
    } catch (error) {
      failure = failureOf(error, url, timeoutMs);
      if (failure.reason === "timeout") throw failure;
    }
  }
  throw failure;
}

function sendTo(url: URL, target: Address, init: SendInit): Promise<Response> {
  const pinned = new URL(url);
  pinned.hostname = target.family === 6 ? `[${target.address}]` : target.address;
  const named = !isIP(normalizeHostName(url.hostname));
  return fetch(pinned, {
    method: init.method,
    headers: { ...init.headers, Host: url.host },
    body: init.body,
    redirect: "manual",
    signal: init.signal,
    // The certificate is still checked against the host name, not the address dialled.
    ...(url.protocol === "https:" && named ? { tls: { serverName: normalizeHostName(url.hostname) } } : {}),
  });
}

async function readCapped(response: Response, maxBytes: number, url: URL, timeoutMs: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new OutboundRequestError("too_large", `${url.host} sent more than ${maxBytes} bytes.`);
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new OutboundRequestError("too_large", `${url.host} sent more than ${maxBytes} bytes.`);
      }
      chunks.push(value);
    }
  } catch (error) {
    throw error instanceof OutboundRequestError ? error : failureOf(error, url, timeoutMs);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function failureOf(error: unknown, url: URL, timeoutMs: number): OutboundRequestError {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new OutboundRequestError("timeout", `${url.host} did not answer within ${timeoutMs} ms.`);
  }
  const code = error instanceof Error && "code" in error ? String(error.code) : "connection failed";
  return new OutboundRequestError("network", `Could not reach ${url.host} (${code}).`);
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}
