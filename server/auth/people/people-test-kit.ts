import { desc, eq } from "drizzle-orm";
import { type MailMessage, mailMessages } from "../../../models/mail.ts";
import type { TestApp } from "../../testing/harness.ts";
import { consoleHeaders } from "../../testing/identity.ts";

/** Test helpers shared by the people, roles and organisations tests. */

export type Call = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Response>;

/** A JSON API caller signed in with `cookie` (or anonymous with null), as a same-origin browser script would be. */
export function apiAs(box: TestApp, cookie: string | null): Call {
  return (method, path, body, headers = {}) =>
    box.fetch(path, {
      method,
      headers: {
        ...(cookie ? consoleHeaders(box, cookie) : {}),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

/** An htmx form post from the console. */
export function postForm(box: TestApp, cookie: string | null, path: string, fields: Record<string, string | string[]>) {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
  }
  return box.fetch(path, {
    method: "POST",
    headers: {
      ...(cookie ? consoleHeaders(box, cookie) : { Origin: new URL(box.url).origin, "HX-Request": "true" }),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: form.toString(),
  });
}

/** The newest message to `to` in the draft log, or null. */
export function latestMail(box: TestApp, to: string): MailMessage | null {
  return (
    box.deps.db
      .select()
      .from(mailMessages)
      .where(eq(mailMessages.toAddress, to))
      .orderBy(desc(mailMessages.createdAt), desc(mailMessages.id))
      .get() ?? null
  );
}

/** Waits (briefly) for a message that is written after the response, like a password reset. */
export async function waitForMail(box: TestApp, to: string, template: string, after = 0): Promise<MailMessage> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const mail = latestMail(box, to);
    if (mail && mail.template === template && mail.createdAt.getTime() >= after) return mail;
    await Bun.sleep(20);
  }
  throw new Error(`no ${template} e-mail to ${to}`);
}

/** The link of an e-mail (the line starting with http), as path + query for box.fetch. */
export function linkOf(mail: MailMessage): { path: string; token: string } {
  const line = mail.textBody.split("\n").find((text) => text.startsWith("http"));
  if (!line) throw new Error("no link in the e-mail");
  const url = new URL(line);
  return { path: `${url.pathname}${url.search}`, token: url.searchParams.get("token") ?? "" };
}

export async function errorOf(
  response: Response,
): Promise<{ code: string; message: string; details?: { path: string }[] }> {
  const body = (await response.json()) as { error: { code: string; message: string; details?: { path: string }[] } };
  return body.error;
}
