import { z } from "zod";
import { fetchOutbound, normalizeHostName, OutboundRequestError } from "../outbound/outbound-fetch.ts";

/** GitHub's REST API as the box uses it: `GET /user`, `GET /search/commits`, `GET /repos/{owner}/{repo}/commits`. */

export const GITHUB_API_URL = "https://api.github.com";

/** One commit of the person's, as the drafter reads it. */
export type GithubCommit = { sha: string; repository: string; message: string; at: Date; url: string };

/** GitHub refused the token (401, or 403 that is no rate limit), or could not be asked. */
export type GithubFailure = { ok: false; reason: "unauthorized" | "unavailable"; message: string };
export type GithubAnswer<T> = { ok: true; value: T } | GithubFailure;

/** The most commits read for one week (search and each repository: one page of 100). */
const PER_PAGE = 100;

const userBody = z.object({ login: z.string().min(1) });
const commitBody = z.object({
  sha: z.string(),
  html_url: z.string().default(""),
  commit: z.object({
    message: z.string().default(""),
    author: z.object({ date: z.string() }).nullable().optional(),
    committer: z.object({ date: z.string() }).nullable().optional(),
  }),
  repository: z.object({ full_name: z.string() }).optional(),
});
const searchBody = z.object({ items: z.array(commitBody) });

async function getJson(apiUrl: string, path: string, token: string): Promise<GithubAnswer<unknown>> {
  // Another API URL than GitHub's is a test server the operator named (OPSBOX_GITHUB_API_URL): it may be on loopback.
  const allowed = apiUrl === GITHUB_API_URL ? [] : [normalizeHostName(new URL(apiUrl).hostname)];
  try {
    const response = await fetchOutbound(`${apiUrl}${path}`, {
      headers: {
        Accept: "application/vnd.github+json",
        Authorization: `Bearer ${token}`,
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "Opsbox",
      },
      allowedPrivateHosts: allowed,
      timeoutMs: 15_000,
      maxBytes: 4 * 1024 * 1024,
    });
    const rateLimited = response.status === 429 || response.headers.get("x-ratelimit-remaining") === "0";
    if ((response.status === 401 || response.status === 403) && !rateLimited) {
      return { ok: false, reason: "unauthorized", message: "GitHub refused the token." };
    }
    if (response.status !== 200) {
      return { ok: false, reason: "unavailable", message: `GitHub answered ${response.status}.` };
    }
    return { ok: true, value: response.json() };
  } catch (error) {
    if (error instanceof OutboundRequestError) return { ok: false, reason: "unavailable", message: error.message };
    if (error instanceof SyntaxError)
      return { ok: false, reason: "unavailable", message: "GitHub's answer was not JSON." };
    throw error;
  }
}

/** The login the token belongs to (`GET /user`). */
export async function fetchGithubLogin(apiUrl: string, token: string): Promise<GithubAnswer<string>> {
  const answer = await getJson(apiUrl, "/user", token);
  if (!answer.ok) return answer;
  const parsed = userBody.safeParse(answer.value);
  if (!parsed.success) return { ok: false, reason: "unavailable", message: "GitHub's answer had no login." };
  return { ok: true, value: parsed.data.login };
}

function commitOf(row: z.output<typeof commitBody>, repository: string): GithubCommit | null {
  const date = row.commit.author?.date ?? row.commit.committer?.date;
  const at = date ? new Date(date) : null;
  if (!at || Number.isNaN(at.getTime())) return null;
  const message = row.commit.message.split("\n")[0]?.trim() ?? "";
  return { sha: row.sha, repository, message, at, url: row.html_url };
}

/**
 * The login's commits from `from` to `to` (days `YYYY-MM-DD`, both included): in the named
 * repositories (`GET /repos/{owner}/{repo}/commits?author=&since=&until=`), or, with none named,
 * in every repository the token sees (`GET /search/commits`, which reads default branches only).
 */
export async function fetchGithubCommits(
  apiUrl: string,
  token: string,
  query: { login: string; repositories: readonly string[]; from: string; to: string },
): Promise<GithubAnswer<GithubCommit[]>> {
  if (query.repositories.length === 0) {
    const q = `author:${query.login} committer-date:${query.from}..${query.to}`;
    const params = new URLSearchParams({ q, per_page: String(PER_PAGE), sort: "committer-date", order: "asc" });
    const answer = await getJson(apiUrl, `/search/commits?${params}`, token);
    if (!answer.ok) return answer;
    const parsed = searchBody.safeParse(answer.value);
    if (!parsed.success)
      return { ok: false, reason: "unavailable", message: "GitHub's search answer was not understood." };
    const commits = parsed.data.items.map((row) => commitOf(row, row.repository?.full_name ?? "")).filter(isCommit);
    return { ok: true, value: commits };
  }
  // The repositories at once (each up to its timeout); the answer is the first refusal in their order, as one by one.
  const answers = await Promise.all(
    query.repositories.map(async (repository) => {
      const params = new URLSearchParams({
        author: query.login,
        since: `${query.from}T00:00:00Z`,
        until: `${query.to}T23:59:59Z`,
        per_page: String(PER_PAGE),
      });
      const [owner, name] = repository.split("/").map(encodeURIComponent);
      return { repository, answer: await getJson(apiUrl, `/repos/${owner}/${name}/commits?${params}`, token) };
    }),
  );
  const commits: GithubCommit[] = [];
  for (const { repository, answer } of answers) {
    if (!answer.ok) return answer;
    const parsed = z.array(commitBody).safeParse(answer.value);
    if (!parsed.success)
      return { ok: false, reason: "unavailable", message: `GitHub's answer for ${repository} was not understood.` };
    commits.push(...parsed.data.map((row) => commitOf(row, repository)).filter(isCommit));
  }
  return { ok: true, value: commits };
}

const isCommit = (commit: GithubCommit | null): commit is GithubCommit => commit !== null;
