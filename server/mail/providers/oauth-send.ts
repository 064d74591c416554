import { findGrant, SENDING_GRANT } from "../oauth/grants.ts";
import { accessTokenFor, GrantNeedsReconnect, type GrantStore, TokenRefreshUnavailable } from "../oauth/tokens.ts";
import type { HttpAnswer } from "./http-answer.ts";
import { cleanAnswer, type SendOutcome } from "./types.ts";

/**
 * Runs `call` with the sending grant's access token; a 401 gets one more try with a freshly
 * refreshed token (revoked or expired early). A grant that needs reconnecting, or a token
 * endpoint that cannot be reached, is a temporary failure: the message stays queued.
 */
export async function sendWithAccessToken(
  store: GrantStore,
  call: (accessToken: string) => Promise<HttpAnswer>,
): Promise<{ answer: HttpAnswer; secrets: string[] } | SendOutcome> {
  try {
    let token = await accessTokenFor(store, SENDING_GRANT);
    let answer = await call(token);
    if (answer.answered && answer.status === 401) {
      token = await accessTokenFor(store, SENDING_GRANT, { force: true });
      answer = await call(token);
    }
    return { answer, secrets: [token] };
  } catch (error) {
    if (error instanceof GrantNeedsReconnect || error instanceof TokenRefreshUnavailable)
      return { status: "temporary_failure", answer: cleanAnswer(error.message, []) };
    throw error;
  }
}

/** Why the sending grant holds mail back (it must be connected again), or null. */
export function sendingPaused(store: GrantStore): string | null {
  const grant = findGrant(store.db, SENDING_GRANT);
  if (!grant) return "No account is connected for sending.";
  if (grant.state === "connected") return null;
  return grant.lastError ?? "The account is not connected yet.";
}
