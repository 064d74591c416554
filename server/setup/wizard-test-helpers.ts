import { readFileSync } from "node:fs";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import type { TestApp } from "../testing/harness.ts";
import { setupTokenPath } from "./token.ts";

/** Helpers for the wizard's tests: drive it over HTTP as a browser with htmx would. */

export const ADMIN_PASSWORD = "plum tractor velvet harbour";

export function readSetupToken(box: TestApp): string {
  return readFileSync(setupTokenPath(box.dataDir), "utf8").trim();
}

export function cookieFrom(response: Response, name: string): string | null {
  const header = response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
  return header ? (header.split(";")[0] ?? null) : null;
}

/** Follows the setup link; returns the `Cookie` header that carries the wizard from then on. */
export async function openWizard(box: TestApp): Promise<string> {
  const response = await box.fetch(`/setup?token=${readSetupToken(box)}`);
  const cookie = cookieFrom(response, "opsbox_setup");
  if (response.status !== 303 || !cookie) throw new Error(`the setup link answered ${response.status}`);
  return cookie;
}

export type StepForm = Record<string, string | string[]>;

/** Submits one step the way htmx does (same origin, HX-Request), unless `htmx` is false. */
export function postStep(
  box: TestApp,
  cookie: string,
  step: string,
  form: StepForm,
  options: { htmx?: boolean; address?: string } = {},
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  const headers: Record<string, string> = { Cookie: cookie, Origin: new URL(box.url).origin };
  if (options.htmx !== false) headers["HX-Request"] = "true";
  if (options.address) headers["X-Forwarded-For"] = options.address;
  return box.fetch(`/setup/${step}`, { method: "POST", headers, body });
}

/** The current code of the key the two-factor step shows as text. */
export function totpCodeFromPage(html: string): string {
  const secret = /id="totp-secret"[^>]*>([^<]+)</.exec(html)?.[1];
  if (!secret) throw new Error("no TOTP key on the page");
  return generateTOTP(decodeBase32IgnorePadding(secret.replace(/\s+/g, "")), 30, 6);
}

/** Passes every step up to the review with valid answers; returns the review page. */
export async function walkToReview(box: TestApp, cookie: string, orgName = "Acme Ltd"): Promise<Response> {
  const next = async (step: string, form: StepForm) => {
    const response = await postStep(box, cookie, step, { ...form, nav: "next" });
    if (response.status !== 200) throw new Error(`${step} answered ${response.status}: ${await response.text()}`);
    return response;
  };
  await next("organisation", { name: orgName, industry: "legal" });
  const twoFactor = await next("administrator", {
    name: "Ada Admin",
    email: "ada@example.com",
    password: ADMIN_PASSWORD,
    confirm: ADMIN_PASSWORD,
  });
  await next("two-factor", { code: totpCodeFromPage(await twoFactor.text()) });
  await next("compliance", { complianceLevel: "soc2" });
  await postStep(box, cookie, "email", { nav: "skip" });
  await postStep(box, cookie, "backups", { nav: "skip" });
  await postStep(box, cookie, "ai", { nav: "skip" });
  return next("agents", { agents: ["stuck-tasks", "approval-nudger"] });
}
