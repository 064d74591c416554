/** @jsxImportSource hono/jsx */
import { resolve } from "node:path";
import { type Context, Hono } from "hono";
import { HomePage } from "../../views/pages/home.tsx";
import { SetupLockedPage } from "../../views/pages/setup/setup-locked.tsx";
import { applyBackupSettings } from "../backup/apply.ts";
import { renderPage } from "../console/render.tsx";
import type { AppEnv } from "../http/env.ts";
import { AppError, notFound } from "../http/errors.ts";
import { requireAuth } from "../http/guards.ts";
import { isHtmxRequest } from "../http/htmx.ts";
import { applyRateLimit } from "../http/rate-limit.ts";
import { writeSessionCookie } from "../http/session-cookie.ts";
import { type PostedForm, readPostedForm } from "../http/validate-form.ts";
import { renderPulse } from "../work/pulse/console.tsx";
import { setupAttempts } from "./api.ts";
import { clearSetupCookie, readSetupCookie, writeSetupCookie } from "./setup-cookie.ts";
import { isSetupComplete } from "./state.ts";
import { setupTokenPath, verifySetupToken } from "./token.ts";
import { acceptStep, advance, reviewDraft, skipStep } from "./wizard-accept.ts";
import { type FormValues, stepAt, stepIndex, type WizardDraft, wizardDrafts } from "./wizard-draft.ts";
import { completeWizardSetup } from "./wizard-finish.ts";
import { renderWizardStep, type StepViewOptions } from "./wizard-view.tsx";

type Ctx = Context<AppEnv>;

/** The landing route and the first-boot wizard: a box that is not set up leads everyone to /setup. */
export const setupConsole = new Hono<AppEnv>()
  .get(
    "/",
    async (c, next) => {
      if (!isSetupComplete(c.var.deps.db)) return c.redirect("/setup", 302);
      await next();
    },
    requireAuth(),
    (c) => {
      // Someone without an organisation (yet) gets the plain start page instead of the Pulse.
      if (!c.var.auth?.membership) {
        return renderPage(c, { title: "Opsbox", current: "/" }, <HomePage organisationName={null} />);
      }
      return renderPulse(c);
    },
  )
  .get("/setup", (c) => {
    const { db } = c.var.deps;
    if (isSetupComplete(db)) return c.redirect("/", 302);
    const token = c.req.query("token");
    if (token !== undefined) {
      if (!verifySetupToken(db, token)) {
        // A wrong token is a guess: it counts against the same budget as the API's attempts.
        applyRateLimit(c, setupAttempts, c.var.clientIp);
        return lockedPage(c);
      }
      const cookie = readSetupCookie(c);
      const draft = (cookie?.token === token ? wizardDrafts.find(cookie.draftId) : null) ?? wizardDrafts.create();
      writeSetupCookie(c, { draftId: draft.id, token });
      // The token leaves the address bar (and the browser history) for the cookie.
      return c.redirect("/setup", 303);
    }
    const draft = openDraft(c);
    if (!draft) return lockedPage(c);
    return c.redirect(`/setup/${stepAt(draft.current).id}`, 302);
  })
  .get("/setup/:step", async (c) => {
    if (isSetupComplete(c.var.deps.db)) return c.redirect("/", 302);
    const draft = openDraft(c);
    if (!draft) return c.redirect("/setup", 302);
    const index = stepIndex(c.req.param("step"));
    if (index < 0) throw notFound("setup step");
    if (index > draft.reached) return c.redirect(`/setup/${stepAt(draft.reached).id}`, 302);
    return showStep(c, draft, index);
  })
  .post("/setup/:step", async (c) => {
    if (isSetupComplete(c.var.deps.db)) return navigate(c, "/");
    const draft = openDraft(c);
    if (!draft) return navigate(c, "/setup");
    const index = stepIndex(c.req.param("step"));
    if (index < 0) throw notFound("setup step");
    if (index > draft.reached) return navigate(c, `/setup/${stepAt(draft.reached).id}`);
    const step = stepAt(index);
    const form = formValues(await readPostedForm(c));
    const nav = form.nav;
    if (nav === "back") {
      // Back keeps what was typed, valid or not; a step left invalid must be passed again.
      if (!acceptStep(draft, step.id, form).ok) draft.reached = Math.min(draft.reached, index);
      return showStep(c, draft, Math.max(index - 1, 0));
    }
    if (step.id === "review") return finishSetup(c, draft, index);
    const result = nav === "skip" && step.skippable ? skipStep(draft, step.id, form) : acceptStep(draft, step.id, form);
    if (!result.ok) return showStep(c, draft, index, { errors: result.errors }, 422);
    return showStep(c, draft, advance(draft, index));
  });

