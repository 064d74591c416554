import { generateHOTP } from "@oslojs/otp";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { users } from "../../models/identity.ts";
import { generateTotpKey, sealTotpKey, TOTP_DIGITS, totpStepAt } from "../auth/two-factor/totp.ts";
import { sessionCookieName } from "../http/session-cookie.ts";
import type { TestApp } from "./harness.ts";
import { TEST_PASSWORD } from "./identity.ts";

/** Test helpers for the sign-in and 2FA tests: real HTTP against the running box, no shortcuts. */

/** Posts a console form the way htmx does: same origin, HX-Request, url-encoded. */
export function postForm(
  box: TestApp,
  path: string,
  fields: Record<string, string>,
  cookie?: string | null,
): Promise<Response> {
  return box.fetch(path, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: new URL(box.url).origin,
      "HX-Request": "true",
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Calls the JSON API with a session cookie, as the console's scripts would. */
export function apiCall(
  box: TestApp,
  method: string,
  path: string,
  cookie: string | null,
  body?: unknown,
): Promise<Response> {
  return box.fetch(path, {
    method,
    headers: {
      Origin: new URL(box.url).origin,
      "HX-Request": "true",
      ...(cookie ? { Cookie: cookie } : {}),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** `name=value` of the session cookie a response set, or null. */
export function sessionCookieFrom(box: TestApp, response: Response): string | null {
  const name = sessionCookieName(box.config.baseUrl);
  const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
  const pair = header?.split(";")[0];
  return pair && pair !== `${name}=` ? pair : null;
}

/** Signs in through the console form; the cookie is that of the new (maybe pending) session. */
export async function signIn(
  box: TestApp,
  email: string,
  password = TEST_PASSWORD,
): Promise<{ response: Response; cookie: string | null }> {
  const response = await postForm(box, "/sign-in", { email, password });
  return { response, cookie: sessionCookieFrom(box, response) };
}

/** Turns 2FA on for a person directly in the database, as a finished enrolment would; returns the key. */
export function enableTotp(box: TestApp, userId: string): Uint8Array {
  const key = generateTotpKey();
  box.deps.db
    .update(users)
    .set({
      totpKeyEncrypted: sealTotpKey(box.deps.keyring, userId, key),
      totpEnabledAt: new Date(),
      totpLastStep: null,
    })
    .where(eq(users.id, userId))
    .run();
  return key;
}

/** The code of a time step (now by default), as an authenticator app would show it. */
export function totpCode(key: Uint8Array, step = totpStepAt(new Date())): string {
  return generateHOTP(key, BigInt(step), TOTP_DIGITS);
}

/** Audit actions recorded about or by a person, oldest first. */
export function auditActionsOf(box: TestApp, userId: string): string[] {
  return box.deps.db
    .select()
    .from(auditEvents)
    .all()
    .filter((event) => event.actorUserId === userId || event.targetId === userId)
    .map((event) => event.action);
}
