import type { Queryable } from "../db.ts";
import { type Keyring, SecretDecryptionError } from "../tools/secrets.ts";
import { fetchGithubCommits, type GithubCommit } from "./client.ts";
import { findGithubConnection, githubTokenOf, markGithubReconnect } from "./connections.ts";

/** What GitHub added to a draft: `none` (not connected), `reconnect` (token refused), `unavailable` (not reachable now). */
export type GithubWeek = {
  status: "none" | "connected" | "reconnect" | "unavailable";
  login: string | null;
  commits: GithubCommit[];
};

/**
 * The person's commits from `from` to `to` (days, both included) when they connected GitHub.
 * A refused token marks the connection `reconnect` (and is not sent again); any failure leaves
 * the commits out, so a draft never fails for GitHub's sake.
 */
export async function githubCommitsOf(
  deps: { db: Queryable; keyring: Keyring; apiUrl: string },
  person: { orgId: string; userId: string },
  range: { from: string; to: string },
): Promise<GithubWeek> {
  const connection = findGithubConnection({ db: deps.db, ...person });
  if (!connection) return { status: "none", login: null, commits: [] };
  if (connection.status === "reconnect") return { status: "reconnect", login: connection.login, commits: [] };
  let token: string;
  try {
    token = githubTokenOf(deps.keyring, connection);
  } catch (error) {
    if (!(error instanceof SecretDecryptionError)) throw error;
    markGithubReconnect({ db: deps.db, ...person });
    return { status: "reconnect", login: connection.login, commits: [] };
  }
  const answer = await fetchGithubCommits(deps.apiUrl, token, {
    login: connection.login,
    repositories: connection.repositories,
    ...range,
  });
  if (answer.ok) return { status: "connected", login: connection.login, commits: answer.value };
  if (answer.reason === "unauthorized") {
    markGithubReconnect({ db: deps.db, ...person });
    return { status: "reconnect", login: connection.login, commits: [] };
  }
  return { status: "unavailable", login: connection.login, commits: [] };
}
