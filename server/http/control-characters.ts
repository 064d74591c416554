import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";
import { AppError, type ErrorDetail } from "./errors.ts";

const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/i;
const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)$/i;

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * The first character of `text` that no text in Opsbox may hold, described for a person, or null:
 * C0 controls (tab always allowed, line feed and carriage return only in `multiline` text), DEL,
 * and UTF-16 surrogates without their pair. NUL breaks FTS5 queries; the others hide text or
 * corrupt it on its way to e-mail, PDFs and logs.
 */
export function findForbiddenCharacter(text: string, options: { multiline: boolean }): string | null {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20) {
      if (code === 0x09 || (options.multiline && (code === 0x0a || code === 0x0d))) continue;
      return `the control character ${hex(code)}`;
    }
    if (code === 0x7f) return `the control character ${hex(code)}`;
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(index + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        index += 1;
        continue;
      }
      return `the unpaired surrogate ${hex(code)}, which is not Unicode text`;
    }
  }
  return null;
}

function detailFor(path: string, text: string, multiline: boolean): ErrorDetail | null {
  const found = findForbiddenCharacter(text, { multiline });
  if (!found) return null;
  return { path: displayable(path), message: `Contains ${found}; remove it and send the text again.` };
}

/** A field name as it may be shown back: refused characters become U+FFFD. */
function displayable(path: string): string {
  let shown = "";
  for (const character of path) shown += findForbiddenCharacter(character, { multiline: false }) ? "\ufffd" : character;
  return shown;
}

/** Every key and string of a parsed JSON value, walked without recursion (the body may nest deeply). */
function jsonDetails(value: unknown): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const pending: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (pending.length > 0 && details.length < 20) {
    const item = pending.pop();
    if (!item) break;
    if (typeof item.value === "string") {
      const detail = detailFor(item.path.join("."), item.value, true);
      if (detail) details.push(detail);
    } else if (item.value !== null && typeof item.value === "object") {
      for (const [key, inner] of Object.entries(item.value)) {
        const path = [...item.path, key];
        const keyDetail = detailFor(path.join("."), key, false);
        if (keyDetail) details.push(keyDetail);
        pending.push({ value: inner, path });
      }
    }
  }
  return details;
}

async function bodyDetails(c: Context<AppEnv>, except: (c: Context) => boolean): Promise<ErrorDetail[]> {
  const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim() ?? "";
  if (JSON_TYPE.test(mediaType)) {
    let parsed: unknown;
    try {
      parsed = await c.req.json();
    } catch {
      return []; // Malformed JSON is the route's 400, not this check's.
    }
    return jsonDetails(parsed);
  }
  // A document upload streams its own body to disk and checks its fields with formFieldDetails.
  if (!FORM_TYPE.test(mediaType) || except(c)) return [];
  const form = await c.req.parseBody({ all: true });
  return formFieldDetails(
    Object.entries(form).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((item) => [name, item] as const),
    ),
  );
}

/** The refused characters in a form's field names and text values (files are not text). */
export function formFieldDetails(fields: Iterable<readonly [string, unknown]>): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const [name, value] of fields) {
    const detail = detailFor(name, name, false) ?? (typeof value === "string" ? detailFor(name, value, true) : null);
    if (detail) details.push(detail);
  }
  return details;
}

/**
 * Refuses control characters and unpaired surrogates anywhere in the text a request carries
 * (query string, JSON strings and keys, form fields) with one 422, before any route sees them.
 * Line breaks are allowed in bodies, where text may have several lines, but not in queries.
 * `except` names the form bodies read elsewhere (a streamed upload checks its own fields).
 */
export function rejectControlCharacters(options: { except: (c: Context) => boolean }): MiddlewareHandler<AppEnv> {
  return async function rejectControlCharacters(c, next) {
    const details: ErrorDetail[] = [];
    for (const [name, value] of new URL(c.req.url).searchParams) {
      const detail = detailFor(name, name, false) ?? detailFor(name, value, false);
      if (detail) details.push(detail);
    }
    const hasBody =
      c.req.header("Content-Length") !== undefined
        ? c.req.header("Content-Length") !== "0"
        : c.req.header("Transfer-Encoding") !== undefined;
    if (details.length === 0 && hasBody && c.req.method !== "GET" && c.req.method !== "HEAD") {
      details.push(...(await bodyDetails(c, options.except)));
    }
    if (details.length > 0) {
      const fields = [...new Set(details.map((detail) => detail.path || "the body"))].join(", ");
      throw new AppError(
        "validation_failed",
        `The request is not valid: ${fields} contains a control character or other text that cannot be used.`,
        details,
      );
    }
    await next();
  };
}