async function finishSetup(c: Ctx, draft: WizardDraft, index: number): Promise<Response> {
  const { db, keyring, config } = c.var.deps;
  try {
    applyRateLimit(c, setupAttempts, c.var.clientIp);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "rate_limited") throw error;
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return showStep(c, draft, index, { notice: error.message }, 429);
  }
  const review = reviewDraft(draft);
  if (!review.ok) return showStep(c, draft, index, { problems: review.problems }, 422);
  if (draft.totpStep === null) return showStep(c, draft, stepIndex("two-factor"), {}, 422);
  const meta = { ipAddress: c.var.clientIp, userAgent: c.req.header("User-Agent") ?? null, requestId: c.var.requestId };
  try {
    const result = await completeWizardSetup(
      { db, keyring, dataDir: config.dataDir },
      review.input,
      { key: draft.totpKey, step: draft.totpStep },
      meta,
    );
    writeSessionCookie(c, config.baseUrl, result.token, result.session.absoluteExpiresAt);
    applyBackupSettings(c.var.deps);
  } catch (error) {
    // Someone finished setup (through the API or the CLI) while this wizard was open.
    if (!(error instanceof AppError) || error.code !== "already_set_up") throw error;
  }
  wizardDrafts.delete(draft.id);
  clearSetupCookie(c);
  return navigate(c, "/");
}

/** This browser's draft, when its setup cookie still carries the valid token; a lost draft starts over. */
function openDraft(c: Ctx): WizardDraft | null {
  const cookie = readSetupCookie(c);
  if (!cookie || !verifySetupToken(c.var.deps.db, cookie.token)) return null;
  const draft = wizardDrafts.find(cookie.draftId) ?? wizardDrafts.create();
  writeSetupCookie(c, { draftId: draft.id, token: cookie.token });
  return draft;
}

async function showStep(
  c: Ctx,
  draft: WizardDraft,
  index: number,
  options: Omit<StepViewOptions, "dataDir"> = {},
  status: 200 | 422 | 429 = 200,
): Promise<Response> {
  const path = `/setup/${stepAt(index).id}`;
  // Plain form posts (no JavaScript) get post/redirect/get; htmx swaps the next screen in place.
  if (c.req.method === "POST" && status === 200 && !isHtmxRequest(c)) return c.redirect(path, 303);
  draft.current = index;
  if (c.req.method === "POST" && status === 200) c.header("HX-Push-Url", path);
  const body = await renderWizardStep(draft, index, { ...options, dataDir: c.var.deps.config.dataDir });
  return renderPage(c, { title: "Set up", bare: true }, body, status);
}

function navigate(c: Ctx, path: string): Response {
  if (!isHtmxRequest(c)) return c.redirect(path, 303);
  c.header("HX-Redirect", path);
  return c.body(null, 200);
}

function lockedPage(c: Ctx): Response | Promise<Response> {
  const tokenPath = resolve(setupTokenPath(c.var.deps.config.dataDir));
  return renderPage(c, { title: "Set up", bare: true }, <SetupLockedPage tokenPath={tokenPath} />);
}

function formValues(form: PostedForm): FormValues {
  const values: FormValues = {};
  for (const name of form.names()) {
    const all = form.list(name);
    values[name] = all.length === 1 ? (all[0] ?? "") : all;
  }
  return values;
}
