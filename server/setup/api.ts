import { Hono } from "hono";
import { applyBackupSettings } from "../backup/apply.ts";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { RateLimiter, rateLimit } from "../http/rate-limit.ts";
import { validate } from "../http/validate.ts";
import { setupInput } from "./schemas.ts";
import { completeSetup } from "./service.ts";
import { isSetupComplete } from "./state.ts";
import { verifySetupToken } from "./token.ts";

/** Setup attempts: 5 an hour per client address, the web wizard's and the API's together. */
export const setupAttempts = new RateLimiter(5, 60 * 60_000);

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  postSetup: apiDoc({ summary: "Set the box up at first boot (needs the X-Setup-Token header)", tags: ["Setup"] }),
};

/** `POST /api/v1/setup`: the whole first-boot setup as one JSON request. */
export const setupApi = new Hono<AppEnv>().post(
  "/",
  docs.postSetup,
  rateLimit(setupAttempts, (c) => c.get("clientIp")),
  async (c, next) => {
    if (isSetupComplete(c.var.deps.db)) throw new AppError("already_set_up", "This box is already set up.");
    if (!verifySetupToken(c.var.deps.db, c.req.header("X-Setup-Token"))) {
      throw new AppError(
        "unauthenticated",
        "The X-Setup-Token header is missing or wrong. The token is in the setup-token file of the data directory.",
      );
    }
    await next();
  },
  validate("json", setupInput),
  async (c) => {
    const { db, keyring, config } = c.var.deps;
    const result = await completeSetup({ db, keyring, dataDir: config.dataDir }, c.req.valid("json"), {
      ipAddress: c.var.clientIp,
      userAgent: c.req.header("User-Agent") ?? null,
      requestId: c.var.requestId,
    });
    applyBackupSettings(c.var.deps);
    return c.json(result, 201);
  },
);
